//! A person's own account (issue 22, item 1): their sessions, seen and ended from another
//! browser; a password change that needs the current password and ends the other sessions; a
//! new name; a new address, confirmed from a link sent to it, the old one told; the account
//! deleted, refused to the last owner of an org, with nothing personal left in the database;
//! the person's data taken out, without anyone else's.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Answer, Socket, TestApp, spawn_app};
use futures::StreamExt;
use reqwest::Method;
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use upstate_store::Engine;

on_both_engines!(
    a_person_sees_their_sessions_and_ends_one_from_another_browser,
    a_password_change_needs_the_current_password_and_ends_the_other_sessions,
    a_person_renames_themselves,
    a_new_address_counts_only_once_the_link_sent_to_it_is_followed,
    a_deleted_account_leaves_nothing_personal_and_its_words_a_former_member,
    the_export_holds_everything_about_the_person_and_nothing_about_others,
);

/// A sign-in from a browser that says `agent`: its access token and its refresh token.
async fn sign_in_from(app: &TestApp, email: &str, agent: &str) -> (String, String) {
    let answer = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("User-Agent", agent)
        .json(&json!({"email": email, "password": common::PASSWORD}))
        .send()
        .await
        .unwrap();
    let answer = Answer::read(answer, "/api/v1/auth/login").await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    let refresh = answer
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find_map(|c| {
            c.strip_prefix("upstate_refresh=")
                .map(|rest| rest.split(';').next().unwrap().to_owned())
        })
        .unwrap();
    (
        answer.body["access_token"].as_str().unwrap().to_owned(),
        refresh,
    )
}

async fn refresh_status(app: &TestApp, refresh: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", format!("upstate_refresh={refresh}"))
        .header("X-Requested-With", "upstate")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn members_socket(app: &TestApp, slug: &str, bearer: &str) -> Socket {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = format!(
        "{}/api/v1/orgs/{slug}/ws",
        app.address.replacen("http", "ws", 1)
    )
    .into_client_request()
    .unwrap();
    request
        .headers_mut()
        .insert("Authorization", format!("Bearer {bearer}").parse().unwrap());
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    match socket.next().await {
        Some(Ok(Message::Text(hello))) => assert!(hello.contains("hello"), "{hello}"),
        other => panic!("no hello: {other:?}"),
    }
    socket
}

fn sessions(answer: &Answer) -> Vec<Value> {
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["items"].as_array().unwrap().clone()
}

async fn a_person_sees_their_sessions_and_ends_one_from_another_browser(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    app.create_org(&ada, "acme").await;
    let (desk, _) = sign_in_from(&app, "ada@example.com", "Desk Firefox/140").await;
    let (laptop, laptop_refresh) = sign_in_from(&app, "ada@example.com", "Laptop Chrome/156").await;

    // Three sessions (the one of registering, then two browsers), the one used last first; the
    // desk's own is marked as the one asking.
    let seen = sessions(&app.get_as("/api/v1/account/sessions", &desk).await);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0]["user_agent"], "Laptop Chrome/156", "{seen:?}");
    assert_eq!(seen[0]["client_address"], "127.0.0.1");
    assert_eq!(seen[0]["current"], false);
    let current: Vec<_> = seen.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["user_agent"], "Desk Firefox/140");
    let laptop_id = seen[0]["id"].as_str().unwrap().to_owned();

    // The laptop follows the org live; the desk ends the laptop's session.
    let mut socket = members_socket(&app, "acme", &laptop).await;
    let ended = app
        .delete_as(&format!("/api/v1/account/sessions/{laptop_id}"), &desk)
        .await;
    assert_eq!(ended.status, 204, "{:?}", ended.body);
    let code = common::close_code_within(&mut socket, Duration::from_millis(2500))
        .await
        .expect("the laptop's live channel closes");
    assert_eq!(code, 4003, "closed as revoked");
    let refused = app.get_as("/api/v1/auth/me", &laptop).await;
    assert_eq!((refused.status, refused.code()), (401, "unauthenticated"));
    assert_eq!(refresh_status(&app, &laptop_refresh).await, 401);
    let seen = sessions(&app.get_as("/api/v1/account/sessions", &desk).await);
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s["id"] != laptop_id.as_str()));

    // Ended, or another person's: not found.
    let again = app
        .delete_as(&format!("/api/v1/account/sessions/{laptop_id}"), &desk)
        .await;
    assert_eq!((again.status, again.code()), (404, "not_found"));
    let bob = app.register("bob@example.com").await;
    let bobs = sessions(&app.get_as("/api/v1/account/sessions", &bob.token).await);
    let not_hers = app
        .delete_as(
            &format!(
                "/api/v1/account/sessions/{}",
                bobs[0]["id"].as_str().unwrap()
            ),
            &desk,
        )
        .await;
    assert_eq!((not_hers.status, not_hers.code()), (404, "not_found"));
    assert_eq!(app.get_as("/api/v1/auth/me", &bob.token).await.status, 200);

    // Every other session at once: the desk's goes on.
    let others = app.delete_as("/api/v1/account/sessions", &desk).await;
    assert_eq!(others.status, 200, "{:?}", others.body);
    assert_eq!(others.body["ended"], 1, "the session of registering");
    assert_eq!(app.get_as("/api/v1/auth/me", &ada.token).await.status, 401);
    assert_eq!(app.get_as("/api/v1/auth/me", &desk).await.status, 200);
    let seen = sessions(&app.get_as("/api/v1/account/sessions", &desk).await);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["current"], true);

    // An API key has no account.
    let key = app
        .post_as(
            "/api/v1/orgs/acme/api-keys",
            &desk,
            json!({"name": "ci", "role": "admin"}),
        )
        .await;
    let key = key.body["key"].as_str().unwrap();
    let refused = app.get_as("/api/v1/account/sessions", key).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
}

