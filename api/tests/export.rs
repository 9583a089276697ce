//! Data portability: an organization exported from a server on SQLite (`upstate export`, or an
//! admin's download) and imported into one on PostgreSQL (`upstate import upstate`) shows the
//! same public page and incident history; importing again changes nothing; the document holds
//! no secret; a broken document is refused whole.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use upstate_store::Engine;

on_both_engines!(
    only_admins_download_the_export_and_another_org_sees_nothing,
    a_broken_document_is_refused_and_writes_nothing,
);

/// `upstate ARGS` against `app`'s database, with `app`'s key.
fn upstate(app: &TestApp, args: &[&str], data_dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_upstate"))
        .args(args)
        .arg("--database-url")
        .arg(&app.db.url)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("UPSTATE_DATABASE_URL")
        .env("UPSTATE_JWT_SECRET", &app.settings.jwt_secret)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn ok(app: &TestApp, who: &Account, path: &str, body: Value) -> Value {
    let answer = app.post_as(path, &who.token, body).await;
    assert!(
        (200..300).contains(&answer.status),
        "{path}: {} {:?}",
        answer.status,
        answer.body
    );
    answer.body
}

/// The secrets the source server holds for `acme`, which no export may carry.
struct Secrets {
    webhook_secret: String,
    slack_path: &'static str,
    header_value: &'static str,
    heartbeat_token: String,
    api_key: String,
    access_token: String,
    /// The token of a subscriber's links (confirm, manage, unsubscribe).
    subscriber_token: String,
}

/// An org with a bit of everything, on `app`.
async fn acme(app: &TestApp) -> (Account, Secrets) {
    let owner = app.register("owner@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    ok(
        app,
        &owner,
        "/api/v1/orgs/acme/invitations",
        json!({"email": "later@acme.test", "role": "viewer"}),
    )
    .await;
    let key = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/api-keys",
        json!({"name": "ci", "role": "editor"}),
    )
    .await;
    let settings = app
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"branding": {"accent_color": "#0a7cff", "support_url": "https://acme.test/help"}}),
        )
        .await;
    assert_eq!(settings.status, 200, "{:?}", settings.body);

    let core = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/service-groups",
        json!({"name": "Core"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let edge = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/service-groups",
        json!({"name": "Edge"}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut services = Vec::new();
    for (name, group) in [
        ("API", Some(&core)),
        ("Database", Some(&core)),
        ("CDN", Some(&edge)),
        ("Docs", None),
    ] {
        let created = ok(
            app,
            &owner,
            "/api/v1/orgs/acme/services",
            json!({"name": name, "description": format!("The {name}"), "group_id": group}),
        )
        .await;
        services.push(created["id"].as_str().unwrap().to_owned());
    }
    // A status set by hand, in the history.
    let docs = app
        .patch_as(
            &format!("/api/v1/orgs/acme/services/{}", services[3]),
            &owner.token,
            json!({"status": "degraded_performance"}),
        )
        .await;
    assert_eq!(docs.status, 200, "{:?}", docs.body);

    // An open incident with three updates.
    let open = ok(
        app,
        &editor,
        "/api/v1/orgs/acme/incidents",
        json!({"title": "Slow API", "status": "investigating", "impact": "major",
               "message": "We are **looking** into it.",
               "affected": [{"service_id": services[0], "status": "partial_outage"},
                            {"service_id": services[1], "status": "degraded_performance"}]}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (status, message) in [
        ("identified", "A bad deploy."),
        ("monitoring", "Rolled back; watching."),
    ] {
        ok(
            app,
            &owner,
            &format!("/api/v1/orgs/acme/incidents/{open}/updates"),
            json!({"status": status, "message": message}),
        )
        .await;
    }
    // A resolved one.
    let resolved = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/incidents",
        json!({"title": "CDN errors", "status": "investigating", "impact": "minor",
               "message": "Some images fail.",
               "affected": [{"service_id": services[2], "status": "major_outage"}]}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        app,
        &owner,
        &format!("/api/v1/orgs/acme/incidents/{resolved}/updates"),
        json!({"status": "resolved", "message": "Fixed."}),
    )
    .await;
    // Maintenance ahead, with a note.
    let window = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/maintenances",
        json!({"title": "Database upgrade", "description": "Version 17.",
               "scheduled_start": "2031-01-01T00:00:00Z", "scheduled_end": "2031-01-01T02:00:00Z",
               "service_ids": [services[1]]}),
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(
        app,
        &owner,
        &format!("/api/v1/orgs/acme/maintenances/{window}/updates"),
        json!({"status": "scheduled", "message": "Expect a minute of read-only."}),
    )
    .await;
    // A confirmed subscriber for two services, and one not confirmed yet (whose mails speak
    // Japanese).
    for (email, only, language) in [
        ("fan@acme.test", json!([services[0], services[1]]), "en"),
        ("maybe@acme.test", json!([]), "ja"),
    ] {
        let subscribed = app
            .call(
                Method::POST,
                "/api/v1/public/acme/subscriptions",
                None,
                Some(json!({"email": email, "service_ids": only, "language": language})),
            )
            .await;
        assert_eq!(subscribed.status, 202, "{:?}", subscribed.body);
    }
    app.outbox_delivered().await;
    let link = app.confirmation_link("fan@acme.test").await;
    let confirmed = reqwest::Client::new().post(&link).send().await.unwrap();
    assert_eq!(confirmed.status(), 200);
    // Integrations: a signed webhook and a Slack channel, whose URL is its credential.
    let webhook = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/integrations",
        json!({"kind": "webhook", "name": "ops hook", "url": "http://127.0.0.1:65000/hook"}),
    )
    .await;
    let slack_path = "/services/T000/B000/slacksecretslacksecret";
    ok(
        app,
        &owner,
        "/api/v1/orgs/acme/integrations",
        json!({"kind": "slack", "name": "#ops", "url": format!("http://127.0.0.1:65000{slack_path}")}),
    )
    .await;
    // Monitors: an HTTP check with a credential in a header, and a heartbeat.
    let header_value = "Bearer monitor-credential-0123456789";
    ok(
        app,
        &owner,
        "/api/v1/orgs/acme/monitors",
        json!({"service_id": services[0], "name": "API health", "paused": false,
               "settings": {"interval_seconds": 3600, "timeout_seconds": 10,
                            "failures_to_fail": 3, "successes_to_recover": 2},
               "check": {"kind": "http", "url": "http://127.0.0.1:65000/health",
                         "headers": [{"name": "Authorization", "value": header_value}]}}),
    )
    .await;
    let heartbeat = ok(
        app,
        &owner,
        "/api/v1/orgs/acme/monitors",
        json!({"service_id": services[3], "name": "Nightly backup", "paused": true,
               "check": {"kind": "heartbeat", "grace_seconds": 600}}),
    )
    .await;
    // An incident template naming two services.
    ok(
        app,
        &owner,
        "/api/v1/orgs/acme/incident-templates",
        json!({"name": "Database failover", "title": "Database failover in progress",
               "impact": "major", "status": "identified", "message": "Failing over.",
               "affected": [{"service_id": services[0], "status": "major_outage"},
                            {"service_id": services[1], "status": "degraded_performance"}]}),
    )
    .await;
    let heartbeat_token = heartbeat["heartbeat_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    (
        owner.clone(),
        Secrets {
            webhook_secret: webhook["secret"].as_str().unwrap().to_owned(),
            slack_path,
            header_value,
            heartbeat_token,
            api_key: key["key"].as_str().unwrap().to_owned(),
            access_token: owner.token,
            subscriber_token: link
                .trim_end_matches("/confirm")
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned(),
        },
    )
}

/// What a visitor sees of `org` on `app`: the summary, the history, and each incident's page
/// with its updates.
async fn public_view(app: &TestApp, org: &str) -> Value {
    let read = |path: String| async move {
        let answer = app.get(&path).await;
        assert_eq!(answer.status(), 200, "{path}");
        answer.json::<Value>().await.unwrap()
    };
    let summary = read(format!("/api/v1/public/{org}/summary")).await;
    let history = read(format!("/api/v1/public/{org}/incidents?limit=100")).await;
    let mut pages = Vec::new();
    for incident in history["items"].as_array().unwrap() {
        let id = incident["id"].as_str().unwrap();
        pages.push(read(format!("/api/v1/public/{org}/incidents/{id}")).await);
    }
    let mut summary = summary;
    // The only field that legitimately differs: `seq` counts the realtime events of this
    // server (a live client's place in the stream); a new server's stream starts over.
    summary["seq"] = Value::Null;
    // Uptime: which days were bad and how bad. Its seconds and percentages count an ongoing
    // outage up to the moment of the request, so two reads a second apart differ.
    let uptime = read(format!("/api/v1/public/{org}/uptime?days=30")).await;
    let uptime: Vec<Value> = uptime["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| {
            let days: Vec<Value> = service["days"]
                .as_array()
                .unwrap()
                .iter()
                .map(|day| json!([day["date"], day["worst_status"]]))
                .collect();
            json!({"service_id": service["service_id"], "days": days})
        })
        .collect();
    json!({"summary": summary, "history": history, "pages": pages, "uptime": uptime})
}

/// Where `a` and `b` differ (JSON paths), for a readable failure.
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let (l, r) = (
                    x.get(key).unwrap_or(&Value::Null),
                    y.get(key).unwrap_or(&Value::Null),
                );
                if l != r && !out.iter().any(|o| o.starts_with(&format!("{path}.{key}:"))) {
                    differences(l, r, &format!("{path}.{key}"), out);
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (l, r)) in x.iter().zip(y).enumerate() {
                differences(l, r, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}

fn assert_same(a: &Value, b: &Value) {
    let mut out = Vec::new();
    differences(a, b, "", &mut out);
    assert!(out.is_empty(), "they differ at:\n{}", out.join("\n"));
}

/// Rows of every table that holds an org's data, on `app`.
fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    use diesel::prelude::*;
    use upstate_store::schema::*;
    let mut conn = app.db.db.conn().unwrap();
    let conn = &mut *conn;
    vec![
        (
            "organizations",
            organizations::table.count().get_result(conn).unwrap(),
        ),
        (
            "memberships",
            memberships::table.count().get_result(conn).unwrap(),
        ),
        (
            "service_groups",
            service_groups::table.count().get_result(conn).unwrap(),
        ),
        (
            "services",
            services::table.count().get_result(conn).unwrap(),
        ),
        (
            "service_status_changes",
            service_status_changes::table
                .count()
                .get_result(conn)
                .unwrap(),
        ),
        (
            "incidents",
            incidents::table.count().get_result(conn).unwrap(),
        ),
        (
            "incident_updates",
            incident_updates::table.count().get_result(conn).unwrap(),
        ),
        (
            "incident_services",
            incident_services::table.count().get_result(conn).unwrap(),
        ),
        (
            "maintenances",
            maintenances::table.count().get_result(conn).unwrap(),
        ),
        (
            "maintenance_updates",
            maintenance_updates::table.count().get_result(conn).unwrap(),
        ),
        (
            "maintenance_services",
            maintenance_services::table
                .count()
                .get_result(conn)
                .unwrap(),
        ),
        (
            "subscriptions",
            subscriptions::table.count().get_result(conn).unwrap(),
        ),
        (
            "subscription_services",
            subscription_services::table
                .count()
                .get_result(conn)
                .unwrap(),
        ),
        (
            "monitors",
            monitors::table.count().get_result(conn).unwrap(),
        ),
        (
            "incident_templates",
            incident_templates::table.count().get_result(conn).unwrap(),
        ),
    ]
}

#[tokio::test]
async fn an_org_moves_from_sqlite_to_postgresql_with_the_same_page_and_history() {
    let source = spawn_app(Engine::Sqlite).await;
    let (owner, secrets) = acme(&source).await;
    // The page speaks French to visitors asking for none of its languages.
    let set = source
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"default_language": "fr"}),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let before = public_view(&source, "acme").await;
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("acme.json");

    // `upstate export` writes the document; the dashboard's download is the same document.
    let exported = upstate(
        &source,
        &["export", "--org", "acme", "--out", file.to_str().unwrap()],
        work.path(),
    );
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let document = std::fs::read_to_string(&file).unwrap();
    let doc: Value = serde_json::from_str(&document).unwrap();
    assert_eq!(doc["format"], "upstate.org-export");
    assert_eq!(doc["version"], 1);
    let download = source
        .client
        .get(source.url("/api/v1/orgs/acme/export"))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"upstate-acme-"),
        "{disposition}"
    );
    let mut downloaded: Value = download.json().await.unwrap();
    let mut from_cli = doc.clone();
    // The moment of writing is the only difference between two exports of the same data.
    downloaded["exported_at"] = Value::Null;
    from_cli["exported_at"] = Value::Null;
    assert_eq!(downloaded, from_cli);

    // Everything is in it, in order...
    let names: Vec<&str> = doc["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["API", "Database", "CDN", "Docs"]);
    assert_eq!(doc["incidents"].as_array().unwrap().len(), 2);
    assert_eq!(doc["incidents"][0]["updates"].as_array().unwrap().len(), 3);
    assert_eq!(doc["org"]["branding"]["accent_color"], "#0a7cff");
    assert_eq!(doc["subscribers"].as_array().unwrap().len(), 2);
    let languages: Vec<(&str, &str)> = doc["subscribers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["target"].as_str().unwrap(),
                s["language"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        languages,
        [("fan@acme.test", "en"), ("maybe@acme.test", "ja")]
    );
    assert_eq!(doc["members"].as_array().unwrap().len(), 2);
    assert_eq!(doc["monitors"].as_array().unwrap().len(), 2);
    assert_eq!(doc["integrations"].as_array().unwrap().len(), 2);
    // ...and no secret is.
    for (what, secret) in [
        (
            "the webhook's signing secret",
            secrets.webhook_secret.as_str(),
        ),
        ("the Slack URL's credential", secrets.slack_path),
        ("the monitor's header value", secrets.header_value),
        ("the heartbeat token", secrets.heartbeat_token.as_str()),
        ("the API key", secrets.api_key.as_str()),
        ("an access token", secrets.access_token.as_str()),
        (
            "a subscriber's link token",
            secrets.subscriber_token.as_str(),
        ),
        ("a password hash", "$argon2"),
        ("the password", common::PASSWORD),
        ("a token hash", "token_hash"),
        ("a key hash", "key_hash"),
    ] {
        assert!(!document.contains(secret), "the export holds {what}");
    }

    // A document from before subscribers had a language: the page's default language holds.
    let mut older = doc.clone();
    older["subscribers"][0]
        .as_object_mut()
        .unwrap()
        .remove("language");
    std::fs::write(&file, serde_json::to_string(&older).unwrap()).unwrap();

    // Into a new server on PostgreSQL, where the owner has an account and the editor not.
    let target = spawn_app(Engine::Postgres).await;
    target.register("owner@acme.test").await;
    let imported = upstate(
        &target,
        &["import", "upstate", "--file", file.to_str().unwrap()],
        work.path(),
    );
    let said = text(&imported.stdout);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    assert!(said.contains("services: 4 new, 0 already here"), "{said}");
    assert!(said.contains("editor@acme.test"), "{said}");
    assert!(said.contains("Nightly backup"), "{said}");
    assert!(said.contains("#ops"), "{said}");
    assert!(said.contains("API health"), "{said}");

    // A running replica learns of the new page within moments (PostgreSQL's announcement).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while target.get("/api/v1/public/acme/summary").await.status() != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the page never appeared"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A visitor sees the same page, history and incident pages, byte for byte as JSON.
    let after = public_view(&target, "acme").await;
    assert_same(&after, &before);

    // The owner signs in there and finds their org, its team and its subscribers.
    let login = target.login("owner@acme.test", common::PASSWORD).await;
    let token = login.body["access_token"].as_str().unwrap().to_owned();
    let members = target.get_as("/api/v1/orgs/acme/members", &token).await;
    assert_eq!(members.status, 200, "{:?}", members.body);
    assert_eq!(members.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(members.body["items"][0]["role"], "owner");
    let subscribers = target
        .get_as("/api/v1/orgs/acme/subscribers?limit=100", &token)
        .await;
    let confirmed: Vec<(String, bool, usize)> = subscribers.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["target"].as_str().unwrap_or_default().to_owned(),
                s["confirmed"] == true,
                s["service_ids"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    assert!(
        confirmed.contains(&("fan@acme.test".into(), true, 2))
            && confirmed.contains(&("maybe@acme.test".into(), false, 0)),
        "{:?}",
        subscribers.body
    );
    let languages: Vec<(String, String)> = {
        use diesel::prelude::*;
        use upstate_store::schema::subscriptions;
        let mut conn = target.db.db.conn().unwrap();
        subscriptions::table
            .filter(subscriptions::audience.eq("subscriber"))
            .order(subscriptions::target.asc())
            .select((subscriptions::target, subscriptions::locale))
            .load(&mut *conn)
            .unwrap()
    };
    assert_eq!(
        languages,
        [
            ("fan@acme.test".to_owned(), "fr".to_owned()),
            ("maybe@acme.test".to_owned(), "ja".to_owned())
        ]
    );
    // A subscriber's links mailed by the old server work on the new one (they share the key).
    let manage = target
        .get(&format!(
            "/api/v1/public/acme/subscriptions/{}",
            secrets.subscriber_token
        ))
        .await;
    assert_eq!(manage.status(), 200);
    let manage: Value = manage.json().await.unwrap();
    assert!(manage.to_string().contains("fan@acme.test"), "{manage}");

    // The incident's timeline for the team keeps its authors where they have an account.
    let open_id = doc["incidents"][0]["id"].as_str().unwrap();
    let incident = target
        .get_as(&format!("/api/v1/orgs/acme/incidents/{open_id}"), &token)
        .await;
    assert_eq!(incident.status, 200, "{:?}", incident.body);
    assert_eq!(incident.body["updates"].as_array().unwrap().len(), 3);
    // The monitor whose header was left out waits, paused, to be completed.
    let monitors = target.get_as("/api/v1/orgs/acme/monitors", &token).await;
    let api_health = monitors.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "API health")
        .unwrap()
        .clone();
    assert_eq!(api_health["paused"], true, "{api_health}");
    // The incident template, with its services, declares as it did.
    let templates = target
        .get_as("/api/v1/orgs/acme/incident-templates", &token)
        .await;
    assert_eq!(templates.status, 200, "{:?}", templates.body);
    let template = &templates.body["items"][0];
    assert_eq!(template["name"], "Database failover", "{template}");
    assert_eq!(template["impact"], "major");
    assert_eq!(template["status"], "identified");
    assert_eq!(
        template["affected"],
        doc["incident_templates"][0]["affected"]
    );
    assert_eq!(template["affected"].as_array().unwrap().len(), 2);

    // Importing again changes nothing.
    let rows = counts(&target);
    let again = upstate(
        &target,
        &["import", "upstate", "--file", file.to_str().unwrap()],
        work.path(),
    );
    assert!(again.status.success(), "{}", text(&again.stderr));
    let said = text(&again.stdout);
    assert!(said.contains("services: 0 new, 4 already here"), "{said}");
    assert!(said.contains("incidents: 0 new, 2 already here"), "{said}");
    assert_eq!(counts(&target), rows);
    assert_same(&public_view(&target, "acme").await, &before);
}

async fn only_admins_download_the_export_and_another_org_sees_nothing(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    let admin = app.register("admin@acme.test").await;
    let stranger = app.register("owner@other.test").await;
    app.create_org(&owner, "acme").await;
    app.create_org(&stranger, "other").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    app.add_member(&owner, "acme", &admin, "admin").await;
    for who in [&owner, &admin] {
        let answer = app.get_as("/api/v1/orgs/acme/export", &who.token).await;
        assert_eq!(answer.status, 200, "{:?}", answer.body);
        assert_eq!(answer.body["org"]["slug"], "acme");
    }
    let editor_answer = app.get_as("/api/v1/orgs/acme/export", &editor.token).await;
    assert_eq!(editor_answer.status, 403);
    assert_eq!(editor_answer.code(), "forbidden");
    let stranger_answer = app
        .get_as("/api/v1/orgs/acme/export", &stranger.token)
        .await;
    assert_eq!(stranger_answer.status, 404);
    assert_eq!(stranger_answer.code(), "not_found");
    let anonymous = app.get("/api/v1/orgs/acme/export").await;
    assert_eq!(anonymous.status(), 401);
}

async fn a_broken_document_is_refused_and_writes_nothing(engine: Engine) {
    let source = spawn_app(Engine::Sqlite).await;
    acme(&source).await;
    let work = tempfile::tempdir().unwrap();
    let good = upstate(&source, &["export", "--org", "acme"], work.path());
    assert!(good.status.success(), "{}", text(&good.stderr));
    let doc: Value = serde_json::from_slice(&good.stdout).unwrap();

    let missing = upstate(&source, &["export", "--org", "nope"], work.path());
    assert!(!missing.status.success());
    assert!(
        text(&missing.stderr).contains("there is no organization `nope`"),
        "{}",
        text(&missing.stderr)
    );

    let target = spawn_app(engine).await;
    let rows = counts(&target);
    let mut wrong_format = doc.clone();
    wrong_format["format"] = json!("statuspage");
    let mut too_new = doc.clone();
    too_new["version"] = json!(99);
    let mut dangling = doc.clone();
    dangling["incidents"][1]["affected"][0]["service_id"] = json!("no-such-service");
    let mut bad_status = doc.clone();
    bad_status["services"][0]["status"] = json!("on_fire");
    for (case, document, expected) in [
        ("another format", wrong_format, "not an Upstate export"),
        ("a newer version", too_new, "version 99"),
        ("a missing service", dangling, "no-such-service"),
        ("an unknown status", bad_status, "services[0].status"),
    ] {
        let file = work.path().join("broken.json");
        std::fs::write(&file, document.to_string()).unwrap();
        let refused = upstate(
            &target,
            &["import", "upstate", "--file", file.to_str().unwrap()],
            work.path(),
        );
        let stderr = text(&refused.stderr);
        // The error's one sentence is the last line (the log's copy of it may come before).
        let said = stderr.trim_end().lines().last().unwrap_or_default();
        assert!(!refused.status.success(), "{case}: accepted");
        assert!(said.starts_with("upstate: "), "{case}: {stderr}");
        assert!(said.contains(expected), "{case}: {said}");
        assert!(said.contains("nothing was imported"), "{case}: {said}");
        assert_eq!(counts(&target), rows, "{case}: something was written");
    }
    let page = target.get("/api/v1/public/acme/summary").await;
    assert_eq!(page.status(), 404);
}
