//! Crash safety, on SQLite and on PostgreSQL. Eight writers change an org through the API while
//! the server is killed with SIGKILL; after a restart every write that was answered 2xx is
//! there, and nothing is half-written (an incident without its first update or its affected
//! services, an event sequence with a gap). Mail queued before a kill, one of it mid-delivery,
//! is delivered after the restart, each message once.

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upstate_e2e::smtp::Sink;
use upstate_e2e::{Api, Server};
use upstate_store::Engine;
use upstate_store::schema::{
    events, incident_services, incident_updates, incidents, organizations, outbox,
};
use upstate_store::testing::TestDb;

#[tokio::test]
async fn sqlite_acknowledged_writes_survive_a_kill_and_nothing_is_half_written() {
    acknowledged_writes_survive_a_kill_and_nothing_is_half_written(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_acknowledged_writes_survive_a_kill_and_nothing_is_half_written() {
    acknowledged_writes_survive_a_kill_and_nothing_is_half_written(Engine::Postgres).await;
}

#[tokio::test]
async fn sqlite_mail_queued_before_a_kill_is_delivered_once_after_the_restart() {
    mail_queued_before_a_kill_is_delivered_once_after_the_restart(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_mail_queued_before_a_kill_is_delivered_once_after_the_restart() {
    mail_queued_before_a_kill_is_delivered_once_after_the_restart(Engine::Postgres).await;
}

/// What the server acknowledged: an incident and the ids of its updates answered 201.
#[derive(Debug, Default)]
struct Acked {
    incident: String,
    updates: Vec<String>,
}

/// Declares incidents and posts updates to them until a request fails (the server is gone).
async fn writer(base: String, key: String, service: String, acked: Arc<Mutex<Vec<Acked>>>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let post = |path: String, body: Value| {
        let request = client
            .post(format!("{base}/api/v1/orgs/acme{path}"))
            .bearer_auth(&key)
            .json(&body);
        async move {
            let response = request.send().await.ok()?;
            if response.status().as_u16() != 201 {
                return None;
            }
            response.json::<Value>().await.ok()
        }
    };
    loop {
        let Some(incident) = post(
            "/incidents".into(),
            json!({"title": "Elevated errors", "status": "investigating", "impact": "minor",
                   "message": "Looking into it.",
                   "affected": [{"service_id": service, "status": "degraded_performance"}]}),
        )
        .await
        else {
            return;
        };
        let id = incident["id"].as_str().unwrap().to_owned();
        let first = incident["updates"][0]["id"].as_str().unwrap().to_owned();
        let index = {
            let mut acked = acked.lock().unwrap();
            acked.push(Acked {
                incident: id.clone(),
                updates: vec![first],
            });
            acked.len() - 1
        };
        for status in ["identified", "monitoring", "resolved"] {
            let Some(update) = post(
                format!("/incidents/{id}/updates"),
                json!({"status": status, "message": format!("Now {status}.")}),
            )
            .await
            else {
                return;
            };
            let update = update["id"].as_str().unwrap().to_owned();
            acked.lock().unwrap()[index].updates.push(update);
        }
    }
}

async fn acknowledged_writes_survive_a_kill_and_nothing_is_half_written(engine: Engine) {
    let test = TestDb::new(engine);
    let mut server = Server::start_on(&test.url, &[]).await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let mut services = Vec::new();
    for name in ["API", "Web", "Mail"] {
        let service = owner
            .post("/api/v1/orgs/acme/services", json!({ "name": name }))
            .await;
        services.push(service["id"].as_str().unwrap().to_owned());
    }
    let key = owner
        .post(
            "/api/v1/orgs/acme/api-keys",
            json!({"name": "writers", "role": "editor"}),
        )
        .await["key"]
        .as_str()
        .unwrap()
        .to_owned();

    let acked = Arc::new(Mutex::new(Vec::<Acked>::new()));
    let writers: Vec<_> = (0..8)
        .map(|n| {
            tokio::spawn(writer(
                server.url(""),
                key.clone(),
                services[n % services.len()].clone(),
                acked.clone(),
            ))
        })
        .collect();
    // Mid-load: once the writers are well under way, as abruptly as a crash.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acked.lock().unwrap().len() < 40 {
        assert!(Instant::now() < deadline, "the writers made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.restart().await;
    for writer in writers {
        writer.await.unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());
    assert!(acked.len() >= 40);

    // Every acknowledged write is there.
    let reader = Api::at(&server.url(""), &key);
    for write in &acked {
        let incident = reader
            .send(
                reqwest::Method::GET,
                &format!("/api/v1/orgs/acme/incidents/{}", write.incident),
                Value::Null,
            )
            .await;
        let stored: Vec<&str> = incident["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|update| update["id"].as_str().unwrap())
            .collect();
        for update in &write.updates {
            assert!(
                stored.contains(&update.as_str()),
                "update {update} of {} was acknowledged and is gone",
                write.incident
            );
        }
    }

    // Nothing is half-written.
    let mut conn = test.db.conn().unwrap();
    let without_update: i64 = incidents::table
        .filter(not(exists(
            incident_updates::table.filter(incident_updates::incident_id.eq(incidents::id)),
        )))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(without_update, 0, "incidents without their first update");
    let without_services: i64 = incidents::table
        .filter(not(exists(
            incident_services::table.filter(incident_services::incident_id.eq(incidents::id)),
        )))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(
        without_services, 0,
        "incidents without their affected service"
    );
    let (org, seq): (String, i64) = organizations::table
        .filter(organizations::slug.eq("acme"))
        .select((organizations::id, organizations::event_seq))
        .first(&mut *conn)
        .unwrap();
    let (count, highest): (i64, Option<i64>) = events::table
        .filter(events::org_id.eq(&org))
        .select((diesel::dsl::count_star(), diesel::dsl::max(events::seq)))
        .first(&mut *conn)
        .unwrap();
    assert_eq!(
        (count, highest),
        (seq, Some(seq)),
        "the org's events run from 1 to its sequence with no gap"
    );
    drop(conn);

    // And the server takes writes again.
    let after = reader
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "After the restart", "status": "investigating", "impact": "none",
                   "message": "Still here.", "affected": []}),
        )
        .await;
    assert_eq!(after["title"], "After the restart");
    drop(server);
}

/// Emails the outbox holds and has not delivered.
fn undelivered(test: &TestDb) -> i64 {
    let mut conn = test.db.conn().unwrap();
    outbox::table
        .filter(outbox::delivered_at.is_null())
        .count()
        .get_result(&mut *conn)
        .unwrap()
}

async fn mail_queued_before_a_kill_is_delivered_once_after_the_restart(engine: Engine) {
    let test = TestDb::new(engine);
    let mailbox = Sink::start().await;
    mailbox.hold();
    let smtp = mailbox.url();
    let mut server = Server::start_on(&test.url, &[("UPSTATE_SMTP_URL", smtp.as_str())]).await;
    // Each sign-up queues an address confirmation, each reset request a reset link.
    let people = ["ada@acme.test", "bob@acme.test", "cy@acme.test"];
    for email in people {
        Api::register(&server, email).await;
    }
    let client = reqwest::Client::new();
    for email in people {
        let answer = client
            .post(server.url("/api/v1/auth/password-reset"))
            .json(&json!({ "email": email }))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 202);
    }
    // One is being delivered (the SMTP server holds it at DATA), five wait in the outbox.
    mailbox.held().await;
    assert_eq!(undelivered(&test), 6);
    server.kill();
    mailbox.release();
    server.start_again().await;

    // The five at once, the one in flight when its lease (30 s) runs out; none twice.
    let deadline = Instant::now() + Duration::from_secs(60);
    while undelivered(&test) > 0 {
        assert!(
            Instant::now() < deadline,
            "{} emails still undelivered",
            undelivered(&test)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mut received: Vec<(String, String)> = mailbox
        .mails()
        .into_iter()
        .map(|mail| (mail.to, mail.subject))
        .collect();
    received.sort();
    let mut expected: Vec<(String, String)> = people
        .iter()
        .flat_map(|email| {
            [
                (
                    email.to_string(),
                    "Confirm your email address for Upstate".to_owned(),
                ),
                (email.to_string(), "Reset your Upstate password".to_owned()),
            ]
        })
        .collect();
    expected.sort();
    assert_eq!(received, expected, "each email once");
    drop(server);
}
