//! A visitor reads the status page in their own language: a browser that asks for German gets
//! the page in German from the first paint (words, the history's dates, times written the
//! German way once the page is live), switches to Japanese from the language menu, and keeps
//! Japanese on the next visit. What the team wrote stays as they wrote it.

use serde_json::json;
use upstate_e2e::{Api, Browser, Server};

#[tokio::test(flavor = "multi_thread")]
async fn a_german_visitor_reads_german_and_switches_to_japanese() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let api = owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;
    owner
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Elevated API errors", "status": "identified", "impact": "major",
                   "message": "We found the cause and are rolling out a fix.",
                   "affected": [{"service_id": api["id"], "status": "partial_outage"}]}),
        )
        .await;
    let today = chrono::Utc::now().date_naive();
    let german_months = [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ];
    use chrono::Datelike;
    let german_day = format!(
        "{}. {} {}",
        today.day(),
        german_months[today.month0() as usize],
        today.year()
    );

    let visitor = Browser::open_speaking("de-DE,de").await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=banner]", "Teilweiser Systemausfall")
        .await;
    let lang = visitor
        .execute("return document.documentElement.lang;")
        .await;
    assert_eq!(lang, "de");
    visitor.wait_for_text("#services-title", "Dienste").await;
    visitor.wait_for_text(".status-word", "Teilausfall").await;
    visitor.wait_for_text(".history-day h3", &german_day).await;
    // Once live, the update's time is said the German way, relative and absolute.
    let posted = visitor
        .wait_for_text("[data-testid=open-incident] time", "gerade eben")
        .await;
    assert!(
        posted.contains(&format!(
            "{:02}.{:02}.{}",
            today.day(),
            today.month(),
            today.year()
        )),
        "a German date: {posted}"
    );
    visitor
        .wait_for_text("[data-testid=open-incident]", "We found the cause")
        .await;
    visitor.wait_for_text(".live", "Live").await;
    visitor.screenshot("public-page-de").await;

    // The language menu: Japanese, remembered.
    visitor.click_link("日本語").await;
    visitor
        .wait_for_text(
            "[data-testid=banner]",
            "一部のシステムで障害が発生しています",
        )
        .await;
    assert_eq!(visitor.path().await, "/status/acme");
    let lang = visitor
        .execute("return document.documentElement.lang;")
        .await;
    assert_eq!(lang, "ja");
    visitor
        .wait_for_text(
            ".history-day h3",
            &format!("{}年{}月{}日", today.year(), today.month(), today.day()),
        )
        .await;
    visitor
        .wait_for_text("[data-testid=open-incident] h3", "Elevated API errors")
        .await;
    visitor.screenshot("public-page-ja").await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor.wait_for_text("#services-title", "サービス").await;
    assert!(
        visitor.console_errors().await.is_empty(),
        "{:?}",
        visitor.console_errors().await
    );
    visitor.close().await;
}
