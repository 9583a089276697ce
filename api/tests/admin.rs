//! `upstate admin`: the real binary, pointed at a running server's database (either engine),
//! recovers what a locked-out owner cannot recover in the dashboard.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, PASSWORD, TestApp, spawn_app};
use reqwest::Method;
use serde_json::json;
use std::process::{Command, Stdio};
use upstate_store::Engine;

on_both_engines!(
    a_printed_reset_link_lets_a_locked_out_owner_choose_a_new_password,
    make_owner_gives_a_member_the_owners_powers_and_is_audited,
    revoke_sessions_ends_every_session_of_the_account,
    users_lists_accounts_with_their_organizations_and_roles,
);

/// What a finished command did.
struct Ran {
    ok: bool,
    stdout: String,
    last_error: String,
}

/// Runs `upstate admin ARGS --database-url <the app's database>` to its end.
async fn admin(app: &TestApp, args: &[&str]) -> Ran {
    let mut command = Command::new(env!("CARGO_BIN_EXE_upstate"));
    command
        .env_remove("UPSTATE_DATABASE_URL")
        .env_remove("UPSTATE_BIND")
        .env_remove("UPSTATE_DATA_DIR")
        .env_remove("UPSTATE_PUBLIC_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .arg("admin")
        .args(args)
        .args(["--database-url", &app.db.url]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    Ran {
        ok: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        last_error: stderr.trim_end().lines().last().unwrap_or("").to_owned(),
    }
}

async fn a_printed_reset_link_lets_a_locked_out_owner_choose_a_new_password(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    app.create_org(&ada, "acme").await;

    let ran = admin(
        &app,
        &[
            "reset-password",
            "Ada@Example.com",
            "--public-url",
            "https://status.example.com/",
        ],
    )
    .await;
    assert!(ran.ok, "{}", ran.last_error);
    let link = ran.stdout.trim_end().lines().last().unwrap();
    let token = link
        .strip_prefix("https://status.example.com/reset-password#")
        .unwrap_or_else(|| panic!("not a reset link: {}", ran.stdout));
    assert!(ran.stdout.contains("ada@example.com"), "{}", ran.stdout);

    let new_password = "a brand new passphrase";
    let confirm = |token: String| {
        app.call(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": token, "password": new_password})),
        )
    };
    assert_eq!(confirm(token.to_owned()).await.status, 204);
    assert_eq!(app.login("ada@example.com", new_password).await.status, 200);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status, 401);
    // Once, as the emailed link.
    assert_eq!(confirm(token.to_owned()).await.status, 401);

    let unknown = admin(&app, &["reset-password", "nobody@example.com"]).await;
    assert!(!unknown.ok);
    assert_eq!(
        unknown.last_error,
        "upstate: no account has the email address nobody@example.com"
    );
    let bad_url = admin(
        &app,
        &[
            "reset-password",
            "ada@example.com",
            "--public-url",
            "status.example.com",
        ],
    )
    .await;
    assert!(!bad_url.ok);
    assert_eq!(
        bad_url.last_error,
        "upstate: UPSTATE_PUBLIC_URL must start with http:// or https://, not `status.example.com`"
    );
}

async fn make_owner_gives_a_member_the_owners_powers_and_is_audited(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let bob = app.register("bob@example.com").await;
    let carol = app.register("carol@example.com").await;
    app.create_org(&ada, "acme").await;
    app.add_member(&ada, "acme", &bob, "editor").await;
    // Deleting the org is the owners' alone.
    assert_eq!(
        app.delete_as("/api/v1/orgs/acme", &bob.token).await.status,
        403
    );

    let ran = admin(&app, &["make-owner", "bob@example.com", "--org", "acme"]).await;
    assert!(ran.ok, "{}", ran.last_error);
    assert_eq!(
        ran.stdout.trim(),
        "bob@example.com is now an owner of acme (was editor); the change is in its audit log"
    );
    let members = app.get_as("/api/v1/orgs/acme/members", &ada.token).await;
    let role_of = |email: &str| {
        members.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user"]["email"] == email)
            .map(|m| m["role"].as_str().unwrap().to_owned())
    };
    assert_eq!(role_of("bob@example.com").as_deref(), Some("owner"));
    let log = app.get_as("/api/v1/orgs/acme/audit-log", &ada.token).await;
    let entry = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "member.role_changed" && e["target_id"] == bob.user_id.as_str())
        .unwrap_or_else(|| panic!("no role change in {:?}", log.body))
        .clone();
    assert_eq!(entry["actor"]["kind"], "system");
    assert_eq!(entry["details"]["from"], "editor");
    assert_eq!(entry["details"]["to"], "owner");
    assert_eq!(entry["details"]["via"], "upstate admin");

    // Someone outside the org becomes a member, as an owner.
    let ran = admin(&app, &["make-owner", "carol@example.com", "--org", "acme"]).await;
    assert!(ran.ok, "{}", ran.last_error);
    assert!(ran.stdout.contains("(added as a member)"), "{}", ran.stdout);
    assert_eq!(
        app.get_as("/api/v1/orgs/acme", &carol.token).await.status,
        200
    );
    let again = admin(&app, &["make-owner", "carol@example.com", "--org", "acme"]).await;
    assert!(again.ok);
    assert_eq!(
        again.stdout.trim(),
        "carol@example.com is already an owner of acme"
    );

    let unknown_org = admin(&app, &["make-owner", "bob@example.com", "--org", "nope"]).await;
    assert!(!unknown_org.ok);
    assert_eq!(
        unknown_org.last_error,
        "upstate: no organization has the slug `nope`"
    );
    let unknown_user = admin(&app, &["make-owner", "eve@example.com", "--org", "acme"]).await;
    assert!(!unknown_user.ok);
    assert_eq!(
        unknown_user.last_error,
        "upstate: no account has the email address eve@example.com"
    );

    // Bob now does what only an owner may.
    assert_eq!(
        app.delete_as("/api/v1/orgs/acme", &bob.token).await.status,
        204
    );
}

