//! Accounts and sessions: registration, sign-in, refresh-token rotation and reuse detection,
//! the CSRF guard, sign-out, password reset and the rate limits of these paths.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{PASSWORD, TestApp, link_in, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_store::Engine;

on_both_engines!(
    registering_then_signing_in_gives_a_token_and_cookies,
    registration_answers_the_same_whether_or_not_the_email_has_an_account,
    an_unconfirmed_account_works_but_sends_no_invitation_mail,
    bad_registrations_are_refused_with_their_fields,
    a_wrong_password_and_an_unknown_email_get_the_same_answer,
    refresh_rotates_the_token_and_reuse_revokes_the_whole_session,
    cookie_writes_need_the_spa_header,
    signing_out_ends_the_session,
    password_reset_sets_a_new_password_once_and_ends_other_sessions,
    sign_in_attempts_are_rate_limited_per_account,
);

fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn sign_in_with_cookies(app: &TestApp, email: &str) -> reqwest::Client {
    let client = cookie_client();
    let response = client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    client
}

fn set_cookies(headers: &reqwest::header::HeaderMap) -> Vec<String> {
    headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn cookie_value(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    set_cookies(headers)
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

async fn registering_then_signing_in_gives_a_token_and_cookies(engine: Engine) {
    let app = spawn_app(engine).await;
    let registered = app
        .call(
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(json!({"email": "Ada@Example.com", "password": PASSWORD, "name": "Ada"})),
        )
        .await;
    assert_eq!(registered.status, 202);
    let answer = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["user"]["email"], "ada@example.com");
    assert_eq!(answer.body["user"]["name"], "Ada");
    assert!(answer.body["expires_at"].as_str().is_some());
    let cookies = set_cookies(&answer.headers);
    let access = cookies
        .iter()
        .find(|c| c.starts_with("upstate_access="))
        .unwrap();
    let refresh = cookies
        .iter()
        .find(|c| c.starts_with("upstate_refresh="))
        .unwrap();
    for cookie in [access, refresh] {
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Lax"), "{cookie}");
        assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    }
    assert!(refresh.contains("Path=/api/v1/auth"), "{refresh}");
    assert!(
        !serde_json::to_string(&answer.body)
            .unwrap()
            .contains("upr_"),
        "no refresh token in the body"
    );

    let token = answer.body["access_token"].as_str().unwrap();
    let me = app.get_as("/api/v1/auth/me", token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["user"]["email"], "ada@example.com");
    assert_eq!(me.body["memberships"], json!([]));

    let anonymous = app.call(Method::GET, "/api/v1/auth/me", None, None).await;
    assert_eq!(
        (anonymous.status, anonymous.code()),
        (401, "unauthenticated")
    );
    let forged = app.get_as("/api/v1/auth/me", "not.a.jwt").await;
    assert_eq!(forged.status, 401);
}

async fn bad_registrations_are_refused_with_their_fields(engine: Engine) {
    let app = spawn_app(engine).await;
    let answer = app
        .call(
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(json!({"email": "not-an-email", "password": "short", "name": "  "})),
        )
        .await;
    assert_eq!((answer.status, answer.code()), (422, "validation_failed"));
    let fields = &answer.body["error"]["fields"];
    for field in ["email", "password", "name"] {
        assert!(
            fields[field][0].as_str().is_some(),
            "no problem for {field}: {fields}"
        );
    }

    let malformed = app
        .client
        .post(app.url("/api/v1/auth/register"))
        .header("Content-Type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");

    let missing = app
        .call(
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(json!({"email": "x@y.z"})),
        )
        .await;
    assert_eq!((missing.status, missing.code()), (422, "validation_failed"));

    let wrong_method = app
        .call(Method::GET, "/api/v1/auth/register", None, None)
        .await;
    assert_eq!(
        (wrong_method.status, wrong_method.code()),
        (405, "method_not_allowed")
    );
}

async fn a_wrong_password_and_an_unknown_email_get_the_same_answer(engine: Engine) {
    let app = spawn_app(engine).await;
    app.register("ada@example.com").await;
    let login = |email: &'static str, password: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": password})),
        )
    };
    let wrong = login("ada@example.com", "wrong password").await;
    let unknown = login("nobody@example.com", "wrong password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body, "one message for both");
    let right = login("ADA@example.com", PASSWORD).await;
    assert_eq!(right.status, 200);
    assert!(right.body["access_token"].as_str().is_some());
}

