//! Prometheus metrics as an operator sees them: the answer parses with a Prometheus text-format
//! parser, and its numbers move with traffic (requests by route template and status class,
//! WebSocket subscribers, the public cache, monitor checks); it is served only behind the
//! metrics token or on the metrics listener, never by default.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, Answer, TestApp, spawn_app, spawn_app_configured};
use openmetrics_parser::{MetricsExposition, OpenMetricsType, OpenMetricsValue};
use serde_json::json;
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_store::Engine;

on_both_engines!(
    requests_are_counted_by_route_template_and_status_class,
    a_websocket_subscriber_shows_up_in_the_gauge_and_leaves_it,
    a_repeated_summary_read_is_a_cache_hit,
    a_monitor_check_moves_the_monitor_counter,
    the_token_guards_the_metrics_on_the_main_listener,
    without_a_setting_the_metrics_are_not_served,
    the_metrics_listener_serves_the_metrics_and_nothing_else,
);

const TOKEN: &str = "metrics-token-for-the-tests";

async fn app_with_token(engine: Engine) -> TestApp {
    spawn_app_configured(engine, Default::default(), |settings| {
        settings.metrics_token = Some(TOKEN.into());
    })
    .await
}

async fn org(app: &TestApp) -> Account {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    owner
}

/// Scrapes `/metrics` with the token, and parses the answer as Prometheus does.
async fn scrape(app: &TestApp) -> Scrape {
    let response = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    parse(response).await
}

type Scrape = MetricsExposition<OpenMetricsType, OpenMetricsValue>;

/// The answer, parsed by a strict OpenMetrics parser (as Prometheus reads it).
async fn parse(response: reqwest::Response) -> Scrape {
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text"),
        "{content_type}"
    );
    let text = response.text().await.unwrap();
    let scrape = openmetrics_parser::openmetrics::parse_openmetrics(&text)
        .unwrap_or_else(|err| panic!("not OpenMetrics: {err:?}\n{text}"));
    assert!(!scrape.families.is_empty(), "{text}");
    scrape
}

