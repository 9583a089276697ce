//! The public pages in the visitor's language: the server's first answer (its words, dates,
//! `<html lang>` and inline state) in the language the visitor's browser asks for, their own
//! choice from the language menu remembered in a cookie, and the org's default for everyone
//! else. Incident text stays as its author wrote it.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::TestApp;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};
use serde_json::{Value, json};
use upstate_store::Engine;

on_both_engines!(
    the_first_answer_is_in_the_visitors_language,
    a_visitors_choice_is_remembered_and_wins_over_the_browser,
    the_orgs_default_language_is_for_visitors_asking_for_none_of_them,
);

fn public_template() -> common::MemoryAssets {
    let mut files = common::MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html>\n<html lang=\"en\">\n<head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
}

/// An org whose API is down, with an incident written in English.
async fn outage(app: &TestApp) -> (common::Account, String) {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "API"}),
        )
        .await;
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": "Login failures", "status": "identified", "impact": "major",
                   "message": "A fix is being rolled out.",
                   "affected": [{"service_id": api.body["id"], "status": "partial_outage"}]}),
        )
        .await;
    assert_eq!(incident.status, 201, "{:?}", incident.body);
    (owner, incident.body["id"].as_str().unwrap().to_owned())
}

async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// The inline state of a page.
fn island(html: &str, id: &str) -> Value {
    let start = html
        .find(&format!("<script id=\"{id}\" type=\"application/json\">"))
        .unwrap_or_else(|| panic!("no {id} in {html}"));
    let inline = &html[start..];
    let inline = &inline[inline.find('>').unwrap() + 1..inline.find("</script>").unwrap()];
    serde_json::from_str(inline).unwrap()
}

