//! The public read path and real time: the cached summary with its ETag, the incident history,
//! uptime from a constructed history, the WebSocket channels, and fan-out across replicas.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, Socket, TestApp, spawn_app};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use upstate_store::Engine;

on_both_engines!(
    a_status_change_reaches_a_public_websocket_client_within_a_second,
    the_summary_is_cached_with_an_etag_that_changes_with_the_page,
    the_public_history_shows_incidents_without_member_data,
    uptime_is_exact_for_a_constructed_history,
    members_get_their_own_channel_with_member_data,
    the_first_page_of_history_is_served_from_memory_and_follows_changes,
    badges_say_the_state_of_the_page_and_of_each_service,
    feeds_tell_readers_of_incidents_and_maintenance,
    statuspage_documents_follow_the_format_and_a_real_page,
    a_statuspage_page_imports_once_and_reads_back_as_it_was,
    the_statuspage_import_from_the_command_line,
    the_embed_script_is_small_cached_and_loadable_from_any_site,
    the_embed_view_shows_what_is_open_and_only_it_may_be_framed,
);

struct Org {
    owner: Account,
    api: String,
}

async fn org_with_service(app: &TestApp) -> Org {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "API"}),
        )
        .await;
    Org {
        owner,
        api: api.body["id"].as_str().unwrap().to_owned(),
    }
}

async fn connect(address: &str, path: &str, bearer: Option<&str>) -> Socket {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!("{}{}", address.replacen("http", "ws", 1), path)
        .into_client_request()
        .unwrap();
    if let Some(token) = bearer {
        request
            .headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse().unwrap());
    }
    tokio_tungstenite::connect_async(request)
        .await
        .expect("the WebSocket opens")
        .0
}

/// The next text frame as JSON, within `limit`.
async fn next_frame(socket: &mut Socket, limit: Duration) -> Value {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let message = tokio::time::timeout(left, socket.next())
            .await
            .unwrap_or_else(|_| panic!("no frame within {limit:?}"))
            .expect("the socket stays open")
            .expect("a valid frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap();
        }
    }
}

/// The code of the close frame the server sends next (0 when the socket ends without one).
async fn close_code(socket: &mut Socket) -> u16 {
    common::close_code_within(socket, Duration::from_secs(2))
        .await
        .unwrap_or(0)
}

async fn set_status(app: &TestApp, org: &Org, status: &str) {
    let answer = app
        .patch_as(
            &format!("/api/v1/orgs/acme/services/{}", org.api),
            &org.owner.token,
            json!({ "status": status }),
        )
        .await;
    assert_eq!(answer.status, 200);
}

