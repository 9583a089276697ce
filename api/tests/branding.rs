//! Branding (`/api/v1/orgs/{org}/branding`): who reads and changes it, the refusals of unsafe
//! custom CSS and other bad fields, the public pages drawn with it (and drawn again when it
//! changes), and the preview of a draft that saves nothing.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, Answer, TestApp};
use reqwest::Method;
use serde_json::{Value, json};
use upstate_store::Engine;

on_both_engines!(
    members_read_the_branding_and_only_admins_change_it,
    unsafe_css_and_bad_fields_are_refused_with_their_fields,
    the_public_pages_carry_the_branding_and_are_drawn_again_when_it_changes,
    a_preview_draws_the_draft_and_saves_nothing,
);

const BRANDING: &str = "/api/v1/orgs/acme/branding";

/// The public pages' template, as `scripts/build-web.sh` makes it (the parts branding touches).
fn template() -> common::MemoryAssets {
    let mut files = common::MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html>\n<html lang=\"en\">\n<head>\n<title>Upstate</title>\n<!--upstate:head-->\n\
          <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n</head>\n\
          <body><div id=\"app\"><!--upstate:body--></div></body>\n</html>\n",
    );
    files
}

async fn acme(app: &TestApp) -> Account {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    owner
}

async fn put(app: &TestApp, who: &Account, body: Value) -> Answer {
    app.call(Method::PUT, BRANDING, Some(&who.token), Some(body))
        .await
}

async fn html(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

const CSS: &str =
    ".banner { border-radius: 0; }\n@media (max-width: 600px) { h1 { font-size: 1rem } }";

fn full_branding() -> Value {
    json!({
        "accent_color": "#AA3300",
        "logo_url": "https://acme.test/logo.svg",
        "favicon_url": "https://acme.test/favicon.png",
        "support_url": "https://acme.test/help",
        "home_url": "https://acme.test/",
        "footer_text": "© Acme Corp · Made in Lyon",
        "theme": "dark",
        "custom_css": CSS,
    })
}

async fn members_read_the_branding_and_only_admins_change_it(engine: Engine) {
    let app = common::spawn_app(engine).await;
    let owner = acme(&app).await;
    let admin = app.register("admin@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    let viewer = app.register("viewer@acme.test").await;
    app.add_member(&owner, "acme", &admin, "admin").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    app.add_member(&owner, "acme", &viewer, "viewer").await;

    let fresh = app.get_as(BRANDING, &viewer.token).await;
    assert_eq!(fresh.status, 200);
    assert_eq!(fresh.body["theme"], "auto");
    assert_eq!(fresh.body["custom_css"], Value::Null);

    for who in [&viewer, &editor] {
        let refused = put(&app, who, full_branding()).await;
        assert_eq!(refused.status, 403, "{:?}", refused.body);
        let refused = app
            .post_as(&format!("{BRANDING}/preview"), &who.token, full_branding())
            .await;
        assert_eq!(refused.status, 403);
    }

    let saved = put(&app, &admin, full_branding()).await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["accent_color"], "#aa3300");
    assert_eq!(saved.body["theme"], "dark");
    assert_eq!(saved.body["custom_css"], CSS);
    let read = app.get_as(BRANDING, &viewer.token).await;
    assert_eq!(read.body, saved.body);
    // The org shows the branding it has, but not the CSS (the pages carry that).
    let org = app.get_as("/api/v1/orgs/acme", &viewer.token).await;
    assert_eq!(
        org.body["branding"]["footer_text"],
        "© Acme Corp · Made in Lyon"
    );
    assert_eq!(org.body["branding"]["home_url"], "https://acme.test/");

    // PUT replaces the whole: what it leaves out is cleared.
    let cleared = put(&app, &admin, json!({"theme": "light", "footer_text": "  "})).await;
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.body["theme"], "light");
    assert_eq!(cleared.body["footer_text"], Value::Null);
    assert_eq!(cleared.body["custom_css"], Value::Null);
    assert_eq!(cleared.body["logo_url"], Value::Null);

    // Another org's branding is not found, not forbidden.
    let stranger = app.register("stranger@other.test").await;
    app.create_org(&stranger, "other").await;
    let hidden = put(&app, &stranger, full_branding()).await;
    assert_eq!(hidden.status, 404);
}

