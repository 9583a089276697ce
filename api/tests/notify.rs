//! Telling people, end to end through the real worker: a real SMTP server and real HTTP
//! receivers on loopback. A visitor subscribes, confirms from the mail, hears of an incident
//! in a mail that unsubscribes in one click; a subscriber limited to some services hears only
//! of them; a webhook's requests are signed; a failing webhook is retried, then disabled and its
//! contact told; addresses Upstate must not reach are refused.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, spawn_app, spawn_app_configured};
use serde_json::{Value, json};
use std::time::Duration;
use upstate_e2e::receiver::Receiver;
use upstate_store::Engine;

on_both_engines!(
    a_visitor_subscribes_confirms_hears_of_an_incident_and_unsubscribes_in_one_click,
    a_subscriber_limited_to_some_services_hears_only_of_them,
    a_webhook_subscriber_gets_each_notification_signed,
    a_failing_webhook_is_retried_then_disabled_and_its_contact_told,
    a_maintenance_window_is_announced_reminded_started_and_completed,
    admins_search_count_remove_export_and_import_subscribers,
);

/// An org `acme` with the services API and Website; answers the owner and the services' ids.
async fn acme(app: &TestApp) -> (Account, String, String) {
    let owner = app.register("owner@example.com").await;
    app.create_org(&owner, "acme").await;
    let mut ids = Vec::new();
    for name in ["API", "Website"] {
        let created = app
            .post_as(
                "/api/v1/orgs/acme/services",
                &owner.token,
                json!({ "name": name }),
            )
            .await;
        assert_eq!(created.status, 201, "{:?}", created.body);
        ids.push(created.body["id"].as_str().unwrap().to_owned());
    }
    let website = ids.pop().unwrap();
    let api = ids.pop().unwrap();
    (owner, api, website)
}

async fn subscribe(app: &TestApp, body: Value) -> common::Answer {
    app.call(
        reqwest::Method::POST,
        "/api/v1/public/acme/subscriptions",
        None,
        Some(body),
    )
    .await
}

/// The server's own address for a link it wrote (its public URL has no port in the tests).
fn local(app: &TestApp, link: &str) -> String {
    link.replacen(&app.settings.public_url, &app.address, 1)
}

/// The confirmation link mailed to `email`.
async fn confirmation_link(app: &TestApp, email: &str) -> String {
    app.confirmation_link(email).await
}

/// Confirms by the page's button (a form post to the link).
async fn confirm(link: &str) {
    let client = reqwest::Client::new();
    let page = client.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Confirm subscription"));
    let done = client.post(link).send().await.unwrap();
    assert_eq!(done.status(), 200);
    assert!(done.text().await.unwrap().contains("You are subscribed"));
}

