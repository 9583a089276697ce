//! Every dashboard page, in light and in dark: no serious or critical accessibility violation
//! (axe-core), and a screenshot of each in `e2e/artifacts/`.

use serde_json::json;
use upstate_e2e::{Api, Browser, Server};

#[tokio::test(flavor = "multi_thread")]
async fn every_dashboard_page_passes_axe_in_light_and_dark() {
    let server = Server::start().await;
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
            "maintenance",
            "/dashboard/acme/maintenance",
            "#field-maintenance-title",
        ),
        ("team", "/dashboard/acme/team", "[data-testid=member]"),
        ("settings", "/dashboard/acme/settings", "#field-key-name"),
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