async fn refresh_rotates_the_token_and_reuse_revokes_the_whole_session(engine: Engine) {
    let app = spawn_app(engine).await;
    app.register("ada@example.com").await;
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "ada@example.com", "password": PASSWORD})),
        )
        .await;
    let first = cookie_value(&login.headers, "upstate_refresh");
    let refresh = |token: String| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .header("Cookie", format!("upstate_refresh={token}"))
            .header("X-Requested-With", "upstate")
            .send()
    };
    let rotated = refresh(first.clone()).await.unwrap();
    assert_eq!(rotated.status(), 200);
    let second = cookie_value(rotated.headers(), "upstate_refresh");
    assert_ne!(second, first, "rotated");
    let body: Value = rotated.json().await.unwrap();
    assert_eq!(body["user"]["email"], "ada@example.com");
    assert!(body["access_token"].as_str().is_some());

    // The first token again: it leaked. The answer is 401 and the whole session ends...
    let reused = refresh(first).await.unwrap();
    assert_eq!(reused.status(), 401);
    assert!(
        cookie_value(reused.headers(), "upstate_refresh").is_empty(),
        "cookies cleared"
    );
    // ...including the token that was current.
    assert_eq!(refresh(second).await.unwrap().status(), 401);
    // Another sign-in is another session, untouched.
    let other = sign_in_with_cookies(&app, "ada@example.com").await;
    let ok = other
        .post(app.url("/api/v1/auth/refresh"))
        .header("X-Requested-With", "upstate")
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(refresh("upr_unknown".into()).await.unwrap().status(), 401);
}

async fn cookie_writes_need_the_spa_header(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let browser = sign_in_with_cookies(&app, "ada@example.com").await;

    let forged = browser
        .post(app.url("/api/v1/orgs"))
        .json(&json!({"name": "Acme", "slug": "acme"}))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "a cross-site form post is refused");
    let body: Value = forged.json().await.unwrap();
    assert_eq!(body["error"]["code"], "forbidden");
    assert_eq!(
        app.get_as("/api/v1/orgs", &ada.token).await.body["items"],
        json!([]),
        "nothing was created"
    );

    let reads = browser
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(reads.status(), 200, "reads need no header");
    let spa = browser
        .post(app.url("/api/v1/orgs"))
        .header("X-Requested-With", "upstate")
        .json(&json!({"name": "Acme", "slug": "acme"}))
        .send()
        .await
        .unwrap();
    assert_eq!(spa.status(), 201);
    let bearer = app
        .post_as(
            "/api/v1/orgs",
            &ada.token,
            json!({"name": "Beta", "slug": "beta"}),
        )
        .await;
    assert_eq!(
        bearer.status, 201,
        "bearer tokens are not sent by browsers on their own"
    );
    let refresh = browser
        .post(app.url("/api/v1/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 403);
}

async fn signing_out_ends_the_session(engine: Engine) {
    let app = spawn_app(engine).await;
    app.register("ada@example.com").await;
    let login = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "ada@example.com", "password": PASSWORD})),
        )
        .await;
    let token = cookie_value(&login.headers, "upstate_refresh");
    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("Cookie", format!("upstate_refresh={token}"))
        .header("X-Requested-With", "upstate")
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert!(cookie_value(logout.headers(), "upstate_access").is_empty());
    assert!(cookie_value(logout.headers(), "upstate_refresh").is_empty());
    let refresh = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", format!("upstate_refresh={token}"))
        .header("X-Requested-With", "upstate")
        .send()
        .await
        .unwrap();
    assert_eq!(refresh.status(), 401);
}

