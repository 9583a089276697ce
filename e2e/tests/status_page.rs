//! The public status page as visitors see it: the state, incidents and their timeline, live
//! changes without a reload, and recovery after the server restarts.

use serde_json::{Value, json};
use std::time::Duration;
use upstate_e2e::{Api, Browser, Server};

struct Acme {
    admin: Api,
    website: String,
    incident: String,
}

/// An org with two services in a group and an open incident on one.
async fn acme(server: &Server) -> Acme {
    let admin = Api::register(server, "owner@acme.test").await;
    admin
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    let core = admin
        .post("/api/v1/orgs/acme/service-groups", json!({"name": "Core"}))
        .await;
    let api = admin
        .post(
            "/api/v1/orgs/acme/services",
            json!({"name": "Public API", "group_id": core["id"]}),
        )
        .await;
    let website = admin
        .post(
            "/api/v1/orgs/acme/services",
            json!({"name": "Website", "group_id": core["id"]}),
        )
        .await;
    let incident: Value = admin
        .post(
            "/api/v1/orgs/acme/incidents",
            json!({"title": "Elevated API errors", "status": "investigating", "impact": "major",
                   "message": "We are **investigating** errors on the API.",
                   "affected": [{"service_id": api["id"], "status": "partial_outage"}]}),
        )
        .await;
    let incident_id = incident["id"].as_str().unwrap().to_owned();
    admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{incident_id}/updates"),
            json!({"status": "identified", "message": "A bad deploy; rolling back."}),
        )
        .await;
    Acme {
        website: website["id"].as_str().unwrap().to_owned(),
        incident: incident_id,
        admin,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_shows_the_services_an_open_incident_and_its_timeline() {
    let server = Server::start().await;
    let acme = acme(&server).await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text("h1", "Acme").await;
    browser
        .wait_for_text("[data-testid=banner]", "Partial system outage")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "Public API")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "Partial outage")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "Website")
        .await;
    browser
        .wait_for_text("[data-testid=open-incident]", "Elevated API errors")
        .await;
    browser
        .wait_for_text("[data-testid=open-incident]", "rolling back")
        .await;
    let title = browser.client.title().await.unwrap();
    assert_eq!(title, "Partial system outage · Acme status");

    browser.click_link("Elevated API errors").await;
    browser
        .wait_for_path(&format!("/status/acme/incidents/{}", acme.incident))
        .await;
    browser
        .wait_for_text("[data-testid=update]", "rolling back")
        .await;
    let updates = browser.wait_for_text("ol.timeline", "Investigating").await;
    assert!(
        updates.contains("Identified") && updates.contains("errors on the API"),
        "{updates}"
    );
    browser.wait_for_text("section", "Public API").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_visitor_sees_a_status_change_within_two_seconds_without_a_reload() {
    let server = Server::start().await;
    let acme = acme(&server).await;
    let first = Browser::open().await;
    let second = Browser::open().await;
    for browser in [&first, &second] {
        browser.goto(&server.url("/status/acme")).await;
        browser.wait_for_text(".live", "Live").await;
    }
    second
        .client
        .execute("window.__still_here = true;", vec![])
        .await
        .unwrap();
    acme.admin
        .patch(
            &format!("/api/v1/orgs/acme/services/{}", acme.website),
            json!({"status": "major_outage"}),
        )
        .await;
    second
        .wait_for_text_within(
            "[data-testid=service]",
            "Major outage",
            Duration::from_secs(2),
        )
        .await;
    second
        .wait_for_text_within(
            "[data-testid=banner]",
            "Major system outage",
            Duration::from_secs(2),
        )
        .await;
    let kept = second
        .client
        .execute("return window.__still_here === true;", vec![])
        .await
        .unwrap();
    assert_eq!(kept, Value::Bool(true), "the page was not reloaded");
    // Drawn again, every service keeps its uptime bars (taken from the page the server drew:
    // the snapshot the bundle read has no days to draw them from).
    let bars = second
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=service]')]
                .map(s => s.querySelectorAll('.bars > .bar').length);",
            vec![],
        )
        .await
        .unwrap();
    let bars: Vec<u64> = serde_json::from_value(bars).unwrap();
    assert!(
        !bars.is_empty() && bars.iter().all(|&n| n > 0),
        "bars per service after the change: {bars:?}"
    );
    let announced = second
        .wait_for_text("[role=status]", "Website is now Major outage")
        .await;
    assert!(!announced.is_empty());
    first.close().await;
    second.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_restart_the_page_reconnects_and_shows_what_changed_meanwhile() {
    let mut server = Server::start().await;
    let acme = acme(&server).await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text(".live", "Live").await;
    server.restart().await;
    acme.admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{}/updates", acme.incident),
            json!({"status": "resolved", "message": "Rolled back; all good."}),
        )
        .await;
    browser.wait_for_text(".live", "Live").await;
    browser
        .wait_for_text("[data-testid=banner]", "All systems operational")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "Operational")
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_page_has_no_console_errors_and_no_serious_accessibility_violations() {
    let server = Server::start().await;
    acme(&server).await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text(".live", "Live").await;
    browser
        .wait_for_text("[data-testid=service]", "uptime")
        .await;
    browser
        .wait_for_text("#history-title", "Past incidents")
        .await;
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let violations = browser.accessibility_violations().await;
    assert!(violations.is_empty(), "accessibility: {violations:#?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn screenshots_in_light_and_dark_at_desktop_and_phone_widths() {
    let server = Server::start().await;
    acme(&server).await;
    for dark in [false, true] {
        let browser = if dark {
            Browser::open_dark().await
        } else {
            Browser::open().await
        };
        for width in [1280u32, 390] {
            browser.client.set_window_size(width, 900).await.unwrap();
            browser.goto(&server.url("/status/acme")).await;
            browser
                .wait_for_text("[data-testid=service]", "uptime")
                .await;
            let theme = browser
                .client
                .execute(
                    "return matchMedia('(prefers-color-scheme: dark)').matches;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                theme,
                Value::Bool(dark),
                "the page sees the visitor's theme"
            );
            let overflow = browser
                .client
                .execute("return document.documentElement.scrollWidth - document.documentElement.clientWidth;", vec![])
                .await
                .unwrap();
            assert_eq!(
                overflow.as_i64(),
                Some(0),
                "no sideways scrolling at {width} px"
            );
            let name = format!("status-{}-{width}", if dark { "dark" } else { "light" });
            let path = browser.screenshot(&name).await;
            assert!(
                std::fs::metadata(&path).unwrap().len() > 10_000,
                "{name} is a real picture"
            );
        }
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pages_are_whole_without_javascript() {
    let server = Server::start().await;
    let acme = acme(&server).await;
    let browser = Browser::open().await;
    browser
        .devtools(
            "Emulation.setScriptExecutionDisabled",
            json!({"value": true}),
        )
        .await;
    browser.goto(&server.url("/status/acme")).await;
    // What the server drew is the page: no script ran, nothing is missing.
    browser
        .wait_for_text("[data-testid=banner]", "Partial system outage")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "Partial outage")
        .await;
    browser
        .wait_for_text("[data-testid=service]", "uptime")
        .await;
    browser
        .wait_for_text("[data-testid=open-incident]", "rolling back")
        .await;
    browser
        .wait_for_text("#history-title", "Past incidents")
        .await;
    let title = browser.client.title().await.unwrap();
    assert_eq!(title, "Partial system outage · Acme status");
    let hidden = browser
        .execute("return getComputedStyle(document.querySelector('.live')).display;")
        .await;
    assert_eq!(
        hidden,
        json!("none"),
        "no live indicator that never goes live"
    );
    browser.click_link("Elevated API errors").await;
    browser
        .wait_for_path(&format!("/status/acme/incidents/{}", acme.incident))
        .await;
    let timeline = browser.wait_for_text("ol.timeline", "rolling back").await;
    assert!(timeline.contains("Investigating"), "{timeline}");
    browser.wait_for_text("section", "Public API").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bundle_takes_the_page_over_without_moving_anything() {
    let server = Server::start().await;
    acme(&server).await;
    let browser = Browser::open().await;
    browser.goto(&server.url("/status/acme")).await;
    browser.wait_for_text(".live", "Live").await;
    // Every layout shift since the page opened, with what moved.
    let timing = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const shifts = [];
             new PerformanceObserver(list => list.getEntries().forEach(e => shifts.push({
                 value: e.value,
                 at: e.startTime,
                 moved: (e.sources || []).map(s => (s.node && s.node.outerHTML
                     ? s.node.outerHTML.slice(0, 80) : String(s.node))
                     + ' ' + JSON.stringify(s.previousRect) + ' -> ' + JSON.stringify(s.currentRect)) })))
                 .observe({ type: 'layout-shift', buffered: true });
             const mark = performance.getEntriesByName('upstate:summary-painted')[0];
             setTimeout(() => done({ shifts, takeover: mark ? mark.startTime : null }), 500);",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        timing["takeover"].as_f64().is_some(),
        "the bundle took the page over (its performance mark): {timing}"
    );
    assert_eq!(
        timing["shifts"],
        json!([]),
        "the layout moved while the page loaded, was taken over and went live"
    );
    // Taken over, not drawn twice.
    let banners = browser
        .execute("return document.querySelectorAll('[data-testid=banner]').length;")
        .await;
    assert_eq!(banners, json!(1));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_incident_page_follows_new_updates_without_a_reload() {
    let server = Server::start().await;
    let acme = acme(&server).await;
    let browser = Browser::open().await;
    browser
        .goto(&server.url(&format!("/status/acme/incidents/{}", acme.incident)))
        .await;
    browser.wait_for_text("h1", "Elevated API errors").await;
    let title = browser.client.title().await.unwrap();
    assert_eq!(title, "Elevated API errors · Acme status");
    // Whether the page's channel opens before or after this update, it hears of it: a later
    // event, or a hello with a `seq` past the page's snapshot.
    acme.admin
        .post(
            &format!("/api/v1/orgs/acme/incidents/{}/updates", acme.incident),
            json!({"status": "monitoring", "message": "A fix is out; watching the error rate."}),
        )
        .await;
    browser
        .wait_for_text("ol.timeline", "watching the error rate")
        .await;
    browser.close().await;
}
