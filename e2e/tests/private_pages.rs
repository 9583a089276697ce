//! Private pages as people meet them: an anonymous visitor of a members-only page reads that
//! it is private and signs in from there, coming back to the page; a visitor of a password
//! page is told clearly when the password is wrong, opens the page with the right one, and
//! that opens this page alone, not another org's.

use serde_json::json;
use upstate_e2e::{Api, Browser, PASSWORD, Server};

const TITLE: &str = "Card payments failing";

/// An org with a service and an open incident, its page set to `access`.
async fn private_org(owner: &Api, slug: &str, name: &str, access: serde_json::Value) {
    owner
        .post("/api/v1/orgs", json!({"name": name, "slug": slug}))
        .await;
    let service = owner
        .post(
            &format!("/api/v1/orgs/{slug}/services"),
            json!({"name": "Payments API"}),
        )
        .await;
    owner
        .post(
            &format!("/api/v1/orgs/{slug}/incidents"),
            json!({"title": TITLE, "status": "identified", "impact": "major",
                   "message": "We are rerouting traffic to the standby processor.",
                   "affected": [{"service_id": service["id"], "status": "major_outage"}]}),
        )
        .await;
    owner
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/orgs/{slug}/page-access"),
            access,
        )
        .await;
}

async fn page_text(browser: &Browser) -> String {
    browser
        .execute("return document.body.innerText;")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_members_only_page_is_refused_to_a_visitor_and_shown_after_signing_in() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    private_org(&owner, "acme", "Acme", json!({"mode": "members"})).await;

    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser
        .wait_for_text("h1", "This status page is private")
        .await;
    let text = page_text(&browser).await;
    assert!(
        !text.contains(TITLE),
        "the refusal tells the incident: {text}"
    );
    assert!(
        !text.contains("Payments API"),
        "the refusal tells a service: {text}"
    );
    browser.screenshot("private-page-refused").await;

    // Sign in from the refusal, and come back to the page.
    browser.click_link("Sign in").await;
    browser.wait_for_path("/login").await;
    browser.fill("#field-email", "owner@acme.test").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click_button("Sign in").await;
    browser.wait_for_path("/status/acme").await;
    browser.wait_for_text("body", TITLE).await;
    browser.wait_for_text("body", "Payments API").await;
    browser.screenshot("private-page-member").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_page_opens_with_its_password_for_that_page_alone() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    private_org(
        &owner,
        "acme",
        "Acme",
        json!({"mode": "password", "password": "open sesame 42"}),
    )
    .await;
    private_org(
        &owner,
        "globex",
        "Globex",
        json!({"mode": "password", "password": "another secret"}),
    )
    .await;

    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser
        .wait_for_text("h1", "This status page needs a password")
        .await;
    // A wrong password: said clearly, next to the field, and the page stays shut.
    browser.fill("#password", "open sesame 41").await;
    browser.click_button("Open the page").await;
    browser
        .wait_for_text("#password-error", "That password is not right")
        .await;
    assert!(!page_text(&browser).await.contains(TITLE));
    browser.screenshot("private-page-password-form").await;

    // The right one opens the page.
    browser.fill("#password", "open sesame 42").await;
    browser.click_button("Open the page").await;
    browser.wait_for_path("/status/acme").await;
    browser.wait_for_text("body", TITLE).await;
    browser.screenshot("private-page-password-open").await;
    let cookies = browser.execute("return document.cookie;").await;
    assert!(
        !cookies
            .as_str()
            .unwrap_or_default()
            .contains("upstate_page_"),
        "the page's cookie is HttpOnly: {cookies}"
    );
    // It still opens after a reload, and it opens this page alone.
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text("body", TITLE).await;
    browser.goto(&server.url("/status/globex")).await;
    browser
        .wait_for_text("h1", "This status page needs a password")
        .await;
    assert!(!page_text(&browser).await.contains(TITLE));
    browser.close().await;
}