async fn password_reset_sets_a_new_password_once_and_ends_other_sessions(engine: Engine) {
    let app = spawn_app(engine).await;
    app.register("ada@example.com").await;
    let old_session = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "ada@example.com", "password": PASSWORD})),
        )
        .await;
    let old_refresh = cookie_value(&old_session.headers, "upstate_refresh");

    let request = |email: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({ "email": email })),
        )
    };
    assert_eq!(
        request("nobody@example.com").await.status,
        202,
        "no hint that the account is missing"
    );
    assert!(
        app.emails().await.is_empty(),
        "no mail for an unknown account"
    );
    assert_eq!(request("Ada@example.com").await.status, 202);
    let emails = app.emails().await;
    assert_eq!(emails.len(), 1);
    let (to, subject, text) = &emails[0];
    assert_eq!(to, "ada@example.com");
    assert!(subject.contains("Reset"));
    let link = link_in(text);
    let token = link.rsplit('#').next().unwrap().to_owned();
    assert!(token.starts_with("ups_"), "{link}");

    let confirm = |token: String, password: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": token, "password": password})),
        )
    };
    let short = confirm(token.clone(), "short").await;
    assert_eq!((short.status, short.code()), (422, "validation_failed"));
    assert_eq!(
        confirm(token.clone(), "a brand new password").await.status,
        204
    );
    let reused = confirm(token, "yet another password").await;
    assert_eq!(
        (reused.status, reused.code()),
        (401, "unauthenticated"),
        "single use"
    );

    let login = |password: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "ada@example.com", "password": password})),
        )
    };
    assert_eq!(login(PASSWORD).await.status, 401);
    assert_eq!(login("a brand new password").await.status, 200);
    let stale = app
        .client
        .post(app.url("/api/v1/auth/refresh"))
        .header("Cookie", format!("upstate_refresh={old_refresh}"))
        .header("X-Requested-With", "upstate")
        .send()
        .await
        .unwrap();
    assert_eq!(
        stale.status(),
        401,
        "sessions from before the reset are over"
    );

    // An expired link does nothing.
    assert_eq!(request("ada@example.com").await.status, 202);
    let link = link_in(&app.emails().await[1].2);
    {
        use diesel::prelude::*;
        use upstate_store::schema::link_tokens;
        let mut conn = app.db.db.conn().unwrap();
        diesel::update(link_tokens::table)
            .set(link_tokens::expires_at.eq(upstate_store::now() - chrono::Duration::seconds(1)))
            .execute(&mut *conn)
            .unwrap();
    }
    let expired = confirm(
        link.rsplit('#').next().unwrap().to_owned(),
        "another new password",
    )
    .await;
    assert_eq!(expired.status, 401);
    assert_eq!(login("a brand new password").await.status, 200);
}

async fn sign_in_attempts_are_rate_limited_per_account(engine: Engine) {
    let app = spawn_app(engine).await;
    // Registering signed in once: nine wrong passwords make ten attempts.
    app.register("ada@example.com").await;
    for _ in 0..9 {
        let answer = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "ada@example.com", "password": "guess"})),
            )
            .await;
        assert_eq!(answer.status, 401);
    }
    let limited = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "ada@example.com", "password": PASSWORD})),
        )
        .await;
    assert_eq!((limited.status, limited.code()), (429, "rate_limited"));
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=120).contains(&retry), "Retry-After {retry}");

    for _ in 0..3 {
        let answer = app
            .call(
                Method::POST,
                "/api/v1/auth/password-reset",
                None,
                Some(json!({"email": "ada@example.com"})),
            )
            .await;
        assert_eq!(answer.status, 202);
    }
    let limited = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "ada@example.com"})),
        )
        .await;
    assert_eq!(limited.status, 429);
}

