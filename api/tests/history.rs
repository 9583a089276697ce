//! The history of a status page by month (the public JSON and the server-drawn page), the
//! sitemap, the link previews of incident pages, and how a service is shown to the public
//! (always, only when not operational, or hidden) in every public read.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Utc};
use common::{Account, MemoryAssets, TestApp, spawn_app, spawn_app_with_assets};
use serde_json::{Value, json};
use upstate_store::Engine;

on_both_engines!(
    the_history_goes_back_month_by_month_to_the_first_and_filters_by_service,
    a_service_is_shown_to_the_public_as_its_display_says,
);

fn public_template() -> MemoryAssets {
    let mut files = MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html><html><head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
}

/// The first day of the month `back` months before this one.
fn month_start(back: u32) -> NaiveDate {
    let today = Utc::now().date_naive();
    today.with_day(1).unwrap() - Months::new(back)
}

fn month(back: u32) -> String {
    let m = month_start(back);
    format!("{:04}-{:02}", m.year(), m.month())
}

/// Noon on the 10th of the month `back` months ago.
fn in_month(back: u32) -> NaiveDateTime {
    month_start(back)
        .with_day(10)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap()
}

async fn service(app: &TestApp, owner: &Account, name: &str, extra: Value) -> String {
    let mut body = json!({"name": name});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let created = app
        .post_as("/api/v1/orgs/acme/services", &owner.token, body)
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    created.body["id"].as_str().unwrap().to_owned()
}

/// An incident declared `back` months ago (and resolved then), affecting `service`.
async fn incident_back(
    app: &TestApp,
    owner: &Account,
    title: &str,
    service: &str,
    back: u32,
) -> String {
    use diesel::prelude::*;
    use upstate_store::schema::incidents;
    let created = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": title, "status": "resolved", "impact": "minor", "message": "It was **brief**.",
                   "affected": [{"service_id": service, "status": "degraded_performance"}]}),
        )
        .await;
    assert_eq!(created.status, 201, "{:?}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let at = in_month(back);
    let mut conn = app.db.db.conn().unwrap();
    diesel::update(incidents::table.find(&id))
        .set((
            incidents::created_at.eq(at),
            incidents::updated_at.eq(at),
            incidents::resolved_at.eq(Some(at)),
        ))
        .execute(&mut *conn)
        .unwrap();
    id
}

async fn history(app: &TestApp, query: &str) -> Value {
    let answer = app
        .get(&format!("/api/v1/public/acme/history{query}"))
        .await;
    assert_eq!(answer.status(), 200, "{query}");
    answer.json().await.unwrap()
}

fn months_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["month"].as_str().unwrap().to_owned())
        .collect()
}