async fn a_password_change_needs_the_current_password_and_ends_the_other_sessions(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let (phone, _) = sign_in_from(&app, "ada@example.com", "Phone Safari/19").await;
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});

    let wrong = app
        .post_as(
            "/api/v1/account/password",
            &ada.token,
            change("not my password", "a brand new passphrase"),
        )
        .await;
    assert_eq!((wrong.status, wrong.code()), (422, "validation_failed"));
    assert_eq!(
        wrong.body["error"]["fields"]["current_password"],
        json!(["is not your password"])
    );
    let short = app
        .post_as(
            "/api/v1/account/password",
            &ada.token,
            change(common::PASSWORD, "short"),
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.body["error"]["fields"]["new_password"].is_array());
    // Nothing changed: the phone still works, the old password still signs in.
    assert_eq!(app.get_as("/api/v1/auth/me", &phone).await.status, 200);

    let changed = app
        .post_as(
            "/api/v1/account/password",
            &ada.token,
            change(common::PASSWORD, "a brand new passphrase"),
        )
        .await;
    assert_eq!(changed.status, 204, "{:?}", changed.body);
    assert_eq!(app.get_as("/api/v1/auth/me", &ada.token).await.status, 200);
    let phone_refused = app.get_as("/api/v1/auth/me", &phone).await;
    assert_eq!(phone_refused.status, 401, "the other session ended");
    assert_eq!(
        app.login("ada@example.com", common::PASSWORD).await.status,
        401
    );
    assert_eq!(
        app.login("ada@example.com", "a brand new passphrase")
            .await
            .status,
        200
    );
    let told: Vec<_> = app
        .emails()
        .await
        .into_iter()
        .filter(|(to, subject, _)| {
            to == "ada@example.com" && subject == "Your Upstate password was changed"
        })
        .collect();
    assert_eq!(told.len(), 1, "the person is told by mail");
}