async fn a_status_change_reaches_a_public_websocket_client_within_a_second(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let mut socket = connect(&app.address, "/api/v1/public/acme/ws", None).await;
    let hello = next_frame(&mut socket, Duration::from_secs(2)).await;
    assert_eq!(hello["type"], "hello");
    let seq = hello["seq"].as_u64().unwrap();
    assert_eq!(seq, 1, "the service's creation was event 1");

    let changed_at = Instant::now();
    set_status(&app, &org, "major_outage").await;
    let frame = next_frame(&mut socket, Duration::from_secs(1)).await;
    assert!(changed_at.elapsed() < Duration::from_secs(1));
    assert_eq!(frame["type"], "service.updated");
    assert_eq!(frame["seq"].as_u64(), Some(seq + 1));
    assert_eq!(frame["data"]["id"], org.api.as_str());
    assert_eq!(frame["data"]["status"], "major_outage");
    assert!(
        frame["data"].get("manual_status").is_none(),
        "the public form only"
    );
    assert!(frame["at"].as_str().is_some());

    // A client that talks garbage is closed; the others are not.
    let mut rude = connect(&app.address, "/api/v1/public/acme/ws", None).await;
    next_frame(&mut rude, Duration::from_secs(2)).await;
    rude.send(Message::Text("{not json".into())).await.unwrap();
    let closed = close_code(&mut rude).await;
    assert_eq!(closed, 1003, "closed as unsupported data");

    // A ping is answered; an oversize frame closes the connection with 1009.
    let mut pinger = connect(&app.address, "/api/v1/public/acme/ws", None).await;
    next_frame(&mut pinger, Duration::from_secs(2)).await;
    pinger
        .send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    let pong = tokio::time::timeout(Duration::from_secs(2), async {
        loop {
            match pinger.next().await {
                Some(Ok(Message::Pong(bytes))) => return bytes.to_vec(),
                Some(Ok(_)) => continue,
                other => panic!("no pong: {other:?}"),
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(pong, b"are you there");
    pinger
        .send(Message::Binary(vec![0u8; 8 * 1024].into()))
        .await
        .unwrap();
    let closed = close_code(&mut pinger).await;
    assert_eq!(closed, 1009, "closed as too large");
    set_status(&app, &org, "operational").await;
    let frame = next_frame(&mut socket, Duration::from_secs(1)).await;
    assert_eq!(
        (frame["seq"].as_u64(), frame["data"]["status"].as_str()),
        (Some(seq + 2), Some("operational"))
    );

    let unknown = app.get("/api/v1/public/nobody/ws").await;
    assert_eq!(
        unknown.status(),
        404,
        "an unknown org is refused before upgrading"
    );
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

async fn the_summary_is_cached_with_an_etag_that_changes_with_the_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let first = app.get("/api/v1/public/acme/summary").await;
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=5, stale-while-revalidate=30"
    );
    // The hot path keeps the headers every answer carries.
    assert_eq!(first.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        first.headers()["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let summary: Value = first.json().await.unwrap();
    assert_eq!(summary["page"]["name"], "Org acme");
    assert_eq!(summary["page"]["url"], "http://127.0.0.1/status/acme");
    assert_eq!(summary["status"]["indicator"], "none");
    assert_eq!(summary["status"]["description"], "All systems operational");
    assert_eq!(summary["services"][0]["status"], "operational");

    let again = app
        .get_if_none_match("/api/v1/public/acme/summary", &etag)
        .await;
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());

    app.post_as(
        "/api/v1/orgs/acme/incidents",
        &org.owner.token,
        json!({"title": "API down", "status": "investigating", "impact": "critical", "message": "On it.",
               "affected": [{"service_id": org.api, "status": "major_outage"}]}),
    )
    .await;
    let changed = app
        .get_if_none_match("/api/v1/public/acme/summary", &etag)
        .await;
    assert_eq!(changed.status(), 200, "the old ETag no longer matches");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    let summary: Value = changed.json().await.unwrap();
    assert_eq!(summary["status"]["indicator"], "critical");
    assert_eq!(summary["status"]["description"], "Major system outage");
    assert_eq!(summary["services"][0]["status"], "major_outage");
    assert_eq!(summary["incidents"][0]["title"], "API down");
    assert_eq!(summary["seq"], 3);
    let text = summary.to_string();
    assert!(
        !text.contains("owner@acme.test")
            && !text.contains("author")
            && !text.contains("manual_status")
    );

    let gzipped = app
        .client
        .get(app.url("/api/v1/public/acme/summary"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "Accept-Encoding");

    let unknown = app.get("/api/v1/public/nobody/summary").await;
    assert_eq!(unknown.status(), 404);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

async fn the_public_history_shows_incidents_without_member_data(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let mut ids = Vec::new();
    for title in ["First", "Second", "Third"] {
        let created = app
            .post_as(
                "/api/v1/orgs/acme/incidents",
                &org.owner.token,
                json!({"title": title, "status": "investigating", "impact": "minor", "message": "Looking."}),
            )
            .await;
        ids.push(created.body["id"].as_str().unwrap().to_owned());
    }
    app.post_as(
        &format!("/api/v1/orgs/acme/incidents/{}/updates", ids[0]),
        &org.owner.token,
        json!({"status": "resolved", "message": "Fixed."}),
    )
    .await;
    let page = app.get("/api/v1/public/acme/incidents?limit=2").await;
    let page: Value = page.json().await.unwrap();
    let titles: Vec<_> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Third", "Second"]);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get(&format!(
            "/api/v1/public/acme/incidents?limit=2&cursor={cursor}"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"][0]["title"], "First");
    assert_eq!(
        rest["items"][0]["status"], "resolved",
        "resolved ones included"
    );
    assert_eq!(rest["next_cursor"], Value::Null);

    let one: Value = app
        .get(&format!("/api/v1/public/acme/incidents/{}", ids[0]))
        .await
        .json()
        .await
        .unwrap();
    let statuses: Vec<_> = one["updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["investigating", "resolved"]);
    assert!(
        one["updates"][0].get("author").is_none() && one["updates"][0].get("message").is_none()
    );
    assert_eq!(one["updates"][1]["message_html"], "<p>Fixed.</p>\n");

    let future: Value = app
        .get("/api/v1/public/acme/incidents?from=2099-01-01T00:00:00Z")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(future["items"], json!([]));
    assert_eq!(
        app.get("/api/v1/public/acme/incidents?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")
            .await
            .status(),
        400
    );
    app.delete_as(
        &format!("/api/v1/orgs/acme/incidents/{}", ids[1]),
        &org.owner.token,
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/public/acme/incidents/{}", ids[1]))
            .await
            .status(),
        404,
        "deleted"
    );
    assert_eq!(
        app.get("/api/v1/public/acme/incidents/01234567-89ab-cdef-0123-456789abcdef")
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get("/api/v1/public/nobody/incidents").await.status(),
        404
    );
}

async fn uptime_is_exact_for_a_constructed_history(engine: Engine) {
    use diesel::prelude::*;
    use upstate_store::schema::{service_status_changes, services};
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let today = chrono::Utc::now().date_naive();
    let day = |ago: i64, hour: u32| {
        (today - chrono::Duration::days(ago))
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    };
    {
        // The service existed from noon five days ago; then, known outages on known days.
        let mut conn = app.db.db.conn().unwrap();
        diesel::update(services::table.find(&org.api))
            .set(services::created_at.eq(day(5, 12)))
            .execute(&mut *conn)
            .unwrap();
        diesel::delete(service_status_changes::table)
            .execute(&mut *conn)
            .unwrap();
        let org_id: String = services::table
            .find(&org.api)
            .select(services::org_id)
            .first(&mut *conn)
            .unwrap();
        for (id, status, at) in [
            ("c1", "operational", day(5, 12)),
            ("c2", "major_outage", day(3, 10)),
            ("c3", "operational", day(3, 12)),
            ("c4", "partial_outage", day(2, 0)),
            ("c5", "degraded_performance", day(2, 10)),
            ("c6", "operational", day(2, 11)),
        ] {
            diesel::insert_into(service_status_changes::table)
                .values((
                    service_status_changes::id.eq(format!(
                        "00000000-0000-0000-0000-0000000000{}",
                        &id[1..].repeat(2)
                    )),
                    service_status_changes::org_id.eq(&org_id),
                    service_status_changes::service_id.eq(&org.api),
                    service_status_changes::status.eq(status),
                    service_status_changes::source.eq("manual"),
                    service_status_changes::changed_at.eq(at),
                ))
                .execute(&mut *conn)
                .unwrap();
        }
    }
    let report: Value = app
        .get("/api/v1/public/acme/uptime?days=7")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["days"], 7);
    let service = &report["services"][0];
    assert_eq!(service["service_id"], org.api.as_str());
    let days: Vec<(String, Value, u64)> = service["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["date"].as_str().unwrap().to_owned(),
                d["worst_status"].clone(),
                d["downtime_seconds"].as_u64().unwrap(),
            )
        })
        .collect();
    let date = |ago: i64| (today - chrono::Duration::days(ago)).to_string();
    assert_eq!(
        days,
        vec![
            (date(6), Value::Null, 0),
            (date(5), json!("operational"), 0),
            (date(4), json!("operational"), 0),
            (date(3), json!("major_outage"), 7200),
            (date(2), json!("partial_outage"), 10800),
            (date(1), json!("operational"), 0),
            (date(0), json!("operational"), 0),
        ],
        "no data before the service existed; a major outage counts fully, a partial one at 30%"
    );
    let observed = (chrono::Utc::now().naive_utc() - day(5, 12)).num_milliseconds() as f64 / 1000.0;
    let expected = 100.0 * (1.0 - 18000.0 / observed);
    let got = service["uptime_percent"].as_f64().unwrap();
    assert!((got - expected).abs() < 0.002, "uptime {got} vs {expected}");

    assert_eq!(
        app.get("/api/v1/public/acme/uptime?days=0").await.status(),
        400
    );
    assert_eq!(
        app.get("/api/v1/public/acme/uptime?days=91").await.status(),
        400
    );
    let full: Value = app
        .get("/api/v1/public/acme/uptime")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(full["services"][0]["days"].as_array().unwrap().len(), 90);
    assert_eq!(app.get("/api/v1/public/nobody/uptime").await.status(), 404);
}

async fn members_get_their_own_channel_with_member_data(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let mut socket = connect(&app.address, "/api/v1/orgs/acme/ws", Some(&org.owner.token)).await;
    let hello = next_frame(&mut socket, Duration::from_secs(2)).await;
    assert_eq!(hello["type"], "hello");
    app.post_as(
        "/api/v1/orgs/acme/incidents",
        &org.owner.token,
        json!({"title": "Slow", "status": "investigating", "impact": "minor", "message": "Hmm."}),
    )
    .await;
    let frame = next_frame(&mut socket, Duration::from_secs(1)).await;
    assert_eq!(frame["type"], "incident.created");
    assert_eq!(
        frame["data"]["updates"][0]["author"]["email"], "owner@acme.test",
        "the member form"
    );

    let anonymous = app.get("/api/v1/orgs/acme/ws").await;
    assert_eq!(anonymous.status(), 401);
    let stranger = app.register("stranger@else.test").await;
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/ws", &stranger.token)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_second_replica_hears_a_change_made_through_the_first() {
    let app = spawn_app(Engine::Postgres).await;
    let org = org_with_service(&app).await;
    let replica = app.replica().await;
    let before: Value = app
        .client
        .get(format!("{}/api/v1/public/acme/summary", replica.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        before["services"][0]["status"], "operational",
        "the replica's cache is now filled"
    );
    let mut socket = connect(&replica.address, "/api/v1/public/acme/ws", None).await;
    let hello = next_frame(&mut socket, Duration::from_secs(2)).await;

    set_status(&app, &org, "partial_outage").await;
    let frame = next_frame(&mut socket, Duration::from_secs(1)).await;
    assert_eq!(frame["type"], "service.updated");
    assert_eq!(
        frame["seq"].as_u64(),
        Some(hello["seq"].as_u64().unwrap() + 1)
    );
    assert_eq!(frame["data"]["status"], "partial_outage");
    let after: Value = app
        .client
        .get(format!("{}/api/v1/public/acme/summary", replica.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        after["services"][0]["status"], "partial_outage",
        "the replica dropped its cached summary"
    );
}

fn public_template() -> common::MemoryAssets {
    let mut files = common::MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html><html><head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
}

/// The JSON of the inline `<script id="{id}">` of a page.
fn data_island(html: &str, id: &str) -> Value {
    let start = html
        .find(&format!("<script id=\"{id}\" type=\"application/json\">"))
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    let inline = &html[start..];
    let inline = &inline[inline.find('>').unwrap() + 1..inline.find("</script>").unwrap()];
    serde_json::from_str(inline).unwrap()
}

#[tokio::test]
async fn a_status_page_is_drawn_by_the_server_with_its_snapshot_inline() {
    let app = common::spawn_app_with_assets(Engine::Sqlite, public_template()).await;
    let org = org_with_service(&app).await;
    app.post_as(
        "/api/v1/orgs/acme/services",
        &org.owner.token,
        json!({"name": "</script><script>alert(1)</script>"}),
    )
    .await;
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &org.owner.token,
            json!({"title": "Login failures", "status": "identified", "impact": "major", "message": "Fix coming.",
                   "affected": [{"service_id": org.api, "status": "partial_outage"}]}),
        )
        .await;
    let response = app.get("/status/acme").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(response.headers().get("etag").is_some());
    let html = response.text().await.unwrap();
    assert!(
        html.contains("<title>Partial system outage · Org acme status</title>"),
        "{html}"
    );
    assert!(html.contains("<meta property=\"og:title\" content=\"Org acme status\">"));
    // Browsers and feed readers find the page's feeds.
    assert!(html.contains(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Org acme status (RSS)\" \
         href=\"/status/acme/history.rss\">"
    ));
    assert!(html.contains("href=\"/status/acme/history.atom\""));
    // The page itself, as a visitor sees it before any script runs.
    assert!(
        html.contains(
            "data-testid=\"banner\" class=\"banner banner-major\">Partial system outage</p>"
        ),
        "the banner: {html}"
    );
    assert!(
        html.contains("<span class=\"service-name\">API</span>")
            && html.contains("<span class=\"status-word\">Partial outage</span>"),
        "each service with its status: {html}"
    );
    assert!(html.contains("Login failures"), "each open incident");
    assert!(
        html.contains("aria-label=\"Uptime over the last 90 days\""),
        "the uptime bars: {html}"
    );
    assert!(html.contains("Past incidents"), "the history");
    // The snapshot is inline for the bundle, and nothing in it can close the script element.
    let snapshot = data_island(&html, "upstate-status");
    assert_eq!(snapshot["summary"]["page"]["slug"], "acme");
    assert_eq!(
        snapshot["summary"]["incidents"][0]["title"],
        "Login failures"
    );
    assert_eq!(snapshot["history"]["items"][0]["title"], "Login failures");
    assert_eq!(
        snapshot["uptime"]["services"].as_array().unwrap().len(),
        2,
        "uptime of both services"
    );
    // Their bars are in the HTML, so the snapshot leaves out the days they were drawn from
    // (ninety per service, most of a big page's weight).
    for service in snapshot["uptime"]["services"].as_array().unwrap() {
        assert_eq!(service["days"], serde_json::json!([]), "{service}");
        let bars = format!(
            "data-service=\"{}\"",
            service["service_id"].as_str().unwrap()
        );
        assert!(html.contains(&bars), "the bars of {service}");
    }
    assert!(
        html.contains(": No data, 89 days\"></span>"),
        "the days before the services existed are one bar: {html}"
    );
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "names are escaped"
    );
    assert!(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));

    // An incident's page, drawn the same way.
    let id = incident.body["id"].as_str().unwrap();
    let page = app.get(&format!("/status/acme/incidents/{id}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<title>Login failures · Org acme status</title>"),
        "{html}"
    );
    assert!(html.contains("<h1>Login failures</h1>"), "{html}");
    assert!(html.contains("Fix coming."), "the timeline: {html}");
    assert!(
        html.contains("<span class=\"service-name\">API</span>"),
        "affected: {html}"
    );
    let snapshot = data_island(&html, "upstate-incident");
    assert_eq!(snapshot["incident"]["id"], id);
    assert_eq!(snapshot["page"]["slug"], "acme");

    // What is not there says so, as a 404 for robots, with no snapshot for a bundle to draw.
    for (path, words) in [
        ("/status/nobody".to_owned(), "No status page here"),
        (
            format!("/status/acme/incidents/{}", org.api),
            "No such incident",
        ),
        (format!("/status/nobody/incidents/{id}"), "No such incident"),
    ] {
        let missing = app.get(&path).await;
        assert_eq!(missing.status(), 404, "{path}");
        let html = missing.text().await.unwrap();
        assert!(html.contains(words), "{path}: {html}");
        assert!(!html.contains("application/json"), "{path}: {html}");
    }
}

async fn the_first_page_of_history_is_served_from_memory_and_follows_changes(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let declare = |title: &'static str| {
        app.post_as(
            "/api/v1/orgs/acme/incidents",
            &org.owner.token,
            json!({"title": title, "status": "investigating", "impact": "minor", "message": "Looking."}),
        )
    };
    assert_eq!(declare("First").await.status, 201);
    let first = app.get("/api/v1/public/acme/incidents").await;
    assert_eq!(first.status(), 200);
    assert_eq!(
        first.headers()["cache-control"],
        "public, max-age=5, stale-while-revalidate=30"
    );
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["items"][0]["title"], "First");
    let again = app
        .get_if_none_match("/api/v1/public/acme/incidents", &etag)
        .await;
    assert_eq!(again.status(), 304, "the same page, from memory");

    assert_eq!(declare("Second").await.status, 201);
    let changed = app
        .get_if_none_match("/api/v1/public/acme/incidents", &etag)
        .await;
    assert_eq!(changed.status(), 200, "a new incident shows at once");
    let body: Value = changed.json().await.unwrap();
    assert_eq!(body["items"][0]["title"], "Second");
    // Other pages are read each time, with the same answer shape.
    let page: Value = app
        .get("/api/v1/public/acme/incidents?limit=1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["next_cursor"].as_str().is_some());
}

/// A badge as an `<img>` would get it: status, content type, cache lifetime, ETag, the SVG.
async fn badge(app: &TestApp, path: &str) -> (u16, reqwest::header::HeaderMap, String) {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

/// What a badge says to a screen reader, and the colour of its message half, read from the SVG
/// as an XML parser reads it (so a malformed badge fails here).
fn words_and_colour(svg: &str) -> (String, String) {
    let document = roxmltree::Document::parse(svg).expect("a well-formed SVG");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    let title = root
        .children()
        .find(|node| node.has_tag_name("title"))
        .and_then(|node| node.text())
        .unwrap()
        .to_owned();
    assert_eq!(root.attribute("aria-label"), Some(title.as_str()));
    let fills: Vec<&str> = root
        .descendants()
        .filter(|node| node.has_tag_name("rect"))
        .filter_map(|node| node.attribute("fill"))
        .collect();
    (title, fills[2].to_owned())
}

async fn badges_say_the_state_of_the_page_and_of_each_service(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let web = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &org.owner.token,
            json!({"name": "Web <shop> & co"}),
        )
        .await;
    let web = web.body["id"].as_str().unwrap().to_owned();

    let (status, headers, svg) = badge(&app, "/status/acme/badge.svg").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=5")
    );
    assert_eq!(
        words_and_colour(&svg),
        (
            "Org acme: all systems operational".to_owned(),
            "#1a7f37".to_owned()
        )
    );
    let etag = headers["etag"].to_str().unwrap().to_owned();
    let again = app.get_if_none_match("/status/acme/badge.svg", &etag).await;
    assert_eq!(again.status(), 304);

    set_status(&app, &org, "partial_outage").await;
    let (_, headers, svg) = badge(&app, "/status/acme/badge.svg").await;
    assert_ne!(
        headers["etag"].to_str().unwrap(),
        etag,
        "a change makes a new badge"
    );
    let (words, colour) = words_and_colour(&svg);
    assert!(words.starts_with("Org acme: "), "{words}");
    assert_ne!(colour, "#1a7f37", "{words} is not green");

    let (_, _, svg) = badge(&app, &format!("/status/acme/badge.svg?service={}", org.api)).await;
    assert_eq!(
        words_and_colour(&svg),
        ("API: partial outage".to_owned(), "#bc4c00".to_owned())
    );
    // A service's name is text, whatever it holds.
    let (_, _, svg) = badge(&app, &format!("/status/acme/badge.svg?service={web}")).await;
    assert_eq!(
        words_and_colour(&svg),
        (
            "Web <shop> & co: operational".to_owned(),
            "#1a7f37".to_owned()
        )
    );

    for (path, code) in [
        (
            "/status/acme/badge.svg?service=no-such-service".to_owned(),
            404,
        ),
        ("/status/nobody/badge.svg".to_owned(), 404),
    ] {
        let (status, headers, body) = badge(&app, &path).await;
        assert_eq!(status, code, "{path}: {body}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
    }
}

async fn feeds_tell_readers_of_incidents_and_maintenance(engine: Engine) {
    let app = spawn_app(engine).await;
    let org = org_with_service(&app).await;
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &org.owner.token,
            json!({"title": "Login failures", "status": "investigating", "impact": "major",
                   "message": "Looking into it.",
                   "affected": [{"service_id": org.api, "status": "partial_outage"}]}),
        )
        .await;
    let incident = incident.body["id"].as_str().unwrap().to_owned();
    let update = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &org.owner.token,
            json!({"status": "identified", "message": "A bad **certificate** rotation & a fix."}),
        )
        .await;
    assert_eq!(update.status, 201);
    let window = app
        .post_as(
            "/api/v1/orgs/acme/maintenances",
            &org.owner.token,
            json!({"title": "Database upgrade", "scheduled_start": "2031-03-01T02:00:00Z",
                   "scheduled_end": "2031-03-01T03:00:00Z", "service_ids": [org.api]}),
        )
        .await;
    let window = window.body["id"].as_str().unwrap().to_owned();

    for (suffix, content_type) in [
        ("rss", "application/rss+xml; charset=utf-8"),
        ("atom", "application/atom+xml; charset=utf-8"),
    ] {
        let path = format!("/status/acme/history.{suffix}");
        let response = app.get(&path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], content_type);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let body = response.bytes().await.unwrap();
        if suffix == "rss" {
            // The RSS 2.0 rules (dates, required elements, GUIDs), as the rss crate checks them.
            let channel = rss::Channel::read_from(&body[..]).unwrap();
            rss::validation::Validate::validate(&channel).unwrap();
            assert_eq!(channel.title(), "Org acme status");
        }
        // A real feed parser reads both the same.
        let feed = feed_rs::parser::parse(&body[..]).unwrap();
        assert_eq!(feed.title.unwrap().content, "Org acme status");
        let titles: Vec<String> = feed
            .entries
            .iter()
            .map(|entry| entry.title.clone().unwrap().content)
            .collect();
        assert_eq!(
            titles,
            ["Maintenance: Database upgrade", "Login failures"],
            "{path}"
        );
        let newest_incident = &feed.entries[1];
        assert_eq!(
            newest_incident.links[0].href,
            format!(
                "{}/status/acme/incidents/{incident}",
                app.settings.public_url
            )
        );
        let text = match suffix {
            "rss" => newest_incident.summary.clone().unwrap().content,
            _ => newest_incident.content.clone().unwrap().body.unwrap(),
        };
        assert!(text.contains("<strong>Identified</strong>"), "{text}");
        assert!(
            text.contains("A bad <strong>certificate</strong> rotation &amp; a fix."),
            "{text}"
        );
        assert!(
            feed.entries[0].id.contains(&window),
            "{:?}",
            feed.entries[0].id
        );
        // Cached with the page: the same version is a 304, and a change makes a new one.
        let again = app.get_if_none_match(&path, &etag).await;
        assert_eq!(again.status(), 304);
    }
    set_status(&app, &org, "major_outage").await;
    app.patch_as(
        &format!("/api/v1/orgs/acme/incidents/{incident}"),
        &org.owner.token,
        json!({"title": "Login failures for everyone"}),
    )
    .await;
    let feed = feed_rs::parser::parse(
        &app.get("/status/acme/history.atom")
            .await
            .bytes()
            .await
            .unwrap()[..],
    )
    .unwrap();
    assert!(
        feed.entries
            .iter()
            .any(|entry| entry.title.as_ref().unwrap().content == "Login failures for everyone")
    );
    assert_eq!(app.get("/status/nobody/history.rss").await.status(), 404);
}

