//! Monitors through the API against real local targets: an HTTP server told to fail and recover,
//! a TCP listener opened and closed, a name that resolves or not, a heartbeat that calls or goes
//! silent. What a team would notice: the service's status on the public page follows (with the
//! monitor as the cause in its history), one lost answer changes nothing, an incident opens and
//! resolves by itself with its updates, the team's integration hears of it, maintenance keeps
//! quiet, private targets are refused, and two replicas run each check once.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, spawn_app, spawn_app_configured};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_store::Engine;

on_both_engines!(
    every_kind_detects_failure_and_recovery_within_its_interval,
    one_lost_answer_changes_nothing_and_an_incident_opens_and_resolves_itself,
    maintenance_keeps_a_monitors_alerts_and_incidents_quiet,
    monitors_are_validated_and_private_targets_refused_without_the_setting,
    results_charts_and_test_now_show_what_the_checks_saw,
);

/// A short interval, the shortest allowed, so the real-time test stays short.
const INTERVAL: u64 = 10;

async fn org_with_service(app: &TestApp) -> (Account, String) {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let service = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "API"}),
        )
        .await;
    (owner, service.body["id"].as_str().unwrap().to_owned())
}

async fn create_monitor(app: &TestApp, owner: &Account, body: Value) -> Value {
    let created = app
        .post_as("/api/v1/orgs/acme/monitors", &owner.token, body)
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.body
}

