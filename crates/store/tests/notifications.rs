//! Subscriptions and the durable path of notifications: a subscriber hears nothing before they
//! confirm, a limited one only about their services, an integration only its events; a
//! notification fans out once whoever fans it out and however often; a claimed delivery is no
//! one else's until its lease ends. Every test runs on SQLite and on PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

#[expect(
    dead_code,
    reason = "the test files share common; this one makes no person"
)]
mod common;
use chrono::Duration;
use common::{on_both_engines, org};
use upstate_shared::{Channel, NotificationEvent, OrgId, ServiceId, ServiceStatus};
use upstate_store::effective::Cause;
use upstate_store::notifications::{self, Attempt, Channels};
use upstate_store::subscriptions::{self, Audience, NewSubscription, Subscribed};
use upstate_store::testing::TestDb;
use upstate_store::{DbConnection, Engine, StoreError, services};

on_both_engines!(
    a_subscriber_hears_nothing_before_confirming_and_a_repeat_reveals_nothing,
    a_notification_reaches_those_who_hear_it_once,
    a_claimed_delivery_is_no_one_elses_until_its_lease_ends,
    mail_and_http_deliveries_are_claimed_apart,
    failures_in_a_row_disable_a_webhook_and_a_success_forgives_them,
);

fn service(conn: &mut DbConnection, org: &OrgId, name: &str) -> ServiceId {
    services::create(
        conn,
        org,
        services::NewService {
            name,
            description: "",
            group: None,
            status: ServiceStatus::Operational,
            display: upstate_shared::ServiceDisplay::Always,
        },
        &Cause::default(),
    )
    .unwrap()
    .id
}

fn email<'a>(address: &'a str, services: &'a [ServiceId]) -> NewSubscription<'a> {
    NewSubscription {
        audience: Audience::Subscriber,
        channel: Channel::Email,
        target: address,
        contact_email: None,
        name: None,
        secret: None,
        events: None,
        services,
        locale: upstate_shared::Locale::En,
    }
}

fn subscribed(
    conn: &mut DbConnection,
    org: &OrgId,
    new: &NewSubscription<'_>,
    token: &str,
) -> subscriptions::Subscription {
    match subscriptions::subscribe(conn, org, new, &|_| token.to_owned()).unwrap() {
        Subscribed::New(s) => s,
        other => panic!("expected a new subscription, got {other:?}"),
    }
}

fn notify(
    conn: &mut DbConnection,
    org: &OrgId,
    event: NotificationEvent,
    services: &[ServiceId],
) -> usize {
    notifications::queue(
        conn,
        org,
        event,
        "inc_1",
        services,
        &serde_json::json!({"title": "t"}),
    )
    .unwrap();
    let claimed = notifications::claim_fan_out(conn, Duration::seconds(30))
        .unwrap()
        .unwrap();
    notifications::fan_out(conn, &claimed).unwrap()
}

fn a_subscriber_hears_nothing_before_confirming_and_a_repeat_reveals_nothing(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let pending = subscribed(&mut conn, &acme, &email("ada@example.com", &[]), "hash-1");
    assert!(pending.confirmed_at.is_none());
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentCreated, &[]),
        0,
        "nobody hears before confirming"
    );

    // Asked again at once: the same link holds, and no second mail goes out yet.
    match subscriptions::subscribe(&mut conn, &acme, &email("ada@example.com", &[]), &|_| {
        "unused".to_owned()
    })
    .unwrap()
    {
        Subscribed::Pending {
            subscription,
            resend,
        } => {
            assert_eq!(subscription.id, pending.id);
            assert_eq!(subscription.token_hash, "hash-1");
            assert!(!resend, "one confirmation mail per {} s", 300);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        subscriptions::confirm(&mut conn, &acme, "unused"),
        Err(StoreError::NotFound(_))
    ));
    let (confirmed, now) = subscriptions::confirm(&mut conn, &acme, "hash-1").unwrap();
    assert!(now && confirmed.confirmed_at.is_some());
    let (_, again) = subscriptions::confirm(&mut conn, &acme, "hash-1").unwrap();
    assert!(!again, "confirming twice changes nothing");
    assert!(matches!(
        subscriptions::subscribe(&mut conn, &acme, &email("ada@example.com", &[]), &|_| {
            "hash-3".to_owned()
        })
        .unwrap(),
        Subscribed::Confirmed(_)
    ));
    // Another org's link names nothing here.
    let other = org(&mut conn, "other");
    assert!(subscriptions::confirm(&mut conn, &other, "hash-1").is_err());
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentCreated, &[]),
        1
    );
    subscriptions::unsubscribe(&mut conn, &acme, "hash-1").unwrap();
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentUpdated, &[]),
        0
    );
}

