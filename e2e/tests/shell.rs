//! The web app's shell: it loads, talks to the API, routes, and handles unknown places.

use upstate_e2e::{Browser, Server};

#[tokio::test(flavor = "multi_thread")]
async fn the_start_page_renders_and_shows_the_servers_version() {
    let server = Server::start().await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/")).await;
    browser.wait_for_text("h1", "Upstate").await;
    browser
        .wait_for_text(
            "[data-testid=server-info]",
            concat!("Upstate v", env!("CARGO_PKG_VERSION"), " · sqlite"),
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deep_link_opens_the_app_which_routes_without_reloading() {
    let server = Server::start().await;
    let browser = Browser::open().await;
    // A status page of no org says so (the server draws it), with the way to the start.
    browser.goto(&server.url("/status/no-such-org")).await;
    browser.wait_for_text("h1", "No status page here").await;
    browser
        .wait_for_text("main", "There is no organization called “no-such-org”.")
        .await;
    browser.click_link("Go to the start page").await;
    browser.wait_for_path("/").await;
    // A deep link into the app opens it at that page.
    browser.goto(&server.url("/nowhere/in/particular")).await;
    browser.wait_for_text("h1", "Page not found").await;
    // Mark the document: a full reload would lose the mark, client-side routing keeps it.
    browser
        .client
        .execute("window.__still_here = true;", vec![])
        .await
        .unwrap();
    browser.click_link("Go to the start page").await;
    browser.wait_for_path("/").await;
    browser.wait_for_text("h1", "Upstate").await;
    let kept = browser
        .client
        .execute("return window.__still_here === true;", vec![])
        .await
        .unwrap();
    assert_eq!(
        kept,
        serde_json::Value::Bool(true),
        "the link reloaded the page"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_address_shows_the_not_found_page() {
    let server = Server::start().await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/no/such/page")).await;
    browser.wait_for_text("h1", "Page not found").await;
    assert_eq!(browser.path().await, "/no/such/page");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_front_door_takes_the_first_person_to_their_first_status_page() {
    let server = Server::start().await;
    let browser = Browser::open().await;

    // A new server invites its first person.
    browser.goto(&server.url("/")).await;
    browser
        .wait_for_text("[data-testid=first-run]", "this server is new")
        .await;
    browser.click_link("Create the first account").await;
    browser.wait_for_path("/signup").await;
    browser.fill("#field-name", "Ada Lovelace").await;
    browser.fill("#field-email", "ada@acme.test").await;
    browser
        .fill("#field-password", "correct horse battery")
        .await;
    browser.click_button("Create account").await;
    browser.wait_for_path("/dashboard").await;
    browser.fill("#field-name", "Acme").await;
    browser.fill("#field-slug", "acme").await;
    browser.click_button("Create organization").await;
    browser.wait_for_path("/dashboard/acme").await;

    // Signed in, the front door goes on to the dashboard, which links to the status page.
    browser.goto(&server.url("/")).await;
    browser.wait_for_path("/dashboard").await;
    browser.click_link("Status page").await;
    browser.wait_for_path("/status/acme").await;
    browser.wait_for_text("h1", "Acme").await;
    browser.close().await;

    // Someone else, signed out, is offered to sign in or create an account; the server is
    // not new any more.
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/")).await;
    visitor
        .wait_for_text("[data-testid=front-door]", "Create an account")
        .await;
    assert!(
        visitor
            .execute("return document.querySelector('[data-testid=first-run]') === null;")
            .await
            .as_bool()
            .unwrap(),
        "no first-run invitation once someone has an account"
    );
    visitor.click_link("Sign in").await;
    visitor.wait_for_path("/login").await;
    visitor.close().await;
}