/// Statuspage's eight v2 documents, as JSON, with the answer's headers.
const STATUSPAGE: [(&str, &str); 8] = [
    ("summary.json", "summary"),
    ("status.json", "status_document"),
    ("components.json", "components"),
    ("incidents.json", "incidents"),
    ("incidents/unresolved.json", "unresolved_incidents"),
    ("scheduled-maintenances.json", "scheduled_maintenances"),
    (
        "scheduled-maintenances/upcoming.json",
        "upcoming_maintenances",
    ),
    ("scheduled-maintenances/active.json", "active_maintenances"),
];

/// The schema of one document (`docs/statuspage-v2.schema.json`, its `$defs/{name}`).
fn statuspage_schema(name: &str) -> jsonschema::Validator {
    let text = include_str!("../../docs/statuspage-v2.schema.json");
    let mut schema: Value = serde_json::from_str(text).unwrap();
    schema["$ref"] = json!(format!("#/$defs/{name}"));
    jsonschema::draft202012::new(&schema).unwrap()
}

fn assert_valid(schema: &jsonschema::Validator, document: &Value, what: &str) {
    let errors: Vec<String> = schema
        .iter_errors(document)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

/// Fields Statuspage itself fills or leaves `null` depending on the page (a description left
/// blank, an update that changed no component, a component outside any group, a page made before
/// `start_date` existed): their JSON type may differ from the capture's where one is `null`.
const NULLABLE: &[&str] = &[
    "description",
    "affected_components",
    "group_id",
    "custom_tweet",
    "tweet_id",
    "start_date",
];

/// Compares `ours` with `theirs` (the same kind of object of a real page) field by field: the
/// same field names (ours may add `start_date`, which the 2020 capture predates), and each
/// field's JSON type, recursively (an array by its first element).
fn same_shape(ours: &Value, theirs: &Value, path: &str, problems: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for key in b.keys() {
                if !a.contains_key(key) {
                    problems.push(format!("{path}.{key}: missing"));
                }
            }
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => {
                        let either_null = value.is_null() || other.is_null();
                        if either_null && NULLABLE.contains(&key.as_str()) {
                            continue;
                        }
                        same_shape(value, other, &format!("{path}.{key}"), problems);
                    }
                    None if key == "start_date" => {}
                    None => problems.push(format!("{path}.{key}: not in Statuspage's")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if let (Some(a), Some(b)) = (a.first(), b.first()) {
                same_shape(a, b, &format!("{path}[0]"), problems);
            }
        }
        (a, b) => {
            let kind = |v: &Value| match v {
                Value::Null => "null",
                Value::Bool(_) => "boolean",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            };
            if kind(a) != kind(b) {
                problems.push(format!(
                    "{path}: {} where Statuspage has {}",
                    kind(a),
                    kind(b)
                ));
            }
        }
    }
}

