//! Crash safety, on SQLite and on PostgreSQL. Eight writers change an org through the API while
//! the server is killed with SIGKILL; after a restart every write that was answered 2xx is
//! there, and nothing is half-written (an incident without its first update or its affected
//! services, an event sequence with a gap). Mail queued before a kill, one of it mid-delivery,
//! is delivered after the restart, each message once. A notification queued, and one being
//! sent, when the server is killed reach every subscriber and integration once after the
//! restart (a webhook that was mid-request hears it again with the same `webhook-id`).

use diesel::dsl::{exists, not};
use diesel::prelude::*;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_e2e::smtp::Sink;
use upstate_e2e::{Api, Server};
use upstate_store::Engine;
use upstate_store::schema::{
    deliveries, events, incident_services, incident_updates, incidents, notifications,
    organizations, outbox, subscriptions,
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

#[tokio::test]
async fn sqlite_a_sigkill_between_queueing_and_sending_still_delivers_once() {
    a_sigkill_between_queueing_and_sending_still_delivers_once(Engine::Sqlite).await;
}

#[tokio::test]
async fn postgres_a_sigkill_between_queueing_and_sending_still_delivers_once() {
    a_sigkill_between_queueing_and_sending_still_delivers_once(Engine::Postgres).await;
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

/// Deliveries by state, of every notification: (delivered, of email subscriptions delivered,
/// all).
fn delivery_states(test: &TestDb) -> (i64, i64, i64) {
    let mut conn = test.db.conn().unwrap();
    let all: Vec<(bool, String)> = deliveries::table
        .inner_join(subscriptions::table)
        .filter(deliveries::abandoned_at.is_null())
        .select((
            deliveries::delivered_at.is_not_null(),
            subscriptions::channel,
        ))
        .load(&mut *conn)
        .unwrap();
    let delivered = all.iter().filter(|(done, _)| *done);
    (
        delivered.clone().count() as i64,
        delivered.filter(|(_, channel)| channel == "email").count() as i64,
        all.len() as i64,
    )
}

async fn a_sigkill_between_queueing_and_sending_still_delivers_once(engine: Engine) {
    let test = TestDb::new(engine);
    let mailbox = Sink::start().await;
    let hooks = Receiver::start().await;
    let smtp = mailbox.url();
    // A dead server's claims are taken up again after 3 s, not the default 2 minutes.
    let mut server = Server::start_on(
        &test.url,
        &[
            ("UPSTATE_SMTP_URL", smtp.as_str()),
            ("UPSTATE_ALLOW_PRIVATE_TARGETS", "true"),
            ("UPSTATE_DELIVERY_LEASE_SECS", "3"),
        ],
    )
    .await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;

    // Three subscribers by email and one by webhook, each confirmed from the link mailed to it;
    // two team integrations (webhooks, no opt-in).
    let people = ["ada@acme.test", "bob@acme.test", "cy@acme.test"];
    let client = reqwest::Client::new();
    let mut asked: Vec<Value> = people
        .iter()
        .map(|email| json!({ "email": email }))
        .collect();
    asked.push(json!({"email": "ops@acme.test", "webhook_url": hooks.url("/subscriber")}));
    for body in &asked {
        let answer = client
            .post(server.url("/api/v1/public/acme/subscriptions"))
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 202);
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    let links = loop {
        let links: Vec<String> = mailbox
            .mails()
            .iter()
            .filter(|mail| mail.subject.starts_with("Confirm your subscription"))
            .filter_map(|mail| {
                let link = mail
                    .text
                    .split_whitespace()
                    .find(|w| w.ends_with("/confirm"));
                link.map(str::to_owned)
            })
            .collect();
        if links.len() == asked.len() {
            break links;
        }
        assert!(
            Instant::now() < deadline,
            "{} confirmation mails",
            links.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    for link in links {
        // The link names the server's public URL (its bind address here, port 0): its path.
        let path = &link[link.find("/status/acme/").expect("a status page link")..];
        let confirmed = client.post(server.url(path)).send().await.unwrap();
        assert_eq!(confirmed.status(), 200, "{link}");
    }
    let mut paths = vec!["/subscriber".to_owned()];
    for n in 1..=2 {
        let path = format!("/team-{n}");
        owner
            .post(
                "/api/v1/orgs/acme/integrations",
                json!({"kind": "webhook", "name": format!("Pager {n}"), "url": hooks.url(&path)}),
            )
            .await;
        paths.push(path);
    }
    let subscribers = (people.len() + paths.len()) as i64;

    // The incident is told: the mails and two webhooks are delivered and recorded, while the
    // third webhook's receiver holds its request (sent, not answered: in flight).
    let held_path = "/team-2";
    hooks.hold(held_path);
    let incident = owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Checkout down", "status": "investigating", "impact": "major",
                   "message": "Looking into it.", "affected": []}),
        )
        .await;
    hooks.held(1, Duration::from_secs(5)).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (delivered, mails, all) = delivery_states(&test);
        assert_eq!(all, subscribers, "one delivery per subscriber");
        if delivered == subscribers - 1 {
            assert_eq!(mails, people.len() as i64);
            break;
        }
        // Else a kill now would send again what was already handed over.
        assert!(
            Instant::now() < deadline,
            "{delivered} of {} deliveries handed over are recorded while one is in flight",
            subscribers - 1
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // An update: its mails go out (mail has a lane of its own), its webhook deliveries are
    // queued behind the request in flight.
    owner
        .post(
            &format!(
                "/api/v1/orgs/acme/incidents/{}/updates",
                incident["id"].as_str().unwrap()
            ),
            json!({"status": "identified", "message": "A bad deploy."}),
        )
        .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let (delivered, mails, all) = delivery_states(&test);
        if all == 2 * subscribers && mails == 2 * people.len() as i64 {
            assert_eq!(delivered, subscribers - 1 + people.len() as i64);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the update: {all} deliveries, {mails} mails recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    server.kill();
    let before_kill = hooks.requests();
    let in_flight = before_kill
        .iter()
        .position(|request| request.path == held_path)
        .unwrap();
    assert_eq!(
        before_kill.len(),
        paths.len(),
        "one request each, one of them held"
    );
    hooks.release();
    server.start_again().await;

    // The update's webhooks at once; the request in flight when its lease (3 s) runs out.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (delivered, _, all) = delivery_states(&test);
        if all == 2 * subscribers && delivered == all {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{delivered} of {all} deliveries delivered ({} expected)",
            2 * subscribers
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (fanned_out, abandoned): (i64, i64) = (
        notifications::table
            .filter(notifications::fanned_out_at.is_not_null())
            .count()
            .get_result(&mut *test.db.conn().unwrap())
            .unwrap(),
        deliveries::table
            .filter(deliveries::abandoned_at.is_not_null())
            .count()
            .get_result(&mut *test.db.conn().unwrap())
            .unwrap(),
    );
    assert_eq!((fanned_out, abandoned), (2, 0));

    // Each person has each notification once.
    for email in people {
        let mut subjects: Vec<String> = mailbox
            .mails()
            .into_iter()
            .filter(|mail| mail.to == email && !mail.subject.starts_with("Confirm"))
            .map(|mail| mail.subject)
            .collect();
        subjects.sort();
        assert_eq!(
            subjects,
            [
                "[Acme] Identified: Checkout down",
                "[Acme] Investigating: Checkout down"
            ],
            "{email} hears each notification once"
        );
    }
    // Each webhook accepted each notification once (every request but the held one was
    // answered 204); the request in flight when the server died came again with its id.
    let mut requests = hooks.requests();
    let held = requests.remove(in_flight);
    let id = |request: &upstate_e2e::receiver::Request| {
        let id = request
            .header("webhook-id")
            .expect("a webhook-id")
            .to_owned();
        (id, request.json()["type"].as_str().unwrap().to_owned())
    };
    for path in &paths {
        let mut accepted: Vec<(String, String)> = requests
            .iter()
            .filter(|r| &r.path == path)
            .map(id)
            .collect();
        accepted.sort_by(|a, b| a.1.cmp(&b.1));
        let types: Vec<&str> = accepted.iter().map(|(_, kind)| kind.as_str()).collect();
        assert_eq!(
            types,
            ["incident.created", "incident.updated"],
            "{path} accepts each notification once"
        );
        if *path == held_path {
            assert_eq!(
                id(&held),
                accepted[0],
                "{path} hears the request in flight again with the same webhook-id"
            );
        }
    }
    drop(server);
}