fn titles_in(page: &Value, month: &str) -> Vec<String> {
    let found = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == month)
        .unwrap_or_else(|| panic!("no {month} in {page}"));
    found["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .chain(found["maintenances"].as_array().unwrap())
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_history_goes_back_month_by_month_to_the_first_and_filters_by_service(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = service(&app, &owner, "API", json!({})).await;
    let web = service(&app, &owner, "Website", json!({})).await;
    incident_back(&app, &owner, "Old API outage", &api, 7).await;
    incident_back(&app, &owner, "Website slow", &web, 4).await;
    incident_back(&app, &owner, "Recent API errors", &api, 1).await;
    // A maintenance window held five months ago, and one cancelled (never held).
    {
        use diesel::prelude::*;
        use upstate_store::schema::maintenances;
        for (title, status) in [
            ("Database upgrade", "completed"),
            ("Called off", "cancelled"),
        ] {
            let start = Utc::now() + chrono::Duration::days(2);
            let created = app
                .post_as(
                    "/api/v1/orgs/acme/maintenances",
                    &owner.token,
                    json!({"title": title, "description": "", "service_ids": [api],
                           "scheduled_start": start, "scheduled_end": start + chrono::Duration::hours(1)}),
                )
                .await;
            assert_eq!(created.status, 201, "{:?}", created.body);
            let id = created.body["id"].as_str().unwrap().to_owned();
            let mut conn = app.db.db.conn().unwrap();
            diesel::update(maintenances::table.find(&id))
                .set((
                    maintenances::status.eq(status),
                    maintenances::scheduled_start.eq(in_month(5)),
                    maintenances::scheduled_end.eq(in_month(5) + chrono::Duration::hours(1)),
                ))
                .execute(&mut *conn)
                .unwrap();
        }
    }

    // Newest month first, three a page, quiet months said too.
    let first = history(&app, "").await;
    assert_eq!(months_of(&first), [month(0), month(1), month(2)]);
    assert_eq!(titles_in(&first, &month(0)), Vec::<String>::new());
    assert_eq!(titles_in(&first, &month(1)), ["Recent API errors"]);
    assert_eq!(first["next_cursor"], month(3));
    let second = history(&app, &format!("?cursor={}", month(3))).await;
    assert_eq!(months_of(&second), [month(3), month(4), month(5)]);
    assert_eq!(titles_in(&second, &month(4)), ["Website slow"]);
    assert_eq!(
        titles_in(&second, &month(5)),
        ["Database upgrade"],
        "held maintenance, not the cancelled one"
    );
    let third = history(&app, &format!("?cursor={}", month(6))).await;
    assert_eq!(
        months_of(&third),
        [month(6), month(7)],
        "it ends with the first month that has anything"
    );
    assert_eq!(titles_in(&third, &month(7)), ["Old API outage"]);
    assert_eq!(third["next_cursor"], Value::Null);
    // Twelve at once, filtered by a service.
    let websites = history(&app, &format!("?limit=12&service={web}")).await;
    assert_eq!(months_of(&websites).len(), 5, "back to the Website's first");
    assert_eq!(titles_in(&websites, &month(4)), ["Website slow"]);
    assert_eq!(titles_in(&websites, &month(1)), Vec::<String>::new());
    assert_eq!(websites["next_cursor"], Value::Null);

    // Bad paging is a 400; a service the page does not have, a 404.
    for query in [
        "?cursor=2026-13",
        "?cursor=abc",
        "?cursor=",
        "?limit=0",
        "?limit=13",
    ] {
        let answer = app
            .get(&format!("/api/v1/public/acme/history{query}"))
            .await;
        assert_eq!(answer.status(), 400, "{query}");
    }
    let other = app
        .get("/api/v1/public/acme/history?service=0193a6f0-0000-7000-8000-000000000000")
        .await;
    assert_eq!(other.status(), 404);
    assert_eq!(app.get("/api/v1/public/nobody/history").await.status(), 404);
}

#[tokio::test]
async fn the_history_page_is_drawn_by_the_server_with_links_to_older_and_newer_pages() {
    let app = spawn_app_with_assets(Engine::Sqlite, public_template()).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = service(&app, &owner, "API", json!({})).await;
    let old = incident_back(&app, &owner, "Old <b>outage</b>", &api, 11).await;

    let page = app.get("/status/acme/history").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<title>Incident history · Org acme status</title>"),
        "{html}"
    );
    assert!(html.contains("<meta name=\"description\" content=\"Past incidents and maintenance of Org acme: 0 incidents from"));
    assert!(html.contains("<h1>Incident history</h1>"));
    assert!(html.contains(&format!(
        "href=\"/status/acme/history?cursor={}\"",
        month(3)
    )));
    assert!(
        !html.contains("<a rel=\"prev\""),
        "the newest page has no newer one"
    );
    assert!(html.contains("<option value=\"\" selected"), "all services");
    assert!(
        html.contains("<script id=\"upstate-catalog\" type=\"application/json\">\""),
        "the messages of the page's language inline, for the bundle that says its times"
    );
    assert!(
        html.contains("history-newer\\u001f") && !html.contains("sub-page-title"),
        "the bundle's messages, not the words only the server says (subscription pages, mails)"
    );
    assert!(
        !html.contains("\"months\":"),
        "no snapshot the bundle would not read"
    );

    // A year back, with the filter kept in the links.
    let page = app
        .get(&format!(
            "/status/acme/history?service={api}&cursor={}",
            month(9)
        ))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Old &lt;b&gt;outage&lt;/b&gt;"), "{page}");
    assert!(page.contains(&format!("href=\"/status/acme/incidents/{old}\"")));
    assert!(
        page.contains(&format!(
            "href=\"/status/acme/history?service={api}&amp;cursor={}\"",
            month(6)
        )) || page.contains(&format!(
            "href=\"/status/acme/history?service={api}&cursor={}\"",
            month(6)
        )),
        "newer, filtered: {page}"
    );
    assert!(
        !page.contains("<a rel=\"next\""),
        "nothing is older: {page}"
    );
    assert!(
        page.contains(&format!("value=\"{api}\" selected")),
        "{page}"
    );

    // The status page links to it.
    let status = app.get("/status/acme").await.text().await.unwrap();
    assert!(status.contains("href=\"/status/acme/history\""), "{status}");

    // What is not there is a 404 page; a bad cursor a 400 page.
    assert_eq!(app.get("/status/nobody/history").await.status(), 404);
    assert_eq!(app.get("/status/acme/history?cursor=x").await.status(), 400);
}

