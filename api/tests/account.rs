//! A person's own account (issue 22, item 1): their sessions, seen and ended from another
//! browser; a password change that needs the current password and ends the other sessions; a
//! new name; a new address, confirmed from a link sent to it, the old one told.

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
