//! Two-factor sign-in with TOTP (issue 22, item 2): enrolment confirmed and sign-in passed with
//! codes computed here, by an RFC 6238 implementation of this file's own (HMAC-SHA1 from the
//! `hmac` and `sha1` crates, checked first against RFC 6238's Appendix B), never by the
//! server's; a code refused the second time; a recovery code good once; a flood of wrong codes
//! rate limited; turning it off needs a code; a challenge good once; the secret sealed at rest.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, Answer, PASSWORD, TestApp, spawn_app};
use reqwest::Method;
use serde_json::json;
use upstate_store::Engine;

on_both_engines!(
    enrolled_sign_in_takes_two_steps_and_a_code_is_refused_the_second_time,
    a_recovery_code_works_once_and_new_ones_void_the_old,
    a_flood_of_wrong_codes_is_rate_limited,
    turning_two_factor_off_needs_a_current_code,
    the_secret_is_not_stored_in_clear,
    after_a_key_rotation_secrets_are_sealed_again_and_sign_in_goes_on,
    an_account_is_deleted_with_a_code_instead_of_the_password,
);

use common::totp::{base32_decode, code_at, fresh_step, hotp};

#[test]
fn the_tests_own_totp_matches_rfc_6238_appendix_b() {
    let secret = b"12345678901234567890";
    for (time, expected) in [
        (59u64, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(hotp(secret, time / 30, 8), expected, "at {time}");
    }
    assert_eq!(base32_decode("GEZDGNBVGY3TQOJQ"), b"1234567890");
}

// ---- Helpers ----

/// An account with two-factor on: its secret, the recovery codes, and the step whose code
/// (the one before the current) confirmed it.
struct Enrolled {
    account: Account,
    secret: Vec<u8>,
    recovery_codes: Vec<String>,
    step: u64,
}

async fn enrol(app: &TestApp, email: &str) -> Enrolled {
    let account = app.register(email).await;
    let status = app
        .get_as("/api/v1/account/two-factor", &account.token)
        .await;
    assert_eq!(status.status, 200, "{:?}", status.body);
    assert_eq!(status.body["totp_enabled"], false);
    let started = app
        .post_as("/api/v1/account/two-factor/totp", &account.token, json!({}))
        .await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    let secret_text = started.body["secret"].as_str().unwrap();
    let uri = started.body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    assert!(uri.contains(&format!("secret={secret_text}")), "{uri}");
    assert!(
        started.body["qr_svg"].as_str().unwrap().contains("<svg"),
        "the QR code is an SVG"
    );
    let secret = base32_decode(secret_text);
    assert_eq!(secret.len(), 20);

    let step = fresh_step().await;
    let wrong = wrong_code(&secret, step);
    let refused = app
        .post_as(
            "/api/v1/account/two-factor/totp/confirm",
            &account.token,
            json!({ "code": wrong }),
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert!(refused.body["error"]["fields"]["code"].is_array());
    // Not on yet: the password alone still signs in.
    assert_eq!(app.login(email, PASSWORD).await.status, 200);

    let confirmed = app
        .post_as(
            "/api/v1/account/two-factor/totp/confirm",
            &account.token,
            json!({ "code": code_at(&secret, step - 1) }),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    let recovery_codes: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery_codes.len(), 10);
    Enrolled {
        account,
        secret,
        recovery_codes,
        step: step - 1,
    }
}

/// A code that is none of the codes of the steps around `step`.
fn wrong_code(secret: &[u8], step: u64) -> String {
    let near: Vec<String> = (step - 2..=step + 2).map(|s| code_at(secret, s)).collect();
    (0..)
        .map(|n: u32| format!("{:06}", (n * 7919) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

/// The first step of signing in, for a person with two-factor on: the challenge.
async fn challenge(app: &TestApp, email: &str) -> String {
    let answer = app.login(email, PASSWORD).await;
    assert_eq!(answer.status, 202, "{:?}", answer.body);
    assert!(
        answer.headers.get("set-cookie").is_none(),
        "no session before the second step"
    );
    assert!(answer.body.get("access_token").is_none());
    assert_eq!(
        answer.body["two_factor"]["methods"],
        json!(["totp", "recovery_code"])
    );
    answer.body["two_factor"]["challenge"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn second_step(app: &TestApp, body: serde_json::Value) -> Answer {
    app.call(
        Method::POST,
        "/api/v1/auth/login/two-factor",
        None,
        Some(body),
    )
    .await
}

// ---- Tests ----

async fn enrolled_sign_in_takes_two_steps_and_a_code_is_refused_the_second_time(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let status = app
        .get_as("/api/v1/account/two-factor", &ada.account.token)
        .await;
    assert_eq!(status.body["totp_enabled"], true, "{:?}", status.body);
    assert_eq!(status.body["recovery_codes_left"], 10);
    assert!(status.body["enabled_at"].is_string());
    let again = app
        .post_as(
            "/api/v1/account/two-factor/totp",
            &ada.account.token,
            json!({}),
        )
        .await;
    assert_eq!(
        again.status, 409,
        "enrolling again while on: {:?}",
        again.body
    );

    // Password, then a code of the next step.
    let first = challenge(&app, "ada@example.com").await;
    let code = code_at(&ada.secret, ada.step + 1);
    let signed_in = second_step(&app, json!({ "challenge": first, "code": code })).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    assert!(signed_in.headers.get("set-cookie").is_some());
    let token = signed_in.body["access_token"].as_str().unwrap();
    let me = app.get_as("/api/v1/auth/me", token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["user"]["email"], "ada@example.com");

    // The same code, on a new challenge: refused.
    let second = challenge(&app, "ada@example.com").await;
    let replayed = second_step(&app, json!({ "challenge": second, "code": code })).await;
    assert_eq!(replayed.status, 401, "{:?}", replayed.body);
    assert_eq!(replayed.code(), "unauthenticated");
    // The code the enrolment was confirmed with is of an earlier step: refused too.
    let third = challenge(&app, "ada@example.com").await;
    let older = second_step(
        &app,
        json!({ "challenge": third, "code": code_at(&ada.secret, ada.step) }),
    )
    .await;
    assert_eq!(older.status, 401, "{:?}", older.body);

    // The challenge that signed in is used: a new, right code does not pass with it.
    let reused = second_step(
        &app,
        json!({ "challenge": first, "code": code_at(&ada.secret, ada.step + 2) }),
    )
    .await;
    assert_eq!(reused.status, 401, "{:?}", reused.body);
    assert!(
        reused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("challenge"),
        "{:?}",
        reused.body
    );
    // Neither a code nor a recovery code, or both: the field error.
    let neither = second_step(&app, json!({ "challenge": third })).await;
    assert_eq!(neither.status, 422, "{:?}", neither.body);

    // The person was told, and every step is in the audit log.
    let mails = app.emails().await;
    assert!(
        mails.iter().any(|(to, subject, _)| to == "ada@example.com"
            && subject.contains("Two-factor sign-in was turned on")),
        "{mails:?}"
    );
    let mut conn = app.db.db.conn().unwrap();
    let actions: Vec<String> = {
        use diesel::prelude::*;
        use upstate_store::schema::audit_log;
        audit_log::table
            .select(audit_log::action)
            .load(&mut *conn)
            .unwrap()
    };
    for action in [
        "auth.two_factor_enrolment_started",
        "auth.two_factor_enabled",
        "auth.login_password_accepted",
        "auth.login_two_factor_failed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

async fn a_recovery_code_works_once_and_new_ones_void_the_old(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    // Typed back as a person might: upper case, spaces for dashes.
    let typed = ada.recovery_codes[0].replace('-', " ").to_uppercase();
    let first = challenge(&app, "ada@example.com").await;
    let signed_in = second_step(&app, json!({ "challenge": first, "recovery_code": typed })).await;
    assert_eq!(signed_in.status, 200, "{:?}", signed_in.body);
    let status = app
        .get_as("/api/v1/account/two-factor", &ada.account.token)
        .await;
    assert_eq!(status.body["recovery_codes_left"], 9);

    let second = challenge(&app, "ada@example.com").await;
    let again = second_step(
        &app,
        json!({ "challenge": second, "recovery_code": ada.recovery_codes[0] }),
    )
    .await;
    assert_eq!(
        again.status, 401,
        "a recovery code works once: {:?}",
        again.body
    );

    // New codes need a code; the old unused ones stop working.
    let refused = app
        .post_as(
            "/api/v1/account/two-factor/recovery-codes",
            &ada.account.token,
            json!({ "code": wrong_code(&ada.secret, ada.step) }),
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let renewed = app
        .post_as(
            "/api/v1/account/two-factor/recovery-codes",
            &ada.account.token,
            json!({ "code": code_at(&ada.secret, ada.step + 1) }),
        )
        .await;
    assert_eq!(renewed.status, 200, "{:?}", renewed.body);
    let fresh = renewed.body["recovery_codes"].as_array().unwrap();
    assert_eq!(fresh.len(), 10);
    assert!(!fresh.contains(&json!(ada.recovery_codes[1])));
    let old = second_step(
        &app,
        json!({ "challenge": second, "recovery_code": ada.recovery_codes[1] }),
    )
    .await;
    assert_eq!(old.status, 401, "{:?}", old.body);
    let new = second_step(
        &app,
        json!({ "challenge": second, "recovery_code": fresh[0] }),
    )
    .await;
    assert_eq!(new.status, 200, "{:?}", new.body);
}

async fn a_flood_of_wrong_codes_is_rate_limited(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let challenge = challenge(&app, "ada@example.com").await;
    let wrong = wrong_code(&ada.secret, ada.step);
    let mut refused = 0;
    let mut limited = None;
    for attempt in 0..30 {
        let answer = second_step(&app, json!({ "challenge": challenge, "code": wrong })).await;
        match answer.status {
            401 => refused += 1,
            429 => {
                assert!(answer.headers.get("retry-after").is_some());
                assert_eq!(answer.code(), "rate_limited");
                limited = Some(attempt);
                break;
            }
            other => panic!("attempt {attempt}: {other} {:?}", answer.body),
        }
    }
    assert!(
        limited.is_some(),
        "30 wrong codes and no 429 ({refused} refused)"
    );
    assert!(
        refused >= 5,
        "some wrong codes are answered first: {refused}"
    );
    // The limit holds for a right code too: it counts the account's attempts.
    let right = second_step(
        &app,
        json!({ "challenge": challenge, "code": code_at(&ada.secret, ada.step + 1) }),
    )
    .await;
    assert_eq!(right.status, 429, "{:?}", right.body);
}

async fn turning_two_factor_off_needs_a_current_code(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let disable = |code: serde_json::Value| {
        app.post_as(
            "/api/v1/account/two-factor/totp/disable",
            &ada.account.token,
            json!({ "code": code }),
        )
    };
    let wrong = disable(json!(wrong_code(&ada.secret, ada.step))).await;
    assert_eq!(wrong.status, 422, "{:?}", wrong.body);
    assert!(wrong.body["error"]["fields"]["code"].is_array());
    // The code already used to confirm: refused.
    let used = disable(json!(code_at(&ada.secret, ada.step))).await;
    assert_eq!(used.status, 422, "{:?}", used.body);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status, 202);

    let off = disable(json!(code_at(&ada.secret, ada.step + 1))).await;
    assert_eq!(off.status, 204, "{:?}", off.body);
    let status = app
        .get_as("/api/v1/account/two-factor", &ada.account.token)
        .await;
    assert_eq!(status.body["totp_enabled"], false);
    assert_eq!(status.body["recovery_codes_left"], 0);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status, 200);
    let again = disable(json!(code_at(&ada.secret, ada.step + 2))).await;
    assert_eq!(again.status, 409, "{:?}", again.body);
    let mails = app.emails().await;
    assert!(
        mails
            .iter()
            .any(|(_, subject, _)| subject.contains("Two-factor sign-in was turned off")),
        "{mails:?}"
    );
}

async fn the_secret_is_not_stored_in_clear(engine: Engine) {
    use diesel::prelude::*;
    use upstate_store::schema::{recovery_codes, totp_credentials};
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let mut conn = app.db.db.conn().unwrap();
    let sealed: String = totp_credentials::table
        .select(totp_credentials::sealed_secret)
        .first(&mut *conn)
        .unwrap();
    // Neither the secret's bytes nor their hex or base32 (as the server showed it).
    assert!(sealed.starts_with("v1."), "{sealed}");
    assert!(!sealed.contains(&hex_of(&ada.secret)));
    assert!(!sealed.contains(&base32_of(&ada.secret)));
    assert!(
        !sealed
            .as_bytes()
            .windows(20)
            .any(|w| w == ada.secret.as_slice()),
        "the secret's bytes are in the row"
    );
    let hashes: Vec<String> = recovery_codes::table
        .select(recovery_codes::code_hash)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(hashes.len(), 10);
    for code in &ada.recovery_codes {
        let plain = code.replace('-', "");
        assert!(
            hashes.iter().all(|h| !h.contains(&plain)),
            "{code} in clear"
        );
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn base32_of(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut bits = 0u32;
    let mut count = 0;
    for &byte in bytes {
        bits = (bits << 8) | u32::from(byte);
        count += 8;
        while count >= 5 {
            count -= 5;
            out.push(ALPHABET[((bits >> count) & 31) as usize] as char);
        }
        bits &= (1 << count) - 1;
    }
    if count > 0 {
        out.push(ALPHABET[((bits << (5 - count)) & 31) as usize] as char);
    }
    out
}

/// A server started with a new secrets key and the old one as the previous seals every secret
/// again with the new key; a server with only the new key then signs the person in.
async fn after_a_key_rotation_secrets_are_sealed_again_and_sign_in_goes_on(engine: Engine) {
    use diesel::prelude::*;
    use upstate_api::auth::sealed::Sealer;
    use upstate_store::schema::totp_credentials;
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let old_key = app.settings.secrets_key;
    let new_key = [42u8; 32];
    let sealed = |app: &TestApp| -> String {
        let mut conn = app.db.db.conn().unwrap();
        totp_credentials::table
            .select(totp_credentials::sealed_secret)
            .first(&mut *conn)
            .unwrap()
    };
    let before = sealed(&app);
    let context = ada.account.user_id.as_bytes();
    assert!(Sealer::new(&old_key, None).open(&before, context).is_ok());

    let start = |current: [u8; 32], previous: Option<[u8; 32]>| {
        let mut settings = app.settings.clone();
        settings.secrets_key = current;
        settings.secrets_key_previous = previous;
        async move {
            let running = upstate_api::server::start(
                settings,
                std::sync::Arc::new(common::MemoryAssets::default()),
            )
            .await
            .expect("the server starts");
            let address = format!("http://127.0.0.1:{}", running.port);
            let handle = running.handle.clone();
            tokio::spawn(running.server);
            (address, handle)
        }
    };
    let (_, rotating) = start(new_key, Some(old_key)).await;
    let after = sealed(&app);
    assert_ne!(after, before, "sealed again at start");
    assert!(Sealer::new(&new_key, None).open(&after, context).is_ok());
    assert!(Sealer::new(&old_key, None).open(&after, context).is_err());
    rotating.stop(false).await;

    let (address, rotated) = start(new_key, None).await;
    let post = |path: &str, body: serde_json::Value| {
        app.client
            .post(format!("{address}{path}"))
            .json(&body)
            .send()
    };
    let first = post(
        "/api/v1/auth/login",
        json!({"email": "ada@example.com", "password": PASSWORD}),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), 202);
    let first: serde_json::Value = first.json().await.unwrap();
    let signed_in = post(
        "/api/v1/auth/login/two-factor",
        json!({
            "challenge": first["two_factor"]["challenge"],
            "code": code_at(&ada.secret, ada.step + 1),
        }),
    )
    .await
    .unwrap();
    assert_eq!(signed_in.status(), 200, "{:?}", signed_in.text().await);
    rotated.stop(false).await;
}

async fn an_account_is_deleted_with_a_code_instead_of_the_password(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = enrol(&app, "ada@example.com").await;
    let delete = |body: serde_json::Value| {
        app.call(
            Method::DELETE,
            "/api/v1/account",
            Some(&ada.account.token),
            Some(body),
        )
    };
    let wrong = delete(json!({ "code": wrong_code(&ada.secret, ada.step + 1) })).await;
    assert_eq!(wrong.status, 422, "{:?}", wrong.body);
    assert!(wrong.body["error"]["fields"]["code"].is_array());
    let both = delete(json!({ "password": PASSWORD, "code": ada.recovery_codes[0] })).await;
    assert_eq!(both.status, 422, "{:?}", both.body);
    assert_eq!(
        app.get_as("/api/v1/auth/me", &ada.account.token)
            .await
            .status,
        200
    );

    let deleted = delete(json!({ "code": ada.recovery_codes[0] })).await;
    assert_eq!(deleted.status, 204, "{:?}", deleted.body);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status, 401);
    assert_eq!(
        app.get_as("/api/v1/auth/me", &ada.account.token)
            .await
            .status,
        401
    );
}