/// "1. Dezember 2026": today, as the German page writes a day.
fn german_today() -> String {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let months = [
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
    format!(
        "{}. {} {}",
        today.day(),
        months[today.month0() as usize],
        today.year()
    )
}

async fn the_first_answer_is_in_the_visitors_language(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    let (_, incident) = outage(&app).await;

    let german = page(
        &app,
        "/status/acme",
        &[(ACCEPT_LANGUAGE.as_str(), "de-AT,de;q=0.9,en;q=0.5")],
    )
    .await;
    assert_eq!(german.status(), 200);
    assert_eq!(german.headers()["content-language"], "de");
    let vary = german.headers()["vary"].to_str().unwrap().to_owned();
    assert!(
        vary.contains("Accept-Language") && vary.contains("Cookie"),
        "{vary}"
    );
    let german_etag = german.headers()["etag"].clone();
    let html = german.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(
        html.contains("<input type=\"hidden\" name=\"language\" value=\"de\"/>")
            || html.contains("<input type=\"hidden\" name=\"language\" value=\"de\">"),
        "the subscribe form sends the page's language, the language of the mails: {html}"
    );
    assert!(
        html.contains("<title>Teilweiser Systemausfall · Status von Org acme</title>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"banner banner-major\">Teilweiser Systemausfall</p>"),
        "{html}"
    );
    assert!(html.contains(">Dienste</h2>"), "{html}");
    assert!(html.contains(">Teilausfall</span>"), "{html}");
    assert!(html.contains(">Vergangene Störungen</h2>"), "{html}");
    assert!(
        html.contains(&format!("<h3>{}</h3>", german_today())),
        "the history's day in German: {html}"
    );
    assert!(
        html.contains("Verfügbarkeit der letzten 90 Tage"),
        "the uptime bars: {html}"
    );
    // What people wrote stays as they wrote it.
    assert!(html.contains("Login failures"), "{html}");
    assert!(html.contains("A fix is being rolled out."), "{html}");
    assert!(!html.contains("Past incidents"), "no English left: {html}");
    assert_eq!(island(&html, "upstate-status")["locale"], "de");

    // Another language is another rendering, told apart by caches.
    let english = page(&app, "/status/acme", &[]).await;
    assert_ne!(english.headers()["etag"], german_etag);
    let html = english.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains(">Past incidents</h2>"), "{html}");
    assert_eq!(island(&html, "upstate-status")["locale"], "en");

    // A language Upstate does not speak, then one it does.
    let html = page(
        &app,
        "/status/acme",
        &[(ACCEPT_LANGUAGE.as_str(), "nl, ja;q=0.8")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains("<html lang=\"ja\">"), "{html}");
    assert!(html.contains(">サービス</h2>"), "{html}");

    // An incident's page, and a page that is not there.
    let html = page(
        &app,
        &format!("/status/acme/incidents/{incident}"),
        &[(ACCEPT_LANGUAGE.as_str(), "fr-CA")],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(html.contains(">Chronologie</h2>"), "{html}");
    assert!(html.contains("<h1>Login failures</h1>"), "{html}");
    assert_eq!(island(&html, "upstate-incident")["locale"], "fr");
    let missing = page(&app, "/status/nobody", &[(ACCEPT_LANGUAGE.as_str(), "es")]).await;
    assert_eq!(missing.status(), 404);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("Aquí no hay ninguna página de estado"),
        "{html}"
    );
}

async fn a_visitors_choice_is_remembered_and_wins_over_the_browser(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    outage(&app).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let chosen = client
        .get(app.url("/status/acme?lang=ja"))
        .header(ACCEPT_LANGUAGE, "de")
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), 303);
    assert_eq!(chosen.headers()["location"], "/status/acme");
    let cookie = chosen.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("upstate_lang=ja;"), "{cookie}");
    assert!(
        cookie.contains("Path=/") && cookie.contains("Max-Age="),
        "{cookie}"
    );

    let html = page(
        &app,
        "/status/acme",
        &[
            (ACCEPT_LANGUAGE.as_str(), "de"),
            (COOKIE.as_str(), "upstate_lang=ja"),
        ],
    )
    .await
    .text()
    .await
    .unwrap();
    assert!(html.contains("<html lang=\"ja\">"), "{html}");
    assert!(
        html.contains("一部のシステムで障害が発生しています"),
        "{html}"
    );
    // The menu offers every language, each in its own words, the current one marked.
    for (tag, name) in [
        ("en", "English"),
        ("de", "Deutsch"),
        ("pt-BR", "Português (Brasil)"),
    ] {
        assert!(
            html.contains(&format!("href=\"?lang={tag}\" lang=\"{tag}\"")) && html.contains(name),
            "{tag}: {html}"
        );
    }
    assert!(html.contains("aria-current=\"true\""), "{html}");

    // A language Upstate does not speak is ignored: the page, as before.
    let unknown = client
        .get(app.url("/status/acme?lang=xx"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 303);
    assert!(unknown.headers().get("set-cookie").is_none());
}

async fn the_orgs_default_language_is_for_visitors_asking_for_none_of_them(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    let (owner, _) = outage(&app).await;
    let refused = app
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"default_language": "pt"}),
        )
        .await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
    assert!(
        refused.body["error"]["fields"]["default_language"][0]
            .as_str()
            .unwrap()
            .contains("pt-BR"),
        "{:?}",
        refused.body
    );
    let html = page(&app, "/status/acme", &[(ACCEPT_LANGUAGE.as_str(), "nl")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">"), "before: {html}");

    let saved = app
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"default_language": "pt-BR"}),
        )
        .await;
    assert_eq!(saved.status, 200, "{:?}", saved.body);
    assert_eq!(saved.body["default_language"], "pt-BR");
    let summary = app.get("/api/v1/public/acme/summary").await;
    let summary: Value = summary.json().await.unwrap();
    assert_eq!(summary["page"]["default_language"], "pt-BR");

    // The cached page follows the change at once.
    let html = page(&app, "/status/acme", &[(ACCEPT_LANGUAGE.as_str(), "nl")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"pt-BR\">"), "{html}");
    assert!(html.contains(">Serviços</h2>"), "{html}");
    // A visitor whose browser asks for a language the page speaks still gets theirs.
    let html = page(&app, "/status/acme", &[(ACCEPT_LANGUAGE.as_str(), "es")])
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(">Servicios</h2>"), "{html}");
}
