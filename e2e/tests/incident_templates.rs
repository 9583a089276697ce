//! Incident templates as a team uses them: an admin saves “Database failover” (title, impact,
//! status, message, the services it takes down) on the Templates page; when it happens again,
//! the incidents page declares it in two clicks (the template, then Declare), and a visitor of
//! the public page sees the incident with the template's title and the service's status.

use serde_json::json;
use std::time::{Duration, Instant};
use upstate_e2e::{Api, Browser, Server};

/// The value of the input `css` once it is not empty (a template fills the form after it loads).
async fn filled_value(browser: &Browser, css: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = browser
            .execute(&format!(
                "const el = document.querySelector('{css}'); return el ? el.value : '';"
            ))
            .await;
        let value = value.as_str().unwrap_or_default().to_owned();
        if !value.is_empty() {
            return value;
        }
        assert!(Instant::now() < deadline, "`{css}` stayed empty");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_saves_a_template_and_declares_from_it_in_two_clicks() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Database"}))
        .await;

    // The admin saves the template on the Templates page.
    let admin = Browser::open().await;
    admin.sign_in(&server, "owner@acme.test").await;
    admin.goto(&server.url("/dashboard/acme/templates")).await;
    admin
        .wait_for_text("[data-testid=empty-state]", "No templates yet")
        .await;
    admin
        .fill("#field-template-name", "Database failover")
        .await;
    admin.fill("#field-title", "Database failing over").await;
    admin.choose("#impact", "Critical").await;
    admin.choose("#status", "Identified").await;
    admin.tick("Database").await;
    admin
        .choose("select[aria-label='Status Database takes']", "Major outage")
        .await;
    admin
        .fill(
            "#message",
            "The primary database is failing over; **writes may fail** for a few minutes.",
        )
        .await;
    admin.click_button("Add template").await;
    admin
        .wait_for_text("[data-testid=template-row]", "Database failover")
        .await;
    let saved = owner
        .send(
            reqwest::Method::GET,
            "/api/v1/orgs/acme/incident-templates",
            json!(null),
        )
        .await;
    assert_eq!(saved["items"][0]["impact"], "critical", "{saved}");
    assert_eq!(saved["items"][0]["status"], "identified", "{saved}");
    assert_eq!(
        saved["items"][0]["affected"][0]["status"], "major_outage",
        "{saved}"
    );

    // A visitor has the public page open.
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=banner]", "All systems operational")
        .await;

    // It happens again: on the incidents page, click one: the template…
    admin.click_link("Incidents").await;
    admin.wait_for_path("/dashboard/acme/incidents").await;
    admin
        .wait_for_text("[data-testid=declare-from-template]", "Database failover")
        .await;
    admin
        .element("[data-testid=declare-from-template]")
        .await
        .click()
        .await
        .expect("click");
    admin
        .wait_for_path_prefix("/dashboard/acme/incidents/new")
        .await;
    // …opens the declare form filled in from it, still editable…
    assert_eq!(
        filled_value(&admin, "#field-title").await,
        "Database failing over"
    );
    assert!(
        filled_value(&admin, "#message")
            .await
            .contains("writes may fail")
    );
    assert_eq!(filled_value(&admin, "#impact").await, "critical");
    assert_eq!(filled_value(&admin, "#status").await, "identified");
    let ticked = admin
        .execute(
            "return [...document.querySelectorAll('[data-testid=affected-service]')]
                .filter(row => row.querySelector('input').checked)
                .map(row => row.textContent.trim().split('\\n')[0] + ':' + row.querySelector('select').value);",
        )
        .await;
    let ticked = ticked.to_string();
    assert!(ticked.contains("major_outage"), "{ticked}");
    assert!(!ticked.contains("Public API"), "{ticked}");
    admin
        .wait_for_text("[data-testid=markdown-preview] strong", "writes may fail")
        .await;
    admin.screenshot("dashboard-incident-template").await;
    // …click two: Declare.
    admin.click_button("Declare incident").await;
    admin
        .wait_for_path_prefix("/dashboard/acme/incidents/0")
        .await;
    admin
        .wait_for_text("[data-testid=incident-state]", "Identified")
        .await;

    // The visitor sees it, with the template's title and the service's status.
    visitor
        .wait_for_text("[data-testid=open-incident]", "Database failing over")
        .await;
    visitor
        .wait_for_text("[data-testid=open-incident]", "writes may fail")
        .await;
    let database = visitor
        .wait_for_text("[data-testid=service]", "Database")
        .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut database = database;
    while !database.contains("Major outage") {
        assert!(Instant::now() < deadline, "the Database shows {database:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
        database = visitor
            .wait_for_text("[data-testid=service]", "Database")
            .await;
    }
    let api = visitor
        .wait_for_text("[data-testid=service]", "Public API")
        .await;
    assert!(api.contains("Operational"), "{api}");
    visitor.screenshot("public-incident-from-template").await;

    let errors = admin.console_errors().await;
    assert!(errors.is_empty(), "the dashboard's console: {errors:?}");
    admin.close().await;
    visitor.close().await;
}