/// The first of `list` for which `wanted` holds.
fn first(list: &Value, wanted: impl Fn(&Value) -> bool) -> &Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|item| wanted(item))
        .unwrap_or_else(|| panic!("none such in {list}"))
}

async fn statuspage_documents_follow_the_format_and_a_real_page(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let token = owner.token.as_str();
    // The captured page's shape: groups of services (one degraded), services outside any group,
    // an incident being investigated and one being monitored, scheduled maintenance.
    let group = |name: &'static str| {
        let app = &app;
        async move {
            let group = app
                .post_as(
                    "/api/v1/orgs/acme/service-groups",
                    token,
                    json!({"name": name}),
                )
                .await;
            group.body["id"].as_str().unwrap().to_owned()
        }
    };
    let service = |name: &'static str, group: Option<String>, status: &'static str| {
        let app = &app;
        async move {
            let service = app
                .post_as(
                    "/api/v1/orgs/acme/services",
                    token,
                    json!({"name": name, "group_id": group, "status": status}),
                )
                .await;
            assert_eq!(service.status, 201, "{:?}", service.body);
            service.body["id"].as_str().unwrap().to_owned()
        }
    };
    let messaging = group("Programmable Messaging").await;
    let voice = group("Voice").await;
    let sms = service("SMS", Some(messaging.clone()), "operational").await;
    let mms = service("MMS", Some(messaging.clone()), "operational").await;
    let calls = service("Calls", Some(voice.clone()), "operational").await;
    let console = service("Console", None, "operational").await;
    let incident = |title: &'static str, affected: Value| {
        let app = &app;
        async move {
            let incident = app
                .post_as(
                    "/api/v1/orgs/acme/incidents",
                    token,
                    json!({"title": title, "status": "investigating", "impact": "minor",
                           "message": "We are investigating.", "affected": affected}),
                )
                .await;
            assert_eq!(incident.status, 201, "{:?}", incident.body);
            incident.body["id"].as_str().unwrap().to_owned()
        }
    };
    let investigating = incident(
        "SMS delivery delays",
        json!([{"service_id": sms, "status": "degraded_performance"}]),
    )
    .await;
    let monitored = incident(
        "MMS delays",
        json!([{"service_id": mms, "status": "degraded_performance"}]),
    )
    .await;
    let update = |id: String, status: &'static str| {
        let app = &app;
        async move {
            let update = app
                .post_as(
                    &format!("/api/v1/orgs/acme/incidents/{id}/updates"),
                    token,
                    json!({"status": status, "message": format!("Now {status}.")}),
                )
                .await;
            assert_eq!(update.status, 201, "{:?}", update.body);
        }
    };
    update(monitored.clone(), "monitoring").await;
    let resolved = incident(
        "Console sign-in errors",
        json!([{"service_id": console, "status": "partial_outage"}]),
    )
    .await;
    update(resolved.clone(), "resolved").await;
    let window = |title: &'static str, start: &'static str, end: &'static str| {
        let app = &app;
        let services = json!([calls, sms]);
        async move {
            let window = app
                .post_as(
                    "/api/v1/orgs/acme/maintenances",
                    token,
                    json!({"title": title, "description": "Carrier maintenance.",
                           "scheduled_start": start, "scheduled_end": end,
                           "service_ids": services}),
                )
                .await;
            assert_eq!(window.status, 201, "{:?}", window.body);
            window.body["id"].as_str().unwrap().to_owned()
        }
    };
    let upcoming = window(
        "Carrier upgrade",
        "2031-03-01T02:00:00Z",
        "2031-03-01T04:00:00Z",
    )
    .await;
    let active = window(
        "Switch upgrade",
        "2031-04-01T02:00:00Z",
        "2031-04-01T04:00:00Z",
    )
    .await;
    let started = app
        .post_as(
            &format!("/api/v1/orgs/acme/maintenances/{active}/updates"),
            token,
            json!({"status": "in_progress", "message": "Started early."}),
        )
        .await;
    assert_eq!(started.status, 201, "{:?}", started.body);

    // Each document: valid per the schema, readable from any site, cached with an ETag.
    let mut documents = HashMap::new();
    for (path, schema) in STATUSPAGE {
        let url = format!("/status/acme/api/v2/{path}");
        let response = app.get(&url).await;
        assert_eq!(response.status(), 200, "{url}");
        assert_eq!(
            response.headers()["access-control-allow-origin"],
            "*",
            "{url}"
        );
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        let body: Value = response.json().await.unwrap();
        assert_valid(&statuspage_schema(schema), &body, &url);
        let again = app.get_if_none_match(&url, &etag).await;
        assert_eq!(again.status(), 304, "{url}");
        assert_eq!(again.headers()["access-control-allow-origin"], "*");
        // Ids (and everything else) stay the same from one call to the next.
        let twice: Value = app.get(&url).await.json().await.unwrap();
        assert_eq!(twice, body, "{url}");
        documents.insert(path, body);
    }
    // The real page's documents pass the same schema: it says what Statuspage says.
    let captured: Value =
        serde_json::from_str(include_str!("fixtures/statuspage/twilio-summary.json")).unwrap();
    assert_valid(
        &statuspage_schema("summary"),
        &captured,
        "the captured summary",
    );
    let captured_incidents: Value =
        serde_json::from_str(include_str!("fixtures/statuspage/twilio-incidents.json")).unwrap();
    assert_valid(
        &statuspage_schema("incidents"),
        &captured_incidents,
        "the captured incidents",
    );

    // Field by field against the captured page, kind by kind of object.
    let summary = &documents["summary.json"];
    let is_group = |c: &Value| c["group"] == json!(true);
    let in_group = |c: &Value| c["group"] == json!(false) && c["group_id"].is_string();
    let with_status = |status: &'static str| move |i: &Value| i["status"] == json!(status);
    let mut problems = Vec::new();
    for (ours, theirs, what) in [
        (&summary["page"], &captured["page"], "page"),
        (&summary["status"], &captured["status"], "status"),
        (
            first(&summary["components"], is_group),
            first(&captured["components"], is_group),
            "group",
        ),
        (
            first(&summary["components"], in_group),
            first(&captured["components"], in_group),
            "component",
        ),
        (
            first(&summary["incidents"], with_status("investigating")),
            first(&captured["incidents"], with_status("investigating")),
            "incident",
        ),
        (
            first(&summary["incidents"], with_status("monitoring")),
            first(&captured["incidents"], with_status("monitoring")),
            "monitored incident",
        ),
        (
            first(&summary["scheduled_maintenances"], with_status("scheduled")),
            first(
                &captured["scheduled_maintenances"],
                with_status("scheduled"),
            ),
            "scheduled maintenance",
        ),
    ] {
        same_shape(ours, theirs, what, &mut problems);
    }
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(summary), keys(&captured));
    assert!(problems.is_empty(), "{problems:#?}");

    // The same values where the state is the same: statuses, impact, the indicator, nulls.
    assert_eq!(
        summary["status"]["indicator"],
        captured["status"]["indicator"]
    );
    assert_eq!(summary["status"]["indicator"], "minor");
    for state in ["investigating", "monitoring"] {
        let ours = first(&summary["incidents"], with_status(state));
        let theirs = first(&captured["incidents"], with_status(state));
        for field in ["impact", "status", "resolved_at"] {
            assert_eq!(ours[field], theirs[field], "{state} incident: {field}");
        }
        assert_eq!(
            ours["monitoring_at"].is_null(),
            theirs["monitoring_at"].is_null(),
            "{state} incident: monitoring_at"
        );
        // Updates newest first, as Statuspage lists them.
        assert_eq!(ours["incident_updates"][0]["status"], state);
    }
    let group_of_ours = first(&summary["components"], is_group);
    for field in ["description", "group_id"] {
        assert_eq!(
            group_of_ours[field],
            first(&captured["components"], is_group)[field]
        );
    }
    let messaging_group = first(&summary["components"], |c| c["id"] == json!(messaging));
    assert_eq!(messaging_group["components"], json!([sms, mms]));
    assert_eq!(messaging_group["status"], "degraded_performance");
    let sms_component = first(&summary["components"], |c| c["id"] == json!(sms));
    assert_eq!(sms_component["group_id"], json!(messaging));
    assert_eq!(sms_component["status"], "degraded_performance");
    let investigated = first(&summary["incidents"], |i| i["id"] == json!(investigating));
    assert_eq!(investigated["components"][0]["id"], json!(sms));
    assert_eq!(
        investigated["shortlink"],
        format!(
            "{}/status/acme/incidents/{investigating}",
            app.settings.public_url
        )
    );
    let maintenance = first(&summary["scheduled_maintenances"], |m| {
        m["id"] == json!(upcoming)
    });
    assert_eq!(maintenance["impact"], "maintenance");
    assert_eq!(maintenance["scheduled_for"], "2031-03-01T02:00:00.000Z");
    assert_eq!(maintenance["scheduled_until"], "2031-03-01T04:00:00.000Z");
    assert_eq!(
        maintenance["incident_updates"][0]["body"],
        "Carrier maintenance."
    );

    // Which incidents and windows each list holds.
    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let open = ids(&summary["incidents"]);
    assert_eq!(open.len(), 2);
    assert!(!open.contains(&resolved));
    assert_eq!(
        ids(&documents["incidents/unresolved.json"]["incidents"]).len(),
        2
    );
    let all = ids(&documents["incidents.json"]["incidents"]);
    assert_eq!(all.len(), 3);
    assert!(all.contains(&resolved));
    let resolved_one = first(&documents["incidents.json"]["incidents"], |i| {
        i["id"] == json!(resolved)
    });
    assert_eq!(resolved_one["status"], "resolved");
    assert!(resolved_one["resolved_at"].is_string());
    assert_eq!(
        ids(&documents["scheduled-maintenances/upcoming.json"]["scheduled_maintenances"]),
        [upcoming]
    );
    assert_eq!(
        ids(&documents["scheduled-maintenances/active.json"]["scheduled_maintenances"]),
        [active]
    );
    assert_eq!(
        ids(&documents["scheduled-maintenances.json"]["scheduled_maintenances"]).len(),
        2
    );
    assert_eq!(
        documents["status.json"]["status"], summary["status"],
        "status.json says what the summary says"
    );
    assert_eq!(
        documents["components.json"]["components"],
        summary["components"]
    );

    // A change shows at once (the cache is redrawn), and an unknown page is a 404.
    update(investigating, "resolved").await;
    let after: Value = json_at(&app, "/status/acme/api/v2/incidents/unresolved.json").await;
    assert_eq!(after["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get("/status/nobody/api/v2/summary.json").await.status(),
        404
    );
}

