//! Single sign-on with OpenID Connect (issue 22, item 5), against a real OpenID provider: the
//! npm package `oidc-provider`, started by each test on loopback (api/tests/fixtures/oidc/
//! provider.mjs; `scripts/setup.sh test` installs it once). The test is the browser: it follows
//! Upstate's redirect to the provider, fills in the provider's own login and consent forms, and
//! brings the provider's redirect back to Upstate's callback.
//!
//! First sign-in creates a member with the org's default role; a replayed `state`, a wrong
//! nonce, an ID token for another audience and an expired one are each refused with a sentence
//! that says which; SSO-only orgs refuse password sign-in; the secret is never answered; an
//! issuer on a private address is refused unless the operator allows private targets.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, PASSWORD, TestApp, spawn_app, spawn_app_configured};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use upstate_store::Engine;

on_both_engines!(
    first_sign_in_creates_a_member_with_the_default_role,
    a_replayed_state_is_refused,
);

/// The oidc-provider version `scripts/setup.sh test` installs.
const OIDC_PROVIDER_VERSION: &str = "9.13.3";
const CLIENT_ID: &str = "upstate";
const CLIENT_SECRET: &str = "the-client-secret-of-upstate";
/// The callback Upstate registers (the test app's public URL is `http://127.0.0.1`).
const CALLBACK: &str = "http://127.0.0.1/api/v1/auth/sso/callback";

/// The provider's node_modules, where `scripts/setup.sh test` put them.
fn modules() -> PathBuf {
    let tools = std::env::var_os("UPSTATE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cache"));
            cache.join("upstate/tools")
        });
    let modules = tools.join(format!(
        "oidc-provider-{OIDC_PROVIDER_VERSION}/node_modules"
    ));
    assert!(
        modules.join("oidc-provider/package.json").exists(),
        "oidc-provider is missing at {}: run `scripts/setup.sh test` (or `just test`)",
        modules.display()
    );
    modules
}

/// A running OpenID provider, stopped when dropped.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        drop(self.child.kill());
        drop(self.child.wait());
    }
}

/// Starts the provider with these settings (besides the client's, which every test shares).
fn start_provider(extra: Value) -> Provider {
    let mut settings = json!({
        "modules": modules(),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": CALLBACK,
    });
    for (key, value) in extra.as_object().unwrap() {
        settings[key] = value.clone();
    }
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/oidc/provider.mjs"
    );
    let mut child = Command::new("node")
        .arg(script)
        .arg(settings.to_string())
        .stdout(Stdio::piped())
        // Shown with a failing test: the provider's own account of what went wrong.
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node runs (Debian's nodejs)");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let issuer = line
        .trim()
        .strip_prefix("listening ")
        .unwrap_or_else(|| panic!("the provider did not start: {line:?}"))
        .to_owned();
    Provider { child, issuer }
}

/// A browser: keeps cookies, follows no redirect by itself.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Ada registers and creates the org `acme`; she sets up SSO with `provider` for `example.com`,
/// new members joining as editors.
async fn org_with_sso(app: &TestApp, provider: &Provider) -> Account {
    let ada = app.register("ada@acme.test").await;
    app.create_org(&ada, "acme").await;
    let saved = app
        .call(
            Method::PUT,
            "/api/v1/orgs/acme/sso",
            Some(&ada.token),
            Some(json!({
                "issuer_url": provider.issuer,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "email_domains": ["example.com"],
                "default_role": "editor",
                "sso_only": false,
            })),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    ada
}

/// Where the provider sends the browser back, at the test app (not at `CALLBACK`'s origin).
fn at_app(app: &TestApp, location: &str) -> String {
    location.replacen("http://127.0.0.1", &app.address, 1)
}

fn absolute(base: &str, location: &str) -> String {
    reqwest::Url::parse(base)
        .unwrap()
        .join(location)
        .unwrap()
        .to_string()
}

/// The value of `name="..."`'s attribute `attribute` in the first form of `html`.
fn form_action(html: &str) -> String {
    let start = html.find("<form").expect("a form") + 5;
    let rest = &html[start..];
    let at = rest.find("action=\"").expect("a form action") + 8;
    let end = rest[at..].find('"').unwrap();
    rest[at..at + end].replace("&amp;", "&")
}

/// Starts SSO at Upstate with `query` (`org=acme` or `email=...`), lets `tamper` change the
/// authorization request the browser carries to the provider, signs in there as `email` (the
/// provider's login form, then its consent form) and answers the callback URL (at the test app)
/// the provider sent the browser back to.
async fn sign_in_at_provider(
    app: &TestApp,
    browser: &reqwest::Client,
    query: &str,
    email: &str,
    tamper: impl Fn(reqwest::Url) -> reqwest::Url,
) -> String {
    let start = browser
        .get(app.url(&format!("/api/v1/auth/sso/start?{query}")))
        .send()
        .await
        .unwrap();
    assert_eq!(start.status(), 302, "{:?}", start.text().await);
    let authorize = start.headers()["location"].to_str().unwrap().to_owned();
    let mut url = tamper(reqwest::Url::parse(&authorize).unwrap()).to_string();
    let mut response = browser.get(&url).send().await.unwrap();
    for _ in 0..20 {
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            let next = absolute(&url, &location);
            if next.starts_with(CALLBACK) {
                return at_app(app, &next);
            }
            url = next;
            response = browser.get(&url).send().await.unwrap();
            continue;
        }
        assert_eq!(response.status(), 200, "at {url}");
        let html = response.text().await.unwrap();
        let action = absolute(&url, &form_action(&html));
        let form: Vec<(&str, &str)> = if html.contains("name=\"login\"") {
            vec![("prompt", "login"), ("login", email), ("password", "any")]
        } else {
            vec![("prompt", "consent")]
        };
        response = browser.post(&action).form(&form).send().await.unwrap();
        url = action;
    }
    panic!("the provider never sent the browser back");
}

