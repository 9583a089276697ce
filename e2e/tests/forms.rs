//! Every dashboard form shows the API's problem with a field under that field. Three forms (a
//! new group, a maintenance window, an invitation) and the API key form showed nothing there:
//! their inputs' DOM names stood in for the request's field names.

use serde_json::json;
use upstate_e2e::{Api, Browser, Server};

async fn set_input(browser: &Browser, css: &str, value: &str) {
    let script = format!(
        "const el = document.querySelector('{css}'); el.value = '{value}'; el.dispatchEvent(new Event('input', {{ bubbles: true }}));"
    );
    browser.client.execute(&script, vec![]).await.unwrap();
}

async fn local_time_in(browser: &Browser, hours: u32) -> String {
    let script = format!(
        "const d = new Date(Date.now() + {hours} * 3600 * 1000); const p = n => String(n).padStart(2, '0');
         return `${{d.getFullYear()}}-${{p(d.getMonth() + 1)}}-${{p(d.getDate())}}T${{p(d.getHours())}}:${{p(d.getMinutes())}}`;"
    );
    let value = browser.client.execute(&script, vec![]).await.unwrap();
    value.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn each_form_shows_the_problem_under_its_field() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Database"}))
        .await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/login")).await;
    browser.fill("#field-email", "owner@acme.test").await;
    browser
        .fill("#field-password", "correct horse battery")
        .await;
    browser.click_button("Sign in").await;
    browser.wait_for_path("/dashboard").await;

    // A group without a name.
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser.click_button("Add group").await;
    browser
        .wait_for_text("#field-group-name-problem", "must not be empty")
        .await;

    // A maintenance window without a title.
    browser
        .goto(&server.url("/dashboard/acme/maintenance"))
        .await;
    let start = local_time_in(&browser, 1).await;
    let end = local_time_in(&browser, 2).await;
    set_input(&browser, "#field-scheduled_start", &start).await;
    set_input(&browser, "#field-scheduled_end", &end).await;
    browser.tick("Database").await;
    browser.click_button("Schedule").await;
    browser
        .wait_for_text("#field-maintenance-title-problem", "must not be empty")
        .await;

    // An invitation to something that is not an email address.
    browser.goto(&server.url("/dashboard/acme/team")).await;
    browser.fill("#field-invite-email", "not-an-address").await;
    browser.click_button("Send invitation").await;
    browser
        .wait_for_text("#field-invite-email-problem", "must be an email address")
        .await;

    // An API key without a name.
    browser.goto(&server.url("/dashboard/acme/settings")).await;
    browser.click_button("Create key").await;
    browser
        .wait_for_text("#field-key-name-problem", "must not be empty")
        .await;
    browser.close().await;
}
