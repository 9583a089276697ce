//! The history of a status page as visitors read it: month by month, page by page back a year,
//! filtered by a service; and how services are shown: a description in a tooltip a keyboard
//! reaches, a hidden service nowhere, one shown only when not operational appearing once it is
//! degraded.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde_json::json;
use upstate_e2e::{Api, Browser, Server};
use upstate_store::Engine;
use upstate_store::schema::{incidents, maintenances};
use upstate_store::testing::TestDb;

/// The first day of the month `back` months before this one.
fn month_start(back: u32) -> NaiveDate {
    Utc::now().date_naive().with_day(1).unwrap() - Months::new(back)
}

/// The heading of that month on the page, "November 2026".
fn heading(back: u32) -> String {
    month_start(back).format("%B %Y").to_string()
}

/// Noon on the 10th of that month.
fn in_month(back: u32) -> NaiveDateTime {
    month_start(back)
        .with_day(10)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

/// A year of history, seeded the way it would have happened: declared through the API, then
/// moved back in time in the database (the API never lets anyone backdate).
async fn a_year_of_history(server: &Server, test: &TestDb) -> (Api, String) {
    let admin = Api::register(server, "owner@acme.test").await;
    admin
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let api = admin
        .post(
            "/api/v1/orgs/acme/services",
            json!({"name": "Public API", "description": "The REST API at api.acme.test"}),
        )
        .await;
    let website = admin
        .post("/api/v1/orgs/acme/services", json!({"name": "Website"}))
        .await;
    admin
        .post(
            "/api/v1/orgs/acme/services",
            json!({"name": "Build farm", "display": "hidden", "status": "major_outage"}),
        )
        .await;
    let backups = admin
        .post(
            "/api/v1/orgs/acme/services",
            json!({"name": "Backups", "display": "when_not_operational"}),
        )
        .await;
    let mut conn = test.db.conn().unwrap();
    for (title, service, back) in [
        ("A year-old outage", &api, 12),
        ("Website slow for some", &website, 8),
        ("DNS errors", &api, 5),
        ("Elevated API errors", &api, 1),
    ] {
        let created = admin
            .post(
                "/api/v1/orgs/acme/incidents",
                json!({"title": title, "status": "resolved", "impact": "minor",
                       "message": "Fixed within the hour.",
                       "affected": [{"service_id": service["id"], "status": "degraded_performance"}]}),
            )
            .await;
        let at = in_month(back);
        diesel::update(incidents::table.find(created["id"].as_str().unwrap()))
            .set((
                incidents::created_at.eq(at),
                incidents::updated_at.eq(at),
                incidents::resolved_at.eq(Some(at)),
            ))
            .execute(&mut *conn)
            .unwrap();
    }
    let start = Utc::now() + chrono::Duration::days(3);
    let window = admin
        .post(
            "/api/v1/orgs/acme/maintenances",
            json!({"title": "Database upgrade", "description": "", "service_ids": [api["id"]],
                   "scheduled_start": start, "scheduled_end": start + chrono::Duration::hours(2)}),
        )
        .await;
    diesel::update(maintenances::table.find(window["id"].as_str().unwrap()))
        .set((
            maintenances::status.eq("completed"),
            maintenances::scheduled_start.eq(in_month(10)),
            maintenances::scheduled_end.eq(in_month(10) + chrono::Duration::hours(2)),
        ))
        .execute(&mut *conn)
        .unwrap();
    (admin, backups["id"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_visitor_pages_back_a_year_of_history_and_filters_it_by_service() {
    let test = TestDb::new(Engine::Sqlite);
    let server = Server::start_on(&test.url, &[]).await;
    a_year_of_history(&server, &test).await;
    let browser = Browser::open().await;

    // From the status page's past incidents to the history, newest month first.
    browser.goto(&server.url("/status/acme")).await;
    browser.click_link("Incident history by month").await;
    browser.wait_for_path("/status/acme/history").await;
    browser.wait_for_text("h1", "Incident history").await;
    browser
        .wait_for_text(".history-month h2", &heading(0))
        .await;
    browser
        .wait_for_text(".history-month", "No incidents or maintenance reported.")
        .await;
    let last_month = browser.wait_for_text(".history-month", &heading(1)).await;
    assert!(
        last_month.contains("Elevated API errors") && last_month.contains("Minor impact"),
        "{last_month}"
    );
    browser.screenshot("public-history").await;

    // Page by page back a year, each page older than the last.
    for (page, shows) in [
        (1, "DNS errors"),
        (2, "Website slow for some"),
        (3, "Database upgrade"),
        (4, "A year-old outage"),
    ] {
        browser.click_link("Older →").await;
        browser.wait_for_text(".history-entry", shows).await;
        browser
            .wait_for_text(".history-month h2", &heading(page * 3))
            .await;
    }
    let oldest = browser.wait_for_text(".history-month", &heading(12)).await;
    assert!(oldest.contains("A year-old outage"), "{oldest}");
    let older = browser
        .execute(
            "return [...document.querySelectorAll('a')].some(a => a.textContent.includes('Older'))",
        )
        .await;
    assert_eq!(older, json!(false), "a year back is where the history ends");
    browser.screenshot("public-history-year-ago").await;
    // And forward again.
    browser.click_link("← Newer").await;
    browser
        .wait_for_text(".history-month h2", &heading(9))
        .await;

    // Only the Website: its one incident, eight months back; none of the API's.
    browser.choose("#history-service", "Website").await;
    browser.click_button("Show").await;
    browser
        .wait_for_text("header .meta", "Acme · Website")
        .await;
    browser
        .wait_for_text(".history-month h2", &heading(0))
        .await;
    browser.click_link("Older →").await;
    browser
        .wait_for_text(".history-month h2", &heading(3))
        .await;
    browser.click_link("Older →").await;
    let page = browser.wait_for_text("main", "Website slow for some").await;
    assert!(!page.contains("DNS errors"), "{page}");
    assert!(
        !page.contains("Older →"),
        "the Website's history starts there"
    );

    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn services_show_their_description_and_only_what_the_public_may_see() {
    let test = TestDb::new(Engine::Sqlite);
    let server = Server::start_on(&test.url, &[]).await;
    let (admin, backups) = a_year_of_history(&server, &test).await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser
        .wait_for_text("[data-testid=service]", "Public API")
        .await;
    browser
        .wait_for_text("[data-testid=banner]", "All systems operational")
        .await;
    let services = browser.wait_for_text("main", "Website").await;
    assert!(!services.contains("Build farm"), "hidden: {services}");
    assert!(!services.contains("Backups"), "operational, so not shown");

    // Backups degrade: they appear, live.
    admin
        .patch(
            &format!("/api/v1/orgs/acme/services/{backups}"),
            json!({"status": "degraded_performance"}),
        )
        .await;
    let line = browser
        .wait_for_text("[data-testid=service]", "Backups")
        .await;
    assert!(line.contains("Degraded performance"), "{line}");

    // The description: reached with the keyboard, told to screen readers, shown on focus.
    let mut reached = false;
    for _ in 0..20 {
        browser.press(fantoccini::key::Key::Tab).await;
        let focused = browser
            .execute("return document.activeElement.getAttribute('aria-label')")
            .await;
        if focused == json!("About Public API") {
            reached = true;
            break;
        }
    }
    assert!(reached, "the description's button is reached with Tab");
    let described = browser
        .execute(
            "const b = document.activeElement; \
             const tip = document.getElementById(b.getAttribute('aria-describedby')); \
             return [tip.textContent, tip.getAttribute('role'), getComputedStyle(tip).display];",
        )
        .await;
    assert_eq!(
        described,
        json!(["The REST API at api.acme.test", "tooltip", "block"])
    );
    browser.screenshot("public-component-detail").await;
    // Escape puts the description away without moving focus (WCAG 1.4.13); focus brings it back.
    browser.press(fantoccini::key::Key::Escape).await;
    let shown = "const b = document.activeElement; \
                 return [b.getAttribute('aria-label'), \
                 getComputedStyle(document.getElementById(b.getAttribute('aria-describedby'))).display];";
    assert_eq!(
        browser.execute(shown).await,
        json!(["About Public API", "none"])
    );
    browser
        .execute("const b = document.activeElement; b.blur(); b.focus(); return null;")
        .await;
    assert_eq!(
        browser.execute(shown).await,
        json!(["About Public API", "block"])
    );
    assert_eq!(browser.console_errors().await, Vec::<String>::new());
    browser.close().await;
}
