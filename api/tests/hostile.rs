//! Hostile traffic (issue 12): what an attacker sends costs the server a bounded amount, and
//! does not get around the limits. Raw sockets where a well-behaved client library would not
//! send what an attacker does.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{TestApp, spawn_app, spawn_app_configured};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use upstate_api::auth::client_address::TrustProxy;
use upstate_store::Engine;

on_both_engines!(
    a_flood_of_control_frames_is_closed_and_costs_no_memory,
    frames_sent_together_are_all_read_before_the_next_read,
    websockets_beyond_the_caps_are_refused_with_503,
    unknown_pages_are_answered_from_memory_and_leave_nothing_behind,
    records_past_their_retention_are_deleted_and_recent_ones_kept,
    markdown_is_rendered_when_written_and_never_when_read,
    migrate_renders_messages_whose_html_is_missing,
    a_persons_invitation_mails_are_limited_across_orgs_and_replicas,
);

/// A raw WebSocket on `path`, past its 101 answer.
async fn raw_socket(app: &TestApp, path: &str) -> TcpStream {
    let address = app.address.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        let mut byte = [0u8; 1];
        stream.read_exact(&mut byte).await.unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    stream
}

/// A masked client frame (`opcode`, empty or short payload).
fn client_frame(opcode: u8, payload: &[u8]) -> Vec<u8> {
    assert!(payload.len() < 126);
    let mask = [1u8, 2, 3, 4];
    let mut frame = vec![0x80 | opcode, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    frame
}

/// The server's frames in `bytes`: (opcode, payload).
fn server_frames(mut bytes: &[u8]) -> Vec<(u8, Vec<u8>)> {
    let mut frames = Vec::new();
    while bytes.len() >= 2 {
        let opcode = bytes[0] & 0x0f;
        let (len, header) = match bytes[1] & 0x7f {
            126 if bytes.len() >= 4 => (u16::from_be_bytes([bytes[2], bytes[3]]) as usize, 4),
            127 if bytes.len() >= 10 => (
                u64::from_be_bytes(bytes[2..10].try_into().unwrap()) as usize,
                10,
            ),
            len @ 0..=125 => (len as usize, 2),
            _ => break,
        };
        if bytes.len() < header + len {
            break;
        }
        frames.push((opcode, bytes[header..header + len].to_vec()));
        bytes = &bytes[header + len..];
    }
    frames
}

fn close_code(frames: &[(u8, Vec<u8>)]) -> Option<u16> {
    frames
        .iter()
        .find(|(opcode, _)| *opcode == 8)
        .map(|(_, payload)| u16::from_be_bytes([payload[0], payload[1]]))
}

/// This process's resident memory, in bytes (the server runs in it).
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

async fn page(app: &TestApp) {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
}

async fn a_flood_of_control_frames_is_closed_and_costs_no_memory(engine: Engine) {
    let app = spawn_app(engine).await;
    page(&app).await;
    let stream = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let (mut reader, mut writer) = stream.into_split();
    let received = tokio::spawn(async move {
        let mut all = Vec::new();
        let ended = tokio::time::timeout(Duration::from_secs(20), reader.read_to_end(&mut all))
            .await
            .is_ok();
        (all, ended)
    });
    let before = resident_bytes();
    // 100 MB of masked empty pongs, 20,000 frames per write, for as long as the server reads.
    let burst: Vec<u8> = client_frame(0xA, b"").repeat(20_000);
    let mut sent = 0usize;
    let started = Instant::now();
    while sent < 100_000_000 && started.elapsed() < Duration::from_secs(30) {
        if writer.write_all(&burst).await.is_err() {
            break;
        }
        sent += burst.len();
    }
    let grown = resident_bytes().saturating_sub(before);
    let (received, ended) = received.await.unwrap();
    let frames = server_frames(&received);
    assert!(
        grown < 16 * 1024 * 1024,
        "resident memory grew by {} MiB after {} MB of pongs",
        grown / 1024 / 1024,
        sent / 1_000_000
    );
    assert_eq!(frames.first().map(|f| f.0), Some(1), "the hello came first");
    assert_eq!(
        close_code(&frames),
        Some(1008),
        "closed for too many control frames (sent {sent} bytes)"
    );
    assert!(ended, "the server closed the connection");
}

async fn frames_sent_together_are_all_read_before_the_next_read(engine: Engine) {
    let app = spawn_app(engine).await;
    page(&app).await;
    let mut stream = raw_socket(&app, "/api/v1/public/acme/ws").await;
    // Five pongs and a ping in one write: the ping is answered without waiting for more bytes.
    let mut together = client_frame(0xA, b"").repeat(5);
    together.extend(client_frame(0x9, b"still there?"));
    stream.write_all(&together).await.unwrap();
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let frames = server_frames(&seen);
        if let Some((_, payload)) = frames.iter().find(|(opcode, _)| *opcode == 0xA) {
            assert_eq!(payload, b"still there?");
            break;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let mut chunk = [0u8; 1024];
        let read = tokio::time::timeout(left, stream.read(&mut chunk))
            .await
            .expect("the ping behind five pongs was answered")
            .unwrap();
        assert!(read > 0, "the socket stayed open");
        seen.extend_from_slice(&chunk[..read]);
    }
}

async fn websockets_beyond_the_caps_are_refused_with_503(engine: Engine) {
    let app = spawn_app_configured(engine, Default::default(), |settings| {
        settings.ws_caps.per_address = 2;
    })
    .await;
    page(&app).await;
    let first = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let _second = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let upgrade = || {
        app.client
            .get(app.url("/api/v1/public/acme/ws"))
            .header("Upgrade", "websocket")
            .header("Connection", "Upgrade")
            .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
            .header("Sec-WebSocket-Version", "13")
            .send()
    };
    let refused = upgrade().await.unwrap();
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "10");
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("your address")
    );

    // A closed socket gives its place back.
    drop(first);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = upgrade().await.unwrap();
        if answer.status() == 101 {
            break;
        }
        assert!(Instant::now() < deadline, "the slot was never given back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn unknown_pages_are_answered_from_memory_and_leave_nothing_behind(engine: Engine) {
    let app = spawn_app(engine).await;
    page(&app).await;
    for n in 0..500 {
        let slug = format!("nobody-{n}-{}", "x".repeat(n % 40));
        for path in [
            format!("/api/v1/public/{slug}/summary"),
            format!("/api/v1/public/{slug}/uptime"),
            format!("/api/v1/public/{slug}/incidents"),
            format!("/api/v1/public/{slug}/ws"),
        ] {
            let response = app.get(&path).await;
            assert_eq!(response.status(), 404, "{path}");
        }
    }
    for garbage in ["%00", "A-B", "..", &"z".repeat(300)] {
        let status = app
            .get(&format!("/api/v1/public/{garbage}/summary"))
            .await
            .status();
        assert!(status == 404 || status == 400, "{garbage}: {status}");
    }
    assert_eq!(app.state.public.filling_len(), 0, "no lock kept per slug");
    assert_eq!(app.state.directory.len(), 1, "one entry per org");
    // A page created now is visible at once.
    let owner = app.register("owner@beta.test").await;
    app.create_org(&owner, "beta").await;
    assert_eq!(app.get("/api/v1/public/beta/summary").await.status(), 200);
}