/// The JSON `path` answers.
async fn json_at(app: &TestApp, path: &str) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap()
}

fn captured_summary() -> Value {
    serde_json::from_str(include_str!("fixtures/statuspage/twilio-summary.json")).unwrap()
}

fn captured_incidents() -> Value {
    serde_json::from_str(include_str!("fixtures/statuspage/twilio-incidents.json")).unwrap()
}

/// What a Statuspage summary says a reader sees: each group with its services, each service
/// outside any group, and every status, by name; the overall state; the unresolved incidents
/// with their status, impact, affected services and updates (newest first).
fn as_seen(summary: &Value) -> Value {
    let components = summary["components"].as_array().unwrap();
    let name_of = |id: &Value| {
        components
            .iter()
            .find(|c| &c["id"] == id)
            .map(|c| c["name"].clone())
            .unwrap()
    };
    let mut groups: Vec<Value> = components
        .iter()
        .filter(|c| c["group"] == json!(true))
        .map(|g| {
            let mut children: Vec<Value> = g["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| {
                    let child = components.iter().find(|c| &c["id"] == id).unwrap();
                    json!([child["name"], child["status"]])
                })
                .collect();
            children.sort_by_key(|c| c.to_string());
            json!({"group": g["name"], "services": children})
        })
        .collect();
    groups.sort_by_key(|g| g["group"].to_string());
    let mut alone: Vec<Value> = components
        .iter()
        .filter(|c| c["group"] == json!(false) && c["group_id"].is_null())
        .map(|c| json!([c["name"], c["status"]]))
        .collect();
    alone.sort_by_key(|c| c.to_string());
    let mut incidents: Vec<Value> = summary["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let mut affected: Vec<Value> = i["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| name_of(&c["id"]))
                .collect();
            affected.sort_by_key(|c| c.to_string());
            json!({
                "name": i["name"], "status": i["status"], "impact": i["impact"],
                "affected": affected,
                "updates": i["incident_updates"].as_array().unwrap().iter()
                    .map(|u| json!([u["status"], u["body"]])).collect::<Vec<_>>(),
            })
        })
        .collect();
    incidents.sort_by_key(|i| i["name"].to_string());
    let mut maintenances: Vec<Value> = summary["scheduled_maintenances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let at = |v: &Value| {
                chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
                    .unwrap()
                    .to_utc()
            };
            let mut covered: Vec<Value> = m["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| name_of(&c["id"]))
                .collect();
            covered.sort_by_key(|c| c.to_string());
            json!({
                "name": m["name"], "status": m["status"], "impact": m["impact"],
                "from": at(&m["scheduled_for"]), "until": at(&m["scheduled_until"]),
                "covered": covered,
                "updates": m["incident_updates"].as_array().unwrap().iter()
                    .map(|u| json!([u["status"], u["body"]])).collect::<Vec<_>>(),
            })
        })
        .collect();
    maintenances.sort_by_key(|m| m.to_string());
    json!({
        "groups": groups, "services": alone, "indicator": summary["status"]["indicator"],
        "incidents": incidents, "maintenances": maintenances,
    })
}

