//! Private pages through HTTP: a members-only page, a password page and an address-limited
//! page refuse everyone else on every public answer (the page, its incident pages, the public
//! API, the Statuspage JSON, the feeds, the badge, the embed), and their first answer carries
//! nothing of the page; members, the password's cookie (for that page alone) and the ranges
//! open it; private answers are never cached as public nor indexed; only admins set it; and
//! the export carries the setting but never the password.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp};
use reqwest::header::{CACHE_CONTROL, LOCATION, SET_COOKIE};
use serde_json::json;
use upstate_store::Engine;

on_both_engines!(
    a_private_pages_first_answer_carries_none_of_its_content,
    a_password_page_opens_with_its_password_for_that_page_alone,
    an_address_limited_page_answers_its_ranges_only,
    only_admins_set_page_access_and_bad_settings_are_refused_by_field,
);

const ACCESS: &str = "/api/v1/orgs/acme/page-access";
const SERVICE: &str = "Payments API";
const TITLE: &str = "Card payments failing";
const UPDATE: &str = "We are rerouting traffic to the standby processor";

fn template() -> common::MemoryAssets {
    let mut files = common::MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html><html><head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
}

/// An org `slug` with a service and an open incident; its incident's id.
async fn org_with_incident(app: &TestApp, owner: &Account, slug: &str) -> String {
    app.create_org(owner, slug).await;
    let service = app
        .post_as(
            &format!("/api/v1/orgs/{slug}/services"),
            &owner.token,
            json!({ "name": SERVICE }),
        )
        .await;
    assert_eq!(service.status, 201, "{:?}", service.body);
    let incident = app
        .post_as(
            &format!("/api/v1/orgs/{slug}/incidents"),
            &owner.token,
            json!({"title": TITLE, "status": "identified", "impact": "major", "message": UPDATE,
                   "affected": [{"service_id": service.body["id"], "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(incident.status, 201, "{:?}", incident.body);
    incident.body["id"].as_str().unwrap().to_owned()
}

async fn put_access(
    app: &TestApp,
    token: &str,
    slug: &str,
    body: serde_json::Value,
) -> common::Answer {
    app.call(
        reqwest::Method::PUT,
        &format!("/api/v1/orgs/{slug}/page-access"),
        Some(token),
        Some(body),
    )
    .await
}

/// Every public answer of `slug`'s page.
fn public_paths(slug: &str, incident: &str) -> Vec<String> {
    [
        format!("/status/{slug}"),
        format!("/status/{slug}/incidents/{incident}"),
        format!("/api/v1/public/{slug}/summary"),
        format!("/api/v1/public/{slug}/incidents"),
        format!("/api/v1/public/{slug}/incidents/{incident}"),
        format!("/api/v1/public/{slug}/uptime"),
        format!("/status/{slug}/api/v2/summary.json"),
        format!("/status/{slug}/api/v2/incidents.json"),
        format!("/status/{slug}/history.rss"),
        format!("/status/{slug}/history.atom"),
        format!("/status/{slug}/badge.svg"),
        format!("/status/{slug}/embed"),
        format!("/status/{slug}/embed.js"),
        format!("/status/{slug}/subscribe"),
    ]
    .into()
}

fn assert_private_headers(response: &reqwest::Response, path: &str) {
    let cache = response.headers()[CACHE_CONTROL].to_str().unwrap();
    assert!(
        cache.contains("private") && !cache.contains("public"),
        "{path}: {cache}"
    );
    assert_eq!(response.headers()["x-robots-tag"], "noindex", "{path}");
}

async fn a_private_pages_first_answer_carries_none_of_its_content(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, template()).await;
    let owner = app.register("owner@acme.test").await;
    let stranger = app.register("stranger@example.test").await;
    let incident = org_with_incident(&app, &owner, "acme").await;
    // Public first: the page shows all three, and is cached as public.
    let page = app.get("/status/acme").await;
    assert!(
        page.headers()[CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("public")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains(SERVICE) && html.contains(TITLE) && html.contains(UPDATE));

    let set = put_access(&app, &owner.token, "acme", json!({"mode": "members"})).await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    for path in public_paths("acme", &incident) {
        let response = app.get(&path).await;
        assert_eq!(
            response.status(),
            401,
            "{path} is refused to an anonymous visitor"
        );
        assert_private_headers(&response, &path);
        let body = response.text().await.unwrap();
        for secret in [SERVICE, TITLE, UPDATE] {
            assert!(!body.contains(secret), "{path} tells “{secret}”: {body}");
        }
    }
    // The page says it is private and how to sign in, coming back here.
    let refused = app.get("/status/acme").await.text().await.unwrap();
    assert!(refused.contains("This status page is private"), "{refused}");
    assert!(
        refused.contains("/login?next=%2Fstatus%2Facme"),
        "{refused}"
    );
    assert!(refused.contains("<meta name=\"robots\" content=\"noindex\">"));
    // JSON answers refuse with the error body.
    let api = app
        .call(
            reqwest::Method::GET,
            "/api/v1/public/acme/summary",
            None,
            None,
        )
        .await;
    assert_eq!(api.code(), "unauthenticated");
    // Signed in but not a member: 403, still nothing.
    let other = app
        .get_as("/api/v1/public/acme/summary", &stranger.token)
        .await;
    assert_eq!((other.status, other.code()), (403, "forbidden"));
    assert!(!other.body.to_string().contains(SERVICE));

    // A member sees all of it, never cached as public, never indexed.
    let member = app
        .client
        .get(app.url("/status/acme"))
        .bearer_auth(&owner.token)
        .send()
        .await
        .unwrap();
    assert_eq!(member.status(), 200);
    assert_private_headers(&member, "/status/acme");
    let html = member.text().await.unwrap();
    assert!(html.contains(SERVICE) && html.contains(TITLE) && html.contains(UPDATE));
    assert!(
        html.contains("<meta name=\"robots\" content=\"noindex\">"),
        "{html}"
    );
    let summary = app
        .get_as("/api/v1/public/acme/summary", &owner.token)
        .await;
    assert_eq!(summary.status, 200);
    assert_eq!(summary.body["services"][0]["name"], SERVICE);

    // Public again: at once, and cached as public again.
    put_access(&app, &owner.token, "acme", json!({"mode": "public"})).await;
    let open = app.get("/status/acme").await;
    assert_eq!(open.status(), 200);
    assert!(
        open.headers()[CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("public")
    );
    assert!(!open.text().await.unwrap().contains("noindex"));
}

/// Posts the password form of `slug`; the answer, unfollowed.
async fn try_password(app: &TestApp, slug: &str, password: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(app.url(&format!("/status/{slug}/access")))
        .form(&[("password", password), ("next", &format!("/status/{slug}"))])
        .send()
        .await
        .unwrap()
}

async fn get_with_cookie(app: &TestApp, path: &str, cookie: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("Cookie", cookie)
        .send()
        .await
        .unwrap()
}

async fn a_password_page_opens_with_its_password_for_that_page_alone(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, template()).await;
    let owner = app.register("owner@acme.test").await;
    org_with_incident(&app, &owner, "acme").await;
    org_with_incident(&app, &owner, "globex").await;
    for (slug, password) in [
        ("acme", "correct horse battery"),
        ("globex", "another secret"),
    ] {
        let set = put_access(
            &app,
            &owner.token,
            slug,
            json!({"mode": "password", "password": password}),
        )
        .await;
        assert_eq!(set.status, 200, "{:?}", set.body);
        assert_eq!(set.body["has_password"], true);
        assert!(set.body.get("password").is_none() && set.body.get("password_hash").is_none());
    }
    // The form: server-drawn, labelled, nothing of the page.
    let form = app.get("/status/acme").await;
    assert_eq!(form.status(), 401);
    assert_private_headers(&form, "/status/acme");
    let html = form.text().await.unwrap();
    assert!(
        html.contains("<label for=\"password\">Password</label>"),
        "{html}"
    );
    assert!(html.contains("action=\"/status/acme/access\""), "{html}");
    assert!(!html.contains(SERVICE) && !html.contains(TITLE));

    let wrong = try_password(&app, "acme", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get(SET_COOKIE).is_none());
    let html = wrong.text().await.unwrap();
    assert!(html.contains("That password is not right"), "{html}");
    assert!(!html.contains(SERVICE));

    let right = try_password(&app, "acme", "correct horse battery").await;
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()[LOCATION], "/status/acme");
    let set_cookie = right.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set_cookie.starts_with("upstate_page_"), "{set_cookie}");
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let open = get_with_cookie(&app, "/status/acme", &cookie).await;
    assert_eq!(open.status(), 200);
    assert_private_headers(&open, "/status/acme");
    assert!(open.text().await.unwrap().contains(TITLE));
    let api = get_with_cookie(&app, "/api/v1/public/acme/summary", &cookie).await;
    assert_eq!(api.status(), 200);
    // That page alone: the other org's page, with the same cookie, stays shut, and so does
    // a cookie of acme's value under globex's name.
    assert_eq!(
        get_with_cookie(&app, "/status/globex", &cookie)
            .await
            .status(),
        401
    );
    let globex_id = app.get_as("/api/v1/orgs/globex", &owner.token).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let value = cookie.split_once('=').unwrap().1;
    let forged = format!("upstate_page_{globex_id}={value}");
    assert_eq!(
        get_with_cookie(&app, "/status/globex", &forged)
            .await
            .status(),
        401
    );

    // A new password ends every cookie of the old one.
    put_access(
        &app,
        &owner.token,
        "acme",
        json!({"mode": "password", "password": "a brand new one"}),
    )
    .await;
    assert_eq!(
        get_with_cookie(&app, "/status/acme", &cookie)
            .await
            .status(),
        401
    );
}

async fn an_address_limited_page_answers_its_ranges_only(engine: Engine) {
    let app = common::spawn_app_with_assets(engine, template()).await;
    let owner = app.register("owner@acme.test").await;
    org_with_incident(&app, &owner, "acme").await;
    let set = put_access(
        &app,
        &owner.token,
        "acme",
        json!({"mode": "addresses", "ranges": ["10.0.0.0/8", "2001:db8::/32"]}),
    )
    .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let refused = app.get("/status/acme").await;
    assert_eq!(refused.status(), 403, "the test client is 127.0.0.1");
    let html = refused.text().await.unwrap();
    assert!(html.contains("not shown to the network you are on") && !html.contains(TITLE));
    let api = app
        .call(
            reqwest::Method::GET,
            "/api/v1/public/acme/summary",
            None,
            None,
        )
        .await;
    assert_eq!((api.status, api.code()), (403, "forbidden"));
    put_access(
        &app,
        &owner.token,
        "acme",
        json!({"mode": "addresses", "ranges": ["127.0.0.0/8", "::1"]}),
    )
    .await;
    let open = app.get("/status/acme").await;
    assert_eq!(open.status(), 200);
    assert!(open.text().await.unwrap().contains(TITLE));
}

async fn only_admins_set_page_access_and_bad_settings_are_refused_by_field(engine: Engine) {
    let app = common::spawn_app(engine).await;
    let owner = app.register("owner@acme.test").await;
    let editor = app.register("editor@acme.test").await;
    app.create_org(&owner, "acme").await;
    app.add_member(&owner, "acme", &editor, "editor").await;
    let read = app.get_as(ACCESS, &owner.token).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["mode"], "public");
    let by_editor = put_access(&app, &editor.token, "acme", json!({"mode": "members"})).await;
    assert_eq!((by_editor.status, by_editor.code()), (403, "forbidden"));
    assert_eq!(app.get_as(ACCESS, &editor.token).await.status, 403);

    for (body, field) in [
        (
            json!({"mode": "addresses", "ranges": ["10.0.0.0/33"]}),
            "ranges",
        ),
        (
            json!({"mode": "addresses", "ranges": ["intranet"]}),
            "ranges",
        ),
        (json!({"mode": "addresses"}), "ranges"),
        (json!({"mode": "password"}), "password"),
        (json!({"mode": "password", "password": ""}), "password"),
        (json!({"mode": "password", "password": "short"}), "password"),
    ] {
        let refused = put_access(&app, &owner.token, "acme", body.clone()).await;
        assert_eq!(
            (refused.status, refused.code()),
            (422, "validation_failed"),
            "{body}"
        );
        assert!(
            refused.body["error"]["fields"][field].is_array(),
            "{body}: {:?}",
            refused.body
        );
    }
    assert_eq!(
        app.get_as(ACCESS, &owner.token).await.body["mode"],
        "public",
        "nothing half-written"
    );

    let set = put_access(
        &app,
        &owner.token,
        "acme",
        json!({"mode": "password", "password": "long enough"}),
    )
    .await;
    assert_eq!(set.status, 200);
    // Switching away and back keeps the password; it is never returned.
    put_access(&app, &owner.token, "acme", json!({"mode": "members"})).await;
    let back = put_access(&app, &owner.token, "acme", json!({"mode": "password"})).await;
    assert_eq!(back.status, 200, "{:?}", back.body);
    assert_eq!(back.body["has_password"], true);
    assert!(!back.body.to_string().contains("long enough"));
    let log = app
        .get_as("/api/v1/orgs/acme/audit-log", &owner.token)
        .await;
    let text = log.body.to_string();
    assert!(text.contains("page_access.updated"), "{text}");
    assert!(
        !text.contains("long enough"),
        "the audit log never keeps the password"
    );
}