#[tokio::test]
async fn with_the_database_down_unknown_pages_are_still_404_and_live_pages_still_connect() {
    let app = spawn_app(Engine::Postgres).await;
    page(&app).await;
    let mut visitor = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let mut hello = [0u8; 256];
    let read = visitor.read(&mut hello).await.unwrap();
    let first_hello = server_frames(&hello[..read]);
    app.db.kill_postgres();
    assert_eq!(
        app.get("/api/v1/public/nobody/summary").await.status(),
        404,
        "no database read for an unknown page"
    );
    // The next visitor's hello comes from the hub, not from the (gone) database.
    let mut second = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let read = tokio::time::timeout(Duration::from_secs(3), second.read(&mut hello))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(server_frames(&hello[..read]), first_hello);
}

#[tokio::test]
async fn a_spoofed_forwarded_for_does_not_get_around_the_sign_in_limit() {
    let app = spawn_app_configured(Engine::Sqlite, Default::default(), |settings| {
        settings.trust_proxy = TrustProxy::Hops(1);
    })
    .await;
    // Behind one proxy, which appends the real address: the attacker writes the rest.
    let limited = first_limited_attempt(&app, |n| format!("10.9.{n}.1, 198.51.100.7")).await;
    assert_eq!(
        limited,
        Some(30),
        "the address the proxy saw is limited after 30 attempts"
    );

    // Another client behind the same proxy is not.
    let other = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", "203.0.113.50")
        .json(&json!({"email": "someone@example.com", "password": "wrong-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 401);
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_for_is_ignored() {
    let app = spawn_app(Engine::Sqlite).await;
    let limited = first_limited_attempt(&app, |n| format!("10.9.{n}.1")).await;
    assert_eq!(
        limited,
        Some(30),
        "limited by the TCP peer, whatever the header says"
    );
}

/// Signs in with a wrong password as a new account each time, with the `X-Forwarded-For` that
/// `forwarded` writes for attempt n; the first attempt refused with 429, if any of 40.
async fn first_limited_attempt(
    app: &TestApp,
    forwarded: impl Fn(usize) -> String,
) -> Option<usize> {
    for attempt in 0..40 {
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("X-Forwarded-For", forwarded(attempt))
            .json(&json!({"email": format!("guess{attempt}@example.com"), "password": "wrong-password"}))
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            return Some(attempt);
        }
        assert_eq!(response.status(), 401);
    }
    None
}

#[tokio::test]
async fn a_wrong_reset_token_costs_no_hash_and_guessing_it_is_limited() {
    let app = spawn_app(Engine::Sqlite).await;
    let before = upstate_api::auth::password::hashes_computed();
    let mut limited = None;
    for attempt in 0..15 {
        let answer = app
            .call(
                reqwest::Method::POST,
                "/api/v1/auth/password-reset/confirm",
                None,
                Some(json!({"token": format!("ups_guess{attempt}"), "password": "a brand new password"})),
            )
            .await;
        if answer.status == 429 {
            limited = Some(attempt);
            break;
        }
        assert_eq!(answer.status, 401, "{:?}", answer.body);
    }
    assert_eq!(limited, Some(10), "ten guesses per address");
    assert_eq!(
        upstate_api::auth::password::hashes_computed(),
        before,
        "no password was hashed for a wrong token"
    );
}

#[tokio::test]
async fn invitations_are_limited_per_org_and_capped_while_pending() {
    let app = spawn_app(Engine::Sqlite).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let invite = |slug: &'static str, n: usize| {
        let (app, owner) = (&app, &owner);
        async move {
            app.post_as(
                &format!("/api/v1/orgs/{slug}/invitations"),
                &owner.token,
                json!({"email": format!("person{n}@example.com"), "role": "viewer"}),
            )
            .await
        }
    };
    let mut limited = None;
    for n in 0..40 {
        let answer = invite("acme", n).await;
        if answer.status == 429 {
            limited = Some(n);
            break;
        }
        assert_eq!(answer.status, 201, "{:?}", answer.body);
    }
    assert_eq!(limited, Some(30), "30 invitation mails per org and hour");

    // However slowly they are sent, no more than 100 wait at once.
    let beta = app.create_org(&owner, "beta").await;
    let org = upstate_shared::OrgId(beta["id"].as_str().unwrap().to_owned());
    let mut conn = app.state.db.conn().unwrap();
    for n in 0..upstate_store::invitations::MAX_PENDING {
        upstate_store::invitations::create(
            &mut conn,
            &org,
            upstate_store::invitations::NewInvitation {
                email: &format!("waiting{n}@example.com"),
                role: upstate_shared::Role::Viewer,
                by: upstate_shared::Role::Owner,
                invited_by: None,
                token_hash: &format!("hash-{n}"),
                expires_at: upstate_store::now() + chrono::Duration::days(7),
            },
        )
        .unwrap();
    }
    drop(conn);
    let refused = invite("beta", 1000).await;
    assert_eq!((refused.status, refused.code()), (409, "conflict"));
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100 invitations pending"),
        "{:?}",
        refused.body
    );
}

async fn records_past_their_retention_are_deleted_and_recent_ones_kept(engine: Engine) {
    use diesel::prelude::*;
    use upstate_store::schema::{events, invitations, link_tokens, outbox, refresh_tokens};
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    for name in ["API", "Website"] {
        app.post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": name}),
        )
        .await;
    }
    app.post_as(
        "/api/v1/orgs/acme/invitations",
        &owner.token,
        json!({"email": "new@acme.test", "role": "viewer"}),
    )
    .await;
    app.call(
        reqwest::Method::POST,
        "/api/v1/auth/password-reset",
        None,
        Some(json!({"email": "owner@acme.test"})),
    )
    .await;
    // Everything so far becomes old: events of 8 days, mail delivered 8 days ago, a reset link,
    // an invitation and a session that expired 31 days ago.
    let now = upstate_store::now();
    let long_ago = now - chrono::Duration::days(8);
    let expired = now - chrono::Duration::days(31);
    {
        let mut conn = app.state.db.conn().unwrap();
        let conn = &mut *conn;
        diesel::update(events::table)
            .set(events::created_at.eq(long_ago))
            .execute(conn)
            .unwrap();
        diesel::update(outbox::table)
            .set(outbox::delivered_at.eq(Some(long_ago)))
            .execute(conn)
            .unwrap();
        diesel::update(link_tokens::table.filter(link_tokens::purpose.eq("password_reset")))
            .set(link_tokens::expires_at.eq(expired))
            .execute(conn)
            .unwrap();
        diesel::update(invitations::table)
            .set(invitations::expires_at.eq(expired))
            .execute(conn)
            .unwrap();
    }
    // A second sign-in: its session is current and stays.
    let current = app.login("owner@acme.test", common::PASSWORD).await;
    assert_eq!(current.status, 200);
    {
        let mut conn = app.state.db.conn().unwrap();
        // The first session (from registering) expired a month ago.
        let first: String = refresh_tokens::table
            .order(refresh_tokens::created_at.asc())
            .select(refresh_tokens::family_id)
            .first(&mut *conn)
            .unwrap();
        diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(first)))
            .set(refresh_tokens::expires_at.eq(expired))
            .execute(&mut *conn)
            .unwrap();
    }
    // One fresh event.
    app.post_as(
        "/api/v1/orgs/acme/services",
        &owner.token,
        json!({"name": "Docs"}),
    )
    .await;

    let pruned = upstate_api::server::prune_old_records(&app.state)
        .await
        .unwrap();
    assert_eq!(pruned.events, 2, "{pruned:?}");
    assert_eq!(pruned.link_tokens, 1, "{pruned:?}");
    assert_eq!(pruned.invitations, 1, "{pruned:?}");
    assert_eq!(pruned.refresh_tokens, 1, "{pruned:?}");
    assert!(pruned.outbox >= 1, "{pruned:?}");
    let mut conn = app.state.db.conn().unwrap();
    let left: i64 = events::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(left, 1, "the fresh event stays");
    let sessions: i64 = refresh_tokens::table
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(sessions, 1, "the current session stays");
    drop(conn);
    // A visitor still connects, with the org's current seq.
    let mut socket = raw_socket(&app, "/api/v1/public/acme/ws").await;
    let mut hello = [0u8; 256];
    let read = socket.read(&mut hello).await.unwrap();
    let frames = server_frames(&hello[..read]);
    let text = String::from_utf8_lossy(&frames[0].1);
    assert!(text.contains(r#""seq":3"#), "{text}");
}

/// An incident and a maintenance window, each with Markdown; answers their ids.
async fn messages_in_markdown(app: &TestApp, owner: &common::Account) -> (String, String) {
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": "API down", "status": "resolved", "impact": "major",
                   "message": "We are **on it**.", "affected": []}),
        )
        .await;
    assert_eq!(incident.status, 201, "{:?}", incident.body);
    let window = app
        .post_as(
            "/api/v1/orgs/acme/maintenances",
            &owner.token,
            json!({"title": "DB upgrade", "description": "Expect *slow* pages.",
                   "scheduled_start": "2035-01-01T00:00:00Z", "scheduled_end": "2035-01-01T02:00:00Z"}),
        )
        .await;
    assert_eq!(window.status, 201, "{:?}", window.body);
    (
        incident.body["id"].as_str().unwrap().to_owned(),
        window.body["id"].as_str().unwrap().to_owned(),
    )
}