/// Each group's name and its services' names.
fn grouped_names(summary: &Value) -> Vec<Value> {
    as_seen(summary)["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let services: Vec<Value> = g["services"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s[0].clone())
                .collect();
            json!([g["group"], services])
        })
        .collect()
}

async fn a_statuspage_page_imports_once_and_reads_back_as_it_was(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let token = owner.token.as_str();
    let path = "/api/v1/orgs/acme/imports/statuspage";
    let captured = captured_summary();

    // Bad input is refused whole, naming what is wrong; nothing is imported.
    let mut broken = captured.clone();
    broken["components"][3]["status"] = json!("on_fire");
    let refused = app.post_as(path, token, json!({"summary": broken})).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let problems = refused.body["error"]["fields"]["summary"].to_string();
    let id = captured["components"][3]["id"].as_str().unwrap();
    assert!(problems.contains(&format!("component {id}")), "{problems}");
    assert!(problems.contains("on_fire"), "{problems}");
    let refused = app
        .post_as(path, token, json!({"summary": {"page": 1}}))
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert!(refused.body["error"]["fields"]["summary"].is_array());
    let refused = app.post_as(path, token, json!({})).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let services = app.get_as("/api/v1/orgs/acme/services", token).await;
    assert_eq!(services.body["items"], json!([]), "nothing was imported");

    // The summary: its groups, services with their status, and unresolved incidents.
    let imported = app.post_as(path, token, json!({"summary": captured})).await;
    assert_eq!(imported.status, 200, "{:?}", imported.body);
    assert_eq!(
        imported.body,
        json!({"groups_created": 8, "services_created": 65, "services_updated": 0,
               "incidents_created": 2, "incidents_skipped": 0,
               "maintenances_created": 9, "maintenances_skipped": 0})
    );
    let ours: Value = json_at(&app, "/status/acme/api/v2/summary.json").await;
    assert_eq!(as_seen(&ours), as_seen(&captured));

    // Again, with the incident history: only what is new is created.
    let history = app
        .post_as(
            path,
            token,
            json!({"summary": captured, "incidents": captured_incidents()}),
        )
        .await;
    assert_eq!(history.status, 200, "{:?}", history.body);
    assert_eq!(
        history.body,
        json!({"groups_created": 0, "services_created": 0, "services_updated": 65,
               "incidents_created": 50, "incidents_skipped": 2,
               "maintenances_created": 0, "maintenances_skipped": 9})
    );
    let again = app
        .post_as(
            path,
            token,
            json!({"summary": captured, "incidents": captured_incidents()}),
        )
        .await;
    assert_eq!(
        again.body,
        json!({"groups_created": 0, "services_created": 0, "services_updated": 65,
               "incidents_created": 0, "incidents_skipped": 52,
               "maintenances_created": 0, "maintenances_skipped": 9})
    );
    let ours: Value = json_at(&app, "/status/acme/api/v2/summary.json").await;
    // The same groups and services; the 2023 history's open incident is open too.
    assert_eq!(grouped_names(&ours), grouped_names(&captured));
    assert_eq!(ours["incidents"].as_array().unwrap().len(), 3);
    // The history: the 50 newest incidents, each with its updates at their own times.
    let listed: Value = json_at(&app, "/status/acme/api/v2/incidents.json").await;
    let theirs = captured_incidents();
    let resolved = first(&theirs["incidents"], |i| i["status"] == json!("resolved"));
    let ours = first(&listed["incidents"], |i| i["name"] == resolved["name"]);
    assert_eq!(ours["status"], "resolved");
    assert_eq!(ours["impact"], resolved["impact"]);
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    assert_eq!(at(&ours["created_at"]), at(&resolved["created_at"]));
    assert_eq!(at(&ours["resolved_at"]), at(&resolved["resolved_at"]));
    let bodies = |i: &Value| -> Vec<Value> {
        i["incident_updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| json!([u["status"], u["body"]]))
            .collect()
    };
    assert_eq!(bodies(ours), bodies(resolved));
    // Nobody is told of the imported incidents: this is history. (An incident declared here is
    // queued to be told, as ever.)
    let queued = || {
        use diesel::prelude::*;
        use upstate_store::schema::notifications;
        let mut conn = app.db.db.conn().unwrap();
        notifications::table
            .count()
            .get_result::<i64>(&mut *conn)
            .unwrap()
    };
    assert_eq!(queued(), 0);
    let declared = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            token,
            json!({"title": "New trouble", "status": "investigating", "impact": "minor",
                   "message": "Looking into it."}),
        )
        .await;
    assert_eq!(declared.status, 201, "{:?}", declared.body);
    assert_eq!(queued(), 1);
}

