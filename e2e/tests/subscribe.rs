//! Subscribing as a visitor does it: from the status page's "Subscribe to updates" dialog, a
//! confirmation mail, its link, then the next update of an incident arrives by mail, with a
//! working one-click unsubscribe. Everything goes through the real server, its notification
//! worker and a real SMTP server on loopback.

use serde_json::json;
use std::time::{Duration, Instant};
use upstate_e2e::smtp::{Mail, Sink};
use upstate_e2e::{Api, Browser, Server};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

/// The first mail to `to` whose subject starts with `subject`, once it has arrived.
async fn mail_to(mailbox: &Sink, to: &str, subject: &str) -> Mail {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(mail) = mailbox
            .mails()
            .into_iter()
            .find(|mail| mail.to == to && mail.subject.starts_with(subject))
        {
            return mail;
        }
        assert!(
            Instant::now() < deadline,
            "no mail to {to} about `{subject}`; the mailbox has {:?}",
            mailbox
                .mails()
                .iter()
                .map(|mail| (&mail.to, &mail.subject))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The link in `text` that ends with `suffix`, on the server under test.
fn link(server: &Server, text: &str, suffix: &str) -> String {
    let found = text
        .split_whitespace()
        .find(|word| word.contains("/status/") && word.ends_with(suffix))
        .unwrap_or_else(|| panic!("no link ending {suffix} in {text}"));
    let path = &found[found.find("/status/").unwrap()..];
    server.url(path)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_subscribes_from_the_page_confirms_and_hears_of_the_next_update() {
    let test = TestDb::new(Engine::Sqlite);
    let mailbox = Sink::start().await;
    let smtp = mailbox.url();
    let server = Server::start_on(&test.url, &[("UPSTATE_SMTP_URL", smtp.as_str())]).await;
    let admin = Api::register(&server, "owner@acme.test").await;
    admin
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let api = admin
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;

    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text("h1", "Acme").await;
    browser.click_button("Subscribe to updates").await;
    browser
        .wait_for_text("#subscribe h2", "Subscribe to updates")
        .await;
    browser.screenshot("status-subscribe-dialog").await;
    assert!(
        browser.accessibility_violations().await.is_empty(),
        "the open dialog has accessibility violations: {:?}",
        browser.accessibility_violations().await
    );
    browser
        .fill("#subscribe-email", "visitor@example.com")
        .await;
    browser.click_button("Subscribe").await;
    browser.wait_for_text("h1", "Check your inbox").await;

    // Nothing but the confirmation is sent before its link is followed.
    let confirmation = mail_to(&mailbox, "visitor@example.com", "Confirm your subscription").await;
    browser
        .goto(&link(&server, &confirmation.text, "/confirm"))
        .await;
    browser.click_button("Confirm subscription").await;
    browser.wait_for_text("h1", "You are subscribed").await;

    let incident = admin
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Elevated API errors", "status": "investigating", "impact": "major",
                   "message": "We are looking into it.",
                   "affected": [{"service_id": api["id"], "status": "partial_outage"}]}),
        )
        .await;
    let id = incident["id"].as_str().unwrap();
    admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{id}/updates"),
            json!({"status": "identified", "message": "A bad deploy; rolling back."}),
        )
        .await;
    let notice = mail_to(
        &mailbox,
        "visitor@example.com",
        "[Acme] Identified: Elevated API errors",
    )
    .await;
    assert!(notice.text.contains("A bad deploy; rolling back."));
    assert!(
        notice
            .raw
            .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    );

    // The mail's unsubscribe link ends the subscription: the next update is not sent.
    browser
        .goto(&link(&server, &notice.text, "/unsubscribe"))
        .await;
    browser.click_button("Unsubscribe").await;
    browser.wait_for_text("h1", "You are unsubscribed").await;
    admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{id}/updates"),
            json!({"status": "resolved", "message": "Rolled back; errors are gone."}),
        )
        .await;
    // The resolution goes out to no one: wait for the worker to have handled it, then look.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !mailbox
            .mails()
            .iter()
            .any(|mail| mail.subject.starts_with("[Acme] Resolved")),
        "an unsubscribed visitor was mailed"
    );
    browser.close().await;
}
