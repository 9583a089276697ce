//! Custom domains: an org's own host name serves its status page at `/` with its feeds, badge
//! and public reads, and nothing else (no dashboard, no other org, no sign-in, no cookie); the
//! name is set by owners and admins, checked, unique, and answered to proxies that issue
//! certificates on demand.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, MemoryAssets, TestApp, spawn_app_configured};
use reqwest::Method;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use upstate_store::Engine;

on_both_engines!(
    a_custom_domain_serves_its_orgs_page_feeds_and_badge_at_its_root,
    a_custom_domain_never_reaches_another_org_or_the_dashboard,
    no_cookie_is_set_and_nobody_signs_in_on_a_custom_domain,
    admins_set_and_clear_a_custom_domain_that_is_checked_and_unique,
    proxies_learn_which_names_may_get_a_certificate,
);

const DOMAIN: &str = "status.acme.test";

/// The built web app, as far as these tests look at it: the dashboard's page, the public
/// pages' template and a script of theirs.
fn web_app() -> MemoryAssets {
    let mut files = MemoryAssets::default();
    files.0.insert(
        "index.html".into(),
        b"<!doctype html><title>Upstate</title><p>dashboard</p>",
    );
    files.0.insert(
        "public.html".into(),
        b"<!doctype html><html><head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
        .0
        .insert("assets/public-1a2b.js".into(), b"console.log('page')");
    files
}

async fn spawn(engine: Engine) -> TestApp {
    spawn_app_configured(engine, web_app(), |settings| {
        settings.public_url = "http://upstate.test".into();
    })
    .await
}

struct Orgs {
    acme: Account,
    globex: Account,
    /// An incident of each, by slug.
    acme_incident: String,
    globex_incident: String,
}

/// Two orgs with a service and an incident each; `acme` has the custom domain.
async fn two_orgs(app: &TestApp) -> Orgs {
    let acme = app.register("owner@acme.test").await;
    let globex = app.register("owner@globex.test").await;
    let mut incidents = Vec::new();
    for (owner, slug) in [(&acme, "acme"), (&globex, "globex")] {
        app.create_org(owner, slug).await;
        let service = app
            .post_as(
                &format!("/api/v1/orgs/{slug}/services"),
                &owner.token,
                json!({"name": format!("{slug} API")}),
            )
            .await;
        let incident = app
            .post_as(
                &format!("/api/v1/orgs/{slug}/incidents"),
                &owner.token,
                json!({"title": format!("{slug} is slow"), "status": "investigating", "impact": "minor",
                       "message": "Looking.", "affected": [{"service_id": service.body["id"], "status": "degraded_performance"}]}),
            )
            .await;
        assert_eq!(incident.status, 201, "{:?}", incident.body);
        incidents.push(incident.body["id"].as_str().unwrap().to_owned());
    }
    let set = app
        .patch_as(
            "/api/v1/orgs/acme",
            &acme.token,
            json!({"custom_domain": "Status.Acme.TEST"}),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    assert_eq!(set.body["custom_domain"], DOMAIN, "kept lowercase");
    Orgs {
        acme,
        globex,
        globex_incident: incidents.pop().unwrap(),
        acme_incident: incidents.pop().unwrap(),
    }
}

async fn a_custom_domain_serves_its_orgs_page_feeds_and_badge_at_its_root(engine: Engine) {
    let app = spawn(engine).await;
    let orgs = two_orgs(&app).await;
    let domain = app.at_host(DOMAIN);

    let page = domain.get("/").await;
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
    let html = page.text().await.unwrap();
    assert!(html.contains("acme API"), "acme's page: {html}");
    assert!(!html.contains("globex"), "nothing of another org");
    // Its links stay on the domain, and it names the domain as its address.
    assert!(
        html.contains("<meta property=\"og:url\" content=\"http://status.acme.test\">"),
        "{html}"
    );
    assert!(html.contains("href=\"/history.rss\"") && html.contains("href=\"/history.atom\""));
    assert!(
        html.contains(&format!("href=\"/incidents/{}\"", orgs.acme_incident)),
        "{html}"
    );
    assert!(
        !html.contains("\"/status/acme"),
        "no link leaves the domain: {html}"
    );

    let incident = domain
        .get(&format!("/incidents/{}", orgs.acme_incident))
        .await;
    assert_eq!(incident.status(), 200);
    let html = incident.text().await.unwrap();
    assert!(html.contains("<h1>acme is slow</h1>"), "{html}");
    assert!(
        html.contains(&format!(
            "content=\"http://status.acme.test/incidents/{}\"",
            orgs.acme_incident
        )),
        "{html}"
    );

    let badge = domain.get("/badge.svg").await;
    assert_eq!(badge.status(), 200);
    assert_eq!(badge.headers()["content-type"], "image/svg+xml");
    let rss = domain.get("/history.rss").await;
    assert_eq!(rss.status(), 200);
    let rss = rss.text().await.unwrap();
    assert!(rss.contains("acme is slow") && !rss.contains("globex"));
    assert!(
        rss.contains(&format!(
            "http://status.acme.test/incidents/{}",
            orgs.acme_incident
        )),
        "entries link to the domain: {rss}"
    );
    assert_eq!(domain.get("/history.atom").await.status(), 200);
    assert_eq!(domain.get("/subscribe").await.status(), 200);
    // The history by month and the sitemap, at the domain's root too, naming the domain.
    let history = domain.get("/history").await;
    assert_eq!(history.status(), 200);
    let history = history.text().await.unwrap();
    assert!(history.contains("<h1>Incident history</h1>"), "{history}");
    assert!(
        history.contains(&format!("href=\"/incidents/{}\"", orgs.acme_incident))
            && !history.contains("\"/status/acme")
            && !history.contains("globex"),
        "its links stay on the domain: {history}"
    );
    let sitemap = domain.get("/sitemap.xml").await.text().await.unwrap();
    assert!(
        sitemap.contains("<loc>http://status.acme.test/history</loc>")
            && sitemap.contains(&format!(
                "<loc>http://status.acme.test/incidents/{}</loc>",
                orgs.acme_incident
            )),
        "{sitemap}"
    );
    let robots = domain.get("/robots.txt").await.text().await.unwrap();
    assert!(
        robots.contains("Sitemap: http://status.acme.test:") && robots.ends_with("/sitemap.xml\n"),
        "the host it was asked on: {robots}"
    );
    // Statuspage's documents at /api/v2/, as on a page Statuspage hosts, naming the domain.
    let v2 = domain.get("/api/v2/summary.json").await;
    assert_eq!(v2.status(), 200);
    assert_eq!(v2.headers()["access-control-allow-origin"], "*");
    let v2: serde_json::Value = v2.json().await.unwrap();
    assert_eq!(v2["page"]["url"], "http://status.acme.test");
    assert_eq!(
        v2["incidents"][0]["shortlink"],
        format!("http://status.acme.test/incidents/{}", orgs.acme_incident)
    );
    assert_eq!(
        domain
            .get("/api/v2/incidents/unresolved.json")
            .await
            .status(),
        200
    );
    // The embeds a customer puts on their site, at the domain's root; the view links to it.
    let script = domain.get("/embed.js").await;
    assert_eq!(script.status(), 200);
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    let view = domain.get("/embed").await;
    assert_eq!(view.status(), 200);
    let view = view.text().await.unwrap();
    assert!(
        view.contains("href=\"http://status.acme.test\"") && !view.contains("globex"),
        "{view}"
    );

    // What the page's script reads and loads.
    let summary = domain
        .call(Method::GET, "/api/v1/public/acme/summary", None, None)
        .await;
    assert_eq!(summary.status, 200);
    assert_eq!(summary.body["page"]["url"], "http://status.acme.test");
    assert_eq!(domain.get("/assets/public-1a2b.js").await.status(), 200);
    // The long form of its own page, as the page's script links it, is the same page.
    assert_eq!(domain.get("/status/acme").await.status(), 200);

    // The server's own host is as it was; the canonical address is the domain.
    let same = app.get("/status/acme").await.text().await.unwrap();
    assert!(same.contains("href=\"/status/acme/history.rss\""));
    assert!(same.contains("content=\"http://status.acme.test\""));
    let globex = app.get("/status/globex").await.text().await.unwrap();
    assert!(globex.contains("content=\"http://upstate.test/status/globex\""));
}

async fn a_custom_domain_never_reaches_another_org_or_the_dashboard(engine: Engine) {
    let app = spawn(engine).await;
    let orgs = two_orgs(&app).await;
    let domain = app.at_host(DOMAIN);
    let refused = [
        // Another org's page, its parts, its reads and its incident through this org's paths.
        "/status/globex".to_owned(),
        "/status/globex/badge.svg".to_owned(),
        "/status/globex/history.rss".to_owned(),
        "/status/globex/api/v2/summary.json".to_owned(),
        "/status/globex/embed".to_owned(),
        "/status/globex/embed.js".to_owned(),
        format!("/status/globex/incidents/{}", orgs.globex_incident),
        "/api/v1/public/globex/summary".to_owned(),
        "/api/v1/public/globex/incidents".to_owned(),
        // The dashboard, the member API, sign-in, the docs.
        "/login".to_owned(),
        "/dashboard/acme".to_owned(),
        "/index.html".to_owned(),
        "/api/v1/orgs".to_owned(),
        "/api/v1/orgs/acme".to_owned(),
        "/api/v1/orgs/acme/members".to_owned(),
        "/api/v1/auth/me".to_owned(),
        "/api/v1/custom-domains/check?domain=status.acme.test".to_owned(),
        "/api/docs/".to_owned(),
        "/api/openapi.json".to_owned(),
    ];
    for path in &refused {
        for bearer in [None, Some(orgs.acme.token.as_str())] {
            let answer = domain.call(Method::GET, path, bearer, None).await;
            assert_eq!(
                (answer.status, answer.code()),
                (404, "not_found"),
                "{path} on the custom domain answered {:?}",
                answer.body
            );
        }
    }
    // Another org's incident through this org's page: the page's own "no such incident".
    let theirs = domain
        .get(&format!("/incidents/{}", orgs.globex_incident))
        .await;
    assert_eq!(theirs.status(), 404);
    assert!(!theirs.text().await.unwrap().contains("globex is slow"));
    // A write of the member API, with the owner's own credentials: refused before it is read.
    let write = domain
        .call(
            Method::PATCH,
            "/api/v1/orgs/acme",
            Some(&orgs.acme.token),
            Some(json!({"name": "Renamed"})),
        )
        .await;
    assert_eq!(write.status, 404);
    let org = app.get_as("/api/v1/orgs/acme", &orgs.acme.token).await;
    assert_eq!(org.body["name"], "Org acme", "nothing changed");

    // On the server's own host everything is where it was.
    for path in ["/login", "/dashboard/acme", "/status/globex"] {
        assert_eq!(app.get(path).await.status(), 200, "{path}");
    }
    let dashboard = app.get("/login").await.text().await.unwrap();
    assert!(dashboard.contains("dashboard"));
    assert_eq!(
        app.get_as("/api/v1/orgs", &orgs.globex.token).await.status,
        200
    );
}

async fn no_cookie_is_set_and_nobody_signs_in_on_a_custom_domain(engine: Engine) {
    let app = spawn(engine).await;
    let orgs = two_orgs(&app).await;
    let credentials = json!({"email": orgs.acme.email, "password": common::PASSWORD});
    let at_home = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(credentials.clone()),
        )
        .await;
    assert_eq!(at_home.status, 200);
    assert!(
        at_home.headers.contains_key("set-cookie"),
        "the server's own host signs in with cookies"
    );

    let domain = app.at_host(DOMAIN);
    for path in [
        "/api/v1/auth/login",
        "/api/v1/auth/register",
        "/api/v1/auth/refresh",
    ] {
        let answer = domain
            .call(Method::POST, path, None, Some(credentials.clone()))
            .await;
        assert_eq!((answer.status, answer.code()), (404, "not_found"), "{path}");
        assert!(!answer.headers.contains_key("set-cookie"), "{path}");
    }
    for path in ["/", "/badge.svg", "/history.rss", "/subscribe"] {
        let response = domain.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(!response.headers().contains_key("set-cookie"), "{path}");
    }
    // Subscribing works there (a plain form), and sets no cookie either.
    let subscribed = domain
        .client
        .post(format!("{}/subscribe", domain.base))
        .form(&[("email", "fan@example.com")])
        .send()
        .await
        .unwrap();
    assert!(
        subscribed.status().is_success(),
        "subscribing on the domain: {}",
        subscribed.status()
    );
    assert!(!subscribed.headers().contains_key("set-cookie"));
}

async fn admins_set_and_clear_a_custom_domain_that_is_checked_and_unique(engine: Engine) {
    let app = spawn(engine).await;
    let orgs = two_orgs(&app).await;
    let shown = app.get_as("/api/v1/orgs/acme", &orgs.acme.token).await;
    assert_eq!(shown.body["custom_domain"], DOMAIN);
    let audit = app
        .get_as("/api/v1/orgs/acme/audit-log", &orgs.acme.token)
        .await;
    let entry = &audit.body["items"][0];
    assert_eq!(entry["action"], "org.updated");
    assert_eq!(entry["details"]["custom_domain"], "Status.Acme.TEST");

    // Not a host name, an address, this server's own name: 422 naming the field.
    for bad in [
        "https://status.globex.test",
        "status.globex.test:8443",
        "status.globex.test/page",
        "localhost",
        "192.0.2.10",
        "UPSTATE.test",
    ] {
        let answer = app
            .patch_as(
                "/api/v1/orgs/globex",
                &orgs.globex.token,
                json!({ "custom_domain": bad }),
            )
            .await;
        assert_eq!(
            (answer.status, answer.code()),
            (422, "validation_failed"),
            "{bad}"
        );
        assert!(
            answer.body["error"]["fields"]["custom_domain"].is_array(),
            "{bad}: {:?}",
            answer.body
        );
    }
    // Another org's name, in any case: 409, and acme keeps it.
    let taken = app
        .patch_as(
            "/api/v1/orgs/globex",
            &orgs.globex.token,
            json!({"custom_domain": "STATUS.acme.test"}),
        )
        .await;
    assert_eq!((taken.status, taken.code()), (409, "conflict"));
    assert_eq!(
        taken.body["error"]["message"],
        "Another organization has this custom domain."
    );
    // Editors do not change settings.
    let editor = app.register("editor@acme.test").await;
    app.add_member(&orgs.acme, "acme", &editor, "editor").await;
    let by_editor = app
        .patch_as(
            "/api/v1/orgs/acme",
            &editor.token,
            json!({"custom_domain": null}),
        )
        .await;
    assert_eq!(by_editor.status, 403);

    // A rename keeps the domain on the org.
    let renamed = app
        .patch_as(
            "/api/v1/orgs/acme",
            &orgs.acme.token,
            json!({"slug": "acme-inc"}),
        )
        .await;
    assert_eq!(renamed.status, 200);
    let domain = app.at_host(DOMAIN);
    let page = domain.get("/").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("acme API"));

    // Cleared with null: the name serves nothing of acme's and is free for another org.
    let cleared = app
        .patch_as(
            "/api/v1/orgs/acme-inc",
            &orgs.acme.token,
            json!({"custom_domain": null}),
        )
        .await;
    assert_eq!(cleared.status, 200);
    assert_eq!(cleared.body["custom_domain"], Value::Null);
    let html = domain.get("/").await.text().await.unwrap();
    assert!(!html.contains("acme API"), "{html}");
    let moved = app
        .patch_as(
            "/api/v1/orgs/globex",
            &orgs.globex.token,
            json!({"custom_domain": DOMAIN}),
        )
        .await;
    assert_eq!(moved.status, 200, "{:?}", moved.body);
    let html = domain.get("/").await.text().await.unwrap();
    assert!(html.contains("globex API"), "{html}");
}