/// The browser brings the provider's answer to Upstate: the answer as it came.
async fn callback(browser: &reqwest::Client, url: &str) -> reqwest::Response {
    browser.get(url).send().await.unwrap()
}

/// The sentence of an error answer.
async fn refusal(response: reqwest::Response) -> (u16, String, String) {
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn first_sign_in_creates_a_member_with_the_default_role(engine: Engine) {
    let app = spawn_app(engine).await;
    let provider = start_provider(json!({}));
    let ada = org_with_sso(&app, &provider).await;

    // The owner reads the setting back: no secret in it, the callback to register.
    let read = app.get_as("/api/v1/orgs/acme/sso", &ada.token).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["has_secret"], true);
    assert_eq!(read.body["client_id"], CLIENT_ID);
    assert_eq!(read.body["default_role"], "editor");
    assert_eq!(read.body["callback_url"], CALLBACK);
    assert!(!read.body.to_string().contains(CLIENT_SECRET));

    // Grace has no account; she signs in with SSO by her email and lands in acme's dashboard.
    let grace = browser();
    let back = sign_in_at_provider(
        &app,
        &grace,
        "email=grace@example.com",
        "grace@example.com",
        |u| u,
    )
    .await;
    let answer = callback(&grace, &back).await;
    assert_eq!(answer.status(), 303, "{:?}", answer.text().await);
    assert_eq!(answer.headers()["location"], "/dashboard/acme");
    let me = grace.get(app.url("/api/v1/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let me: Value = me.json().await.unwrap();
    assert_eq!(me["user"]["email"], "grace@example.com");
    assert_eq!(me["memberships"][0]["org"]["slug"], "acme");
    assert_eq!(me["memberships"][0]["role"], "editor");

    // A second sign-in (by the org's slug this time) finds the same person, still an editor.
    let again = browser();
    let back = sign_in_at_provider(&app, &again, "org=acme", "grace@example.com", |u| u).await;
    assert_eq!(callback(&again, &back).await.status(), 303);
    let members = app.get_as("/api/v1/orgs/acme/members", &ada.token).await;
    let graces: Vec<&Value> = members.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["user"]["email"] == "grace@example.com")
        .collect();
    assert_eq!(graces.len(), 1, "{:?}", members.body);
    assert_eq!(graces[0]["role"], "editor");

    // The owner sees it in the audit log.
    let log = app.get_as("/api/v1/orgs/acme/audit-log", &ada.token).await;
    let actions: Vec<&str> = log.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "sso.created",
        "auth.sso_account_created",
        "member.joined_by_sso",
        "auth.sso_login_succeeded",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

async fn a_replayed_state_is_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let provider = start_provider(json!({}));
    org_with_sso(&app, &provider).await;
    let grace = browser();
    let back = sign_in_at_provider(&app, &grace, "org=acme", "grace@example.com", |u| u).await;
    assert_eq!(callback(&grace, &back).await.status(), 303);

    // The same callback URL again (an attacker who read it from a log or the history).
    let (status, code, message) = refusal(callback(&browser(), &back).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));
    assert!(message.contains("completed already"), "{message}");

    // A state that was never handed out.
    let forged = at_app(&app, &format!("{CALLBACK}?state=made-up&code=whatever"));
    let (status, _, message) = refusal(callback(&browser(), &forged).await).await;
    assert_eq!(status, 401);
    assert!(message.contains("not started here"), "{message}");
}