#[tokio::test]
async fn an_incident_page_previews_its_latest_update_and_the_sitemap_lists_the_pages() {
    let app = spawn_app_with_assets(Engine::Sqlite, public_template()).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = service(&app, &owner, "API", json!({})).await;
    let old = incident_back(&app, &owner, "Old outage", &api, 5).await;
    let created = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": "Logins \"fail\"", "status": "investigating", "impact": "major", "message": "Looking."}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let long = "word ".repeat(100);
    app.post_as(
        &format!("/api/v1/orgs/acme/incidents/{id}/updates"),
        &owner.token,
        json!({"status": "identified", "message": format!("The **cache** <i>&</i> {long}")}),
    )
    .await;

    let html = app
        .get(&format!("/status/acme/incidents/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let description = "Identified: The cache &amp; word word";
    for tag in [
        format!("<meta name=\"description\" content=\"{description}"),
        format!("<meta property=\"og:description\" content=\"{description}"),
        format!("<meta name=\"twitter:description\" content=\"{description}"),
        "<meta property=\"og:title\" content=\"Logins &quot;fail&quot; · Org acme status\">".into(),
        "<meta name=\"twitter:title\" content=\"Logins &quot;fail&quot; · Org acme status\">"
            .into(),
        "<meta name=\"twitter:card\" content=\"summary\">".into(),
        "<meta property=\"og:type\" content=\"article\">".into(),
        format!(
            "<meta property=\"og:url\" content=\"{}/status/acme/incidents/{id}\">",
            app.settings.public_url
        ),
    ] {
        assert!(html.contains(&tag), "{tag} in {html}");
    }
    let start = html.find("<meta name=\"description\" content=\"").unwrap() + 34;
    let content = &html[start..start + html[start..].find('"').unwrap()];
    assert!(content.ends_with("word…"), "cut at a word: {content}");
    assert!(content.chars().count() <= 210, "{content}");

    // The sitemap: the status page, the history's pages and both incidents, well-formed.
    let answer = app.get("/status/acme/sitemap.xml").await;
    assert_eq!(answer.status(), 200);
    assert!(
        answer.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/xml")
    );
    let xml = answer.text().await.unwrap();
    let document = roxmltree::Document::parse(&xml).expect("a well-formed sitemap");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let urls: Vec<(String, Option<String>)> = root
        .children()
        .filter(|n| n.has_tag_name("url"))
        .map(|url| {
            let text = |name: &str| {
                url.children()
                    .find(|n| n.has_tag_name(name))
                    .and_then(|n| n.text())
                    .map(str::to_owned)
            };
            (text("loc").unwrap(), text("lastmod"))
        })
        .collect();
    let base = format!("{}/status/acme", app.settings.public_url);
    let locs: Vec<&str> = urls.iter().map(|(loc, _)| loc.as_str()).collect();
    assert_eq!(
        locs,
        [
            base.clone(),
            format!("{base}/history"),
            format!("{base}/history?cursor={}", month(3)),
            format!("{base}/incidents/{id}"),
            format!("{base}/incidents/{old}"),
        ]
    );
    let old_lastmod = urls[4].1.as_deref().unwrap();
    assert!(
        old_lastmod.starts_with(&in_month(5).format("%Y-%m-%dT12:00:00").to_string()),
        "{old_lastmod}"
    );
    assert_eq!(app.get("/status/nobody/sitemap.xml").await.status(), 404);
}

async fn a_service_is_shown_to_the_public_as_its_display_says(engine: Engine) {
    let app = spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let shown = service(
        &app,
        &owner,
        "API",
        json!({"description": "The public REST API"}),
    )
    .await;
    let internal = service(
        &app,
        &owner,
        "Build farm",
        json!({"display": "hidden", "status": "major_outage"}),
    )
    .await;
    let backup = service(
        &app,
        &owner,
        "Backups",
        json!({"display": "when_not_operational"}),
    )
    .await;
    let bad = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "X", "display": "sometimes"}),
        )
        .await;
    assert!(bad.status == 400 || bad.status == 422, "{bad:?}");
    let member = app
        .get_as(
            &format!("/api/v1/orgs/acme/services/{internal}"),
            &owner.token,
        )
        .await;
    assert_eq!(
        member.body["display"], "hidden",
        "members see every service"
    );

    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s.get("service_id")
                    .or_else(|| s.get("id"))
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let summary: Value = app
        .get("/api/v1/public/acme/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&summary["services"]), [shown.clone(), backup.clone()]);
    assert_eq!(summary["services"][0]["description"], "The public REST API");
    assert_eq!(summary["services"][1]["display"], "when_not_operational");
    assert_eq!(
        summary["status"]["indicator"], "none",
        "a hidden service's outage is not the page's"
    );
    let uptime: Value = app
        .get("/api/v1/public/acme/uptime")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&uptime["services"]), [shown.clone(), backup.clone()]);
    let components: Value = app
        .get("/status/acme/api/v2/components.json")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<(&str, bool)> = components["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["only_show_if_degraded"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(names, [("API", false), ("Backups", true)]);
    assert_eq!(
        app.get(&format!("/status/acme/badge.svg?service={internal}"))
            .await
            .status(),
        404
    );
    let rss = app
        .get("/status/acme/history.rss")
        .await
        .text()
        .await
        .unwrap();
    assert!(!rss.contains("Build farm"), "{rss}");

    // Shown again once un-hidden: the cached summary is redrawn.
    let patched = app
        .patch_as(
            &format!("/api/v1/orgs/acme/services/{internal}"),
            &owner.token,
            json!({"display": "always"}),
        )
        .await;
    assert_eq!(patched.status, 200, "{:?}", patched.body);
    let summary: Value = app
        .get("/api/v1/public/acme/summary")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&summary["services"]).len(), 3);
    assert_eq!(summary["status"]["indicator"], "critical");
}