/// `upstate import statuspage` does what the upload does, from files, into the server's database.
async fn the_statuspage_import_from_the_command_line(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/statuspage");
    let run = |org: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_upstate"))
            .args(["import", "statuspage", "--org", org])
            .arg("--summary")
            .arg(format!("{fixtures}/twilio-summary.json"))
            .arg("--incidents")
            .arg(format!("{fixtures}/twilio-incidents.json"))
            .arg("--database-url")
            .arg(&app.settings.database_url)
            .output()
            .unwrap()
    };
    let first_run = run("acme");
    let said = String::from_utf8_lossy(&first_run.stdout);
    assert!(first_run.status.success(), "{first_run:?}");
    assert!(
        said.contains("8 groups, 65 services (0 brought up to date), 52 incidents")
            && said.contains("9 maintenance windows (0 imported before)"),
        "{said}"
    );
    let second = run("acme");
    let said = String::from_utf8_lossy(&second.stdout);
    assert!(
        said.contains(
            "0 groups, 0 services (65 brought up to date), 0 incidents (52 imported before"
        ),
        "{said}"
    );
    let ours: Value = json_at(&app, "/status/acme/api/v2/summary.json").await;
    // Its groups and their services (whose status the newer incident history may move).
    assert_eq!(grouped_names(&ours), grouped_names(&captured_summary()));
    assert_eq!(ours["incidents"].as_array().unwrap().len(), 3);
    // A component shown only when degraded there is shown only when not operational here.
    let degraded_only = |summary: &Value| -> Vec<String> {
        summary["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["only_show_if_degraded"] == json!(true))
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(degraded_only(&ours), ["Documentation"]);
    assert_eq!(degraded_only(&ours), degraded_only(&captured_summary()));
    // An unknown org is said so, and nothing is written.
    let unknown = run("nobody");
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("nobody"),
        "{unknown:?}"
    );
}

/// The size of `bytes` brotli-compressed at the highest quality, as a CDN or a browser-facing
/// proxy sends a script.
fn brotli_len(bytes: &[u8]) -> usize {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    let mut compressed = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut compressed, &params).unwrap();
    compressed.len()
}