/// The labels of every series of `family`.
fn label_sets(scrape: &Scrape, family: &str) -> Vec<Vec<(String, String)>> {
    scrape.families.get(family).map_or_else(Vec::new, |family| {
        family
            .iter_samples()
            .map(|sample| {
                sample
                    .get_labelset()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .collect()
    })
}

/// The value of the series of `family` whose labels include `labels` (0 when there is none
/// yet); for a histogram, its count (checked against its `+Inf` bucket).
fn value(scrape: &Scrape, family: &str, labels: &[(&str, &str)]) -> f64 {
    let Some(family) = scrape.families.get(family) else {
        return 0.0;
    };
    let found: Vec<f64> = family
        .iter_samples()
        .filter(|sample| {
            let set = sample.get_labelset().unwrap();
            labels
                .iter()
                .all(|(k, v)| set.iter().any(|(name, value)| name == k && value == v))
        })
        .map(|sample| match &sample.value {
            OpenMetricsValue::Counter(counter) => counter.value.as_f64(),
            OpenMetricsValue::Gauge(n) | OpenMetricsValue::Unknown(n) => n.as_f64(),
            OpenMetricsValue::Histogram(histogram) => {
                let count = histogram.count.unwrap() as f64;
                let inf = histogram
                    .buckets
                    .iter()
                    .find(|b| b.upper_bound.is_infinite())
                    .unwrap();
                assert_eq!(inf.count.as_f64(), count, "the +Inf bucket is the count");
                count
            }
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert!(found.len() <= 1, "{labels:?} is not one series");
    found.first().copied().unwrap_or(0.0)
}

async fn requests_are_counted_by_route_template_and_status_class(engine: Engine) {
    let app = app_with_token(engine).await;
    org(&app).await;
    let summary = [
        ("method", "GET"),
        ("route", "/api/v1/public/{org}/summary"),
        ("status", "2xx"),
    ];
    let missing = [
        ("method", "GET"),
        ("route", "/api/v1/public/{org}/summary"),
        ("status", "4xx"),
    ];
    let before = scrape(&app).await;
    for _ in 0..5 {
        assert_eq!(app.get("/api/v1/public/acme/summary").await.status(), 200);
    }
    assert_eq!(app.get("/api/v1/public/nobody/summary").await.status(), 404);
    let after = scrape(&app).await;
    let moved = |metric: &str, labels: &[(&str, &str)]| {
        value(&after, metric, labels) - value(&before, metric, labels)
    };
    assert_eq!(moved("upstate_http_requests", &summary), 5.0);
    assert_eq!(
        moved("upstate_http_request_duration_seconds", &summary),
        5.0
    );
    assert_eq!(moved("upstate_http_requests", &missing), 1.0);

    // A path no route has counts under one label, never under its own path.
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "4xx")];
    for n in 0..3 {
        let path = format!("/api/v1/no-such-thing-{n}");
        assert_eq!(app.get(&path).await.status(), 404);
    }
    let later = scrape(&app).await;
    assert_eq!(
        value(&later, "upstate_http_requests", &unmatched)
            - value(&after, "upstate_http_requests", &unmatched),
        3.0
    );
    let routes = label_sets(&later, "upstate_http_requests");
    assert!(
        routes
            .iter()
            .flatten()
            .all(|(_, value)| !value.contains("no-such-thing")),
        "a raw path became a label: {routes:?}"
    );
}

async fn a_websocket_subscriber_shows_up_in_the_gauge_and_leaves_it(engine: Engine) {
    let app = app_with_token(engine).await;
    org(&app).await;
    let public = [("audience", "public")];
    assert_eq!(
        value(
            &scrape(&app).await,
            "upstate_websocket_subscribers",
            &public
        ),
        0.0
    );
    let url = format!(
        "{}/api/v1/public/acme/ws",
        app.address.replacen("http", "ws", 1)
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    // Subscribed once the server has said hello.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = value(
            &scrape(&app).await,
            "upstate_websocket_subscribers",
            &public,
        );
        if now == 1.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the subscriber never showed: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        value(
            &scrape(&app).await,
            "upstate_websocket_subscribers",
            &[("audience", "team")]
        ),
        0.0
    );
    socket.close(None).await.unwrap();
    drop(socket);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let now = value(
            &scrape(&app).await,
            "upstate_websocket_subscribers",
            &public,
        );
        if now == 0.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the subscriber never left: {now}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn a_repeated_summary_read_is_a_cache_hit(engine: Engine) {
    let app = app_with_token(engine).await;
    org(&app).await;
    let before = scrape(&app).await;
    for _ in 0..4 {
        assert_eq!(app.get("/api/v1/public/acme/summary").await.status(), 200);
    }
    let after = scrape(&app).await;
    let moved = |metric: &str| value(&after, metric, &[]) - value(&before, metric, &[]);
    // The first read fills the cache. On PostgreSQL the org's creation may still be announced
    // back (NOTIFY) after that fill and drop it once more: a second miss, filled again.
    let (misses, fills, hits) = (
        moved("upstate_public_cache_misses"),
        moved("upstate_public_cache_fills"),
        moved("upstate_public_cache_hits"),
    );
    assert!((1.0..=2.0).contains(&misses), "misses {misses}");
    assert_eq!(fills, misses, "every miss is filled");
    assert_eq!(misses + hits, 4.0, "every read is a hit or a miss");
}

async fn a_monitor_check_moves_the_monitor_counter(engine: Engine) {
    let app = app_with_token(engine).await;
    let owner = org(&app).await;
    let service = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "API"}),
        )
        .await;
    let web = Receiver::start().await;
    web.answer_with(503, "");
    let created = app
        .post_as(
            "/api/v1/orgs/acme/monitors",
            &owner.token,
            json!({
                "service_id": service.body["id"], "name": "API health",
                "check": {"kind": "http", "url": web.url("/health")},
                "settings": {"interval_seconds": 60, "timeout_seconds": 2,
                             "failures_to_fail": 2, "successes_to_recover": 2},
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let down = [("state", "down")];
    let before = value(&scrape(&app).await, "upstate_monitor_checks", &down);
    let checks_before = value(
        &scrape(&app).await,
        "upstate_monitor_check_duration_seconds",
        &[],
    );
    // Due now: the runner checks at once.
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
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = scrape(&app).await;
        if value(&now, "upstate_monitor_checks", &down) > before {
            assert_eq!(value(&now, "upstate_monitor_checks", &down), before + 1.0);
            assert_eq!(
                value(&now, "upstate_monitor_check_duration_seconds", &[]),
                checks_before + 1.0
            );
            break;
        }
        assert!(Instant::now() < deadline, "no check was counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn the_token_guards_the_metrics_on_the_main_listener(engine: Engine) {
    let app = app_with_token(engine).await;
    for bearer in [None, Some("wrong-token-wrong-token"), Some("")] {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        let answer = Answer::read(request.send().await.unwrap(), "/metrics").await;
        assert_eq!(answer.status, 401, "{bearer:?}");
        assert_eq!(answer.code(), "unauthenticated");
        assert!(answer.body["error"]["message"].as_str().unwrap().len() > 10);
    }
    let scraped = scrape(&app).await;
    // What is read at scrape time is there: the pool, the queues, the process.
    assert_eq!(value(&scraped, "upstate_db_pool_max_connections", &[]), 4.0);
    assert!(
        value(
            &scraped,
            "upstate_db_pool_connections",
            &[("state", "idle")]
        ) >= 1.0
    );
    assert_eq!(
        value(
            &scraped,
            "upstate_outbox_depth",
            &[("queue", "notifications")]
        ),
        0.0
    );
    assert!(value(&scraped, "upstate_process_resident_memory_bytes", &[]) > 1e6);
    assert!(value(&scraped, "upstate_process_cpu_seconds", &[]) > 0.0);
}

async fn without_a_setting_the_metrics_are_not_served(engine: Engine) {
    let app = spawn_app(engine).await;
    for bearer in [None, Some(TOKEN)] {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(bearer) = bearer {
            request = request.bearer_auth(bearer);
        }
        let answer = Answer::read(request.send().await.unwrap(), "/metrics").await;
        assert_eq!(answer.status, 404);
        assert_eq!(answer.code(), "not_found");
    }
}

async fn the_metrics_listener_serves_the_metrics_and_nothing_else(engine: Engine) {
    let app = spawn_app_configured(engine, Default::default(), |settings| {
        settings.metrics_bind = Some("127.0.0.1:0".into());
    })
    .await;
    org(&app).await;
    let port = app.state.metrics.listener().unwrap().port();
    let metrics = format!("http://127.0.0.1:{port}");
    // A message the outbox cannot deliver stays queued, and each attempt counts as a failure.
    app.state
        .write(|conn| {
            upstate_store::outbox::enqueue(conn, None, "carrier-pigeon", &json!({}))?;
            Ok(())
        })
        .await
        .unwrap();
    app.state.outbox_wake.notify_one();
    assert_eq!(app.get("/api/v1/public/acme/summary").await.status(), 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    let scraped = loop {
        let response = app
            .client
            .get(format!("{metrics}/metrics"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let scraped = parse(response).await;
        if value(&scraped, "upstate_delivery_failures", &[("lane", "mail")]) >= 1.0 {
            break scraped;
        }
        assert!(
            Instant::now() < deadline,
            "the failed delivery was not counted"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        value(&scraped, "upstate_outbox_depth", &[("queue", "mail")]),
        1.0
    );
    let summary = [("route", "/api/v1/public/{org}/summary"), ("status", "2xx")];
    assert_eq!(value(&scraped, "upstate_http_requests", &summary), 1.0);
    // The metrics listener's own requests are not counted as the site's traffic.
    assert_eq!(
        value(&scraped, "upstate_http_requests", &[("route", "/metrics")]),
        0.0
    );

    // Nothing else: not the API, not the pages, not the health checks.
    for path in ["/api/v1/public/acme/summary", "/healthz", "/", "/metrics/x"] {
        let answer = Answer::read(
            app.client
                .get(format!("{metrics}{path}"))
                .send()
                .await
                .unwrap(),
            path,
        )
        .await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.code(), "not_found", "{path}");
    }
    // And on the main listener, with no token set, there are none.
    assert_eq!(app.get("/metrics").await.status(), 404);
    assert_eq!(app.get("/api/v1/public/acme/summary").await.status(), 200);
}
