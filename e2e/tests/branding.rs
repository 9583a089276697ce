//! Branding as an admin uses it: on the settings page they give the status page a footer, a
//! dark theme and a few CSS rules, look at the preview (the real page with the draft, while the
//! public page is still as it was), publish, and a visitor's browser applies the rules; CSS
//! that would load from elsewhere is refused, with the line and the reason under the field.

use fantoccini::Locator;
use serde_json::json;
use std::time::{Duration, Instant};
use upstate_e2e::{Api, Browser, Server};

/// Rules whose effect a browser computes: the banner's letter spacing and square corners.
const CSS: &str =
    ".banner { letter-spacing: 3px; border-radius: 0; }\nh1 { text-transform: uppercase; }";

/// The value of `script` (an expression) in the page, once it is `expected`.
async fn eventually(browser: &Browser, script: &str, expected: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = browser.execute(&format!("return {script};")).await;
        if value.as_str() == Some(expected) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "`{script}` is {value}, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_previews_then_publishes_branding_and_unsafe_css_is_refused() {
    let server = Server::start().await;
    let owner = Api::register(&server, "owner@acme.test").await;
    owner
        .post("/api/v1/orgs", json!({"name": "Acme", "slug": "acme"}))
        .await;
    owner
        .post("/api/v1/orgs/acme/services", json!({"name": "Public API"}))
        .await;

    let admin = Browser::open().await;
    admin.sign_in(&server, "owner@acme.test").await;
    admin.goto(&server.url("/dashboard/acme/settings")).await;
    admin.wait_for_text("#branding-title", "Branding").await;
    admin
        .fill("#field-branding-footer", "© Acme Corp · Made in Lyon")
        .await;
    admin
        .fill("#field-branding-home", "https://acme.example/")
        .await;
    admin.choose("#branding-theme", "Dark").await;
    admin.fill("#branding-css", CSS).await;

    // The preview: the status page with the draft, drawn by the server into a sandboxed frame.
    admin.click_button("Preview").await;
    let frame = admin.element("[data-testid=branding-preview]").await;
    admin
        .execute("document.querySelector('[data-testid=branding-preview]').scrollIntoView(); return null;")
        .await;
    let srcdoc = frame.attr("srcdoc").await.unwrap().unwrap_or_default();
    assert!(srcdoc.contains("letter-spacing: 3px"), "the draft's CSS");
    assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""));
    // Inside the frame, as a visitor's browser draws it: the draft's rules and footer apply.
    admin.client.enter_frame(0).await.unwrap();
    let banner = admin.element("[data-testid=banner]").await;
    assert_eq!(banner.css_value("letter-spacing").await.unwrap(), "3px");
    admin
        .wait_for_text("[data-testid=brand-footer]", "Made in Lyon")
        .await;
    admin.client.enter_parent_frame().await.unwrap();
    admin.screenshot("dashboard-branding-preview").await;

    // Not published yet: visitors see the page as it was.
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=banner]", "All systems operational")
        .await;
    eventually(
        &visitor,
        "getComputedStyle(document.querySelector('[data-testid=banner]')).letterSpacing",
        "normal",
    )
    .await;
    assert!(
        visitor
            .client
            .find_all(Locator::Css("[data-testid=brand-footer]"))
            .await
            .unwrap()
            .is_empty()
    );

    // Published: the public page applies the rules, opens dark and shows the footer and link.
    admin.click_button("Publish").await;
    admin.wait_for_text(".toast", "Branding published").await;
    // A new visitor (the first one's browser may keep the page its five seconds).
    visitor.close().await;
    let visitor = Browser::open().await;
    visitor.goto(&server.url("/status/acme")).await;
    visitor
        .wait_for_text("[data-testid=brand-footer]", "© Acme Corp · Made in Lyon")
        .await;
    eventually(
        &visitor,
        "getComputedStyle(document.querySelector('[data-testid=banner]')).letterSpacing",
        "3px",
    )
    .await;
    eventually(
        &visitor,
        "getComputedStyle(document.querySelector('h1')).textTransform",
        "uppercase",
    )
    .await;
    eventually(
        &visitor,
        "getComputedStyle(document.body).backgroundColor",
        "rgb(13, 17, 23)",
    )
    .await;
    visitor
        .wait_for_text("[data-testid=home-link]", "Home page")
        .await;
    assert!(
        visitor.console_errors().await.is_empty(),
        "{:?}",
        visitor.console_errors().await
    );
    visitor.screenshot("public-branded").await;

    // CSS that would load from elsewhere is refused, with its line, under the field.
    admin
        .fill(
            "#branding-css",
            "h1 { color: red }\n@import url(https://evil.example/x.css);",
        )
        .await;
    admin.click_button("Publish").await;
    let problem = admin
        .wait_for_text(
            "[data-testid=css-problem]",
            "line 2: @import is not allowed",
        )
        .await;
    assert!(problem.contains("line 2"), "{problem}");
    admin
        .execute("document.querySelector('#branding-css').scrollIntoView(); return null;")
        .await;
    admin.screenshot("dashboard-branding-unsafe-css").await;
    let kept = owner
        .send(
            reqwest::Method::GET,
            "/api/v1/orgs/acme/branding",
            json!(null),
        )
        .await;
    assert_eq!(kept["custom_css"], CSS, "the refused CSS was not saved");

    admin.close().await;
    visitor.close().await;
}
