//! The web app under its real security headers: every page a visitor or a member opens runs
//! under the Content-Security-Policy with no violation, and the policy is in force (an
//! injected inline script does not run).

use serde_json::json;
use upstate_e2e::{Api, Browser, Server};

/// The console lines that report a Content-Security-Policy violation.
fn violations(errors: &[String]) -> Vec<&String> {
    errors
        .iter()
        .filter(|line| line.contains("Content Security Policy"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_page_runs_under_the_content_security_policy_with_no_violation() {
    let server = Server::start().await;
    let admin = Api::register(&server, "owner@acme.test").await;
    admin
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    admin
        .post("/api/v1/orgs/acme/services", json!({"name": "Website"}))
        .await;

    // The headers as served.
    let http = reqwest::Client::new();
    for path in [
        "/",
        "/status/acme",
        "/login",
        "/dashboard/acme",
        "/api/docs/",
    ] {
        let response = http.get(server.url(path)).send().await.unwrap();
        let headers = response.headers();
        let policy = headers["content-security-policy"].to_str().unwrap();
        assert!(policy.contains("script-src 'self'"), "{path}: {policy}");
        assert!(policy.contains("'wasm-unsafe-eval'"), "{path}: {policy}");
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{path}: {policy}"
        );
        let scripts = policy
            .split(';')
            .find(|directive| directive.trim().starts_with("script-src"))
            .unwrap();
        assert!(!scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"));
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(headers.contains_key("permissions-policy"), "{path}");
    }
    let me = http
        .get(server.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.headers()["cache-control"], "no-store");

    // A visitor's page.
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser
        .wait_for_text("[data-testid=service]", "Website")
        .await;
    browser.wait_for_text(".live", "Live").await;
    // A member signs in and opens the dashboard, its live channel and a form.
    browser.goto(&server.url("/login")).await;
    browser.fill("#field-email", "owner@acme.test").await;
    browser
        .fill("#field-password", "correct horse battery")
        .await;
    browser.click_button("Sign in").await;
    browser.wait_for_path_prefix("/dashboard").await;
    browser.goto(&server.url("/dashboard/acme/services")).await;
    browser
        .wait_for_text("[data-testid=dash-service]", "Website")
        .await;
    browser.goto(&server.url("/api/docs/")).await;
    browser.wait_for_text(".swagger-ui", "Upstate").await;
    let errors = browser.console_errors().await;
    assert!(
        violations(&errors).is_empty(),
        "CSP violations: {errors:#?}"
    );

    // The policy is in force: an inline script injected into the page does not run.
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text(".live", "Live").await;
    let ran = browser
        .execute(
            "const s = document.createElement('script');
             s.textContent = 'window.__injected = true;';
             document.head.appendChild(s);
             return window.__injected === true;",
        )
        .await;
    assert_eq!(ran, serde_json::Value::Bool(false), "an inline script ran");
    let errors = browser.console_errors().await;
    assert_eq!(
        violations(&errors).len(),
        1,
        "the refusal is reported: {errors:#?}"
    );
    browser.close().await;
}