async fn unsafe_css_and_bad_fields_are_refused_with_their_fields(engine: Engine) {
    let app = common::spawn_app(engine).await;
    let owner = acme(&app).await;
    assert_eq!(put(&app, &owner, full_branding()).await.status, 200);

    for (css, refused) in [
        (
            "h1 { color: red }\n@import url(https://evil.test/x.css);",
            "line 2: @import",
        ),
        (
            "body {\n  background: url(https://tracker.test/pixel.png);\n}",
            "line 2: `url()` is not allowed",
        ),
        (
            "@font-face { font-family: X; src: url(https://evil.test/x.woff) }",
            "line 1: @font-face",
        ),
        ("a { width: expression(alert(1)) }", "expression()"),
        ("a { -moz-binding: none }", "-moz-binding"),
        (
            "a::after { content: \"</style><script>alert(1)</script>\" }",
            "`</style`",
        ),
    ] {
        let mut body = full_branding();
        body["custom_css"] = json!(css);
        let answer = put(&app, &owner, body).await;
        assert_eq!(answer.status, 422, "{css}");
        assert_eq!(answer.code(), "validation_failed");
        let problem = answer.body["error"]["fields"]["custom_css"][0]
            .as_str()
            .unwrap();
        assert!(problem.contains(refused), "{css}: {problem}");
    }
    let too_big = put(
        &app,
        &owner,
        json!({"custom_css": ".a { color: red }\n".repeat(1000)}),
    )
    .await;
    assert_eq!(too_big.status, 422);
    assert!(
        too_big.body["error"]["fields"]["custom_css"][0]
            .as_str()
            .unwrap()
            .contains("16 KiB")
    );

    let bad = put(
        &app,
        &owner,
        json!({"accent_color": "blue", "favicon_url": "javascript:alert(1)", "home_url": "ftp://x",
               "footer_text": "two\nlines", "theme": "auto"}),
    )
    .await;
    assert_eq!(bad.status, 422);
    let fields = bad.body["error"]["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["accent_color", "favicon_url", "footer_text", "home_url"]
    );
    let unknown_theme = put(&app, &owner, json!({"theme": "sepia"})).await;
    assert_eq!(unknown_theme.status, 422, "{:?}", unknown_theme.body);

    // Nothing of a refused request was written.
    let kept = app.get_as(BRANDING, &owner.token).await;
    assert_eq!(kept.body["custom_css"], CSS);
    assert_eq!(kept.body["theme"], "dark");
}

async fn the_public_pages_carry_the_branding_and_are_drawn_again_when_it_changes(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, template()).await;
    let owner = acme(&app).await;
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": "Slow logins", "status": "investigating", "impact": "minor",
                   "message": "Looking.", "affected": []}),
        )
        .await;
    let incident_page = format!(
        "/status/acme/incidents/{}",
        incident.body["id"].as_str().unwrap()
    );

    // Drawn (and cached) before the branding.
    let before = html(&app, "/status/acme").await;
    assert!(!before.contains("upstate-custom-css"));
    assert!(!before.contains("data-theme"));
    assert!(before.contains("href=\"/favicon.svg\""));

    assert_eq!(put(&app, &owner, full_branding()).await.status, 200);

    let page = html(&app, "/status/acme").await;
    let incident_html = html(&app, &incident_page).await;
    let subscribe = html(&app, "/status/acme/subscribe").await;
    for (name, document) in [
        ("status page", &page),
        ("incident page", &incident_html),
        ("subscribe page", &subscribe),
    ] {
        assert!(
            document.contains(&format!(
                "<style id=\"upstate-custom-css\">\n{CSS}\n</style>\n</head>"
            )),
            "{name}: the custom CSS is last in the head"
        );
        assert!(
            document.contains("<html lang=\"en\" data-theme=\"dark\">"),
            "{name}"
        );
        assert!(
            document.contains("<link rel=\"icon\" href=\"https://acme.test/favicon.png\">"),
            "{name}"
        );
        assert!(!document.contains("/favicon.svg"), "{name}");
    }
    for (name, document) in [("status page", &page), ("incident page", &incident_html)] {
        assert!(
            document.contains("© Acme Corp · Made in Lyon"),
            "{name}: the footer"
        );
        assert!(
            document.contains("href=\"https://acme.test/\""),
            "{name}: the home link"
        );
        assert!(
            document.contains("href=\"https://acme.test/help\""),
            "{name}: the support link"
        );
    }

    // The summary carries the branding but not the CSS, which only the pages need.
    let summary: Value = app
        .get("/api/v1/public/acme/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary["page"]["branding"]["theme"], "dark");
    assert_eq!(
        summary["page"]["branding"]["footer_text"],
        "© Acme Corp · Made in Lyon"
    );
    assert!(summary["page"]["branding"].get("custom_css").is_none());

    // Back to the defaults: the pages follow at once.
    assert_eq!(put(&app, &owner, json!({})).await.status, 200);
    let after = html(&app, "/status/acme").await;
    assert!(!after.contains("upstate-custom-css"));
    assert!(!after.contains("data-theme"));
    assert!(!after.contains("Made in Lyon"));
}

async fn a_preview_draws_the_draft_and_saves_nothing(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, template()).await;
    let owner = acme(&app).await;
    let preview = app
        .post_as(
            &format!("{BRANDING}/preview"),
            &owner.token,
            full_branding(),
        )
        .await;
    assert_eq!(preview.status, 200, "{:?}", preview.body);
    let drawn = preview.body["html"].as_str().unwrap();
    assert!(drawn.contains(&format!(
        "<style id=\"upstate-custom-css\">\n{CSS}\n</style>"
    )));
    assert!(drawn.contains("data-theme=\"dark\""));
    assert!(drawn.contains("© Acme Corp · Made in Lyon"));
    assert!(
        drawn.contains("--accent: #aa3300"),
        "the draft's accent colour"
    );

    // Nothing was saved: the page and the branding are as they were.
    let page = html(&app, "/status/acme").await;
    assert!(!page.contains("upstate-custom-css"));
    assert!(!page.contains("Made in Lyon"));
    assert_eq!(
        app.get_as(BRANDING, &owner.token).await.body["footer_text"],
        Value::Null
    );

    // A draft that would be refused is refused here too, with its field.
    let mut unsafe_draft = full_branding();
    unsafe_draft["custom_css"] = json!("@import \"https://evil.test/x.css\";");
    let refused = app
        .post_as(&format!("{BRANDING}/preview"), &owner.token, unsafe_draft)
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body["error"]["fields"]["custom_css"][0]
            .as_str()
            .unwrap()
            .contains("@import")
    );
}