fn a_notification_reaches_those_who_hear_it_once(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let api = service(&mut conn, &acme, "API");
    let web = service(&mut conn, &acme, "Website");
    let everything = subscribed(&mut conn, &acme, &email("all@example.com", &[]), "h-all");
    let only_api = subscribed(
        &mut conn,
        &acme,
        &email("api@example.com", std::slice::from_ref(&api)),
        "h-api",
    );
    for hash in ["h-all", "h-api"] {
        subscriptions::confirm(&mut conn, &acme, hash).unwrap();
    }
    let resolved_only = subscriptions::add_integration(
        &mut conn,
        &acme,
        &NewSubscription {
            audience: Audience::Team,
            channel: Channel::Slack,
            target: "https://hooks.slack.com/services/T/B/X",
            contact_email: None,
            name: Some("Ops channel"),
            secret: None,
            events: Some(&[NotificationEvent::IncidentResolved]),
            services: &[],
            locale: upstate_shared::Locale::En,
        },
        &|_| "h-slack".to_owned(),
    )
    .unwrap();
    assert!(
        resolved_only.confirmed_at.is_some(),
        "integrations need no opt-in"
    );
    // Another org's subscriber hears nothing of acme.
    let other = org(&mut conn, "other");
    subscribed(&mut conn, &other, &email("all@example.com", &[]), "h-other");
    subscriptions::confirm(&mut conn, &other, "h-other").unwrap();

    // About the website: only the unlimited subscriber (the integration hears only resolutions).
    notifications::queue(
        &mut conn,
        &acme,
        NotificationEvent::IncidentCreated,
        "inc_1",
        std::slice::from_ref(&web),
        &serde_json::json!({}),
    )
    .unwrap();
    let claimed = notifications::claim_fan_out(&mut conn, Duration::seconds(30))
        .unwrap()
        .unwrap();
    assert!(
        notifications::claim_fan_out(&mut conn, Duration::seconds(30))
            .unwrap()
            .is_none(),
        "a claimed notification is its claimant's"
    );
    assert_eq!(notifications::fan_out(&mut conn, &claimed).unwrap(), 1);
    // Fanned out again (a worker that died after the insert, a second replica): nothing more.
    assert_eq!(notifications::fan_out(&mut conn, &claimed).unwrap(), 0);
    let due =
        notifications::claim_due(&mut conn, Channels::All, 10, Duration::seconds(30)).unwrap();
    let to: Vec<_> = due.iter().map(|d| d.subscription.id.clone()).collect();
    assert_eq!(to, std::slice::from_ref(&everything.id));

    // Resolved, about the API: all three.
    assert_eq!(
        notify(
            &mut conn,
            &acme,
            NotificationEvent::IncidentResolved,
            std::slice::from_ref(&api)
        ),
        3
    );
    let mut to: Vec<_> =
        notifications::claim_due(&mut conn, Channels::All, 10, Duration::seconds(30))
            .unwrap()
            .into_iter()
            .map(|d| d.subscription.id)
            .collect();
    to.sort();
    let mut expected = vec![everything.id, only_api.id, resolved_only.id];
    expected.sort();
    assert_eq!(to, expected);
}

fn a_claimed_delivery_is_no_one_elses_until_its_lease_ends(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    for n in 0..5 {
        let address = format!("p{n}@example.com");
        let hash = format!("h{n}");
        subscribed(&mut conn, &acme, &email(&address, &[]), &hash);
        subscriptions::confirm(&mut conn, &acme, &hash).unwrap();
    }
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentCreated, &[]),
        5
    );
    let first =
        notifications::claim_due(&mut conn, Channels::All, 3, Duration::seconds(30)).unwrap();
    let second =
        notifications::claim_due(&mut conn, Channels::All, 3, Duration::seconds(30)).unwrap();
    assert_eq!((first.len(), second.len()), (3, 2));
    assert!(
        notifications::claim_due(&mut conn, Channels::All, 3, Duration::seconds(30))
            .unwrap()
            .is_empty()
    );
    let attempt = Attempt {
        at: upstate_store::now(),
        status_code: None,
        latency_ms: 3,
        error: None,
    };
    let done: Vec<_> = first
        .iter()
        .map(|d| {
            (
                d.delivery.id.clone(),
                d.subscription.id.clone(),
                attempt.clone(),
            )
        })
        .collect();
    notifications::delivered(&mut conn, &done).unwrap();
    // A worker that died holding the other two: once the lease ends, they are due again; the
    // delivered ones never are.
    let expired = notifications::claim_due(&mut conn, Channels::All, 10, Duration::seconds(-1));
    assert!(expired.unwrap().is_empty(), "leased still");
    let (delivered, pending, abandoned) =
        notifications::progress(&mut conn, &first[0].notification.id).unwrap();
    assert_eq!((delivered, pending, abandoned), (3, 2, 0));
}

