//! Subscribing, and what subscribers and refused visitors read, in their language: the
//! subscribe form in the visitor's language, a subscription made from it keeps that language,
//! and its confirmation and notice mails speak it (the incident's title and message as their
//! author wrote them); the API takes a `language` (an unknown one is a 422), else the
//! browser's, else the page's default; and a private page's password form and refusals speak
//! the visitor's language, else the page's.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

mod common;

use common::{Account, TestApp};
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_LANGUAGE, CONTENT_TYPE};
use serde_json::{Value, json};
use std::time::Duration;
use upstate_store::Engine;

on_both_engines!(
    a_visitor_subscribing_from_a_german_page_hears_in_german,
    the_api_takes_a_language_else_the_browsers_else_the_pages,
    a_private_pages_refusals_speak_the_visitors_language,
);

fn public_template() -> common::MemoryAssets {
    let mut files = common::MemoryAssets::default();
    files.0.insert(
        "public.html".into(),
        b"<!doctype html>\n<html lang=\"en\">\n<head><title>Upstate</title>\n<!--upstate:head-->\n</head><body><div id=\"app\"><!--upstate:body--></div></body></html>",
    );
    files
}

/// The org `acme` ("Org acme") with the service API; its owner and the service's id.
async fn acme(app: &TestApp) -> (Account, String) {
    let owner = app.register("owner@acme.test").await;
    app.create_org(&owner, "acme").await;
    let api = app
        .post_as(
            "/api/v1/orgs/acme/services",
            &owner.token,
            json!({"name": "API"}),
        )
        .await;
    assert_eq!(api.status, 201, "{:?}", api.body);
    (owner, api.body["id"].as_str().unwrap().to_owned())
}

/// The language stored for the subscription of `address`.
fn stored_language(app: &TestApp, address: &str) -> String {
    use diesel::prelude::*;
    use upstate_store::schema::subscriptions;
    let mut conn = app.db.db.conn().unwrap();
    subscriptions::table
        .filter(subscriptions::target.eq(address))
        .select(subscriptions::locale)
        .first(&mut *conn)
        .unwrap()
}

/// The mails sent to `address` so far: `(subject, text)`.
async fn mails_to(app: &TestApp, address: &str) -> Vec<(String, String)> {
    app.emails()
        .await
        .into_iter()
        .filter(|(to, _, _)| to == address)
        .map(|(_, subject, text)| (subject, text))
        .collect()
}

/// A day as the German pages write it: "1. Dezember 2026".
fn german_day(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
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
        day.day(),
        months[day.month0() as usize],
        day.year()
    )
}