#[tokio::test]
async fn queued_mail_is_delivered_by_the_outbox_worker() {
    let app = spawn_app(Engine::Sqlite).await;
    app.register("ada@example.com").await;
    let answer = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "ada@example.com"})),
        )
        .await;
    assert_eq!(answer.status, 202);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        use diesel::prelude::*;
        use upstate_store::schema::outbox;
        let mut conn = app.db.db.conn().unwrap();
        let delivered: Vec<Option<chrono::NaiveDateTime>> = outbox::table
            .select(outbox::delivered_at)
            .load(&mut *conn)
            .unwrap();
        // The address confirmation and the reset link.
        if delivered.len() == 2 && delivered.iter().all(Option::is_some) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the email was not delivered: {delivered:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn with_smtp_configured_mail_goes_out_over_smtp_and_leaves_the_outbox() {
    // Every test app sends its mail to its own SMTP server, `app.mailbox`.
    let app = common::spawn_app_configured(Engine::Sqlite, common::MemoryAssets::default(), |s| {
        s.mail_from = "Status <status@acme.test>".into();
    })
    .await;
    app.register("ada@example.com").await;
    let answer = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "ada@example.com"})),
        )
        .await;
    assert_eq!(answer.status, 202);
    app.outbox_delivered().await;
    let mail = app
        .mailbox
        .mails()
        .into_iter()
        .find(|mail| mail.subject == "Reset your Upstate password")
        .expect("the email reached the SMTP server");
    assert_eq!(mail.to, "ada@example.com");
    assert!(
        mail.from == "\"Status\" <status@acme.test>" || mail.from == "Status <status@acme.test>",
        "{}",
        mail.from
    );
    assert!(mail.text.contains("/reset-password#ups_"), "{}", mail.raw);

    // Once sent, the outbox keeps that a mail went out, not the mail: its link is a secret.
    use diesel::prelude::*;
    use upstate_store::schema::outbox;
    let mut conn = app.db.db.conn().unwrap();
    let kept: Vec<String> = outbox::table
        .filter(outbox::delivered_at.is_not_null())
        .select(outbox::payload)
        .load(&mut *conn)
        .unwrap();
    assert!(kept.len() >= 2, "{kept:?}");
    assert!(
        kept.iter()
            .all(|payload| !payload.contains("ups_") && !payload.contains("upv_")),
        "delivered rows hold no link: {kept:?}"
    );
}

async fn registration_answers_the_same_whether_or_not_the_email_has_an_account(engine: Engine) {
    let app = spawn_app(engine).await;
    app.register("ada@example.com").await;
    let register = |email: &'static str| {
        app.call(
            Method::POST,
            "/api/v1/auth/register",
            None,
            Some(json!({"email": email, "password": "another password", "name": "Someone"})),
        )
    };
    let taken = register("ADA@example.com").await;
    let new = register("bob@example.com").await;
    assert_eq!(taken.status, 202);
    assert_eq!(new.status, 202);
    assert_eq!(taken.body, new.body, "the same answer");
    assert!(taken.headers.get("set-cookie").is_none() && new.headers.get("set-cookie").is_none());
    // The existing account is told; its password did not change.
    let mails = app.all_emails().await;
    let notice = mails
        .iter()
        .find(|(to, subject, _)| to == "ada@example.com" && subject.contains("tried to sign up"))
        .expect("a note to the existing account");
    assert!(notice.2.contains("/forgot-password"), "{}", notice.2);
    assert!(
        app.verification_link("bob@example.com")
            .await
            .contains("/verify-email#upv_")
    );
    let old_password = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(old_password.status, 200);
}

async fn an_unconfirmed_account_works_but_sends_no_invitation_mail(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register_unverified("ada@example.com").await;
    app.create_org(&ada, "acme").await;
    let invite = |email: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            app.post_as(
                "/api/v1/orgs/acme/invitations",
                &ada.token,
                json!({"email": email, "role": "viewer"}),
            )
            .await
        }
    };
    let first = invite("bob@example.com").await;
    assert_eq!(
        first.status, 201,
        "the invitation is made: {:?}",
        first.body
    );
    assert!(
        first.body["accept_url"]
            .as_str()
            .unwrap()
            .contains("/invite#upi_")
    );
    let to_bob = app
        .emails()
        .await
        .iter()
        .filter(|(to, _, _)| to == "bob@example.com")
        .count();
    assert_eq!(to_bob, 0, "no mail on behalf of an unconfirmed address");

    // Following the link confirms the address; from then on invitations are mailed.
    let token = app
        .verification_link("ada@example.com")
        .await
        .rsplit('#')
        .next()
        .unwrap()
        .to_owned();
    let confirm = |token: String| {
        app.call(
            Method::POST,
            "/api/v1/auth/verify-email",
            None,
            Some(json!({ "token": token })),
        )
    };
    assert_eq!(confirm(token.clone()).await.status, 204);
    assert_eq!(confirm(token).await.status, 401, "a link works once");
    assert_eq!(invite("carol@example.com").await.status, 201);
    assert_eq!(
        app.emails()
            .await
            .iter()
            .filter(|(to, _, _)| to == "carol@example.com")
            .count(),
        1
    );
}
