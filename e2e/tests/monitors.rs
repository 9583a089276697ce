//! A monitor as an editor sets it up in the dashboard and as a visitor then sees it work: the
//! editor adds an HTTP monitor of the API on the Monitors page; its target breaks, and the
//! public page (open in another window, never reloaded) turns red; it mends, and the page turns
//! green again. The monitor's page shows the results and the response-time chart (screenshot).

use serde_json::json;
use std::time::Duration;
use upstate_e2e::receiver::Receiver;
use upstate_e2e::{Api, Browser, Server};

/// The interval the editor chooses: the shortest allowed, so the round stays short.
const INTERVAL: &str = "10";
/// A failure shows within one interval and a moment (one failure is enough here).
const WITHIN: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread")]
async fn an_http_monitor_added_in_the_dashboard_turns_the_public_page_red_then_green() {
    let server = Server::start_configured(
        &upstate_e2e::upstate_binary(),
        None,
        &[("UPSTATE_ALLOW_PRIVATE_TARGETS", "true")],
    )
    .await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;
    let api = Receiver::start().await;
    api.answer_with(200, "{\"status\": \"ok\"}");

    // The editor adds the monitor on the Monitors page.
    let dashboard = Browser::open().await;
    dashboard.sign_in(&server, "owner@acme.test").await;
    dashboard
        .goto(&server.url("/dashboard/acme/monitors"))
        .await;
    dashboard.click_button("Add a monitor").await;
    dashboard
        .wait_for_text("[data-testid=monitor-form]", "URL")
        .await;
    dashboard.fill("#monitor-name", "API health").await;
    dashboard
        .fill("#monitor-check-url", &api.url("/health"))
        .await;
    dashboard
        .set_value("#monitor-settings-interval_seconds", INTERVAL)
        .await;
    dashboard
        .set_value("#monitor-settings-timeout_seconds", "2")
        .await;
    dashboard
        .set_value("#monitor-settings-failures_to_fail", "1")
        .await;
    dashboard
        .set_value("#monitor-settings-successes_to_recover", "1")
        .await;
    dashboard.click_button("Add monitor").await;
    dashboard
        .wait_for_text("[data-testid=monitor-row]", "API health")
        .await;
    let monitors = owner
        .send(
            reqwest::Method::GET,
            "/api/v1/orgs/acme/monitors",
            json!(null),
        )
        .await;
    let monitor = &monitors["items"][0];
    assert_eq!(monitor["check"]["url"], api.url("/health"), "{monitors}");
    assert_eq!(monitor["settings"]["interval_seconds"], 10, "{monitors}");

    // A visitor has the public page open.
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=service]", "Operational")
        .await;

    // The API breaks: the page turns red by itself.
    api.answer_with(503, "overloaded");
    visitor
        .wait_for_text_within("[data-testid=service]", "Major outage", WITHIN)
        .await;
    visitor
        .wait_for_text_within("[data-testid=banner]", "Major", WITHIN)
        .await;
    dashboard
        .wait_for_text_within("[data-testid=monitor-state]", "Down", WITHIN)
        .await;

    // It mends: green again, still without a reload.
    api.answer_with(200, "{\"status\": \"ok\"}");
    visitor
        .wait_for_text_within("[data-testid=service]", "Operational", WITHIN)
        .await;
    dashboard
        .wait_for_text_within("[data-testid=monitor-state]", "Up", WITHIN)
        .await;

    // The monitor's own page: its results and its chart.
    let id = monitor["id"].as_str().unwrap();
    dashboard
        .goto(&server.url(&format!("/dashboard/acme/monitors/{id}")))
        .await;
    dashboard
        .wait_for_text(
            "[data-testid=monitor-results]",
            "HTTP 503 (expected 200-299)",
        )
        .await;
    dashboard.element("[data-testid=monitor-chart] svg").await;
    let uptime = dashboard
        .wait_for_text("[data-testid=monitor-uptime]", "%")
        .await;
    assert!(!uptime.contains("100"), "a failed check counts: {uptime}");
    assert!(
        dashboard.console_errors().await.is_empty(),
        "{:?}",
        dashboard.console_errors().await
    );
    dashboard.screenshot("dashboard-monitor").await;
    visitor.close().await;
    dashboard.close().await;
}
