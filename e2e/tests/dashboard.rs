//! The dashboard as an on-call person uses it: sign up, create the org, add services, declare
//! an incident (with its Markdown preview), update and resolve it, set a status from the
//! Overview, while a visitor watches the public page change live.

use std::time::Duration;
use upstate_e2e::{Browser, Server};

#[tokio::test(flavor = "multi_thread")]
async fn from_sign_up_to_a_resolved_incident_watched_live_by_a_visitor() {
    let server = Server::start().await;
    let admin = Browser::open().await;

    // Sign up, and create the organization.
    admin.goto(&server.url("/signup")).await;
    admin.fill("#field-name", "Ada Lovelace").await;
    admin.fill("#field-email", "ada@acme.test").await;
    admin.fill("#field-password", "short").await;
    admin.click_button("Create account").await;
    admin
        .wait_for_text(".field-problem", "at least 8 characters")
        .await;
    admin.fill("#field-password", "correct horse battery").await;
    admin.click_button("Create account").await;
    admin.wait_for_path("/dashboard").await;
    admin
        .wait_for_text("main", "not part of any organization")
        .await;
    admin.fill("#field-name", "Acme").await;
    admin.fill("#field-slug", "acme").await;
    admin.click_button("Create organization").await;
    admin.wait_for_path("/dashboard/acme").await;
    admin
        .wait_for_text("[data-testid=dash-banner]", "All systems operational")
        .await;

    // Two services in a group.
    admin.click_link("Services").await;
    admin.wait_for_path("/dashboard/acme/services").await;
    admin.fill("#field-group-name", "Core").await;
    admin.click_button("Add group").await;
    admin.wait_for_text("#service-group", "Core").await;
    for name in ["Public API", "Website"] {
        admin.fill("#field-name", name).await;
        admin.choose("#service-group", "Core").await;
        admin.click_button("Add service").await;
        admin
            .wait_for_text("[data-testid=dash-service]", name)
            .await;
    }
    admin.wait_for_text("section.dash-group", "Core").await;
    admin.screenshot("dashboard-services").await;

    // A visitor opens the public page.
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=banner]", "All systems operational")
        .await;
    visitor.wait_for_text(".live", "Live").await;

    // Declare an incident on one service.
    admin.click_link("Incidents").await;
    admin.click_link("Declare an incident").await;
    admin.wait_for_path("/dashboard/acme/incidents/new").await;
    admin.fill("#field-title", "Public API errors").await;
    admin.tick("Public API").await;
    admin
        .fill("#message", "We are looking into **errors** on the API.")
        .await;
    // The preview shows the Markdown as visitors will read it, before anything is published.
    admin
        .wait_for_text("[data-testid=markdown-preview] strong", "errors")
        .await;
    admin.screenshot("dashboard-declare").await;
    admin.click_button("Declare incident").await;
    let incident_path = admin
        .wait_for_path_prefix("/dashboard/acme/incidents/0")
        .await;
    admin
        .wait_for_text("ol.timeline", "errors on the API")
        .await;

    visitor
        .wait_for_text_within(
            "[data-testid=service]",
            "Partial outage",
            Duration::from_secs(3),
        )
        .await;
    visitor
        .wait_for_text("[data-testid=open-incident]", "Public API errors")
        .await;

    // An update, then resolving it.
    admin.choose("#update-status", "Identified").await;
    admin
        .fill("#update-message", "A bad deploy; rolling back.")
        .await;
    admin.click_button("Post update").await;
    admin.wait_for_text("ol.timeline", "rolling back").await;
    admin.screenshot("dashboard-incident").await;
    visitor
        .wait_for_text("[data-testid=open-incident]", "rolling back")
        .await;

    admin.click_button("Resolve incident").await;
    admin
        .wait_for_text("[data-testid=incident-state]", "Resolved")
        .await;
    visitor
        .wait_for_text_within(
            "[data-testid=banner]",
            "All systems operational",
            Duration::from_secs(3),
        )
        .await;
    visitor
        .wait_for_text("#history-title", "Past incidents")
        .await;
    visitor.wait_for_text("section", "Public API errors").await;

    // The Overview's quick action: a service's status in one step, seen by the visitor live.
    admin.click_link("Overview").await;
    admin.wait_for_path("/dashboard/acme").await;
    admin
        .wait_for_text("[data-testid=overview-service]", "Website")
        .await;
    admin
        .choose("[aria-label='Status of Website']", "Degraded performance")
        .await;
    admin
        .wait_for_text("[data-testid=overview-service]", "Degraded performance")
        .await;
    admin
        .wait_for_text("[data-testid=dash-banner]", "Minor service disruption")
        .await;
    visitor
        .wait_for_text_within(
            "[data-testid=service]",
            "Degraded performance",
            Duration::from_secs(3),
        )
        .await;
    admin
        .choose("[aria-label='Status of Website']", "Operational")
        .await;
    visitor
        .wait_for_text_within(
            "[data-testid=banner]",
            "All systems operational",
            Duration::from_secs(3),
        )
        .await;

    assert!(incident_path.len() > "/dashboard/acme/incidents/".len());
    let errors = admin.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("the server responded with a status of 4")),
        "console errors: {errors:?}"
    );
    let errors = visitor.console_errors().await;
    assert!(errors.is_empty(), "visitor console errors: {errors:?}");
    admin.close().await;
    visitor.close().await;
}