/// Makes a monitor's next check due now and wakes the runner: the clock moved on by an interval.
async fn check_now(app: &TestApp, id: &str) {
    let id = id.to_owned();
    app.state
        .write(move |conn| {
            use diesel::prelude::*;
            use upstate_store::schema::monitors;
            diesel::update(monitors::table.find(&id))
                .set(monitors::next_run_at.eq(upstate_store::now()))
                .execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();
    app.state.monitor_wake.notify_one();
}

/// Runs one check of `id` now and waits until its result is recorded; answers the monitor.
async fn one_check(app: &TestApp, owner: &Account, id: &str) -> Value {
    let before = app
        .get_as(&format!("/api/v1/orgs/acme/monitors/{id}"), &owner.token)
        .await
        .body["last_result"]["checked_at"]
        .clone();
    check_now(app, id).await;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let monitor = app
            .get_as(&format!("/api/v1/orgs/acme/monitors/{id}"), &owner.token)
            .await
            .body;
        if monitor["last_result"]["checked_at"] != before && !monitor["last_result"].is_null() {
            return monitor;
        }
        assert!(Instant::now() < deadline, "no result recorded: {monitor}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn public_status(app: &TestApp, service: &str) -> String {
    let summary = app.get_as("/api/v1/public/acme/summary", "").await.body;
    summary["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == service)
        .map(|s| s["status"].as_str().unwrap().to_owned())
        .unwrap()
}

/// Waits until the public page shows `status` for `service`; answers how long it took.
async fn public_status_becomes(
    app: &TestApp,
    service: &str,
    status: &str,
    within: Duration,
) -> Duration {
    let started = Instant::now();
    loop {
        if public_status(app, service).await == status {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "{service} did not turn {status} within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The whole round, in real time, for each kind at once: break the target, the public page
/// turns red within interval × retries + 2 s; mend it, green within the same.
async fn every_kind_detects_failure_and_recovery_within_its_interval(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, _) = org_with_service(&app).await;
    let settings = json!({"interval_seconds": INTERVAL, "timeout_seconds": 2,
                          "failures_to_fail": 1, "successes_to_recover": 1});
    let web = Receiver::start().await;
    web.answer_with(200, "ok");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let tcp_port = port.local_addr().unwrap().port();
    let mut services = Vec::new();
    for name in ["Web", "Database", "DNS", "Backups"] {
        let service = app
            .post_as(
                "/api/v1/orgs/acme/services",
                &owner.token,
                json!({"name": name}),
            )
            .await;
        services.push(service.body["id"].as_str().unwrap().to_owned());
    }
    let checks = [
        json!({"kind": "http", "url": web.url("/health")}),
        json!({"kind": "tcp", "host": "127.0.0.1", "port": tcp_port}),
        json!({"kind": "dns", "name": "localhost", "expected": "127.0.0.1"}),
        json!({"kind": "heartbeat", "grace_seconds": 0}),
    ];
    let mut monitors = Vec::new();
    for (service, check) in services.iter().zip(checks) {
        let monitor = create_monitor(
            &app,
            &owner,
            json!({"service_id": service, "name": "check", "check": check, "settings": settings}),
        )
        .await;
        monitors.push(monitor);
    }
    let heartbeat_url = monitors[3]["heartbeat_url"].as_str().unwrap().to_owned();
    let heartbeat_path = heartbeat_url.trim_start_matches("http://127.0.0.1");
    assert!(
        heartbeat_path.starts_with("/api/v1/heartbeats/hb_"),
        "{heartbeat_url}"
    );
    let called = app
        .client
        .post(app.url(heartbeat_path))
        .send()
        .await
        .unwrap();
    assert_eq!(called.status(), 200);

    // Break every target at once: the web server errs, the port closes, the name changes to one
    // that does not resolve, and the backup job stops calling.
    web.answer_with(503, "down");
    drop(port);
    let dns_id = monitors[2]["id"].as_str().unwrap();
    let broken_dns = app
        .patch_as(
            &format!("/api/v1/orgs/acme/monitors/{dns_id}"),
            &owner.token,
            json!({"check": {"kind": "dns", "name": "no-such-host.invalid"}}),
        )
        .await;
    assert_eq!(broken_dns.status, 200, "{:?}", broken_dns.body);
    let limit = Duration::from_secs(INTERVAL + 2);
    let waits = futures_util::future::join_all(
        services
            .iter()
            .map(|service| public_status_becomes(&app, service, "major_outage", limit)),
    )
    .await;
    assert!(waits.iter().all(|wait| *wait <= limit), "{waits:?}");

    // Mend them: each turns green again within the same time.
    web.answer_with(200, "ok");
    let port = std::net::TcpListener::bind(("127.0.0.1", tcp_port)).unwrap();
    app.patch_as(
        &format!("/api/v1/orgs/acme/monitors/{dns_id}"),
        &owner.token,
        json!({"check": {"kind": "dns", "name": "localhost", "expected": "127.0.0.1"}}),
    )
    .await;
    let called = app
        .client
        .get(app.url(heartbeat_path))
        .send()
        .await
        .unwrap();
    assert_eq!(called.status(), 200);
    let waits = futures_util::future::join_all(
        services
            .iter()
            .map(|service| public_status_becomes(&app, service, "operational", limit)),
    )
    .await;
    assert!(waits.iter().all(|wait| *wait <= limit), "{waits:?}");
    drop(port);

    // The history says a monitor did it.
    let history = app
        .get_as(
            &format!("/api/v1/orgs/acme/services/{}/history", services[0]),
            &owner.token,
        )
        .await;
    let sources: Vec<&str> = history.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        ["monitor", "monitor", "manual"],
        "{:?}",
        history.body
    );
    assert_eq!(history.body["items"][1]["monitor_id"], monitors[0]["id"]);
}

/// With 2 failures to fail and 2 successes to recover: a single lost answer between good ones
/// changes nothing; two in a row take the service down, open the template's incident (on the
/// public page) and alert the team's integration; two good answers resolve it with the
/// template's resolution and tell the team it recovered.
async fn one_lost_answer_changes_nothing_and_an_incident_opens_and_resolves_itself(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, service) = org_with_service(&app).await;
    let team = Receiver::start().await;
    let hook = app
        .post_as(
            "/api/v1/orgs/acme/integrations",
            &owner.token,
            json!({"kind": "webhook", "name": "on-call", "url": team.url("/alerts")}),
        )
        .await;
    assert_eq!(hook.status, 201, "{:?}", hook.body);
    let fan = app
        .call(
            reqwest::Method::POST,
            "/api/v1/public/acme/subscriptions",
            None,
            Some(json!({"email": "fan@example.com"})),
        )
        .await;
    assert_eq!(fan.status, 202);
    confirm_subscription(&app, "fan@example.com").await;
    let web = Receiver::start().await;
    web.answer_with(200, "ok");
    let monitor = create_monitor(
        &app,
        &owner,
        json!({
            "service_id": service, "name": "API health",
            "check": {"kind": "http", "url": web.url("/health")},
            "settings": {"interval_seconds": 60, "timeout_seconds": 2,
                         "failures_to_fail": 2, "successes_to_recover": 2},
            "auto_incident": {"title": "API unavailable", "impact": "major",
                              "message": "Our checks cannot reach the API.",
                              "resolution": "The API answers again."}
        }),
    )
    .await;
    let id = monitor["id"].as_str().unwrap();

    // Flapping: down, up, down, up. Never two in a row.
    for status in [503, 200, 503, 200] {
        web.answer_with(status, "");
        let checked = one_check(&app, &owner, id).await;
        assert_eq!(checked["state"], "up", "{checked}");
        assert_eq!(public_status(&app, &service).await, "operational");
    }

    // Two failures in a row: down, with the incident open on the public page.
    web.answer_with(500, "boom");
    let first = one_check(&app, &owner, id).await;
    assert_eq!(first["state"], "up");
    assert_eq!(first["last_result"]["state"], "down");
    assert_eq!(
        first["last_result"]["message"],
        "HTTP 500 (expected 200-299)"
    );
    let second = one_check(&app, &owner, id).await;
    assert_eq!(second["state"], "down", "{second}");
    assert_eq!(second["service_status"], "major_outage");
    assert!(second["open_incident_id"].is_string(), "{second}");
    assert_eq!(public_status(&app, &service).await, "major_outage");
    let summary = app.get_as("/api/v1/public/acme/summary", "").await.body;
    let incidents = summary["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1, "{summary}");
    assert_eq!(incidents[0]["title"], "API unavailable");
    assert_eq!(incidents[0]["impact"], "major");
    assert_eq!(
        incidents[0]["updates"][0]["message_html"],
        "<p>Our checks cannot reach the API.</p>\n"
    );
    let alert = team.wait_for(2, Duration::from_secs(10)).await;
    let events: Vec<String> = alert
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(events.contains(&"monitor.failing".to_owned()), "{events:?}");
    assert!(
        events.contains(&"incident.created".to_owned()),
        "{events:?}"
    );
    let failing = alert
        .iter()
        .map(|r| r.json())
        .find(|j| j["type"] == "monitor.failing")
        .unwrap();
    assert!(
        failing.to_string().contains("HTTP 500 (expected 200-299)"),
        "the team reads what the check saw: {failing}"
    );

    // Two good answers: up, the incident resolved with the template's words.
    web.answer_with(200, "ok");
    one_check(&app, &owner, id).await;
    assert_eq!(public_status(&app, &service).await, "major_outage");
    let back = one_check(&app, &owner, id).await;
    assert_eq!(back["state"], "up", "{back}");
    assert!(back["open_incident_id"].is_null());
    assert_eq!(public_status(&app, &service).await, "operational");
    let incident_id = second["open_incident_id"].as_str().unwrap();
    let incident = app
        .get_as(
            &format!("/api/v1/orgs/acme/incidents/{incident_id}"),
            &owner.token,
        )
        .await
        .body;
    assert_eq!(incident["status"], "resolved", "{incident}");
    let updates = incident["updates"].as_array().unwrap();
    assert_eq!(updates.last().unwrap()["message"], "The API answers again.");
    let all = team.wait_for(4, Duration::from_secs(10)).await;
    let events: Vec<String> = all
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(
        events.contains(&"monitor.recovered".to_owned()),
        "{events:?}"
    );
    assert!(
        events.contains(&"incident.resolved".to_owned()),
        "{events:?}"
    );

    // The page's subscriber heard of the incident, never of the monitor itself.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mails = loop {
        let mails: Vec<(String, String)> = app
            .all_emails()
            .await
            .into_iter()
            .filter(|(to, subject, _)| to == "fan@example.com" && !subject.starts_with("Confirm"))
            .map(|(_, subject, text)| (subject, text))
            .collect();
        if mails.len() >= 2 || Instant::now() > deadline {
            break mails;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        mails.len(),
        2,
        "the incident opened and resolved: {mails:?}"
    );
    assert!(
        mails
            .iter()
            .all(|(subject, text)| !subject.contains("Monitor") && !text.contains("HTTP 500")),
        "{mails:?}"
    );
}

/// A maintenance window in progress on the service: the monitor still records and decides, but
/// opens no incident and alerts nobody.
async fn maintenance_keeps_a_monitors_alerts_and_incidents_quiet(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, service) = org_with_service(&app).await;
    let team = Receiver::start().await;
    app.post_as(
        "/api/v1/orgs/acme/integrations",
        &owner.token,
        json!({"kind": "webhook", "name": "on-call", "url": team.url("/alerts")}),
    )
    .await;
    let now = chrono::Utc::now();
    let window = app
        .post_as(
            "/api/v1/orgs/acme/maintenances",
            &owner.token,
            json!({"title": "Database upgrade", "scheduled_start": now - chrono::Duration::minutes(1),
                   "scheduled_end": now + chrono::Duration::hours(1), "service_ids": [service],
                   "notify": false}),
        )
        .await;
    assert_eq!(window.status, 201, "{:?}", window.body);
    public_status_becomes(&app, &service, "under_maintenance", Duration::from_secs(5)).await;
    let web = Receiver::start().await;
    web.answer_with(503, "upgrading");
    let monitor = create_monitor(
        &app,
        &owner,
        json!({
            "service_id": service, "name": "API health",
            "check": {"kind": "http", "url": web.url("/health")},
            "settings": {"interval_seconds": 60, "timeout_seconds": 2,
                         "failures_to_fail": 1, "successes_to_recover": 1},
            "auto_incident": {"title": "API unavailable", "impact": "major",
                              "message": "Our checks cannot reach the API."}
        }),
    )
    .await;
    let id = monitor["id"].as_str().unwrap();
    let checked = one_check(&app, &owner, id).await;
    assert_eq!(checked["state"], "down", "{checked}");
    assert!(checked["open_incident_id"].is_null(), "{checked}");
    assert_eq!(public_status(&app, &service).await, "under_maintenance");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let heard: Vec<String> = team
        .requests()
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        heard,
        ["maintenance.started"],
        "the team hears of the window, not of the monitor or an incident"
    );
}

/// Bad definitions get a 422 naming each field; a target on this machine or a private network
/// is refused unless the operator allows private targets; other orgs' services are not theirs.
async fn monitors_are_validated_and_private_targets_refused_without_the_setting(engine: Engine) {
    let app = spawn_app_configured(engine, Default::default(), |settings| {
        settings.egress.allow_private = false;
    })
    .await;
    let (owner, service) = org_with_service(&app).await;
    let bad = app
        .post_as(
            "/api/v1/orgs/acme/monitors",
            &owner.token,
            json!({"service_id": service, "name": " ",
                   "check": {"kind": "http", "url": "ftp://example.com", "expected_statuses": []},
                   "settings": {"interval_seconds": 5, "timeout_seconds": 30,
                                "failures_to_fail": 0, "successes_to_recover": 11},
                   "auto_incident": {"title": "", "impact": "major", "message": "m"}}),
        )
        .await;
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    for field in [
        "name",
        "check.url",
        "check.expected_statuses",
        "settings.interval_seconds",
        "settings.failures_to_fail",
        "settings.successes_to_recover",
        "auto_incident.title",
    ] {
        assert!(fields.contains_key(field), "{field} in {fields:?}");
    }
    for (check, field) in [
        (
            json!({"kind": "http", "url": "http://127.0.0.1:8080/health"}),
            "check.url",
        ),
        (
            json!({"kind": "http", "url": "http://169.254.169.254/latest/meta-data/"}),
            "check.url",
        ),
        (
            json!({"kind": "http", "url": "http://localhost/"}),
            "check.url",
        ),
        (
            json!({"kind": "tcp", "host": "10.0.0.5", "port": 5432}),
            "check.host",
        ),
    ] {
        let refused = app
            .post_as(
                "/api/v1/orgs/acme/monitors",
                &owner.token,
                json!({"service_id": service, "name": "inside", "check": check}),
            )
            .await;
        assert_eq!(refused.status, 422, "{check}: {:?}", refused.body);
        assert!(
            refused.body["error"]["fields"][field].is_array(),
            "{check}: {:?}",
            refused.body
        );
    }
    let none = app.get_as("/api/v1/orgs/acme/monitors", &owner.token).await;
    assert_eq!(none.body["items"], json!([]), "nothing was half-written");

    // Another org's service is no service of this org.
    let other = app.register("other@globex.test").await;
    app.create_org(&other, "globex").await;
    let theirs = app
        .post_as(
            "/api/v1/orgs/globex/monitors",
            &other.token,
            json!({"service_id": service, "name": "x",
                   "check": {"kind": "heartbeat"}}),
        )
        .await;
    assert_eq!(theirs.status, 422, "{:?}", theirs.body);
    assert!(theirs.body["error"]["fields"]["service_id"].is_array());

    // A viewer reads monitors but does not change them.
    let viewer = app.register("viewer@acme.test").await;
    app.add_member(&owner, "acme", &viewer, "viewer").await;
    let denied = app
        .post_as(
            "/api/v1/orgs/acme/monitors",
            &viewer.token,
            json!({"service_id": service, "name": "x", "check": {"kind": "heartbeat"}}),
        )
        .await;
    assert_eq!(denied.status, 403);
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/monitors", &viewer.token)
            .await
            .status,
        200
    );

    // An unknown heartbeat URL is a 404 in the error body.
    let unknown = app.get_as("/api/v1/heartbeats/hb_nothing", "").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.code(), "not_found");
}

/// The results list, the chart and "test now" show what the checks saw; pausing a monitor lets
/// go of its service.
async fn results_charts_and_test_now_show_what_the_checks_saw(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, service) = org_with_service(&app).await;
    let web = Receiver::start().await;
    web.answer_with(200, "ok");
    let monitor = create_monitor(
        &app,
        &owner,
        json!({"service_id": service, "name": "API health",
               "check": {"kind": "http", "url": web.url("/health")},
               "settings": {"interval_seconds": 60, "timeout_seconds": 2,
                            "failures_to_fail": 1, "successes_to_recover": 1}}),
    )
    .await;
    let id = monitor["id"].as_str().unwrap();
    one_check(&app, &owner, id).await;
    web.answer_with(502, "bad gateway");
    one_check(&app, &owner, id).await;
    one_check(&app, &owner, id).await;

    let results = app
        .get_as(
            &format!("/api/v1/orgs/acme/monitors/{id}/results?limit=2"),
            &owner.token,
        )
        .await;
    assert_eq!(results.status, 200, "{:?}", results.body);
    let items = results.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["state"], "down");
    assert_eq!(items[0]["message"], "HTTP 502 (expected 200-299)");
    let cursor = results.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &format!(
                "/api/v1/orgs/acme/monitors/{id}/results?limit=2&cursor={}",
                urlencode(cursor)
            ),
            &owner.token,
        )
        .await;
    assert_eq!(
        rest.body["items"].as_array().unwrap().len(),
        1,
        "{:?}",
        rest.body
    );
    assert_eq!(rest.body["items"][0]["state"], "up");
    assert!(rest.body["next_cursor"].is_null());

    for range in ["24h", "7d", "30d"] {
        let chart = app
            .get_as(
                &format!("/api/v1/orgs/acme/monitors/{id}/chart?range={range}"),
                &owner.token,
            )
            .await;
        assert_eq!(chart.status, 200, "{:?}", chart.body);
        let points = chart.body["points"].as_array().unwrap();
        let count: u64 = points
            .iter()
            .map(|p| {
                p["up"].as_u64().unwrap()
                    + p["degraded"].as_u64().unwrap()
                    + p["down"].as_u64().unwrap()
            })
            .sum();
        assert_eq!(count, 3, "{range}: {:?}", chart.body);
        let uptime = chart.body["uptime_percent"].as_f64().unwrap();
        assert!((uptime - 100.0 / 3.0).abs() < 0.01, "{range}: {uptime}");
    }
    let bad_range = app
        .get_as(
            &format!("/api/v1/orgs/acme/monitors/{id}/chart?range=1y"),
            &owner.token,
        )
        .await;
    assert_eq!(bad_range.status, 400);

    web.answer_with(200, "ok");
    let tested = app
        .post_as(
            &format!("/api/v1/orgs/acme/monitors/{id}/test"),
            &owner.token,
            json!({}),
        )
        .await;
    assert_eq!(tested.status, 200, "{:?}", tested.body);
    assert_eq!(tested.body["state"], "up");
    let after = app
        .get_as(
            &format!("/api/v1/orgs/acme/monitors/{id}/results"),
            &owner.token,
        )
        .await;
    assert_eq!(
        after.body["items"].as_array().unwrap().len(),
        3,
        "a test is not recorded"
    );

    // Down now; pausing lets go of the service.
    assert_eq!(public_status(&app, &service).await, "major_outage");
    let paused = app
        .patch_as(
            &format!("/api/v1/orgs/acme/monitors/{id}"),
            &owner.token,
            json!({"paused": true}),
        )
        .await;
    assert_eq!(paused.status, 200, "{:?}", paused.body);
    assert!(paused.body["service_status"].is_null());
    assert_eq!(public_status(&app, &service).await, "operational");
    let deleted = app
        .delete_as(&format!("/api/v1/orgs/acme/monitors/{id}"), &owner.token)
        .await;
    assert_eq!(deleted.status, 204);
}