async fn check(app: &TestApp, query: &str) -> common::Answer {
    app.call(
        Method::GET,
        &format!("/api/v1/custom-domains/check{query}"),
        None,
        None,
    )
    .await
}

async fn proxies_learn_which_names_may_get_a_certificate(engine: Engine) {
    let app = spawn(engine).await;
    let orgs = two_orgs(&app).await;
    let yes = check(&app, "?domain=status.acme.test").await;
    assert_eq!(yes.status, 200);
    assert_eq!(yes.body["domain"], DOMAIN);
    assert_eq!(check(&app, "?domain=Status.Acme.Test").await.status, 200);
    for nobodys in ["?domain=status.globex.test", "?domain=upstate.test"] {
        let answer = check(&app, nobodys).await;
        assert_eq!(
            (answer.status, answer.code()),
            (404, "not_found"),
            "{nobodys}"
        );
    }
    for bad in [
        "",
        "?domain=",
        "?domain=not%20a%20host",
        "?name=status.acme.test",
    ] {
        let answer = check(&app, bad).await;
        assert_eq!(
            (answer.status, answer.code()),
            (400, "bad_request"),
            "{bad}"
        );
    }
    app.patch_as(
        "/api/v1/orgs/acme",
        &orgs.acme.token,
        json!({"custom_domain": null}),
    )
    .await;
    assert_eq!(check(&app, "?domain=status.acme.test").await.status, 404);
}

/// On PostgreSQL another replica serves a domain set through the first within moments.
#[tokio::test]
async fn a_replica_serves_a_custom_domain_set_through_another() {
    let app = spawn(Engine::Postgres).await;
    let replica = app.replica().await;
    let orgs = two_orgs(&app).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    let url = format!(
        "{}/api/v1/custom-domains/check?domain={DOMAIN}",
        replica.address
    );
    loop {
        let status = app.client.get(&url).send().await.unwrap().status();
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the replica still answers {status}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    app.patch_as(
        "/api/v1/orgs/acme",
        &orgs.acme.token,
        json!({"custom_domain": null}),
    )
    .await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.client.get(&url).send().await.unwrap().status() != 404 {
        assert!(
            Instant::now() < deadline,
            "the replica still serves the domain"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
