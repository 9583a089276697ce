//! A person's own account in the dashboard (issue 22, item 1): reached from the dashboard's
//! header, their sessions listed with this one marked, a new name, a password change refused
//! with the wrong current password and then done, which signs the other browser out; two-factor
//! set up and used; an org's owner requiring it of every member; the account's data downloaded
//! and the account deleted.

use upstate_e2e::{Api, Browser, Server};

#[tokio::test(flavor = "multi_thread")]
async fn a_person_renames_themselves_changes_their_password_and_the_other_browser_is_signed_out() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post(
            "/api/v1/orgs",
            serde_json::json!({"name": "Acme", "slug": "acme"}),
        )
        .await;
    let laptop = Browser::open().await;
    laptop.sign_in(&server, "owner@acme.test").await;
    let desk = Browser::open().await;
    desk.sign_in(&server, "owner@acme.test").await;

    desk.goto(&server.url("/dashboard/acme")).await;
    desk.element("[data-testid=nav-account]")
        .await
        .click()
        .await
        .unwrap();
    desk.wait_for_path("/account").await;
    // The registration's session and the two browsers', this one marked.
    desk.wait_for_text("[data-testid=sessions]", "This session")
        .await;
    let count = desk
        .execute("return document.querySelectorAll('[data-testid=session]').length;")
        .await;
    assert_eq!(count, serde_json::json!(3));
    desk.screenshot("dashboard-account").await;

    desk.fill("#field-name", "Ada Owner").await;
    desk.click_button("Save name").await;
    desk.wait_for_text(".toast", "Name saved").await;
    desk.goto(&server.url("/dashboard/acme")).await;
    desk.wait_for_text("[data-testid=nav-account]", "Ada Owner")
        .await;
    desk.goto(&server.url("/account")).await;

    desk.fill("#field-current_password", "not my password")
        .await;
    desk.fill("#field-new_password", "a brand new passphrase")
        .await;
    desk.click_button("Change password").await;
    desk.wait_for_text("#field-current_password-problem", "is not your password")
        .await;
    desk.fill("#field-current_password", upstate_e2e::PASSWORD)
        .await;
    desk.click_button("Change password").await;
    desk.wait_for_text(".toast", "Password changed").await;

    // The laptop's session has ended: its next page asks it to sign in again.
    laptop.goto(&server.url("/dashboard/acme")).await;
    laptop.wait_for_path("/login").await;
    // The desk goes on, with one session left.
    desk.goto(&server.url("/account")).await;
    desk.wait_for_text("[data-testid=sessions]", "This session")
        .await;
    let count = desk
        .execute("return document.querySelectorAll('[data-testid=session]').length;")
        .await;
    assert_eq!(count, serde_json::json!(1));
    // Only the refusal of the wrong password, which the browser logs as a failed load.
    let errors = desk.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("/api/v1/account/password") && e.contains("422")),
        "{errors:?}"
    );
    desk.close().await;
    laptop.close().await;
}

/// Two-factor in the browser: with TOTP on (enrolled by the API), the password alone does not
/// sign in; the second step takes a recovery code, once.
#[tokio::test(flavor = "multi_thread")]
async fn with_two_factor_the_sign_in_asks_for_a_code_and_takes_a_recovery_code() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    let enrolment = owner
        .post("/api/v1/account/two-factor/totp", serde_json::json!({}))
        .await;
    let totp = totp_rs::TOTP::from_url(enrolment["otpauth_uri"].as_str().unwrap()).unwrap();
    let confirmed = owner
        .post(
            "/api/v1/account/two-factor/totp/confirm",
            serde_json::json!({"code": totp.generate_current().unwrap()}),
        )
        .await;
    let recovery = confirmed["recovery_codes"][0].as_str().unwrap().to_owned();

    let browser = Browser::open().await;
    browser.goto(&server.url("/login")).await;
    browser.fill("#field-email", "owner@acme.test").await;
    browser.fill("#field-password", upstate_e2e::PASSWORD).await;
    browser.click_button("Sign in").await;
    browser.element("#field-code").await;
    assert_eq!(
        browser.path().await,
        "/login",
        "not signed in on the password alone"
    );
    browser.screenshot("sign-in-two-factor").await;
    browser.tick("I am using a recovery code").await;
    browser.fill("#field-code", &recovery).await;
    browser.click_button("Verify").await;
    browser.wait_for_path("/dashboard").await;

    // The same recovery code is refused the next time.
    let again = Browser::open().await;
    again.goto(&server.url("/login")).await;
    again.fill("#field-email", "owner@acme.test").await;
    again.fill("#field-password", upstate_e2e::PASSWORD).await;
    again.click_button("Sign in").await;
    again.tick("I am using a recovery code").await;
    again.fill("#field-code", &recovery).await;
    again.click_button("Verify").await;
    again
        .wait_for_text(".form-error", "The code is not right")
        .await;
    assert_eq!(again.path().await, "/login");
    browser.close().await;
    again.close().await;
}

