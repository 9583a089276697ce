//! The dashboard's "tell people" pages as an admin uses them: on Subscribers, find a subscriber,
//! remove one, import a CSV file (a refused one names its lines), page through the list and
//! export it; on Integrations, add a webhook (its signing secret shown once), send it a test
//! message, read its delivery log, redeliver, disable and delete it. Real server, real worker,
//! a webhook receiver on loopback.

use fantoccini::Locator;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_e2e::{Api, Browser, PATIENCE, Server};
use upstate_store::Engine;
use upstate_store::testing::TestDb;

/// A server whose webhooks may reach loopback (the test's receiver), and the owner of its org
/// `acme` with two services.
async fn acme(test: &TestDb) -> (Server, Api, serde_json::Value) {
    let server = Server::start_on(&test.url, &[("UPSTATE_ALLOW_PRIVATE_TARGETS", "true")]).await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let api = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Website"}))
        .await;
    (server, owner, api)
}

/// How many elements match `css`, once it is `expected` (or what it is after a while).
async fn count_of(browser: &Browser, css: &str, expected: usize) -> usize {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let found = browser
            .client
            .find_all(Locator::Css(css))
            .await
            .map_or(0, |all| all.len());
        if found == expected || Instant::now() > deadline {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses `path` in the file input `css`, as picking it in the file dialog would.
async fn choose_file(browser: &Browser, css: &str, path: &Path) {
    browser
        .element(css)
        .await
        .send_keys(&path.display().to_string())
        .await
        .expect("choose the file");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_searches_removes_imports_pages_and_exports_subscribers() {
    let test = TestDb::new(Engine::Sqlite);
    let (server, owner, api) = acme(&test).await;
    // Three visitors asked (pending: nobody followed a confirmation link), one of them only
    // for the Public API; one address imported earlier (confirmed).
    for (email, services) in [
        ("ada@example.com", json!([])),
        ("bob@example.com", json!([api["id"]])),
        ("carol@example.org", json!([])),
    ] {
        let client = reqwest::Client::new();
        let asked = client
            .post(server.url("/api/v1/public/acme/subscriptions"))
            .json(&json!({"email": email, "service_ids": services}))
            .send()
            .await
            .expect("subscribe");
        assert_eq!(asked.status(), 202, "subscribing {email}");
    }
    owner
        .post_text(
            "/api/v1/orgs/acme/subscribers.csv",
            "text/csv",
            "email\ndave@example.com\n",
        )
        .await;

    let admin = Browser::open().await;
    admin.sign_in(&server, "owner@acme.test").await;
    admin.goto(&server.url("/dashboard/acme")).await;
    admin.click_link("Subscribers").await;
    admin.wait_for_path("/dashboard/acme/subscribers").await;
    admin
        .wait_for_text("[data-testid=count-email]", "1 confirmed · 3 pending")
        .await;
    assert_eq!(count_of(&admin, "[data-testid=subscriber]", 4).await, 4);
    let bob = admin
        .wait_for_text("[data-testid=subscriber]", "bob@example.com")
        .await;
    assert!(
        bob.contains("Pending") && bob.contains("Public API"),
        "{bob}"
    );
    let dave = admin
        .wait_for_text("[data-testid=subscriber]", "dave@example.com")
        .await;
    assert!(
        dave.contains("Confirmed") && dave.contains("All services"),
        "{dave}"
    );

    // Searching as one types: only the match stays.
    admin.fill("#subscriber-search", "EXAMPLE.ORG").await;
    assert_eq!(count_of(&admin, "[data-testid=subscriber]", 1).await, 1);
    admin
        .wait_for_text("[data-testid=subscriber]", "carol@example.org")
        .await;

    // Removing asks first, then says so, and the counts follow.
    admin.click_button("Remove").await;
    admin
        .wait_for_text("[data-testid=confirm-dialog]", "carol@example.org")
        .await;
    admin.click_button("Remove subscriber").await;
    admin
        .wait_for_text("[data-testid=toast]", "Subscriber removed")
        .await;
    admin
        .wait_for_text("[data-testid=empty-state]", "No subscriber matches")
        .await;
    admin
        .wait_for_text("[data-testid=count-email]", "1 confirmed · 2 pending")
        .await;
    admin.set_value("#subscriber-search", "").await;
    assert_eq!(count_of(&admin, "[data-testid=subscriber]", 3).await, 3);

    // A file with a bad row imports nothing, and says which line.
    let folder = tempfile::tempdir().expect("a folder");
    let bad = folder.path().join("bad.csv");
    std::fs::write(&bad, "email\nerin@example.com\nnot-an-address\n").expect("write");
    choose_file(&admin, "#import-file", &bad).await;
    admin.click_button("Import subscribers").await;
    admin
        .wait_for_text("[data-testid=import-problems]", "line 3")
        .await;
    admin
        .wait_for_text(".form-error", "nothing was imported")
        .await;
    admin
        .wait_for_text("[data-testid=count-email]", "1 confirmed · 2 pending")
        .await;

    // A good one: 57 new addresses, one already there, one that never confirmed.
    let good = folder.path().join("moving.csv");
    let mut csv = String::from("address,confirmed\n");
    for i in 0..55 {
        csv.push_str(&format!("user{i}@example.net,true\n"));
    }
    csv.push_str("erin@example.com,true\nfrank@example.com,true\n");
    csv.push_str("dave@example.com,true\ngina@example.com,false\n");
    std::fs::write(&good, csv).expect("write");
    choose_file(&admin, "#import-file", &good).await;
    admin.click_button("Import subscribers").await;
    admin
        .wait_for_text(
            "[data-testid=import-result]",
            "Imported 57 subscribers; 1 already subscribed; 1 left out (never confirmed)",
        )
        .await;
    admin
        .wait_for_text("[data-testid=count-email]", "58 confirmed · 2 pending")
        .await;
    assert_eq!(
        count_of(&admin, "[data-testid=import-problems] li", 0).await,
        0,
        "the refused file's lines are gone once a file is imported"
    );

    // 60 subscribers: the first 50, then the rest with "Load more".
    assert_eq!(count_of(&admin, "[data-testid=subscriber]", 50).await, 50);
    admin.click_button("Load more").await;
    assert_eq!(count_of(&admin, "[data-testid=subscriber]", 60).await, 60);
    admin
        .wait_until_none(
            Locator::XPath("//button[normalize-space()='Load more']"),
            PATIENCE,
        )
        .await;

    // The export downloads every subscriber as the org's CSV file.
    let downloads = tempfile::tempdir().expect("a downloads folder");
    admin
        .devtools(
            "Browser.setDownloadBehavior",
            json!({"behavior": "allow", "downloadPath": downloads.path().display().to_string()}),
        )
        .await;
    admin.click_button("Export CSV").await;
    let file = downloads.path().join("acme-subscribers.csv");
    let deadline = Instant::now() + PATIENCE;
    let exported = loop {
        if let Ok(text) = std::fs::read_to_string(&file)
            && text.contains("frank@example.com")
        {
            break text;
        }
        assert!(
            Instant::now() < deadline,
            "no {} downloaded",
            file.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(exported.starts_with("kind,address,"), "{exported}");
    assert_eq!(exported.lines().count(), 61, "a header and 60 subscribers");
    assert!(
        !exported.contains("carol@example.org"),
        "a removed subscriber"
    );

    let errors = admin.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("the server responded with a status of 422")),
        "console errors: {errors:?}"
    );
    admin.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_adds_a_webhook_tests_it_reads_its_log_and_disables_it() {
    let test = TestDb::new(Engine::Sqlite);
    let (server, owner, api) = acme(&test).await;
    let hook = Receiver::start().await;

    let admin = Browser::open().await;
    admin.sign_in(&server, "owner@acme.test").await;
    admin.goto(&server.url("/dashboard/acme")).await;
    admin.click_link("Integrations").await;
    admin.wait_for_path("/dashboard/acme/integrations").await;
    admin
        .wait_for_text("[data-testid=empty-state]", "No integrations yet")
        .await;

    // The form checks what the API would before sending.
    admin.choose("#integration-kind", "Webhook").await;
    admin
        .fill("#field-integration-url", "ftp://example.com")
        .await;
    admin.click_button("Add integration").await;
    admin.wait_for_text(".field-problem", "http").await;
    admin.fill("#field-integration-name", "Deploy bot").await;
    admin
        .fill("#field-integration-url", &hook.url("/upstate"))
        .await;
    admin.click_button("Add integration").await;
    admin
        .wait_for_text("[data-testid=toast]", "Integration “Deploy bot” added")
        .await;
    let secret = admin
        .element("[data-testid=new-secret]")
        .await
        .prop("value")
        .await
        .expect("the secret's value")
        .unwrap_or_default();
    assert!(secret.starts_with("whsec_"), "the signing secret: {secret}");
    admin
        .wait_for_text("[data-testid=integration]", "Deploy bot")
        .await;
    admin
        .wait_for_text("[data-testid=integration-state]", "Enabled")
        .await;

    // Shown once: not after coming back to the page.
    admin
        .goto(&server.url("/dashboard/acme/integrations"))
        .await;
    admin
        .wait_for_text("[data-testid=integration]", "Deploy bot")
        .await;
    assert_eq!(count_of(&admin, "[data-testid=new-secret]", 0).await, 0);

    // A test message arrives, signed, and the page says how it went.
    admin.click_button("Send a test message").await;
    admin
        .wait_for_text(
            "[data-testid=test-result]",
            "✓ Test message delivered: HTTP 204",
        )
        .await;
    let received = hook.wait_for(1, PATIENCE).await;
    assert_eq!(received[0].path, "/upstate");
    assert!(
        received[0]
            .header("webhook-signature")
            .is_some_and(|s| s.starts_with("v1,")),
        "an unsigned test message: {:?}",
        received[0].headers
    );

    // An incident tells the webhook; the delivery log shows it, and it can be sent again.
    owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Elevated API errors", "status": "investigating", "impact": "major",
                   "message": "We are looking into it.",
                   "affected": [{"service_id": api["id"], "status": "partial_outage"}]}),
        )
        .await;
    let received = hook.wait_for(2, PATIENCE).await;
    assert_eq!(received[1].json()["type"], "incident.created");
    admin.click_button("Delivery log").await;
    let row = admin
        .wait_for_text("[data-testid=delivery]", "New incident")
        .await;
    assert!(row.contains("204") && row.contains("Delivered"), "{row}");
    admin.click_button("Redeliver").await;
    admin
        .wait_for_text("[data-testid=toast]", "Sent again")
        .await;
    let received = hook.wait_for(3, PATIENCE).await;
    assert_eq!(received[2].json()["type"], "incident.created");
    assert_eq!(
        received[2].header("webhook-id"),
        received[1].header("webhook-id"),
        "a redelivery is the same delivery"
    );

    // Disabled: it says so and why, and hears nothing more until enabled again.
    admin.click_button("Disable").await;
    admin
        .wait_for_text("[data-testid=integration-state]", "Disabled")
        .await;
    admin
        .wait_for_text("[data-testid=disabled-reason]", "Disabled by an admin")
        .await;
    admin.element("[data-testid=integration]").await;
    owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Slow pages", "status": "investigating", "impact": "minor",
                   "message": "Looking into it.", "affected": []}),
        )
        .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(hook.requests().len(), 3, "a disabled webhook was called");
    admin.screenshot("dashboard-integration-disabled").await;

    // Deleting asks first.
    admin.click_button("Delete").await;
    admin.click_button("Delete integration").await;
    admin
        .wait_for_text("[data-testid=empty-state]", "No integrations yet")
        .await;

    let errors = admin.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    admin.close().await;
}
