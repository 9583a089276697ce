//! The rest of the dashboard story: maintenance that starts and completes by itself, inviting an
//! editor who joins in their own browser and cannot manage the team, and an API key from the
//! settings that works for an integrator.

use serde_json::{Value, json};
use upstate_e2e::{Api, Browser, Server};

/// `datetime-local` text for `seconds` from now, in the browser's own time zone.
#[tokio::test(flavor = "multi_thread")]
async fn maintenance_runs_itself_an_editor_joins_and_an_api_key_works() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Database"}))
        .await;
    let admin = Browser::open().await;
    admin.sign_in(&server, "owner@acme.test").await;

    // A maintenance window starting in a few seconds, watched start and complete.
    admin.goto(&server.url("/dashboard/acme/maintenance")).await;
    admin
        .fill("#field-maintenance-title", "Database upgrade")
        .await;
    let start = admin.local_time_in(6).await;
    let end = admin.local_time_in(14).await;
    admin.set_value("#field-scheduled_start", &start).await;
    admin.set_value("#field-scheduled_end", &end).await;
    admin.tick("Database").await;
    admin.click_button("Schedule").await;
    admin
        .wait_for_text("[data-testid=maintenance]", "Database upgrade")
        .await;
    admin
        .wait_for_text("[data-testid=maintenance-status]", "In progress")
        .await;
    admin.screenshot("dashboard-maintenance").await;
    admin
        .wait_for_text("[data-testid=maintenance-status]", "Completed")
        .await;

    // Invite an editor; they join from their own browser.
    admin.click_link("Team").await;
    admin.fill("#field-invite-email", "editor@acme.test").await;
    admin.choose("#invite-role", "Editor").await;
    admin.click_button("Send invitation").await;
    let link = admin
        .element("[data-testid=accept-url]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(link.contains("/invite#upi_"), "{link}");
    admin
        .wait_for_text("[data-testid=invitation]", "editor@acme.test")
        .await;
    admin.screenshot("dashboard-team").await;

    let editor = Browser::open().await;
    let path = link
        .split_once("/invite#")
        .map(|(_, token)| format!("/invite#{token}"))
        .unwrap();
    editor.goto(&server.url(&path)).await;
    editor.click_link("Create an account").await;
    editor.fill("#field-name", "Eddie").await;
    editor.fill("#field-email", "editor@acme.test").await;
    editor
        .fill("#field-password", "correct horse battery")
        .await;
    editor.click_button("Create account").await;
    editor.wait_for_path("/invite").await;
    editor.click_button("Join the team").await;
    editor.wait_for_path("/dashboard/acme").await;
    let nav = editor.wait_for_text("nav", "Maintenance").await;
    assert!(
        !nav.contains("Team") && !nav.contains("Settings"),
        "an editor manages neither team nor keys: {nav}"
    );
    assert!(
        !nav.contains("Subscribers") && !nav.contains("Integrations"),
        "an editor sees neither subscribers' addresses nor integrations: {nav}"
    );
    admin.goto(&server.url("/dashboard/acme/team")).await;
    admin
        .wait_for_text("[data-testid=member]", "editor@acme.test")
        .await;

    // An API key from the settings, used as an integrator would.
    admin.click_link("Settings").await;
    admin.fill("#field-key-name", "CI pipeline").await;
    admin.choose("#key-role", "Editor").await;
    admin.click_button("Create key").await;
    let key = admin
        .element("[data-testid=new-key]")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap();
    assert!(key.starts_with("upk_"), "{key}");
    admin
        .wait_for_text("[data-testid=api-key]", "CI pipeline")
        .await;
    admin.screenshot("dashboard-settings").await;
    let client = reqwest::Client::new();
    let created = client
        .post(server.url("/api/v1/orgs/acme/incidents"))
        .bearer_auth(&key)
        .json(&json!({"title": "Declared by CI", "status": "investigating", "impact": "minor", "message": "From the pipeline."}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let listed: Value = client
        .get(server.url("/api/v1/orgs/acme/incidents?state=open"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["title"], "Declared by CI");
    let refused = client
        .get(server.url("/api/v1/orgs/acme/members"))
        .bearer_auth("upk_not-a-key")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let errors = admin.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    // The editor's browser asked who was signed in before they were: that 401 is the only line.
    let errors = editor.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("/api/v1/auth/me") && e.contains("401")),
        "console errors: {errors:?}"
    );
    admin.close().await;
    editor.close().await;
}