#[tokio::test]
async fn a_wrong_nonce_is_refused() {
    let app = spawn_app(Engine::Sqlite).await;
    let provider = start_provider(json!({}));
    org_with_sso(&app, &provider).await;
    let grace = browser();
    // The authorization request carries another nonce than the one Upstate keeps for it, so
    // the provider's ID token names that one.
    let back = sign_in_at_provider(&app, &grace, "org=acme", "grace@example.com", |url| {
        let mut tampered = url.clone();
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "nonce" {
                    "another-nonce".into()
                } else {
                    v
                };
                (k.into_owned(), v.into_owned())
            })
            .collect();
        tampered.query_pairs_mut().clear().extend_pairs(pairs);
        tampered
    })
    .await;
    let (status, code, message) = refusal(callback(&grace, &back).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));
    assert!(message.contains("nonce does not match"), "{message}");
    assert_no_session(&app, &grace).await;
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    let app = spawn_app(Engine::Sqlite).await;
    // The provider knows Upstate's client under another id: its ID tokens name that audience.
    let provider = start_provider(json!({ "audience": "another-app" }));
    org_with_sso(&app, &provider).await;
    let grace = browser();
    let back = sign_in_at_provider(&app, &grace, "org=acme", "grace@example.com", |u| u).await;
    let (status, code, message) = refusal(callback(&grace, &back).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));
    assert!(
        message.contains("issued for another application"),
        "{message}"
    );
    assert!(message.contains("another-app"), "{message}");
    assert_no_session(&app, &grace).await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    let app = spawn_app(Engine::Sqlite).await;
    // The provider's clock is five minutes behind and its ID tokens live one minute: each is
    // expired when it is issued.
    let provider = start_provider(json!({ "clock_offset": -300, "id_token_ttl": 60 }));
    org_with_sso(&app, &provider).await;
    let grace = browser();
    let back = sign_in_at_provider(&app, &grace, "org=acme", "grace@example.com", |u| u).await;
    let (status, code, message) = refusal(callback(&grace, &back).await).await;
    assert_eq!((status, code.as_str()), (401, "unauthenticated"));
    assert!(message.contains("has expired"), "{message}");
    assert_no_session(&app, &grace).await;
}

