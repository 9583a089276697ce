//! A person's own account in the dashboard (issue 22, item 1): reached from the dashboard's
//! header, their sessions listed with this one marked, a new name, a password change refused
//! with the wrong current password and then done, which signs the other browser out.

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