async fn declare(app: &TestApp, owner: &Account, title: &str, services: &[&str]) -> String {
    let affected: Vec<Value> = services
        .iter()
        .map(|id| json!({ "service_id": id, "status": "major_outage" }))
        .collect();
    let created = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({
                "title": title, "status": "investigating", "impact": "major",
                "message": "We are looking into it.", "affected": affected
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

/// Waits until every notification is fanned out and no delivery is due.
async fn settled(app: &TestApp) {
    use diesel::prelude::*;
    use upstate_store::schema::{deliveries, notifications};
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let waiting: i64 = {
            let mut conn = app.db.db.conn().unwrap();
            let fanning: i64 = notifications::table
                .filter(notifications::fanned_out_at.is_null())
                .count()
                .get_result(&mut *conn)
                .unwrap();
            let due: i64 = deliveries::table
                .filter(deliveries::delivered_at.is_null())
                .filter(deliveries::abandoned_at.is_null())
                .count()
                .get_result(&mut *conn)
                .unwrap();
            fanning + due
        };
        if waiting == 0 {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{waiting} notifications or deliveries still waiting"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The notification mails (not confirmations) sent to `email`.
async fn notices_to(app: &TestApp, email: &str) -> Vec<upstate_e2e::smtp::Mail> {
    settled(app).await;
    app.outbox_delivered().await;
    app.mailbox
        .mails()
        .into_iter()
        .filter(|mail| mail.to == email && mail.subject.starts_with("[Org acme]"))
        .collect()
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")))
}

async fn a_visitor_subscribes_confirms_hears_of_an_incident_and_unsubscribes_in_one_click(
    engine: Engine,
) {
    let app = spawn_app(engine).await;
    let (owner, api, _) = acme(&app).await;
    let asked = subscribe(&app, json!({ "email": "ada@example.com" })).await;
    assert_eq!(asked.status, 202, "{:?}", asked.body);
    // Asking again says the same, and sends no second mail so soon.
    let again = subscribe(&app, json!({ "email": "ada@example.com" })).await;
    assert_eq!((again.status, &again.body), (202, &asked.body));
    let link = confirmation_link(&app, "ada@example.com").await;
    let confirmations = app
        .emails()
        .await
        .iter()
        .filter(|(to, subject, _)| {
            to == "ada@example.com" && subject.starts_with("Confirm your subscription")
        })
        .count();
    assert_eq!(confirmations, 1);

    // Nothing is sent before the link is followed.
    let incident = declare(&app, &owner, "Elevated API errors", &[&api]).await;
    assert!(notices_to(&app, "ada@example.com").await.is_empty());
    confirm(&link).await;

    let update = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &owner.token,
            json!({ "status": "identified", "message": "A bad **deploy**; rolling back." }),
        )
        .await;
    assert_eq!(update.status, 201, "{:?}", update.body);
    let mails = notices_to(&app, "ada@example.com").await;
    assert_eq!(mails.len(), 1, "one mail for the update");
    let mail = &mails[0];
    assert_eq!(mail.subject, "[Org acme] Identified: Elevated API errors");
    assert!(
        mail.text.contains("A bad **deploy**; rolling back."),
        "{}",
        mail.text
    );
    assert!(
        mail.text
            .contains(&format!("/status/acme/incidents/{incident}")),
        "the incident's link: {}",
        mail.text
    );
    let html = mail.html.as_deref().expect("an HTML part");
    assert!(html.contains("<strong>deploy</strong>"), "{html}");
    let unsubscribe = header(&mail.raw, "List-Unsubscribe")
        .expect("List-Unsubscribe")
        .trim_matches(|c| c == '<' || c == '>');
    assert_eq!(
        header(&mail.raw, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(
        mail.text.contains(unsubscribe),
        "the text says how to unsubscribe"
    );

    // An update that tells nobody.
    let quiet = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &owner.token,
            json!({ "status": "monitoring", "message": "Watching.", "notify": false }),
        )
        .await;
    assert_eq!(quiet.status, 201);
    assert_eq!(notices_to(&app, "ada@example.com").await.len(), 1);

    // One click from the mail client (RFC 8058), then nothing more.
    let clicked = reqwest::Client::new()
        .post(local(&app, unsubscribe))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(clicked.status(), 200);
    let resolved = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &owner.token,
            json!({ "status": "resolved", "message": "All good." }),
        )
        .await;
    assert_eq!(resolved.status, 201);
    assert_eq!(notices_to(&app, "ada@example.com").await.len(), 1);
    let manage = local(&app, unsubscribe.trim_end_matches("/unsubscribe"));
    let gone = reqwest::get(&manage).await.unwrap();
    assert_eq!(gone.status(), 404, "the link names nothing any more");
}

async fn a_subscriber_limited_to_some_services_hears_only_of_them(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, api, website) = acme(&app).await;
    for body in [
        json!({ "email": "all@example.com" }),
        json!({ "email": "web@example.com", "service_ids": [website] }),
    ] {
        assert_eq!(subscribe(&app, body).await.status, 202);
    }
    for email in ["all@example.com", "web@example.com"] {
        let link = confirmation_link(&app, email).await;
        confirm(&link).await;
    }
    declare(&app, &owner, "API errors", &[&api]).await;
    declare(&app, &owner, "Website slow", &[&website]).await;
    let subjects = |mails: Vec<upstate_e2e::smtp::Mail>| {
        let mut subjects: Vec<String> = mails.into_iter().map(|m| m.subject).collect();
        subjects.sort();
        subjects
    };
    assert_eq!(
        subjects(notices_to(&app, "all@example.com").await),
        [
            "[Org acme] Investigating: API errors",
            "[Org acme] Investigating: Website slow"
        ]
    );
    assert_eq!(
        subjects(notices_to(&app, "web@example.com").await),
        ["[Org acme] Investigating: Website slow"]
    );
    // An unknown service is refused by name.
    let unknown = subscribe(
        &app,
        json!({ "email": "x@example.com", "service_ids": ["nope"] }),
    )
    .await;
    assert_eq!(unknown.status, 422, "{:?}", unknown.body);
    assert!(unknown.body["error"]["fields"]["service_ids[0]"].is_array());
}

async fn a_webhook_subscriber_gets_each_notification_signed(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, api, _) = acme(&app).await;
    let hook = Receiver::start().await;
    let asked = subscribe(
        &app,
        json!({ "email": "ops@example.com", "webhook_url": hook.url("/upstate") }),
    )
    .await;
    assert_eq!(asked.status, 202, "{:?}", asked.body);
    // The contact address confirms; the API shows the signing secret this once.
    let link = confirmation_link(&app, "ops@example.com").await;
    let token = link.rsplit('/').nth(1).unwrap().to_owned();
    let confirmed = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/public/acme/subscriptions/{token}/confirm"),
            None,
            None,
        )
        .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let secret = confirmed.body["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let twice = app
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/public/acme/subscriptions/{token}/confirm"),
            None,
            None,
        )
        .await;
    assert!(twice.body.get("secret").is_none(), "shown once");

    let incident = declare(&app, &owner, "Database down", &[&api]).await;
    let got = hook.wait_for(1, Duration::from_secs(10)).await;
    let request = &got[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/upstate")
    );
    common::assert_signed(request, &secret);
    let body = request.json();
    assert_eq!(body["type"], "incident.created");
    assert_eq!(body["data"]["id"], incident.as_str());
    assert_eq!(body["data"]["title"], "Database down");
    settled(&app).await;
    assert_eq!(hook.requests().len(), 1, "delivered once");
}

async fn a_failing_webhook_is_retried_then_disabled_and_its_contact_told(engine: Engine) {
    let app = spawn_app_configured(engine, Default::default(), |settings| {
        settings.delivery_retry = Duration::from_millis(200);
        settings.webhook_disable_after = 3;
    })
    .await;
    let (owner, api, _) = acme(&app).await;
    let hook = Receiver::start().await;
    hook.answer(500);
    subscribe(
        &app,
        json!({ "email": "ops@example.com", "webhook_url": hook.url("/down") }),
    )
    .await;
    let link = confirmation_link(&app, "ops@example.com").await;
    confirm(&link).await;
    declare(&app, &owner, "Database down", &[&api]).await;
    // Three attempts (the first, then two retries), then it is disabled.
    hook.wait_for(3, Duration::from_secs(15)).await;
    settled(&app).await;
    app.outbox_delivered().await;
    assert_eq!(hook.requests().len(), 3);
    let told = app
        .emails()
        .await
        .into_iter()
        .find(|(to, subject, _)| to == "ops@example.com" && subject.contains("was disabled"))
        .expect("the contact hears the webhook was disabled");
    assert!(told.2.contains("500"), "it says why: {}", told.2);
    // Working again, it hears nothing: it was disabled.
    hook.answer(204);
    declare(&app, &owner, "Cache down", &[&api]).await;
    settled(&app).await;
    assert_eq!(hook.requests().len(), 3);
}

/// Webhooks to addresses Upstate must not reach are refused when subscribing.
#[tokio::test]
async fn a_webhook_to_a_private_or_metadata_address_is_refused() {
    let app = spawn_app_configured(Engine::Sqlite, Default::default(), |settings| {
        settings.egress = upstate_egress::Policy {
            allow_private: false,
        };
    })
    .await;
    acme(&app).await;
    for (n, url) in [
        "http://127.0.0.1:9/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://[::1]/hook",
        "http://localhost/hook",
        "http://2130706433/hook",
    ]
    .into_iter()
    .enumerate()
    {
        let refused = subscribe(
            &app,
            json!({ "email": format!("ops{n}@example.com"), "webhook_url": url }),
        )
        .await;
        assert_eq!(refused.status, 422, "{url}: {:?}", refused.body);
        assert!(
            refused.body["error"]["fields"]["webhook_url"].is_array(),
            "{url}: {:?}",
            refused.body
        );
    }
    assert!(
        app.emails()
            .await
            .iter()
            .all(|(_, subject, _)| !subject.starts_with("Confirm your subscription")),
        "nothing was sent for a refused webhook"
    );
}

async fn a_maintenance_window_is_announced_reminded_started_and_completed(engine: Engine) {
    let app = spawn_app(engine).await;
    let (owner, api, _) = acme(&app).await;
    assert_eq!(
        subscribe(&app, json!({ "email": "ada@example.com" }))
            .await
            .status,
        202
    );
    let link = confirmation_link(&app, "ada@example.com").await;
    confirm(&link).await;
    let start = chrono::Utc::now() + chrono::TimeDelta::minutes(30);
    let created = app
        .post_as(
            "/api/v1/orgs/acme/maintenances",
            &owner.token,
            json!({
                "title": "Database upgrade", "description": "Reads stay up.",
                "scheduled_start": start, "scheduled_end": start + chrono::TimeDelta::hours(1),
                "service_ids": [api], "auto_transition": false
            }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let subjects = |mails: Vec<upstate_e2e::smtp::Mail>| -> Vec<String> {
        mails.into_iter().map(|m| m.subject).collect()
    };
    assert_eq!(
        subjects(notices_to(&app, "ada@example.com").await),
        ["[Org acme] Maintenance scheduled: Database upgrade"]
    );
    // Scheduled two hours ago, it starts within the org's reminder (an hour by default): the
    // scheduler reminds once.
    {
        use diesel::prelude::*;
        use upstate_store::schema::maintenances;
        let mut conn = app.db.db.conn().unwrap();
        diesel::update(maintenances::table.find(&id))
            .set(maintenances::created_at.eq(upstate_store::now() - chrono::TimeDelta::hours(2)))
            .execute(&mut *conn)
            .unwrap();
    }
    app.state.maintenance_wake.notify_one();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while notices_to(&app, "ada@example.com").await.len() < 2 {
        assert!(std::time::Instant::now() < deadline, "no reminder");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for (status, message) in [("in_progress", "Starting."), ("completed", "Done.")] {
        let moved = app
            .post_as(
                &format!("/api/v1/orgs/acme/maintenances/{id}/updates"),
                &owner.token,
                json!({ "status": status, "message": message }),
            )
            .await;
        assert_eq!(moved.status, 201, "{:?}", moved.body);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mails = notices_to(&app, "ada@example.com").await;
    assert_eq!(
        subjects(mails.clone()),
        [
            "[Org acme] Maintenance scheduled: Database upgrade",
            "[Org acme] Upcoming maintenance: Database upgrade",
            "[Org acme] Maintenance started: Database upgrade",
            "[Org acme] Maintenance completed: Database upgrade",
        ],
        "each once, in order"
    );
    assert!(mails[2].text.contains("Starting."), "{}", mails[2].text);
}

/// Three replicas on one PostgreSQL, each with its worker: each subscriber hears each
/// notification once.
#[tokio::test]
async fn replicas_deliver_each_notification_once() {
    let app = spawn_app(Engine::Postgres).await;
    let _second = app.replica().await;
    let _third = app.replica().await;
    let owner = app.register("owner@example.com").await;
    let org = app.create_org(&owner, "acme").await;
    let org_id = upstate_shared::OrgId::from(org["id"].as_str().unwrap().to_owned());
    // More than one worker's batch (200): the replicas' workers share the deliveries.
    let people: Vec<String> = (0..250).map(|n| format!("p{n}@example.com")).collect();
    {
        let mut conn = app.db.db.conn().unwrap();
        for address in &people {
            let added = upstate_store::subscriptions::import(
                &mut conn,
                &org_id,
                &upstate_store::subscriptions::NewSubscription {
                    audience: upstate_store::subscriptions::Audience::Subscriber,
                    channel: upstate_shared::Channel::Email,
                    target: address,
                    contact_email: None,
                    name: None,
                    secret: None,
                    events: None,
                    services: &[],
                    locale: upstate_shared::Locale::En,
                },
                &|id| upstate_notify::links::token_hash(&app.settings.jwt_secret, id),
            )
            .unwrap();
            assert!(added);
        }
    }
    let incident = declare(&app, &owner, "Database down", &[]).await;
    let update = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &owner.token,
            json!({ "status": "identified", "message": "Found it." }),
        )
        .await;
    assert_eq!(update.status, 201);
    settled(&app).await;
    let mails = app.mailbox.mails();
    for address in &people {
        let mut subjects: Vec<&str> = mails
            .iter()
            .filter(|mail| &mail.to == address)
            .map(|mail| mail.subject.as_str())
            .collect();
        subjects.sort_unstable();
        assert_eq!(
            subjects,
            [
                "[Org acme] Identified: Database down",
                "[Org acme] Investigating: Database down"
            ],
            "{address} hears each once"
        );
    }
}

/// Sends `csv` to the import as an admin.
async fn import_csv(app: &TestApp, owner: &Account, slug: &str, csv: &str) -> common::Answer {
    let response = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/orgs/{slug}/subscribers.csv",
            app.address
        ))
        .bearer_auth(&owner.token)
        .header("Content-Type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    common::Answer {
        status,
        body: response.json().await.unwrap(),
        headers,
    }
}

async fn admins_search_count_remove_export_and_import_subscribers(engine: Engine) {
    let app = spawn_app_configured(engine, Default::default(), |settings| {
        settings.egress.allow_private = true;
    })
    .await;
    let (owner, api, _) = acme(&app).await;
    let receiver = Receiver::start().await;
    // Three visitors ask; two confirm; a webhook asks too.
    for email in ["ada@example.com", "bob@example.com", "cy@example.org"] {
        assert_eq!(
            subscribe(&app, json!({ "email": email, "service_ids": [api] }))
                .await
                .status,
            202
        );
    }
    for email in ["ada@example.com", "bob@example.com"] {
        confirm(&confirmation_link(&app, email).await).await;
    }
    let hook = subscribe(
        &app,
        json!({ "email": "ops@example.net", "webhook_url": receiver.url("/hook") }),
    )
    .await;
    assert_eq!(hook.status, 202, "{:?}", hook.body);

    let counts = app
        .get_as("/api/v1/orgs/acme/subscriber-counts", &owner.token)
        .await;
    assert_eq!(
        counts.body,
        json!({ "email": { "confirmed": 2, "pending": 1 }, "webhook": { "confirmed": 0, "pending": 1 } })
    );
    // Newest first, in pages; a search matches any part of the address, in any case.
    let first = app
        .get_as("/api/v1/orgs/acme/subscribers?limit=3", &owner.token)
        .await;
    let items = first.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["target"], receiver.url("/hook"));
    assert_eq!(items[0]["contact_email"], "ops@example.net");
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let rest = app
        .get_as(
            &format!("/api/v1/orgs/acme/subscribers?limit=3&cursor={cursor}"),
            &owner.token,
        )
        .await;
    assert_eq!(rest.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(rest.body["items"][0]["target"], "ada@example.com");
    assert_eq!(rest.body["items"][0]["confirmed"], true);
    assert_eq!(rest.body["items"][0]["service_ids"], json!([api]));
    let found = app
        .get_as(
            "/api/v1/orgs/acme/subscribers?search=EXAMPLE.COM",
            &owner.token,
        )
        .await;
    let targets: Vec<&str> = found.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["target"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["bob@example.com", "ada@example.com"]);
    // Addresses are personal data: an editor sees none of it.
    let editor = app.register("editor@example.com").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    let refused = app
        .get_as("/api/v1/orgs/acme/subscribers", &editor.token)
        .await;
    assert_eq!(refused.status, 403);

    // Removing Bob: he hears nothing more.
    let bob = found.body["items"][0]["id"].as_str().unwrap();
    let removed = app
        .delete_as(
            &format!("/api/v1/orgs/acme/subscribers/{bob}"),
            &owner.token,
        )
        .await;
    assert_eq!(removed.status, 204);
    let again = app
        .delete_as(
            &format!("/api/v1/orgs/acme/subscribers/{bob}"),
            &owner.token,
        )
        .await;
    assert_eq!(again.status, 404);

    // The export: every subscriber, a header row, services by id, cells that start no formula.
    let export = reqwest::Client::new()
        .get(format!("{}/api/v1/orgs/acme/subscribers.csv", app.address))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("acme-subscribers.csv")
    );
    let csv = export.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "kind,address,contact_email,confirmed,service_ids,created_at,confirmed_at"
    );
    assert_eq!(lines.len(), 4, "{csv}");
    assert!(
        lines[1].starts_with(&format!("email,ada@example.com,,true,{api},")),
        "{csv}"
    );
    assert!(
        lines[2].starts_with("email,cy@example.org,,false,"),
        "{csv}"
    );
    assert!(lines[3].starts_with("webhook,http://127.0.0.1:"), "{csv}");

    // A bad file is refused whole, naming its lines; nothing of it is imported.
    let bad = import_csv(
        &app,
        &owner,
        "acme",
        "email,name\ndan@example.com,Dan\nnot-an-address,X\n",
    )
    .await;
    assert_eq!(
        (bad.status, bad.code()),
        (422, "validation_failed"),
        "{:?}",
        bad.body
    );
    assert_eq!(
        bad.body["error"]["fields"]["csv"],
        json!(["line 3: email must be an email address like name@example.com"])
    );
    let foreign = import_csv(
        &app,
        &owner,
        "acme",
        "email,service_ids\ndan@example.com,no-such-service\n",
    )
    .await;
    assert_eq!(foreign.status, 422, "{:?}", foreign.body);
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/subscriber-counts", &owner.token)
            .await
            .body["email"],
        json!({ "confirmed": 1, "pending": 1 })
    );

    // The export reads back into another org: confirmed addresses come over, pending ones and
    // webhooks do not (they confirm themselves); a second import changes nothing.
    app.create_org(&owner, "beta").await;
    let lines_without_hooks: String = csv
        .lines()
        .filter(|line| !line.starts_with("webhook,"))
        .map(|line| line.replace(&api, ""))
        .collect::<Vec<_>>()
        .join("\n");
    let imported = import_csv(&app, &owner, "beta", &lines_without_hooks).await;
    assert_eq!(
        (imported.status, &imported.body),
        (
            200,
            &json!({ "imported": 1, "already_subscribed": 0, "not_confirmed": 1 })
        )
    );
    let twice = import_csv(&app, &owner, "beta", &lines_without_hooks).await;
    assert_eq!(
        twice.body,
        json!({ "imported": 0, "already_subscribed": 1, "not_confirmed": 1 })
    );
    let hooks = import_csv(&app, &owner, "beta", &csv.replace(&api, "")).await;
    assert_eq!(hooks.status, 422);
    assert!(
        hooks.body["error"]["fields"]["csv"][0]
            .as_str()
            .unwrap()
            .contains("kind `webhook` cannot be imported")
    );

    // An admin vouches for a visitor who had not confirmed yet: the import confirms them.
    let vouched = import_csv(&app, &owner, "acme", "email\ncy@example.org\n").await;
    assert_eq!(
        vouched.body,
        json!({ "imported": 1, "already_subscribed": 0, "not_confirmed": 0 })
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/subscriber-counts", &owner.token)
            .await
            .body["email"],
        json!({ "confirmed": 2, "pending": 0 })
    );

    // Imported subscribers are confirmed: they hear of the next incident, without a
    // confirmation mail.
    let fresh = import_csv(&app, &owner, "acme", "address\neve@example.com\n").await;
    assert_eq!(fresh.body["imported"], 1);
    declare(&app, &owner, "Database failover", &[&api]).await;
    assert_eq!(notices_to(&app, "eve@example.com").await.len(), 1);
    assert_eq!(notices_to(&app, "ada@example.com").await.len(), 1);
    assert!(notices_to(&app, "bob@example.com").await.is_empty());
    assert_eq!(notices_to(&app, "cy@example.org").await.len(), 1);
    assert!(
        !app.emails()
            .await
            .iter()
            .any(|(to, subject, _)| to == "eve@example.com"
                && subject.starts_with("Confirm your subscription"))
    );
}