/// The members' API answers the HTML of what [`messages_in_markdown`] wrote.
async fn the_html_of_the_messages_is_served(
    app: &TestApp,
    owner: &common::Account,
    incident: &str,
    window: &str,
) {
    let read = app
        .get_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}"),
            &owner.token,
        )
        .await;
    assert_eq!(
        read.body["updates"][0]["message_html"],
        "<p>We are <strong>on it</strong>.</p>\n"
    );
    let read = app
        .get_as(
            &format!("/api/v1/orgs/acme/maintenances/{window}"),
            &owner.token,
        )
        .await;
    assert_eq!(
        read.body["description_html"],
        "<p>Expect <em>slow</em> pages.</p>\n"
    );
}

async fn markdown_is_rendered_when_written_and_never_when_read(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let (incident, window) = messages_in_markdown(&app, &owner).await;
    let postmortem = app
        .patch_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}"),
            &owner.token,
            json!({"postmortem": "A _full_ account."}),
        )
        .await;
    assert_eq!(postmortem.status, 200, "{:?}", postmortem.body);
    assert_eq!(
        postmortem.body["postmortem_html"],
        "<p>A <em>full</em> account.</p>\n"
    );

    // Reads, many of them and uncached, render nothing: the HTML was stored when written.
    let renders = upstate_markdown::renders();
    for _ in 0..20 {
        the_html_of_the_messages_is_served(&app, &owner, &incident, &window).await;
        let history: Value = app
            .get("/api/v1/public/acme/incidents?limit=10")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            history["items"][0]["postmortem_html"], "<p>A <em>full</em> account.</p>\n",
            "{history}"
        );
    }
    assert_eq!(
        upstate_markdown::renders(),
        renders,
        "reads rendered Markdown"
    );

    // A change renders the new text once.
    let changed = app
        .patch_as(
            &format!("/api/v1/orgs/acme/maintenances/{window}"),
            &owner.token,
            json!({"description": "Expect **no** downtime."}),
        )
        .await;
    assert_eq!(changed.status, 200, "{:?}", changed.body);
    assert_eq!(
        changed.body["description_html"],
        "<p>Expect <strong>no</strong> downtime.</p>\n"
    );
    assert_eq!(upstate_markdown::renders(), renders + 1);
}

