//! The dashboard as one product: the page you are on is marked in the navigation, a write that
//! worked says so in a toast, a destructive action asks in the page's own dialog (not the
//! browser's), and an empty list says what belongs there and how to add it; the dialog, the
//! toast and the empty states pass axe in light and in dark. On Settings, an admin sets the
//! org's custom domain and imports a Statuspage page from its files.

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_e2e::{Api, Browser, PATIENCE, Server};

async fn owner_of_acme(server: &Server) -> Api {
    let owner = Api::register(server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
}

/// The texts of the dashboard navigation's links marked as the current page, once they are
/// `expected` (or what they are after a while).
async fn marked_links(browser: &Browser, expected: &[&str]) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let marked = browser
            .execute(
                "return [...document.querySelectorAll('nav[aria-label=Dashboard] a[aria-current=page]')]
                    .map(a => a.textContent.trim());",
            )
            .await;
        let marked: Vec<String> = marked
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if marked == expected || Instant::now() > deadline {
            return marked;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_navigation_marks_the_page_you_are_on_and_only_it() {
    let server = Server::start().await;
    owner_of_acme(&server).await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    let pages = [
        ("/dashboard/acme", "Overview"),
        ("/dashboard/acme/services", "Services"),
        ("/dashboard/acme/incidents", "Incidents"),
        // A page under a section marks its section.
        ("/dashboard/acme/incidents/new", "Incidents"),
        ("/dashboard/acme/maintenance", "Maintenance"),
        ("/dashboard/acme/subscribers", "Subscribers"),
        ("/dashboard/acme/integrations", "Integrations"),
        ("/dashboard/acme/team", "Team"),
        ("/dashboard/acme/settings", "Settings"),
    ];
    for (path, link) in pages {
        browser.goto(&server.url(path)).await;
        browser
            .wait_for_text("nav[aria-label=Dashboard]", "Overview")
            .await;
        assert_eq!(marked_links(&browser, &[link]).await, [link], "on {path}");
    }

    // Moving by the navigation moves the mark.
    browser.click_link("Services").await;
    browser.wait_for_path("/dashboard/acme/services").await;
    assert_eq!(marked_links(&browser, &["Services"]).await, ["Services"]);

    // The mark is seen, not only announced: the current link looks unlike the others.
    let looks = browser
        .execute(
            "const nav = document.querySelector('nav[aria-label=Dashboard]');
             const look = a => { const s = getComputedStyle(a);
                 return [s.fontWeight, s.color, s.backgroundColor, s.borderBottomColor, s.borderBottomWidth].join(' '); };
             return [look(nav.querySelector('a[aria-current=page]')), look(nav.querySelector('a:not([aria-current])'))];",
        )
        .await;
    assert_ne!(
        looks[0], looks[1],
        "the current page's link looks like the others: {looks}"
    );
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_that_worked_says_so_in_a_toast() {
    let server = Server::start().await;
    owner_of_acme(&server).await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;

    // A form's write.
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser.fill("#field-name", "Website").await;
    browser.click_button("Add service").await;
    browser
        .wait_for_text("[data-testid=toast]", "Service created")
        .await;
    // Said politely to screen readers, from a region that was there before the message.
    let region = browser.element("[data-testid=toasts]").await;
    assert_eq!(
        region.attr("role").await.unwrap().as_deref(),
        Some("status")
    );
    assert_eq!(
        region.attr("aria-live").await.unwrap().as_deref(),
        Some("polite")
    );
    // It goes by itself after a few seconds.
    browser
        .wait_until_none(Locator::Css("[data-testid=toast]"), Duration::from_secs(15))
        .await;

    // A write from a button (a status in one click).
    browser
        .choose("[aria-label='Status of Website']", "Major outage")
        .await;
    browser
        .wait_for_text("[data-testid=toast]", "Website is now Major outage")
        .await;
    // Whoever reads it can close it at once (it waits for them while the pointer is on it).
    browser
        .element("[data-testid=toast] button[aria-label='Dismiss']")
        .await
        .click()
        .await
        .expect("click");
    browser
        .wait_until_none(Locator::Css("[data-testid=toast]"), Duration::from_secs(2))
        .await;

    // A write that moves to another page says so there.
    browser
        .goto(&server.url("/dashboard/acme/incidents/new"))
        .await;
    browser.fill("#field-title", "Slow pages").await;
    browser.fill("#message", "Looking into it.").await;
    browser.click_button("Declare incident").await;
    browser
        .wait_for_path_prefix("/dashboard/acme/incidents/0")
        .await;
    browser
        .wait_for_text("[data-testid=toast]", "Incident declared")
        .await;

    browser.close().await;
}

/// The row of the service `name` on the Services page.
fn service_row(name: &str) -> String {
    format!(
        "//li[@data-testid='dash-service'][.//span[@class='service-name' and normalize-space()='{name}']]"
    )
}

async fn service_names(owner: &Api) -> Vec<String> {
    let page = owner
        .send(
            reqwest::Method::GET,
            "/api/v1/orgs/acme/services",
            json!({}),
        )
        .await;
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Whether the focus is in the open dialog, and the text of what has it.
async fn focus_in_dialog(browser: &Browser) -> Value {
    browser
        .execute(
            "const f = document.activeElement;
             return [f.closest('dialog[open]') !== null, f.textContent.trim()];",
        )
        .await
}

/// Clicks Website's Delete button; answers the question the dialog then asks.
async fn ask_to_delete_website(browser: &Browser) -> String {
    let delete = format!(
        "{}//button[normalize-space()='Delete']",
        service_row("Website")
    );
    browser
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(&delete))
        .await
        .expect("the Delete button of Website")
        .click()
        .await
        .expect("click");
    browser
        .wait_for_text("dialog[open]", "Delete the service “Website”?")
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn deleting_a_service_asks_in_the_page_and_cancel_keeps_it() {
    let server = Server::start().await;
    let owner = owner_of_acme(&server).await;
    for name in ["Website", "Database"] {
        owner
            .post("/api/v1/orgs/acme/services", json!({"name": name}))
            .await;
    }
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser
        .wait_for_text("[data-testid=dash-service]", "Database")
        .await;
    // The question, in the page: modal, the focus on the safe choice, the destructive button
    // saying what it does.
    let question = ask_to_delete_website(&browser).await;
    assert!(question.contains("Delete service"), "{question}");
    assert_eq!(focus_in_dialog(&browser).await, json!([true, "Cancel"]));
    browser.click_button("Cancel").await;
    browser.wait_until_gone("dialog[open]").await;
    assert_eq!(service_names(&owner).await, ["Website", "Database"]);

    // Escape is a no as well.
    ask_to_delete_website(&browser).await;
    browser.press(Key::Escape).await;
    browser.wait_until_gone("dialog[open]").await;
    assert_eq!(service_names(&owner).await, ["Website", "Database"]);
    browser
        .wait_for_text("[data-testid=dash-service]", "Website")
        .await;

    // Confirmed, it goes.
    ask_to_delete_website(&browser).await;
    browser.click_button("Delete service").await;
    browser.wait_until_gone("dialog[open]").await;
    browser
        .wait_for_text("[data-testid=toast]", "Service deleted")
        .await;
    browser
        .wait_until_none(Locator::XPath(&service_row("Website")), PATIENCE)
        .await;
    assert_eq!(service_names(&owner).await, ["Database"]);
    browser.close().await;
}

async fn member_count(owner: &Api) -> usize {
    let page = owner
        .send(reqwest::Method::GET, "/api/v1/orgs/acme/members", json!({}))
        .await;
    page["items"].as_array().unwrap().len()
}

#[tokio::test(flavor = "multi_thread")]
async fn removing_a_member_asks_in_the_same_dialog() {
    let server = Server::start().await;
    let owner = owner_of_acme(&server).await;
    let invitation = owner
        .post(
            "/api/v1/orgs/acme/invitations",
            json!({"email": "eddie@acme.test", "role": "editor"}),
        )
        .await;
    let token = invitation["accept_url"]
        .as_str()
        .unwrap()
        .split_once("/invite#")
        .unwrap()
        .1
        .to_owned();
    Api::register(&server, "eddie@acme.test")
        .await
        .post("/api/v1/invitations/accept", json!({"token": token}))
        .await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    browser.goto(&server.url("/dashboard/acme/team")).await;
    let remove = "//tr[@data-testid='member'][td[normalize-space()='eddie@acme.test']]//button[normalize-space()='Remove']";
    browser
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(remove))
        .await
        .expect("the Remove button of eddie@acme.test")
        .click()
        .await
        .expect("click");
    browser
        .wait_for_text("dialog[open]", "eddie@acme.test")
        .await;
    browser.click_button("Cancel").await;
    browser.wait_until_gone("dialog[open]").await;
    assert_eq!(member_count(&owner).await, 2);

    browser
        .client
        .wait()
        .at_most(PATIENCE)
        .for_element(Locator::XPath(remove))
        .await
        .expect("the Remove button of eddie@acme.test")
        .click()
        .await
        .expect("click");
    browser.click_button("Remove member").await;
    browser
        .wait_for_text("[data-testid=toast]", "Member removed")
        .await;
    browser
        .wait_until_none(Locator::XPath(remove), PATIENCE)
        .await;
    assert_eq!(member_count(&owner).await, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn revoking_an_api_key_asks_first() {
    let server = Server::start().await;
    let owner = owner_of_acme(&server).await;
    owner
        .post(
            "/api/v1/orgs/acme/api-keys",
            json!({"name": "CI pipeline", "role": "editor"}),
        )
        .await;
    let keys = || async {
        owner
            .send(
                reqwest::Method::GET,
                "/api/v1/orgs/acme/api-keys",
                json!({}),
            )
            .await["items"]
            .as_array()
            .unwrap()
            .len()
    };
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    browser.goto(&server.url("/dashboard/acme/settings")).await;
    browser
        .wait_for_text("[data-testid=api-key]", "CI pipeline")
        .await;

    browser.click_button("Revoke").await;
    browser
        .wait_for_text("dialog[open]", "Revoke the key “CI pipeline”?")
        .await;
    browser.press(Key::Escape).await;
    browser.wait_until_gone("dialog[open]").await;
    assert_eq!(keys().await, 1);

    browser.click_button("Revoke").await;
    browser.click_button("Revoke key").await;
    browser
        .wait_for_text("[data-testid=toast]", "API key revoked")
        .await;
    browser
        .wait_for_text("[data-testid=empty-state]", "No API keys")
        .await;
    assert_eq!(keys().await, 0);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_list_says_what_belongs_there_and_what_to_do() {
    let server = Server::start().await;
    owner_of_acme(&server).await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    let lists = [
        ("/dashboard/acme", "No services yet"),
        ("/dashboard/acme/services", "No services yet"),
        ("/dashboard/acme/incidents", "No incidents"),
        ("/dashboard/acme/maintenance", "Nothing scheduled"),
        ("/dashboard/acme/team", "No pending invitations"),
        ("/dashboard/acme/settings", "No API keys"),
    ];
    for (path, empty) in lists {
        browser.goto(&server.url(path)).await;
        let shown = browser
            .wait_for_text("[data-testid=empty-state]", empty)
            .await;
        // More than a title: what to do about it.
        assert!(
            shown.lines().filter(|l| !l.trim().is_empty()).count() >= 2,
            "{path}: the empty state only says “{shown}”"
        );
    }

    // The first service replaces the empty state with the list.
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser
        .wait_for_text("[data-testid=empty-state]", "No services yet")
        .await;
    browser.fill("#field-name", "Website").await;
    browser.click_button("Add service").await;
    browser
        .wait_for_text("[data-testid=dash-service]", "Website")
        .await;
    browser.wait_until_gone("[data-testid=empty-state]").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_dialog_the_toast_and_empty_states_pass_axe_in_light_and_dark() {
    let server = Server::start().await;
    let owner = owner_of_acme(&server).await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Website"}))
        .await;
    let mut problems = Vec::new();
    for dark in [false, true] {
        let browser = if dark {
            Browser::open_dark().await
        } else {
            Browser::open().await
        };
        let theme = if dark { "dark" } else { "light" };
        browser.sign_in(&server, "owner@acme.test").await;

        // An empty list.
        browser
            .goto(&server.url("/dashboard/acme/maintenance"))
            .await;
        browser.element("[data-testid=empty-state]").await;
        for violation in browser.accessibility_violations().await {
            problems.push(format!("empty state ({theme}): {violation}"));
        }
        browser
            .screenshot(&format!("dashboard-empty-{theme}"))
            .await;

        // A toast (a status the service does not have yet, so that it changes).
        browser.goto(&server.url("/dashboard/acme/services")).await;
        let status = if dark {
            "Major outage"
        } else {
            "Degraded performance"
        };
        browser
            .choose("[aria-label='Status of Website']", status)
            .await;
        browser
            .wait_for_text("[data-testid=toast]", "Website is now")
            .await;
        for violation in browser.accessibility_violations().await {
            problems.push(format!("toast ({theme}): {violation}"));
        }
        browser
            .screenshot(&format!("dashboard-toast-{theme}"))
            .await;

        // The confirmation dialog.
        browser.click_button("Delete").await;
        browser.wait_for_text("dialog[open]", "Website").await;
        for violation in browser.accessibility_violations().await {
            problems.push(format!("dialog ({theme}): {violation}"));
        }
        browser
            .screenshot(&format!("dashboard-dialog-{theme}"))
            .await;
        browser.click_button("Cancel").await;
        browser.close().await;
    }
    assert!(
        problems.is_empty(),
        "serious accessibility violations:\n{}",
        problems.join("\n")
    );
}

/// Chooses `path` in the file input `css`, as picking it in the file dialog would.
async fn choose_file(browser: &Browser, css: &str, path: &std::path::Path) {
    browser
        .element(css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sets_a_custom_domain_and_imports_a_statuspage_page_from_its_files() {
    let server = Server::start().await;
    let owner = owner_of_acme(&server).await;
    let other = Api::register(&server, "owner@other.test").await;
    other
        .post("/api/v1/orgs", json!({"name": "Other", "slug": "other"}))
        .await;
    other
        .patch(
            "/api/v1/orgs/other",
            json!({"custom_domain": "status.other.test"}),
        )
        .await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    browser.goto(&server.url("/dashboard/acme/settings")).await;

    // A name that is not a host name, then another org's, are refused on the field.
    browser
        .fill("#field-custom_domain", "https://status.acme.test/")
        .await;
    browser.click_button("Save domain").await;
    browser
        .wait_for_text("#field-custom_domain-problem", "must be a host name")
        .await;
    browser
        .fill("#field-custom_domain", "status.other.test")
        .await;
    browser.click_button("Save domain").await;
    browser
        .wait_for_text(
            "#field-custom_domain-problem",
            "Another organization has this custom domain",
        )
        .await;

    // Its own name is saved, and the page says where the status page is then.
    browser
        .fill("#field-custom_domain", "status.acme.test")
        .await;
    browser.click_button("Save domain").await;
    browser
        .wait_for_text("[data-testid=toast]", "Custom domain saved")
        .await;
    browser
        .wait_for_text(
            "[data-testid=custom-domain-address]",
            "http://status.acme.test",
        )
        .await;
    let org = owner
        .send(reqwest::Method::GET, "/api/v1/orgs/acme", json!({}))
        .await;
    assert_eq!(org["custom_domain"], "status.acme.test");

    // An address the server will not fetch: the API's reason is on the field.
    browser
        .fill("#field-statuspage-url", "ftp://status.example.com")
        .await;
    browser.click_button("Fetch and import").await;
    browser
        .wait_for_text(
            "#field-statuspage-url-problem",
            "must be an http(s) address",
        )
        .await;

    // Files: one that is not JSON is named at its field, and nothing is sent.
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../api/tests/fixtures/statuspage/twilio-summary.json")
        .canonicalize()
        .expect("the captured Twilio summary");
    let folder = tempfile::tempdir().expect("a folder");
    let not_json = folder.path().join("incidents.json");
    std::fs::write(&not_json, "<html>Not found</html>").expect("write");
    choose_file(&browser, "#statuspage-summary", &fixture).await;
    choose_file(&browser, "#statuspage-incidents", &not_json).await;
    browser.click_button("Import files").await;
    browser
        .wait_for_text(
            "[data-testid=statuspage-incidents-problems]",
            "incidents.json is not a JSON file",
        )
        .await;
    let services = owner
        .send(
            reqwest::Method::GET,
            "/api/v1/orgs/acme/services",
            json!({}),
        )
        .await;
    assert_eq!(services["items"], json!([]), "nothing was imported");

    // The summary alone: its groups and services are imported, and the page says so.
    browser.goto(&server.url("/dashboard/acme/settings")).await;
    browser
        .wait_for_text("[data-testid=custom-domain-address]", "status.acme.test")
        .await;
    choose_file(&browser, "#statuspage-summary", &fixture).await;
    browser.click_button("Import files").await;
    let said = browser
        .wait_for_text("[data-testid=statuspage-result]", "65 services")
        .await;
    assert!(
        said.starts_with("8 groups, 65 services and 2 incidents imported"),
        "{said}"
    );
    browser
        .wait_for_text("[data-testid=toast]", "65 services")
        .await;
    let problems = browser.accessibility_violations().await;
    assert!(problems.is_empty(), "{problems:#?}");
    // Both sections in one picture: a taller window, scrolled to the first.
    browser
        .client
        .set_window_size(1280, 1500)
        .await
        .expect("resize");
    browser
        .execute("document.getElementById('domain-title').scrollIntoView();")
        .await;
    browser.screenshot("dashboard-settings-domain-import").await;
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("resize");

    // Twilio's services are Acme's now.
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser
        .wait_for_text("[data-testid=dash-service]", "SMS Long Code, North America")
        .await;
    browser.close().await;
}
