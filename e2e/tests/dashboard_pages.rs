//! Every dashboard page, in light and in dark: no serious or critical accessibility violation
//! (axe-core), and a screenshot of each in `e2e/artifacts/`.

use serde_json::json;
use upstate_e2e::receiver::Receiver;
use upstate_e2e::{Api, Browser, Server};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

#[tokio::test(flavor = "multi_thread")]
async fn every_dashboard_page_passes_axe_in_light_and_dark() {
    let test = TestDb::new(Engine::Sqlite);
    // Webhooks may reach loopback: the integrations and a webhook subscriber point at the test's
    // receiver.
    let server = Server::start_on(&test.url, &[("UPSTATE_ALLOW_PRIVATE_TARGETS", "true")]).await;
    let hook = Receiver::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let service = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Website"}))
        .await;
    let incident = owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Slow pages", "status": "investigating", "impact": "minor",
                   "message": "Looking into it.",
                   "affected": [{"service_id": service["id"], "status": "degraded_performance"}]}),
        )
        .await;
    // An incident template, so the incidents page offers to declare from it.
    owner
        .post(
            "/api/v1/orgs/acme/incident-templates",
            json!({"name": "Slow pages", "title": "Slow pages", "impact": "minor",
                   "message": "Looking into it.",
                   "affected": [{"service_id": service["id"], "status": "degraded_performance"}]}),
        )
        .await;
    // Subscribers, pending (they asked on the status page) and confirmed (imported); two
    // integrations, one of them limited to some events and a service.
    let client = reqwest::Client::new();
    for body in [
        json!({"email": "ada@example.com"}),
        json!({"email": "bob@example.com", "service_ids": [service["id"]]}),
        json!({"email": "ops@example.com", "webhook_url": hook.url("/subscriber")}),
    ] {
        let asked = client
            .post(server.url("/api/v1/public/acme/subscriptions"))
            .json(&body)
            .send()
            .await
            .expect("subscribe");
        assert_eq!(asked.status(), 202, "subscribing {body}");
    }
    owner
        .post_text(
            "/api/v1/orgs/acme/subscribers.csv",
            "text/csv",
            "email,service_ids\ncarol@example.com,\ndave@example.com,",
        )
        .await;
    owner
        .post(
            "/api/v1/orgs/acme/integrations",
            json!({"kind": "webhook", "name": "Deploy bot", "url": hook.url("/upstate"),
                   "contact_email": "ops@acme.test"}),
        )
        .await;
    owner
        .post(
            "/api/v1/orgs/acme/integrations",
            json!({"kind": "slack", "name": "#ops", "url": hook.url("/slack"),
                   "events": ["incident.created", "incident.resolved"],
                   "service_ids": [service["id"]]}),
        )
        .await;
    let incident_path = format!(
        "/dashboard/acme/incidents/{}",
        incident["id"].as_str().unwrap()
    );
    let pages = [
        ("overview", "/dashboard/acme", "[data-testid=dash-banner]"),
        (
            "services",
            "/dashboard/acme/services",
            "[data-testid=dash-service]",
        ),
        (
            "incidents",
            "/dashboard/acme/incidents",
            "[data-testid=incident-row]",
        ),
        ("new-incident", "/dashboard/acme/incidents/new", "#impact"),
        (
            "incident",
            incident_path.as_str(),
            "[data-testid=incident-state]",
        ),
        (
            "templates",
            "/dashboard/acme/templates",
            "[data-testid=template-row]",
        ),
        (
            "maintenance",
            "/dashboard/acme/maintenance",
            "#field-maintenance-title",
        ),
        (
            "subscribers",
            "/dashboard/acme/subscribers",
            "[data-testid=subscriber]",
        ),
        (
            "integrations",
            "/dashboard/acme/integrations",
            "[data-testid=integration]",
        ),
        ("team", "/dashboard/acme/team", "[data-testid=member]"),
        ("settings", "/dashboard/acme/settings", "#field-key-name"),
        ("account", "/account", "[data-testid=session]"),
    ];
    let mut problems = Vec::new();
    for dark in [false, true] {
        let browser = if dark {
            Browser::open_dark().await
        } else {
            Browser::open().await
        };
        browser.sign_in(&server, "owner@acme.test").await;
        let theme = if dark { "dark" } else { "light" };
        for (name, path, ready) in pages {
            browser.goto(&server.url(path)).await;
            browser.element(ready).await;
            for violation in browser.accessibility_violations().await {
                problems.push(format!("{name} ({theme}): {violation}"));
            }
            browser
                .screenshot(&format!("dashboard-{name}-{theme}"))
                .await;
        }
        browser.close().await;
    }
    assert!(
        problems.is_empty(),
        "serious accessibility violations:\n{}",
        problems.join("\n")
    );
}
