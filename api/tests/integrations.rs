//! Team integrations: an admin adds a Slack, Discord, Teams, Mattermost or webhook integration,
//! sends a test message, and reads its delivery log; each hears only the events it chose, in
//! its product's format; a failed delivery can be sent again.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{TestApp, spawn_app};
use serde_json::{Value, json};
use std::time::Duration;
use upstate_e2e::receiver::Receiver;
use upstate_store::Engine;

on_both_engines!(
    each_integration_hears_its_events_in_its_own_format,
    a_test_message_and_the_delivery_log_say_how_it_went,
);

async fn declare(app: &TestApp, token: &str, title: &str) -> String {
    let created = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            token,
            json!({ "title": title, "status": "investigating", "impact": "critical",
                    "message": "Looking into it." }),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

async fn add(app: &TestApp, token: &str, body: Value) -> Value {
    let created = app
        .post_as("/api/v1/orgs/acme/integrations", token, body)
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.body
}

async fn each_integration_hears_its_events_in_its_own_format(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@example.com").await;
    app.create_org(&owner, "acme").await;
    let chat = Receiver::start().await;
    for kind in ["slack", "discord", "teams", "mattermost"] {
        let created = add(
            &app,
            &owner.token,
            json!({ "kind": kind, "name": format!("#{kind}"), "url": chat.url(&format!("/{kind}")) }),
        )
        .await;
        assert!(created.get("secret").is_none(), "chats are not signed");
    }
    let hook = Receiver::start().await;
    let created = add(
        &app,
        &owner.token,
        json!({ "kind": "webhook", "name": "Pager", "url": hook.url("/resolved"),
                "events": ["incident.resolved"], "contact_email": "ops@example.com" }),
    )
    .await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        created["integration"]["events"],
        json!(["incident.resolved"])
    );

    let incident = declare(&app, &owner.token, "Checkout down").await;
    let got = chat.wait_for(4, Duration::from_secs(10)).await;
    let by_path = |path: &str| {
        got.iter()
            .find(|r| r.path == path)
            .unwrap_or_else(|| panic!("nothing at {path}"))
            .json()
    };
    // Each in its product's own shape (the notify crate checks every field).
    assert!(
        by_path("/slack")["text"]
            .as_str()
            .unwrap()
            .contains("Checkout down")
    );
    assert!(by_path("/slack")["attachments"][0]["color"].is_string());
    assert!(
        by_path("/discord")["embeds"][0]["title"]
            .as_str()
            .unwrap()
            .contains("Checkout down")
    );
    assert_eq!(
        by_path("/discord")["allowed_mentions"],
        json!({ "parse": [] })
    );
    assert_eq!(
        by_path("/teams")["attachments"][0]["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    assert!(by_path("/mattermost")["attachments"][0]["title"].is_string());
    // The webhook chose only resolutions: nothing yet.
    assert!(hook.requests().is_empty());
    let resolved = app
        .post_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}/updates"),
            &owner.token,
            json!({ "status": "resolved", "message": "Fixed." }),
        )
        .await;
    assert_eq!(resolved.status, 201);
    let got = hook.wait_for(1, Duration::from_secs(10)).await;
    let request = &got[0];
    common::assert_signed(request, &secret);
    assert_eq!(request.json()["type"], "incident.resolved");
    // An editor may not see or add integrations.
    let editor = app.register("editor@example.com").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    let refused = app
        .get_as("/api/v1/orgs/acme/integrations", &editor.token)
        .await;
    assert_eq!(refused.status, 403);
    // Email is for subscribers.
    let email = app
        .post_as(
            "/api/v1/orgs/acme/integrations",
            &owner.token,
            json!({ "kind": "email", "name": "x", "url": "https://example.com" }),
        )
        .await;
    assert_eq!(email.status, 422);
    assert!(email.body["error"]["fields"]["kind"].is_array());
}

async fn a_test_message_and_the_delivery_log_say_how_it_went(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@example.com").await;
    app.create_org(&owner, "acme").await;
    let hook = Receiver::start().await;
    hook.answer(503);
    let created = add(
        &app,
        &owner.token,
        json!({ "kind": "slack", "name": "#ops", "url": hook.url("/ops") }),
    )
    .await;
    let id = created["integration"]["id"].as_str().unwrap().to_owned();
    let test = app
        .post_as(
            &format!("/api/v1/orgs/acme/integrations/{id}/test"),
            &owner.token,
            json!({}),
        )
        .await;
    assert_eq!(test.status, 200, "{:?}", test.body);
    assert_eq!(
        (test.body["ok"].clone(), test.body["status_code"].clone()),
        (json!(false), json!(503))
    );
    hook.answer(200);
    let test = app
        .post_as(
            &format!("/api/v1/orgs/acme/integrations/{id}/test"),
            &owner.token,
            json!({}),
        )
        .await;
    assert_eq!(test.body["ok"], true, "{:?}", test.body);

    // A delivery that failed is in the log, and sent again on request.
    hook.answer(500);
    declare(&app, &owner.token, "Checkout down").await;
    hook.wait_for(3, Duration::from_secs(10)).await;
    let log_path = format!("/api/v1/orgs/acme/integrations/{id}/deliveries");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let entry = loop {
        let log = app.get_as(&log_path, &owner.token).await;
        assert_eq!(log.status, 200, "{:?}", log.body);
        if let Some(entry) = log.body["items"].as_array().unwrap().first() {
            break entry.clone();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no attempt in the log"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(entry["event"], "incident.created");
    assert_eq!(entry["status_code"], 500);
    assert_eq!(entry["state"], "retrying");
    assert!(entry["latency_ms"].is_u64());
    hook.answer(200);
    let delivery = entry["delivery_id"].as_str().unwrap();
    let again = app
        .post_as(
            &format!("/api/v1/orgs/acme/integrations/{id}/deliveries/{delivery}/redeliver"),
            &owner.token,
            json!({}),
        )
        .await;
    assert_eq!(again.status, 202, "{:?}", again.body);
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let log = app.get_as(&log_path, &owner.token).await;
        if log.body["items"][0]["state"] == "delivered" {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "not delivered again: {:?}",
            log.body
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Disabled by hand, then removed.
    let disabled = app
        .patch_as(
            &format!("/api/v1/orgs/acme/integrations/{id}"),
            &owner.token,
            json!({ "enabled": false }),
        )
        .await;
    assert_eq!(disabled.status, 200);
    assert_eq!(disabled.body["enabled"], false);
    let removed = app
        .delete_as(
            &format!("/api/v1/orgs/acme/integrations/{id}"),
            &owner.token,
        )
        .await;
    assert_eq!(removed.status, 204);
    let list = app
        .get_as("/api/v1/orgs/acme/integrations", &owner.token)
        .await;
    assert_eq!(list.body["items"], json!([]));
}