/// The value of header `name`, or "" when the answer has none.
fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map_or("", |value| value.to_str().unwrap())
}

async fn the_embed_script_is_small_cached_and_loadable_from_any_site(engine: Engine) {
    let app = spawn_app(engine).await;
    org_with_service(&app).await;

    let response = app.get("/status/acme/embed.js").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    let script = response.bytes().await.unwrap();
    assert_eq!(
        header(&headers, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(header(&headers, "access-control-allow-origin"), "*");
    assert_eq!(
        header(&headers, "cross-origin-resource-policy"),
        "cross-origin"
    );
    assert_eq!(header(&headers, "x-content-type-options"), "nosniff");
    assert!(header(&headers, "cache-control").contains("max-age=5"));
    assert!(
        !headers.contains_key("x-frame-options"),
        "another site loads it: {headers:?}"
    );
    assert_eq!(&script[..], upstate_api::public::embed::SCRIPT.as_bytes());

    // The budget: what a visitor of the customer's site downloads.
    let compressed = brotli_len(&script);
    println!(
        "embed.js: {} bytes, {compressed} bytes brotli-compressed",
        script.len()
    );
    assert!(
        compressed <= 5_120,
        "embed.js is {compressed} bytes brotli-compressed, over its 5 KB budget"
    );

    let etag = header(&headers, "etag").to_owned();
    assert!(etag.starts_with('"'), "{etag}");
    let again = app.get_if_none_match("/status/acme/embed.js", &etag).await;
    assert_eq!(again.status(), 304);
    assert_eq!(header(again.headers(), "access-control-allow-origin"), "*");

    let missing = app.get("/status/nobody/embed.js").await;
    assert_eq!(missing.status(), 404);
}

/// The compact view as a frame gets it: status, headers, HTML.
async fn embed_view(app: &TestApp) -> (reqwest::header::HeaderMap, String) {
    let response = app.get("/status/acme/embed").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    (headers, response.text().await.unwrap())
}

async fn the_embed_view_shows_what_is_open_and_only_it_may_be_framed(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, public_template()).await;
    let org = org_with_service(&app).await;
    let page = format!("{}/status/acme", app.settings.public_url);

    let (headers, html) = embed_view(&app).await;
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");
    let policy = header(&headers, "content-security-policy");
    assert!(policy.contains("frame-ancestors *"), "{policy}");
    assert!(
        policy.contains("default-src 'none'"),
        "no script runs in it: {policy}"
    );
    assert!(!headers.contains_key("x-frame-options"), "{headers:?}");
    assert_eq!(
        header(&headers, "cross-origin-resource-policy"),
        "cross-origin"
    );
    assert!(html.contains("<h1><a href=\"http://127.0.0.1/status/acme\" target=\"_blank\" rel=\"noopener\">Org acme</a></h1>"), "{html}");
    assert!(
        html.contains("<p class=\"state none\" data-testid=\"state\">All systems operational</p>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<a href=\"{page}\" target=\"_blank\" rel=\"noopener\">View the full status page</a>"
        )),
        "{html}"
    );
    assert!(!html.contains("<li"), "nothing is open: {html}");
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("prefers-color-scheme:dark"), "{html}");

    // Every other answer still refuses to be framed, the page first.
    for path in [
        "/status/acme",
        "/status/acme/badge.svg",
        "/status/acme/api/v2/summary.json",
        "/api/v1/public/acme/summary",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(
            header(response.headers(), "x-frame-options"),
            "DENY",
            "{path}"
        );
        // The Statuspage documents are for any site's scripts to read (CORS `*`, and so
        // loadable from anywhere); the rest is this server's own.
        let shared = path.contains("/api/v2/");
        assert_eq!(
            header(response.headers(), "cross-origin-resource-policy") == "cross-origin",
            shared,
            "{path}"
        );
        assert_eq!(
            header(response.headers(), "access-control-allow-origin") == "*",
            shared,
            "{path}"
        );
    }
    let status_page = app.get("/status/acme").await;
    let policy = header(status_page.headers(), "content-security-policy");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");

    // An open incident: its name, status and impact, linked to its page; the state in words.
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &org.owner.token,
            json!({"title": "Checkout <errors> & timeouts", "status": "investigating",
                   "impact": "major", "message": "Looking into it."}),
        )
        .await;
    assert_eq!(incident.status, 201, "{:?}", incident.body);
    let incident = incident.body["id"].as_str().unwrap().to_owned();
    let (headers, html) = embed_view(&app).await;
    assert!(
        html.contains("<p class=\"state major\" data-testid=\"state\">Partial system outage</p>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<a href=\"{page}/incidents/{incident}\" target=\"_blank\" rel=\"noopener\">\
             Checkout &lt;errors&gt; &amp; timeouts</a>"
        )),
        "{html}"
    );
    assert!(
        html.contains("Investigating · <span class=\"major\">Major impact</span>"),
        "{html}"
    );
    // Cached with an ETag like the page's other answers.
    let etag = header(&headers, "etag").to_owned();
    let again = app.get_if_none_match("/status/acme/embed", &etag).await;
    assert_eq!(again.status(), 304);
    assert!(!again.headers().contains_key("x-frame-options"));

    // Maintenance in progress shows; one only scheduled does not.
    let window = |title: &'static str| {
        let app = &app;
        let token = org.owner.token.clone();
        async move {
            let window = app
                .post_as(
                    "/api/v1/orgs/acme/maintenances",
                    &token,
                    json!({"title": title, "scheduled_start": "2031-03-01T02:00:00Z",
                           "scheduled_end": "2031-03-01T03:00:00Z", "service_ids": []}),
                )
                .await;
            assert_eq!(window.status, 201, "{:?}", window.body);
            window.body["id"].as_str().unwrap().to_owned()
        }
    };
    let started = window("Database upgrade").await;
    window("Network upgrade").await;
    let update = app
        .post_as(
            &format!("/api/v1/orgs/acme/maintenances/{started}/updates"),
            &org.owner.token,
            json!({"status": "in_progress", "message": "Started."}),
        )
        .await;
    assert_eq!(update.status, 201, "{:?}", update.body);
    let (headers, html) = embed_view(&app).await;
    assert_ne!(header(&headers, "etag"), etag, "a change draws it again");
    assert!(html.contains(&format!("<li class=\"maintenance\"><a href=\"{page}\" target=\"_blank\" rel=\"noopener\">Database upgrade</a><span>Maintenance in progress</span></li>")), "{html}");
    assert!(!html.contains("Network upgrade"), "{html}");

    // Once all is over, the view says so.
    let resolved = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &org.owner.token,
            json!({"status": "resolved", "message": "Fixed."}),
        )
        .await;
    assert_eq!(resolved.status, 201, "{:?}", resolved.body);
    let done = app
        .post_as(
            &format!("/api/v1/orgs/acme/maintenances/{started}/updates"),
            &org.owner.token,
            json!({"status": "completed", "message": "Done."}),
        )
        .await;
    assert_eq!(done.status, 201, "{:?}", done.body);
    let (_, html) = embed_view(&app).await;
    assert!(!html.contains("Checkout"), "{html}");
    assert!(!html.contains("<li"), "{html}");
    assert!(html.contains("All systems operational"), "{html}");

    assert_eq!(app.get("/status/nobody/embed").await.status(), 404);
}