async fn migrate_renders_messages_whose_html_is_missing(engine: Engine) {
    use diesel::prelude::*;
    use upstate_store::schema::{incident_updates, maintenances};
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let (incident, window) = messages_in_markdown(&app, &owner).await;
    // As a row written before the HTML columns existed, or after a change of policy.
    {
        let mut conn = app.db.db.conn().unwrap();
        diesel::update(incident_updates::table)
            .set(incident_updates::message_html.eq(None::<String>))
            .execute(&mut *conn)
            .unwrap();
        diesel::update(maintenances::table)
            .set(maintenances::description_html.eq(None::<String>))
            .execute(&mut *conn)
            .unwrap();
    }
    app.db.db.migrate().unwrap();
    let mut conn = app.db.db.conn().unwrap();
    let stored: Vec<Option<String>> = incident_updates::table
        .select(incident_updates::message_html)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(
        stored,
        [Some("<p>We are <strong>on it</strong>.</p>\n".to_owned())]
    );
    let stored: Vec<Option<String>> = maintenances::table
        .select(maintenances::description_html)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(
        stored,
        [Some("<p>Expect <em>slow</em> pages.</p>\n".to_owned())]
    );
    drop(conn);
    the_html_of_the_messages_is_served(&app, &owner, &incident, &window).await;
}