async fn a_person_renames_themselves(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let renamed = app
        .patch_as(
            "/api/v1/account",
            &ada.token,
            json!({"name": "  Ada Lovelace "}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    assert_eq!(renamed.body["name"], "Ada Lovelace");
    let me = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(me.body["user"]["name"], "Ada Lovelace");
    let empty = app
        .patch_as("/api/v1/account", &ada.token, json!({"name": "   "}))
        .await;
    assert_eq!((empty.status, empty.code()), (422, "validation_failed"));
    assert!(empty.body["error"]["fields"]["name"].is_array());
    let me = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(
        me.body["user"]["name"], "Ada Lovelace",
        "nothing half-written"
    );
}

async fn a_new_address_counts_only_once_the_link_sent_to_it_is_followed(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    app.register("taken@example.com").await;
    let ask = |email: &str, password: &str| {
        app.post_as(
            "/api/v1/account/email",
            &ada.token,
            json!({"email": email, "password": password}),
        )
    };

    // Bad input names its field; nothing is sent.
    let wrong = ask("ada@new.example", "not my password").await;
    assert_eq!(wrong.status, 422);
    assert_eq!(
        wrong.body["error"]["fields"]["password"],
        json!(["is not your password"])
    );
    let same = ask("ADA@example.com", common::PASSWORD).await;
    assert_eq!(same.status, 422);
    assert!(same.body["error"]["fields"]["email"].is_array());
    let bad = ask("not an address", common::PASSWORD).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body["error"]["fields"]["email"].is_array());
    assert!(app.emails().await.is_empty(), "{:?}", app.emails().await);

    // Another account's address: the same answer; that account is told, nothing changes.
    assert_eq!(ask("taken@example.com", common::PASSWORD).await.status, 202);
    // A new one: a link there, a notice to the current address; the address is still the old.
    assert_eq!(ask("ada@new.example", common::PASSWORD).await.status, 202);
    let mails = app.emails().await;
    let to = |address: &str| -> Vec<(String, String)> {
        mails
            .iter()
            .filter(|(to, _, _)| to == address)
            .map(|(_, subject, text)| (subject.clone(), text.clone()))
            .collect()
    };
    assert_eq!(to("taken@example.com").len(), 1);
    assert!(!to("taken@example.com")[0].1.contains("/account/email#"));
    assert_eq!(to("ada@example.com").len(), 2, "a notice for each ask");
    assert!(to("ada@example.com")[1].1.contains("ada@new.example"));
    let link = to("ada@new.example")[0].1.clone();
    let token = common::link_in(&link)
        .rsplit('#')
        .next()
        .unwrap()
        .to_owned();
    assert!(token.starts_with("upe_"), "{link}");
    let me = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(me.body["user"]["email"], "ada@example.com");

    // Followed (no session needed): the address changes, the old one is told, once.
    let confirm = |token: &str| {
        app.call(
            Method::POST,
            "/api/v1/account/email/confirm",
            None,
            Some(json!({ "token": token })),
        )
    };
    let confirmed = confirm(&token).await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    assert_eq!(confirmed.body["email"], "ada@new.example");
    let me = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(me.body["user"]["email"], "ada@new.example");
    assert_eq!(
        app.login("ada@new.example", common::PASSWORD).await.status,
        200
    );
    assert_eq!(
        app.login("ada@example.com", common::PASSWORD).await.status,
        401
    );
    let told = app.emails().await;
    assert!(
        told.iter()
            .any(|(to, subject, text)| to == "ada@example.com"
                && subject == "The email address of your Upstate account was changed"
                && text.contains("ada@new.example"))
    );
    let again = confirm(&token).await;
    assert_eq!(again.status, 401, "a link works once");
    let forged = confirm("upe_not-a-real-token").await;
    assert_eq!(forged.status, 401);
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Text)]
    text: String,
}