/// The browser holds no session at Upstate.
async fn assert_no_session(app: &TestApp, browser: &reqwest::Client) {
    let me = browser
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn an_email_outside_the_domains_is_refused() {
    let app = spawn_app(Engine::Sqlite).await;
    let provider = start_provider(json!({}));
    org_with_sso(&app, &provider).await;
    let mallory = browser();
    let back =
        sign_in_at_provider(&app, &mallory, "org=acme", "mallory@elsewhere.test", |u| u).await;
    let (status, code, message) = refusal(callback(&mallory, &back).await).await;
    assert_eq!((status, code.as_str()), (403, "forbidden"));
    assert!(
        message.contains("mallory@elsewhere.test is not an address"),
        "{message}"
    );
}

#[tokio::test]
async fn sso_only_refuses_password_sign_in_and_reset_until_the_operator_turns_it_off() {
    let app = spawn_app(Engine::Sqlite).await;
    let provider = start_provider(json!({}));
    let ada = org_with_sso(&app, &provider).await;
    let bob = app.register("bob@example.com").await;
    app.add_member(&ada, "acme", &bob, "viewer").await;
    // A reset link asked for before the org required SSO.
    let asked = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset",
            None,
            Some(json!({ "email": "bob@example.com" })),
        )
        .await;
    assert_eq!(asked.status, 202);
    app.outbox_delivered().await;
    let link = app
        .emails()
        .await
        .into_iter()
        .rev()
        .find(|(to, subject, _)| to == "bob@example.com" && subject.contains("Reset"))
        .map(|(_, _, text)| common::link_in(&text))
        .unwrap();
    let token = link.rsplit('#').next().unwrap().to_owned();

    let turned_on = app
        .call(
            Method::PUT,
            "/api/v1/orgs/acme/sso",
            Some(&ada.token),
            Some(json!({
                "issuer_url": provider.issuer,
                "client_id": CLIENT_ID,
                "email_domains": ["example.com"],
                "default_role": "editor",
                "sso_only": true,
            })),
        )
        .await;
    assert_eq!(turned_on.status, 200, "{:?}", turned_on.body);
    assert_eq!(turned_on.body["has_secret"], true, "the secret is kept");

    // Bob's right password no longer signs him in; a wrong one is still just wrong.
    let refused = app.login("bob@example.com", PASSWORD).await;
    assert_eq!((refused.status, refused.code()), (403, "sso_required"));
    assert!(
        refused.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Sign in with SSO"),
        "{:?}",
        refused.body
    );
    assert_eq!(
        app.login("bob@example.com", "wrong password").await.status,
        401
    );
    // The old reset link sets no password.
    let reset = app
        .call(
            Method::POST,
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({ "token": token, "password": "a new password 123" })),
        )
        .await;
    assert_eq!((reset.status, reset.code()), (403, "sso_required"));
    // He signs in with SSO instead.
    let bobs = browser();
    let back = sign_in_at_provider(
        &app,
        &bobs,
        "email=bob@example.com",
        "bob@example.com",
        |u| u,
    )
    .await;
    assert_eq!(callback(&bobs, &back).await.status(), 303);

    // The provider is down: the operator's escape hatch turns "SSO only" off.
    let mut command = Command::new(env!("CARGO_BIN_EXE_upstate"));
    command
        .env_remove("UPSTATE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .args([
            "admin",
            "sso-off",
            "--org",
            "acme",
            "--database-url",
            &app.db.url,
        ]);
    let output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("no longer requires single sign-on"), "{said}");
    assert_eq!(app.login("bob@example.com", PASSWORD).await.status, 200);
    let read = app.get_as("/api/v1/orgs/acme/sso", &ada.token).await;
    assert_eq!(read.body["sso_only"], false);

    // Removing SSO leaves passwords as the way in.
    let removed = app.delete_as("/api/v1/orgs/acme/sso", &ada.token).await;
    assert_eq!(removed.status, 204);
    assert_eq!(app.login("bob@example.com", PASSWORD).await.status, 200);
    assert_eq!(
        app.get_as("/api/v1/orgs/acme/sso", &ada.token).await.status,
        404
    );
}

#[tokio::test]
async fn only_owners_set_it_and_the_issuer_must_be_a_provider_the_server_may_reach() {
    let app = spawn_app_configured(Engine::Sqlite, Default::default(), |settings| {
        settings.egress.allow_private = false;
    })
    .await;
    let provider = start_provider(json!({}));
    let ada = app.register("ada@acme.test").await;
    app.create_org(&ada, "acme").await;
    let body = json!({
        "issuer_url": provider.issuer,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "email_domains": ["example.com"],
        "default_role": "editor",
    });
    // Loopback is refused as webhooks are, unless the operator allows private targets.
    let refused = app
        .call(
            Method::PUT,
            "/api/v1/orgs/acme/sso",
            Some(&ada.token),
            Some(body.clone()),
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let problem = refused.body["error"]["fields"]["issuer_url"][0]
        .as_str()
        .unwrap();
    assert!(problem.contains("refused"), "{problem}");

    // An admin is not an owner.
    let carl = app.register("carl@acme.test").await;
    app.add_member(&ada, "acme", &carl, "admin").await;
    let denied = app
        .call(
            Method::PUT,
            "/api/v1/orgs/acme/sso",
            Some(&carl.token),
            Some(body),
        )
        .await;
    assert_eq!(denied.status, 403, "{:?}", denied.body);
}

#[tokio::test]
async fn an_issuer_that_is_no_provider_is_refused_with_the_reason() {
    let app = spawn_app(Engine::Sqlite).await;
    let ada = app.register("ada@acme.test").await;
    app.create_org(&ada, "acme").await;
    // The app itself answers 404 where a discovery document would be.
    let refused = app
        .call(
            Method::PUT,
            "/api/v1/orgs/acme/sso",
            Some(&ada.token),
            Some(json!({
                "issuer_url": app.address,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "email_domains": ["example.com"],
                "default_role": "viewer",
            })),
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    let problem = refused.body["error"]["fields"]["issuer_url"][0]
        .as_str()
        .unwrap();
    assert!(problem.contains("discovery document"), "{problem}");
}