async fn a_visitor_subscribing_from_a_german_page_hears_in_german(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    let (owner, api) = acme(&app).await;

    // The form, in the browser's language, says which language it is in and sends it along.
    let form = app
        .client
        .get(app.url("/status/acme/subscribe"))
        .header(ACCEPT_LANGUAGE, "de-DE,de;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    assert_eq!(form.headers()[CONTENT_LANGUAGE], "de");
    let html = form.text().await.unwrap();
    assert!(html.contains("<html lang=\"de\">"), "{html}");
    assert!(
        html.contains("<h1>Statusmeldungen von Org acme erhalten</h1>"),
        "{html}"
    );
    assert!(html.contains(">E-Mail-Adresse</label>"), "{html}");
    assert!(html.contains(">Abonnieren</button>"), "{html}");
    assert!(
        html.contains("name=\"language\" value=\"de\""),
        "the form sends its language: {html}"
    );

    // A bad address is said in German, on the form again.
    let post = |body: &'static str| {
        app.client
            .post(app.url("/status/acme/subscribe"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let bad = post("email=not-an-address&language=de").await.unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains("Geben Sie eine gültige E-Mail-Adresse ein."),
        "{html}"
    );

    // Sent from the German page (whatever the browser says now), it is German.
    let sent = post("email=ada%40example.com&language=de").await.unwrap();
    assert_eq!(sent.status(), 200);
    assert_eq!(sent.headers()[CONTENT_LANGUAGE], "de");
    let html = sent.text().await.unwrap();
    assert!(
        html.contains("<h1>Sehen Sie in Ihr Postfach</h1>"),
        "{html}"
    );
    assert_eq!(stored_language(&app, "ada@example.com"), "de");

    let mails = mails_to(&app, "ada@example.com").await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (subject, text) = &mails[0];
    assert_eq!(
        subject,
        "Bestätigen Sie Ihr Abonnement der Statusseite von Org acme"
    );
    assert!(
        text.contains(
            "auf der Statusseite von Org acme informiert werden, per E-Mail an diese Adresse."
        ),
        "{text}"
    );
    assert!(text.contains("alle Störungen und Wartungen"), "{text}");
    assert!(
        text.contains("Öffnen Sie zur Bestätigung diesen Link:"),
        "{text}"
    );
    let link = text
        .split_whitespace()
        .find(|word| word.ends_with("/confirm"))
        .unwrap()
        .replacen(&app.settings.public_url, &app.address, 1);
    let confirmed = app
        .client
        .post(&link)
        .header(ACCEPT_LANGUAGE, "de")
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let html = confirmed.text().await.unwrap();
    assert!(html.contains("<h1>Ihr Abonnement ist aktiv</h1>"), "{html}");

    // An incident: the mail around it is German, its title and message as written.
    let incident = app
        .post_as(
            "/api/v1/orgs/acme/incidents",
            &owner.token,
            json!({"title": "Login failures", "status": "investigating", "impact": "major",
                   "message": "We are looking into it.",
                   "affected": [{"service_id": api, "status": "major_outage"}]}),
        )
        .await;
    assert_eq!(incident.status, 201, "{:?}", incident.body);
    let notice = wait_for_notice(&app, "ada@example.com").await;
    assert_eq!(notice.subject, "[Org acme] Wird untersucht: Login failures");
    let html = notice.html.as_deref().unwrap();
    for part in [notice.text.as_str(), html] {
        assert!(part.contains("Neue Störung"), "{part}");
        assert!(
            part.contains("Auswirkung: Erheblich · Wird untersucht"),
            "{part}"
        );
        assert!(part.contains("Betroffen: API"), "{part}");
        assert!(part.contains("We are looking into it."), "{part}");
        assert!(part.contains("Auf der Statusseite ansehen"), "{part}");
        assert!(part.contains("Abbestellen"), "{part}");
        assert!(!part.contains("Unsubscribe"), "{part}");
        // Posted today (or, at midnight, yesterday), written the German way.
        let today = chrono::Utc::now().date_naive();
        let posted = [today, today.pred_opt().unwrap()]
            .iter()
            .any(|day| part.contains(&format!("Veröffentlicht am {},", german_day(*day))));
        assert!(posted, "{part}");
    }
    assert!(html.contains("<html lang=\"de\">"), "{html}");
}

/// The first notice mail (not a confirmation) to `address`, once it is sent.
async fn wait_for_notice(app: &TestApp, address: &str) -> upstate_e2e::smtp::Mail {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        app.outbox_delivered().await;
        if let Some(mail) = app
            .mailbox
            .mails()
            .into_iter()
            .find(|mail| mail.to == address && mail.subject.starts_with("[Org acme]"))
        {
            return mail;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no notice mail to {address}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Subscribes through the API, with `Accept-Language` when given.
async fn subscribe(app: &TestApp, body: Value, browser: Option<&str>) -> (u16, Value) {
    let mut request = app
        .client
        .post(app.url("/api/v1/public/acme/subscriptions"))
        .json(&body);
    if let Some(languages) = browser {
        request = request.header(ACCEPT_LANGUAGE, languages);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn the_api_takes_a_language_else_the_browsers_else_the_pages(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    let (owner, _) = acme(&app).await;

    // Named: it wins over the browser, and the answer speaks it.
    let (status, body) = subscribe(
        &app,
        json!({"email": "yui@example.com", "language": "ja"}),
        Some("de"),
    )
    .await;
    assert_eq!(status, 202, "{body:?}");
    assert_eq!(
        body["message"],
        "受信トレイを確認してください。お送りしたメールのリンクを開くと購読が確定します。確定するまでは何も送信されません。"
    );
    assert_eq!(stored_language(&app, "yui@example.com"), "ja");
    let mails = mails_to(&app, "yui@example.com").await;
    assert_eq!(
        mails[0].0,
        "Org acme のステータス更新の購読を確定してください"
    );
    assert!(mails[0].1.contains("このアドレスへのメールで"), "{mails:?}");

    // An unknown language is refused by field, and nothing is subscribed.
    let (status, body) = subscribe(
        &app,
        json!({"email": "kim@example.com", "language": "klingon"}),
        None,
    )
    .await;
    assert_eq!(status, 422, "{body:?}");
    assert_eq!(body["error"]["code"], "validation_failed");
    let problem = body["error"]["fields"]["language"][0].as_str().unwrap();
    assert!(problem.contains("pt-BR"), "it says which: {problem}");
    assert!(mails_to(&app, "kim@example.com").await.is_empty());

    // Unnamed: the browser's.
    let (status, _) = subscribe(&app, json!({"email": "eva@example.com"}), Some("fr-CA, en")).await;
    assert_eq!(status, 202);
    assert_eq!(stored_language(&app, "eva@example.com"), "fr");

    // Neither: the page's default.
    let set = app
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"default_language": "es"}),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let (status, body) = subscribe(&app, json!({"email": "luz@example.com"}), None).await;
    assert_eq!(status, 202);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Revise su bandeja de entrada"),
        "{body:?}"
    );
    assert_eq!(stored_language(&app, "luz@example.com"), "es");
    let mails = mails_to(&app, "luz@example.com").await;
    assert_eq!(mails[0].0, "Confirme su suscripción al estado de Org acme");
}

async fn a_private_pages_refusals_speak_the_visitors_language(engine: Engine) {
    let app = common::spawn_app_configured(engine, public_template(), |_| {}).await;
    let (owner, _) = acme(&app).await;
    let access = |body: Value| {
        app.call(
            reqwest::Method::PUT,
            "/api/v1/orgs/acme/page-access",
            Some(&owner.token),
            Some(body),
        )
    };
    let page = |languages: Option<&'static str>| {
        let mut request = app.client.get(app.url("/status/acme"));
        if let Some(languages) = languages {
            request = request.header(ACCEPT_LANGUAGE, languages);
        }
        request.send()
    };

    // A password page: the form and its wrong-password answer in French.
    let set = access(json!({"mode": "password", "password": "correct horse battery"})).await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let form = page(Some("fr")).await.unwrap();
    assert_eq!(form.status(), 401);
    assert_eq!(form.headers()[CONTENT_LANGUAGE], "fr");
    let html = form.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("<h1>Cette page d’état est protégée par un mot de passe</h1>"),
        "{html}"
    );
    assert!(
        html.contains("<label for=\"password\">Mot de passe</label>"),
        "{html}"
    );
    assert!(html.contains(">Ouvrir la page</button>"), "{html}");
    let wrong = app
        .client
        .post(app.url("/status/acme/access"))
        .header(ACCEPT_LANGUAGE, "fr")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("password=not+it&next=%2Fstatus%2Facme")
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap();
    assert!(
        html.contains("Ce mot de passe est incorrect. Vérifiez-le et réessayez."),
        "{html}"
    );

    // Members only: refused in Spanish, with the way to sign in.
    let set = access(json!({"mode": "members"})).await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let refused = page(Some("es-MX,es;q=0.9")).await.unwrap();
    assert_eq!(refused.status(), 401);
    let html = refused.text().await.unwrap();
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(
        html.contains("<h1>Esta página de estado es privada</h1>"),
        "{html}"
    );
    assert!(html.contains(">Iniciar sesión</a>"), "{html}");
    assert!(!html.contains("Org acme"), "nothing of the page: {html}");

    // A browser asking for none of the languages: the page's default.
    let set = app
        .patch_as(
            "/api/v1/orgs/acme",
            &owner.token,
            json!({"default_language": "de"}),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.body);
    let html = page(Some("nl")).await.unwrap().text().await.unwrap();
    assert!(
        html.contains("<h1>Diese Statusseite ist privat</h1>"),
        "{html}"
    );
}
