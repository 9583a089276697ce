//! Passkeys in the dashboard (issue 22, item 3), with Chromium's virtual authenticator (the
//! DevTools protocol's `WebAuthn` domain: a platform authenticator that keeps discoverable
//! credentials and verifies its user): a passkey is added on the account page, the person signs
//! out, and signs in again with the passkey alone, no email and no password typed.
//!
//! WebAuthn needs a host name (browsers refuse an IP address as a relying party): the server's
//! public URL and the browser's address are `http://localhost:{port}`, a secure context.

use serde_json::json;
use upstate_e2e::{Api, Browser, PASSWORD, Server, free_port};

#[tokio::test(flavor = "multi_thread")]
async fn a_person_adds_a_passkey_signs_out_and_signs_in_with_it() {
    let port = free_port();
    let origin = format!("http://localhost:{port}");
    let server = Server::start_on_port(port, &[("UPSTATE_PUBLIC_URL", origin.as_str())]).await;
    let ada = Api::register(&server, "ada@acme.test").await;
    ada.post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;

    let browser = Browser::open().await;
    browser.devtools("WebAuthn.enable", json!({})).await;
    let authenticator = browser
        .devtools(
            "WebAuthn.addVirtualAuthenticator",
            json!({ "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": true,
                "hasUserVerification": true,
                "isUserVerified": true,
                "automaticPresenceSimulation": true,
            }}),
        )
        .await["authenticatorId"]
        .as_str()
        .expect("the virtual authenticator's id")
        .to_owned();

    // Signed in with the password, the person adds a passkey on their account page.
    browser.goto(&format!("{origin}/login")).await;
    browser.fill("#field-email", "ada@acme.test").await;
    browser.fill("#field-password", PASSWORD).await;
    browser.click_button("Sign in").await;
    browser.wait_for_path_prefix("/dashboard").await;
    browser.goto(&format!("{origin}/account")).await;
    browser
        .wait_for_text("[data-testid=no-passkeys]", "No passkey yet")
        .await;
    browser.fill("#field-passkey_name", "Laptop").await;
    browser.fill("#field-passkey_password", PASSWORD).await;
    browser.click_button("Add a passkey").await;
    browser.wait_for_text(".toast", "Laptop").await;
    browser
        .wait_for_text("[data-testid=passkeys]", "never used yet")
        .await;
    browser.screenshot("dashboard-passkeys").await;
    // The authenticator keeps it as a discoverable credential, for this site.
    let credentials = browser
        .devtools(
            "WebAuthn.getCredentials",
            json!({ "authenticatorId": authenticator }),
        )
        .await;
    let credentials = credentials["credentials"].as_array().expect("a list");
    assert_eq!(credentials.len(), 1, "{credentials:?}");
    assert_eq!(credentials[0]["isResidentCredential"], true);
    assert_eq!(credentials[0]["rpId"], "localhost");

    // Signed out, and back in with the passkey alone.
    browser.goto(&format!("{origin}/dashboard/acme")).await;
    browser.click_button("Sign out").await;
    browser.wait_for_path("/login").await;
    browser.click_button("Sign in with a passkey").await;
    browser.wait_for_path_prefix("/dashboard").await;
    browser.goto(&format!("{origin}/account")).await;
    browser
        .wait_for_text("[data-testid=passkeys]", "last used")
        .await;
    browser
        .wait_for_text("main", "Signed in as ada@acme.test")
        .await;

    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "{errors:?}");
    browser.close().await;
}