/// Two-factor set up from the Account page: the QR code and the key, a first code turns it on,
/// and the ten recovery codes are shown once.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_turns_on_two_factor_from_the_account_page() {
    let server = Server::start().await;
    Api::register(&server, "owner@acme.test").await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "owner@acme.test").await;
    browser.goto(&server.url("/account")).await;
    browser
        .wait_for_text("[data-testid=two-factor-state]", "Off")
        .await;
    browser.click_button("Set up two-factor").await;
    browser.element("[data-testid=totp-qr] svg").await;
    let secret = browser
        .element("[data-testid=totp-secret]")
        .await
        .text()
        .await
        .unwrap();
    browser
        .execute("document.querySelector('[data-testid=totp-qr]').scrollIntoView(); return null;")
        .await;
    browser.screenshot("dashboard-two-factor-enrolment").await;
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded(secret).to_bytes().unwrap(),
        None,
        "owner@acme.test".to_owned(),
    )
    .unwrap();
    browser
        .fill("#field-totp_code", &totp.generate_current().unwrap())
        .await;
    browser.click_button("Turn on two-factor").await;
    browser
        .wait_for_text("[data-testid=recovery-codes]", "shown this once")
        .await;
    let shown = browser
        .execute("return document.querySelectorAll('[data-testid=recovery-codes] li').length;")
        .await;
    assert_eq!(shown, serde_json::json!(10));
    browser
        .wait_for_text("[data-testid=two-factor-state]", "10 recovery codes left")
        .await;
    browser.click_button("I have saved them").await;
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}

/// Turns two-factor on for the person of `api` through the API, as their app would; answers the
/// generator of their codes.
async fn turn_on_two_factor(api: &Api, email: &str) -> totp_rs::TOTP {
    let enrolment = api
        .post("/api/v1/account/two-factor/totp", serde_json::json!({}))
        .await;
    let totp = totp_rs::TOTP::from_url(enrolment["otpauth_uri"].as_str().unwrap()).unwrap();
    let confirmed = api
        .post(
            "/api/v1/account/two-factor/totp/confirm",
            serde_json::json!({"code": totp.generate_current().unwrap()}),
        )
        .await;
    assert!(
        confirmed["recovery_codes"].is_array(),
        "{email}: {confirmed}"
    );
    totp
}