/// Confirms a subscription by its mailed link, as the subscriber would.
async fn confirm_subscription(app: &TestApp, email: &str) {
    let link = app.confirmation_link(email).await;
    let done = app.client.post(&link).send().await.unwrap();
    assert_eq!(done.status(), 200);
}

fn urlencode(text: &str) -> String {
    text.replace(':', "%3A").replace('+', "%2B")
}

/// Two replicas on one PostgreSQL: each check runs once per interval, and when one replica
/// stops, the other runs all of them.
#[tokio::test]
async fn two_replicas_run_each_check_once_and_one_takes_over_when_the_other_stops() {
    let app = spawn_app(Engine::Postgres).await;
    let replica = app.replica().await;
    let (owner, service) = org_with_service(&app).await;
    let web = Receiver::start().await;
    web.answer_with(200, "ok");
    const MONITORS: usize = 6;
    for n in 0..MONITORS {
        create_monitor(
            &app,
            &owner,
            json!({"service_id": service, "name": format!("check {n}"),
                   "check": {"kind": "http", "url": web.url(&format!("/m{n}"))},
                   "settings": {"interval_seconds": INTERVAL, "timeout_seconds": 2,
                                "failures_to_fail": 1, "successes_to_recover": 1}}),
        )
        .await;
    }
    // Two rounds with both replicas, then two with one.
    tokio::time::sleep(Duration::from_secs(2 * INTERVAL + 1)).await;
    drop(replica);
    let stopped_at = web.requests().len();
    tokio::time::sleep(Duration::from_secs(2 * INTERVAL)).await;
    let requests = web.requests();
    for n in 0..MONITORS {
        let path = format!("/m{n}");
        let hits: Vec<&upstate_e2e::receiver::Request> =
            requests.iter().filter(|r| r.path == path).collect();
        // Within 4 intervals and a second: 3 to 5 checks, never two for one interval.
        assert!(
            (3..=5).contains(&hits.len()),
            "{path} was checked {} times",
            hits.len()
        );
        for pair in hits.windows(2) {
            let apart = pair[1].received_at - pair[0].received_at;
            assert!(
                apart >= Duration::from_secs(INTERVAL - 1),
                "{path} was checked twice within {apart:?}"
            );
        }
        let after_stop = requests[stopped_at..]
            .iter()
            .filter(|r| r.path == path)
            .count();
        assert!(
            after_stop >= 1,
            "{path} was not checked after a replica stopped"
        );
    }
}