fn refresh_cookie(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("upstate_refresh="))
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_owned()
}

async fn revoke_sessions_ends_every_session_of_the_account(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada: Account = app.register("ada@example.com").await;
    let bob = app.register("bob@example.com").await;
    let laptop = app.login("ada@example.com", PASSWORD).await;
    let phone = app.login("ada@example.com", PASSWORD).await;
    let refresh = |token: String| {
        app.client
            .post(app.url("/api/v1/auth/refresh"))
            .header("Cookie", format!("upstate_refresh={token}"))
            .header("X-Requested-With", "upstate")
            .send()
    };
    let laptop_refresh = refresh_cookie(&laptop.headers);
    let phone_refresh = refresh_cookie(&phone.headers);
    let bob_refresh = refresh_cookie(&app.login("bob@example.com", PASSWORD).await.headers);

    let ran = admin(&app, &["revoke-sessions", "ada@example.com"]).await;
    assert!(ran.ok, "{}", ran.last_error);
    assert!(
        ran.stdout
            .starts_with("revoked every session of ada@example.com")
            && ran.stdout.contains("must sign in again")
            && ran.stdout.contains("expire within 15 minutes"),
        "{}",
        ran.stdout
    );

    for token in [laptop_refresh, phone_refresh] {
        assert_eq!(refresh(token).await.unwrap().status(), 401);
    }
    assert_eq!(app.get_as("/api/v1/auth/me", &ada.token).await.status, 401);
    // Others keep theirs; Ada signs in again.
    assert_eq!(refresh(bob_refresh).await.unwrap().status(), 200);
    assert_eq!(app.get_as("/api/v1/auth/me", &bob.token).await.status, 200);
    assert_eq!(app.login("ada@example.com", PASSWORD).await.status, 200);

    let unknown = admin(&app, &["revoke-sessions", "nobody@example.com"]).await;
    assert!(!unknown.ok);
    assert_eq!(
        unknown.last_error,
        "upstate: no account has the email address nobody@example.com"
    );
}

async fn users_lists_accounts_with_their_organizations_and_roles(engine: Engine) {
    let app = spawn_app(engine).await;
    let ada = app.register("ada@example.com").await;
    let bob = app.register("bob@example.com").await;
    app.register("carol@example.com").await;
    app.create_org(&ada, "acme").await;
    app.create_org(&bob, "globex").await;
    app.add_member(&ada, "acme", &bob, "viewer").await;

    let ran = admin(&app, &["users"]).await;
    assert!(ran.ok, "{}", ran.last_error);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(lines[0].starts_with("EMAIL"), "{}", ran.stdout);
    let line_of = |email: &str| {
        lines
            .iter()
            .find(|line| line.starts_with(email))
            .unwrap_or_else(|| panic!("{email} is not listed: {}", ran.stdout))
            .to_string()
    };
    assert!(line_of("ada@example.com").ends_with("acme (owner)"));
    assert!(line_of("bob@example.com").ends_with("acme (viewer), globex (owner)"));
    assert!(line_of("carol@example.com").ends_with(" -"));
    assert!(line_of("ada@example.com").contains(" ada "), "the name");
    assert_eq!(lines.last(), Some(&"3 accounts"));

    let ran = admin(&app, &["users", "--org", "globex"]).await;
    assert!(ran.ok, "{}", ran.last_error);
    assert!(ran.stdout.contains("bob@example.com"));
    assert!(!ran.stdout.contains("ada@example.com"), "{}", ran.stdout);
    assert_eq!(ran.stdout.lines().last(), Some("1 members of globex"));

    let unknown = admin(&app, &["users", "--org", "nope"]).await;
    assert!(!unknown.ok);
    assert_eq!(
        unknown.last_error,
        "upstate: no organization has the slug `nope`"
    );
}