async fn a_persons_invitation_mails_are_limited_across_orgs_and_replicas(engine: Engine) {
    use upstate_store::outbox::MAX_ON_BEHALF_PER_HOUR;
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let bob = app.register("bob@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.create_org(&owner, "beta").await;
    app.add_member(&owner, "beta", &bob, "admin").await; // the owner's first mail
    let invite = |base: String, slug: &'static str, token: String, n: usize| {
        let client = app.client.clone();
        async move {
            let response = client
                .post(format!("{base}/api/v1/orgs/{slug}/invitations"))
                .bearer_auth(token)
                .json(&json!({"email": format!("person{n}@example.com"), "role": "viewer"}))
                .send()
                .await
                .unwrap();
            let retry_after = response.headers().get("retry-after").cloned();
            (response.status().as_u16(), retry_after)
        }
    };
    // Under each org's own limit, but over the person's: half in one org on one replica...
    let half = MAX_ON_BEHALF_PER_HOUR / 2;
    for n in 0..half {
        let (status, _) = invite(app.address.clone(), "acme", owner.token.clone(), n).await;
        assert_eq!(status, 201);
    }
    // ...the rest in the other org on another replica (several replicas run on PostgreSQL; on
    // SQLite, the one server).
    let replica = match engine {
        Engine::Postgres => Some(app.replica().await),
        Engine::Sqlite => None,
    };
    let other = replica
        .as_ref()
        .map_or(app.address.clone(), |replica| replica.address.clone());
    for n in half..MAX_ON_BEHALF_PER_HOUR - 1 {
        let (status, _) = invite(other.clone(), "beta", owner.token.clone(), n).await;
        assert_eq!(status, 201, "invitation {n}");
    }
    let (status, retry_after) = invite(other.clone(), "beta", owner.token.clone(), 999).await;
    assert_eq!(
        status, 429,
        "{} mails an hour per person",
        MAX_ON_BEHALF_PER_HOUR
    );
    let retry_after: u64 = retry_after.unwrap().to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    // Nothing of the refused invitation was kept, and others in the org can still invite.
    let pending = app
        .get_as("/api/v1/orgs/beta/invitations", &bob.token)
        .await;
    let emails: Vec<&str> = pending.body["items"]
        .as_array()
        .or(pending.body.as_array())
        .unwrap()
        .iter()
        .map(|i| i["email"].as_str().unwrap())
        .collect();
    assert!(!emails.contains(&"person999@example.com"), "{emails:?}");
    assert_eq!(emails.len(), MAX_ON_BEHALF_PER_HOUR - 1 - half);
    let (status, _) = invite(app.address.clone(), "beta", bob.token.clone(), 1000).await;
    assert_eq!(status, 201);
}
