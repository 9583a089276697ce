//! Sessions end when they should (issue 12, items 3 and 7): an access token is refused as soon
//! as its session is revoked, not when it expires; the members' live channel closes at the
//! token's expiry and within a second of the access ending.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, Socket, TestApp, link_in, spawn_app};
use futures::StreamExt;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use upstate_store::Engine;

on_both_engines!(
    an_access_token_is_refused_once_its_session_is_logged_out,
    a_password_reset_ends_every_session_at_once,
    the_members_channel_closes_within_a_second_of_the_access_ending,
);

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
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the members' socket opens");
    match socket.next().await {
        Some(Ok(Message::Text(hello))) => assert!(hello.contains("hello"), "{hello}"),
        other => panic!("no hello: {other:?}"),
    }
    socket
}

/// The close code the server sends within `limit` (0 when the socket ends without one).
async fn closed_within(socket: &mut Socket, limit: Duration) -> u16 {
    common::close_code_within(socket, limit)
        .await
        .unwrap_or_else(|| panic!("the socket stayed open beyond {limit:?}"))
}

async fn me(app: &TestApp, token: &str) -> u16 {
    app.get_as("/api/v1/auth/me", token).await.status
}

async fn login(app: &TestApp, email: &str) -> String {
    let answer = app.login(email, common::PASSWORD).await;
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["access_token"].as_str().unwrap().to_owned()
}

async fn an_access_token_is_refused_once_its_session_is_logged_out(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    app.create_org(&ada, "acme").await;
    let laptop = login(&app, "ada@example.com").await;
    assert_eq!(me(&app, &ada.token).await, 200);
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&ada.token), None)
        .await;
    assert_eq!(out.status, 204);
    let refused = app.get_as("/api/v1/auth/me", &ada.token).await;
    assert_eq!(
        (refused.status, refused.code()),
        (401, "unauthenticated"),
        "refused at once, not in 15 minutes"
    );
    // Org routes check the session in the read that finds the org and the role.
    let org_route = app.get_as("/api/v1/orgs/acme/services", &ada.token).await;
    assert_eq!(
        (org_route.status, org_route.code()),
        (401, "unauthenticated")
    );
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/services", &laptop)
            .await
            .status,
        200
    );
    assert_eq!(me(&app, &laptop).await, 200, "another sign-in goes on");
}

async fn a_password_reset_ends_every_session_at_once(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let laptop = login(&app, "ada@example.com").await;
    app.call(
        Method::POST,
        "/api/v1/auth/password-reset",
        None,
        Some(json!({"email": "ada@example.com"})),
    )
    .await;
    let (_, _, text) = app.emails().await.pop().expect("the reset mail");
    let token = link_in(&text).rsplit('#').next().unwrap().to_owned();
    let confirmed = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": token, "password": "a brand new password"})),
        )
        .await;
    assert_eq!(confirmed.status, 204);
    assert_eq!(me(&app, &ada.token).await, 401);
    assert_eq!(me(&app, &laptop).await, 401);
}

async fn the_members_channel_closes_within_a_second_of_the_access_ending(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let member = |email: &'static str, role: &'static str| {
        let app = &app;
        let owner = &owner;
        async move {
            let account: Account = app.register(email).await;
            app.add_member(owner, "acme", &account, role).await;
            account
        }
    };
    let within = Duration::from_millis(1_500);

    // Logout.
    let leaving = member("leaving@acme.test", "viewer").await;
    let mut socket = members_socket(&app, "acme", &leaving.token).await;
    let started = Instant::now();
    app.call(
        Method::POST,
        "/api/v1/auth/logout",
        Some(&leaving.token),
        None,
    )
    .await;
    assert_eq!(closed_within(&mut socket, within).await, 4003);
    assert!(started.elapsed() < within);

    // Removal from the org.
    let removed = member("removed@acme.test", "viewer").await;
    let mut socket = members_socket(&app, "acme", &removed.token).await;
    let answer = app
        .delete_as(
            &format!("/api/v1/orgs/acme/members/{}", removed.user_id),
            &owner.token,
        )
        .await;
    assert_eq!(answer.status, 204);
    assert_eq!(closed_within(&mut socket, within).await, 4003);

    // A role change.
    let demoted = member("demoted@acme.test", "editor").await;
    let mut socket = members_socket(&app, "acme", &demoted.token).await;
    let answer = app
        .patch_as(
            &format!("/api/v1/orgs/acme/members/{}", demoted.user_id),
            &owner.token,
            json!({"role": "viewer"}),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(closed_within(&mut socket, within).await, 4003);

    // An API key's revocation.
    let key = app
        .post_as(
            "/api/v1/orgs/acme/api-keys",
            &owner.token,
            json!({"name": "status bot", "role": "viewer"}),
        )
        .await;
    assert_eq!(key.status, 201, "{:?}", key.body);
    let mut socket = members_socket(&app, "acme", key.body["key"].as_str().unwrap()).await;
    let revoked = app
        .delete_as(
            &format!(
                "/api/v1/orgs/acme/api-keys/{}",
                key.body["id"].as_str().unwrap()
            ),
            &owner.token,
        )
        .await;
    assert_eq!(revoked.status, 204);
    assert_eq!(closed_within(&mut socket, within).await, 4003);

    // The access token's expiry: a token of three seconds (`exp` is in whole seconds).
    let access = app
        .state
        .jwt
        .verify(&owner.token)
        .expect("the owner's token");
    let (short, _) = app
        .state
        .jwt
        .issue_for(&access.user, &access.session, chrono::Duration::seconds(3))
        .unwrap();
    let mut socket = members_socket(&app, "acme", &short).await;
    let opened = Instant::now();
    assert_eq!(
        closed_within(&mut socket, Duration::from_secs(4)).await,
        4001
    );
    assert!(
        opened.elapsed() >= Duration::from_millis(1_500),
        "not before its expiry"
    );
    // The owner's own session goes on.
    assert_eq!(me(&app, &owner.token).await, 200);
}