/// An owner with two-factor requires it on the Security page; a member without it signs in and
/// is led to their account instead of the org's dashboard, and the Team page shows who has it.
#[tokio::test(flavor = "multi_thread")]
async fn an_owner_requires_two_factor_and_a_member_without_it_is_led_to_their_account() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post(
            "/api/v1/orgs",
            serde_json::json!({"name": "Acme", "slug": "acme"}),
        )
        .await;
    let invitation = owner
        .post(
            "/api/v1/orgs/acme/invitations",
            serde_json::json!({"email": "eddie@acme.test", "role": "editor"}),
        )
        .await;
    let token = invitation["accept_url"]
        .as_str()
        .unwrap()
        .split_once("/invite#")
        .unwrap()
        .1
        .to_owned();
    Api::register(&server, "eddie@acme.test")
        .await
        .post(
            "/api/v1/invitations/accept",
            serde_json::json!({"token": token}),
        )
        .await;
    let totp = turn_on_two_factor(&owner, "owner@acme.test").await;

    let browser = Browser::open().await;
    browser.goto(&server.url("/login")).await;
    browser.fill("#field-email", "owner@acme.test").await;
    browser.fill("#field-password", upstate_e2e::PASSWORD).await;
    browser.click_button("Sign in").await;
    browser.element("#field-code").await;
    // The code of the next step: the one of this step was used to turn it on.
    let next = totp.generate(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 30,
    );
    browser.fill("#field-code", &next).await;
    browser.click_button("Verify").await;
    browser.wait_for_path_prefix("/dashboard").await;
    browser.goto(&server.url("/dashboard/acme/security")).await;
    browser
        .wait_for_text(
            "[data-testid=members-without-two-factor]",
            "1 member has no two-factor",
        )
        .await;
    browser
        .tick("Require two-factor sign-in of every member")
        .await;
    browser.click_button("Save two-factor rule").await;
    browser
        .wait_for_text(".toast", "Two-factor sign-in is now required")
        .await;
    browser.screenshot("dashboard-security").await;
    browser.goto(&server.url("/dashboard/acme/team")).await;
    let eddie = "//tr[@data-testid='member'][td[normalize-space()='eddie@acme.test']]/td[@data-testid='member-two-factor']";
    let shown = browser
        .client
        .wait()
        .for_element(fantoccini::Locator::XPath(eddie))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(shown, "Off");

    let member = Browser::open().await;
    member.sign_in(&server, "eddie@acme.test").await;
    member.goto(&server.url("/dashboard/acme/incidents")).await;
    member
        .wait_for_text(
            "[data-testid=two-factor-required]",
            "Acme requires two-factor sign-in",
        )
        .await;
    member.click_link("Turn on two-factor sign-in").await;
    member.wait_for_path("/account").await;
    assert_eq!(member.console_errors().await, Vec::<String>::new());
    browser.close().await;
    member.close().await;
}

/// A person downloads their data and deletes their account from the Account page, refused
/// first while they are the last owner of an org; afterwards they are signed out and their
/// password opens nothing.
#[tokio::test(flavor = "multi_thread")]
async fn a_person_deletes_their_account_from_the_account_page() {
    let server = Server::start().await;
    let ada = Api::register(&server, "ada@acme.test").await;
    ada.post(
        "/api/v1/orgs",
        serde_json::json!({"name": "Acme", "slug": "acme"}),
    )
    .await;
    let browser = Browser::open().await;
    browser.sign_in(&server, "ada@acme.test").await;
    browser.goto(&server.url("/account")).await;
    browser.click_button("Download your data").await;
    browser
        .wait_for_text(".toast", "Your data was downloaded")
        .await;
    browser.click_button("Delete my account…").await;
    browser
        .fill("#field-delete_password", upstate_e2e::PASSWORD)
        .await;
    browser.click_button("Delete my account for good").await;
    browser
        .wait_for_text(
            "[data-testid=delete-account] .form-error",
            "last owner of Acme (acme)",
        )
        .await;
    ada.send(
        reqwest::Method::DELETE,
        "/api/v1/orgs/acme",
        serde_json::Value::Null,
    )
    .await;
    browser.click_button("Delete my account for good").await;
    // Signed out, on the start page.
    browser.wait_for_path("/").await;
    let signed_in = Browser::open().await;
    signed_in.goto(&server.url("/login")).await;
    signed_in.fill("#field-email", "ada@acme.test").await;
    signed_in
        .fill("#field-password", upstate_e2e::PASSWORD)
        .await;
    signed_in.click_button("Sign in").await;
    signed_in
        .wait_for_text(".form-error", "The email or password is not correct")
        .await;
    assert_eq!(signed_in.path().await, "/login");
    browser.close().await;
    signed_in.close().await;
}
