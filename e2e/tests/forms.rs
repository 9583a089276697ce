//! Every dashboard form shows the API's problem with a field under that field (three forms, a
//! new group, a maintenance window, an invitation, and the API key form showed nothing there:
//! their inputs' DOM names stood in for the request's field names), and a write started from a
//! button says when it fails (five such writes dropped their errors).

use serde_json::json;
use upstate_e2e::{Api, Browser, Server};

async fn signed_in_owner_of_acme(server: &Server) -> (Api, Browser) {
    let owner = Api::register(server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let browser = Browser::open().await;
    browser.sign_in(server, "owner@acme.test").await;
    (owner, browser)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_from_a_button_that_fails_says_so() {
    let server = Server::start().await;
    let (owner, browser) = signed_in_owner_of_acme(&server).await;
    let invitation = owner
        .post(
            "/api/v1/orgs/acme/invitations",
            json!({"email": "late@acme.test", "role": "viewer"}),
        )
        .await;
    browser.goto(&server.url("/dashboard/acme/team")).await;
    browser
        .wait_for_text("[data-testid=invitation]", "late@acme.test")
        .await;
    // Someone else revokes it meanwhile; revoking it here then fails, and says why.
    owner
        .send(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/orgs/acme/invitations/{}",
                invitation["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    browser.click_button("Revoke").await;
    browser
        .wait_for_text(
            "[data-testid=dash-alert]",
            "Revoking the invitation failed: No such pending invitation.",
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_form_shows_the_problem_under_its_field() {
    let server = Server::start().await;
    let (owner, browser) = signed_in_owner_of_acme(&server).await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Database"}))
        .await;

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
    let start = browser.local_time_in(3600).await;
    let end = browser.local_time_in(7200).await;
    browser.set_value("#field-scheduled_start", &start).await;
    browser.set_value("#field-scheduled_end", &end).await;
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