/// Every value of every table of the app's database, as text (one line a row), to look for
/// what should not be there.
fn everything_stored(app: &TestApp) -> String {
    use diesel::RunQueryDsl;
    use upstate_store::DbConnection;
    let mut conn = app.db.db.conn().unwrap();
    let tables_sql = match &*conn {
        DbConnection::Sqlite(_) => {
            "SELECT name AS text FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%'"
        }
        DbConnection::Postgres(_) => {
            "SELECT table_name::text AS text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    let tables: Vec<String> = diesel::sql_query(tables_sql)
        .load::<Text>(&mut *conn)
        .unwrap()
        .into_iter()
        .map(|row| row.text)
        .collect();
    assert!(tables.len() > 30, "{tables:?}");
    let mut all = String::new();
    for table in tables {
        let rows_sql = match &*conn {
            DbConnection::Sqlite(_) => {
                let columns: Vec<String> = diesel::sql_query(format!(
                    "SELECT name AS text FROM pragma_table_info('{table}')"
                ))
                .load::<Text>(&mut *conn)
                .unwrap()
                .into_iter()
                .map(|row| format!("COALESCE(CAST(\"{}\" AS TEXT), '')", row.text))
                .collect();
                format!(
                    "SELECT {} AS text FROM \"{table}\"",
                    columns.join(" || '|' || ")
                )
            }
            DbConnection::Postgres(_) => {
                format!("SELECT row_to_json(t)::text AS text FROM \"{table}\" t")
            }
        };
        for row in diesel::sql_query(rows_sql)
            .load::<Text>(&mut *conn)
            .unwrap()
        {
            all.push_str(&table);
            all.push_str(": ");
            all.push_str(&row.text);
            all.push('\n');
        }
    }
    all
}

async fn delete_account(app: &TestApp, bearer: &str, body: Value) -> Answer {
    app.call(Method::DELETE, "/api/v1/account", Some(bearer), Some(body))
        .await
}

async fn a_deleted_account_leaves_nothing_personal_and_its_words_a_former_member(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let renamed = app
        .patch_as(
            "/api/v1/account",
            &ada.token,
            json!({ "name": "Ada Quillfeather" }),
        )
        .await;
    assert_eq!(renamed.status, 200, "{:?}", renamed.body);
    let (ada_browser, _) = sign_in_from(&app, "ada@example.com", "Quillbrowser/1.0").await;
    app.create_org(&ada, "acme").await;
    let bob = app.register("bob@example.com").await;
    app.add_member(&ada, "acme", &bob, "owner").await;
    let declared = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &ada_browser,
            json!({"title": "Logins fail", "status": "investigating", "impact": "major",
                   "message": "Ada is looking into it."}),
        )
        .await;
    assert_eq!(declared.status, 201, "{:?}", declared.body);
    let incident = declared.body["id"].as_str().unwrap().to_owned();
    let subscribed = app
        .call(
            Method::POST,
            "/api/v1/public/acme/subscriptions",
            None,
            Some(json!({ "email": "ada@example.com" })),
        )
        .await;
    assert_eq!(subscribed.status, 202, "{:?}", subscribed.body);
    app.create_org(&ada, "solo").await;
    app.create_org(&ada, "side-project").await;
    let mut socket = members_socket(&app, "acme", &ada_browser).await;

    // The last owner of two orgs is told which, and nothing happens.
    let refused = delete_account(&app, &ada_browser, json!({ "password": common::PASSWORD })).await;
    assert_eq!(
        (refused.status, refused.code()),
        (409, "conflict"),
        "{:?}",
        refused.body
    );
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("(solo)")
            && message.contains("(side-project)")
            && !message.contains("(acme)"),
        "{message}"
    );
    assert_eq!(
        app.get_as("/api/v1/auth/me", &ada_browser).await.status,
        200
    );
    for slug in ["solo", "side-project"] {
        let gone = app
            .delete_as(&format!("/api/v1/orgs/{slug}"), &ada_browser)
            .await;
        assert_eq!(gone.status, 204, "{:?}", gone.body);
    }

    // Proof is needed: the password (right), or a code; not nothing.
    let unproven = delete_account(&app, &ada_browser, json!({})).await;
    assert_eq!(unproven.status, 422, "{:?}", unproven.body);
    assert!(unproven.body["error"]["fields"]["password"].is_array());
    let wrong = delete_account(&app, &ada_browser, json!({ "password": "not my password" })).await;
    assert_eq!(wrong.status, 422, "{:?}", wrong.body);
    assert!(wrong.body["error"]["fields"]["password"].is_array());
    assert_eq!(
        app.get_as("/api/v1/auth/me", &ada_browser).await.status,
        200
    );

    let deleted = delete_account(&app, &ada_browser, json!({ "password": common::PASSWORD })).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    let cleared = deleted.headers.get_all("set-cookie").iter().count();
    assert!(cleared >= 2, "the session cookies are cleared");
    let code = common::close_code_within(&mut socket, Duration::from_millis(2500))
        .await
        .expect("the live channel closes");
    assert_eq!(code, 4003);
    for token in [&ada.token, &ada_browser] {
        let refused = app.get_as("/api/v1/auth/me", token).await;
        assert_eq!(refused.status, 401, "{:?}", refused.body);
    }

    // Nothing personal remains: not her name, her address, or the browser of her sessions.
    let stored = everything_stored(&app);
    for personal in ["Quillfeather", "ada@example.com", "Quillbrowser"] {
        let found: Vec<&str> = stored.lines().filter(|l| l.contains(personal)).collect();
        assert!(found.is_empty(), "{personal} is still stored: {found:#?}");
    }

    // What she wrote stays, by a former member; the team's audit log says she left.
    let kept = app
        .get_as(
            &format!("/api/v1/orgs/acme/incidents/{incident}"),
            &bob.token,
        )
        .await;
    assert_eq!(kept.status, 200, "{:?}", kept.body);
    let update = &kept.body["updates"][0];
    assert_eq!(update["message"], "Ada is looking into it.");
    assert_eq!(
        update["author"],
        json!({ "kind": "former_member", "id": ada.user_id })
    );
    let members = app.get_as("/api/v1/orgs/acme/members", &bob.token).await;
    assert_eq!(members.body["items"].as_array().unwrap().len(), 1);
    let log = app.get_as("/api/v1/orgs/acme/audit-log", &bob.token).await;
    let deletion: Vec<&Value> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "account.deleted")
        .collect();
    assert_eq!(deletion.len(), 1, "{:?}", log.body);
    assert_eq!(deletion[0]["actor"]["kind"], "former_member");

    // The address is free again: a new person may sign up with it, and finds nothing of Ada's.
    assert_eq!(
        app.login("ada@example.com", common::PASSWORD).await.status,
        401
    );
    let newcomer = app.register("ada@example.com").await;
    assert_ne!(newcomer.user_id, ada.user_id);
    let me = app.get_as("/api/v1/auth/me", &newcomer.token).await;
    assert_eq!(me.body["memberships"], json!([]), "{:?}", me.body);
}