fn mail_and_http_deliveries_are_claimed_apart(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    for n in 0..2 {
        let address = format!("p{n}@example.com");
        let hash = format!("h{n}");
        subscribed(&mut conn, &acme, &email(&address, &[]), &hash);
        subscriptions::confirm(&mut conn, &acme, &hash).unwrap();
    }
    let hook = subscriptions::add_integration(
        &mut conn,
        &acme,
        &NewSubscription {
            audience: Audience::Team,
            channel: Channel::Webhook,
            target: "https://example.com/hook",
            contact_email: None,
            name: Some("Pager"),
            secret: Some("whsec_x"),
            events: None,
            services: &[],
            locale: upstate_shared::Locale::En,
        },
        &|_| "h-hook".to_owned(),
    )
    .unwrap();
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentCreated, &[]),
        3
    );
    let lease = Duration::seconds(30);
    let http = notifications::claim_due(&mut conn, Channels::Http, 10, lease).unwrap();
    let to: Vec<_> = http.iter().map(|d| d.subscription.id.clone()).collect();
    assert_eq!(to, [hook.id]);
    let mail = notifications::claim_due(&mut conn, Channels::Email, 10, lease).unwrap();
    assert_eq!(mail.len(), 2);
    assert!(
        mail.iter()
            .all(|d| d.subscription.channel() == Channel::Email)
    );
    assert!(
        notifications::claim_due(&mut conn, Channels::All, 10, lease)
            .unwrap()
            .is_empty()
    );
}

fn failures_in_a_row_disable_a_webhook_and_a_success_forgives_them(engine: Engine) {
    let test = TestDb::new(engine);
    let mut conn = test.db.conn().unwrap();
    let acme = org(&mut conn, "acme");
    let hook = subscriptions::add_integration(
        &mut conn,
        &acme,
        &NewSubscription {
            audience: Audience::Team,
            channel: Channel::Webhook,
            target: "https://example.com/hook",
            contact_email: Some("ops@example.com"),
            name: Some("Pager"),
            secret: Some("whsec_x"),
            events: None,
            services: &[],
            locale: upstate_shared::Locale::En,
        },
        &|_| "h-hook".to_owned(),
    )
    .unwrap();
    assert!(!subscriptions::count_attempt(&mut conn, &hook.id, false, Some("500"), 3).unwrap());
    assert!(!subscriptions::count_attempt(&mut conn, &hook.id, true, None, 3).unwrap());
    assert!(!subscriptions::count_attempt(&mut conn, &hook.id, false, Some("500"), 3).unwrap());
    assert!(!subscriptions::count_attempt(&mut conn, &hook.id, false, Some("500"), 3).unwrap());
    assert!(
        subscriptions::count_attempt(&mut conn, &hook.id, false, Some("timed out"), 3).unwrap(),
        "the third failure in a row disables it, once"
    );
    assert!(!subscriptions::count_attempt(&mut conn, &hook.id, false, Some("x"), 3).unwrap());
    let disabled = subscriptions::get(&mut conn, &acme, &hook.id).unwrap();
    assert!(disabled.disabled_at.is_some());
    assert!(
        disabled.disabled_reason.unwrap().contains("timed out"),
        "it says why"
    );
    assert_eq!(
        notify(&mut conn, &acme, NotificationEvent::IncidentCreated, &[]),
        0,
        "a disabled integration hears nothing"
    );
    let enabled = subscriptions::update_integration(
        &mut conn,
        &acme,
        &hook.id,
        subscriptions::IntegrationChanges {
            enabled: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(enabled.disabled_at.is_none() && enabled.failures == 0);
}