async fn the_export_holds_everything_about_the_person_and_nothing_about_others(engine: Engine) {
    let app = spawn_app(engine).await;
    let bob = app.register("bob@example.com").await;
    app.create_org(&bob, "acme").await;
    let ada = app.register("ada@example.com").await;
    app.add_member(&bob, "acme", &ada, "editor").await;
    let (ada_browser, _) = sign_in_from(&app, "ada@example.com", "Quillbrowser/1.0").await;
    app.patch_as(
        "/api/v1/account",
        &ada_browser,
        json!({ "name": "Ada Quillfeather" }),
    )
    .await;
    // Bob changes her role (an entry about her, by another member); she declares an incident
    // (an entry by her).
    let promoted = app
        .patch_as(
            &format!("/api/v1/orgs/acme/members/{}", ada.user_id),
            &bob.token,
            json!({ "role": "admin" }),
        )
        .await;
    assert_eq!(promoted.status, 200, "{:?}", promoted.body);
    let declared = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &ada_browser,
            json!({"title": "Logins fail", "status": "investigating", "impact": "major", "message": "Looking."}),
        )
        .await;
    assert_eq!(declared.status, 201);
    app.call(
        Method::POST,
        "/api/v1/public/acme/subscriptions",
        None,
        Some(json!({ "email": "ada@example.com" })),
    )
    .await;

    let response = app
        .client
        .get(app.url("/api/v1/account/export"))
        .bearer_auth(&ada_browser)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"upstate-account-"),
        "{disposition}"
    );
    let text = response.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["format"], "upstate.account-export");
    assert_eq!(export["version"], 1);
    assert_eq!(export["profile"]["email"], "ada@example.com");
    assert_eq!(export["profile"]["name"], "Ada Quillfeather");
    assert_eq!(export["profile"]["id"], ada.user_id.as_str());
    assert_eq!(
        export["memberships"],
        json!([{ "org_slug": "acme", "org_name": "Org acme", "role": "admin",
                 "since": export["memberships"][0]["since"] }])
    );
    let sessions = export["sessions"].as_array().unwrap();
    assert!(
        sessions
            .iter()
            .any(|s| s["user_agent"] == "Quillbrowser/1.0" && s["client_address"] == "127.0.0.1"),
        "{sessions:?}"
    );
    assert_eq!(export["two_factor"]["totp_since"], Value::Null);
    let audit = export["audit"].as_array().unwrap();
    let renamed = audit
        .iter()
        .find(|e| e["action"] == "account.updated")
        .expect("her rename");
    assert_eq!(renamed["by"], "you");
    assert_eq!(renamed["details"]["name"]["to"], "Ada Quillfeather");
    assert!(audit.iter().any(|e| e["action"] == "incident.created"
        && e["by"] == "you"
        && e["org_slug"] == "acme"
        && e["details"].is_null()));
    let subscriptions = export["subscriptions"].as_array().unwrap();
    assert_eq!(subscriptions.len(), 1, "{subscriptions:?}");
    assert_eq!(subscriptions[0]["email"], "ada@example.com");
    assert_eq!(subscriptions[0]["org_slug"], "acme");

    // Nothing about Bob: not his address, his name or his id.
    for other in ["bob@example.com", "\"bob\"", bob.user_id.as_str()] {
        assert!(!text.contains(other), "{other} is in Ada's export: {text}");
    }

    // An API key has no person to export.
    let key = app
        .post_as(
            "/api/v1/orgs/acme/api-keys",
            &bob.token,
            json!({"name": "ci", "role": "admin"}),
        )
        .await;
    let refused = app
        .get_as("/api/v1/account/export", key.body["key"].as_str().unwrap())
        .await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
}
