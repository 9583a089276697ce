//! Telling subscribers: one incident update to [`MAIL_SUBSCRIBERS`] confirmed email subscribers
//! and [`WEBHOOKS`] webhook integrations, through the server's real worker, to an SMTP server
//! and an HTTP receiver on loopback that count what they are handed; and the public summary
//! (wrk) before and while they are told.

use crate::seed;
use crate::wrk::{self, Load};
use futures_util::StreamExt;
use serde_json::json;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_e2e::smtp::Sink;
use upstate_e2e::{Api, Server};
use upstate_store::subscriptions::{self, Audience, NewSubscription};
use upstate_store::{Db, PoolOptions};

pub const MAIL_SUBSCRIBERS: usize = 10_000;
pub const WEBHOOKS: usize = 1_000;
/// How long the fan-out may take before the run gives up waiting.
const GIVE_UP: Duration = Duration::from_secs(300);

pub struct Notify {
    /// Distinct recipients the SMTP server was handed the update for, and messages in all.
    pub mail_recipients: usize,
    pub mails: usize,
    /// From the update's request until the last of them; `None`: not all came.
    pub mail_secs: Option<f64>,
    /// Distinct webhook endpoints (paths) that got the update, and requests in all.
    pub webhook_endpoints: usize,
    pub webhook_requests: usize,
    pub webhook_secs: Option<f64>,
    /// The summary before the update, and from the update on (while it is sent).
    pub before: Load,
    pub during: Load,
    /// How long wrk ran while deliveries were still going out.
    pub overlap_secs: f64,
}

/// Starts `binary` (SQLite, its SMTP server and webhooks on loopback), seeds the org and its
/// subscribers, then measures `seconds` of wrk on the summary, sends one update, and measures
/// the fan-out with `seconds` of wrk beside it.
pub async fn run(binary: &std::path::Path, seconds: u64) -> Notify {
    // The mail server and the webhooks' receiver stand in for other machines: on this one they
    // run at the lowest priority, so that what the measurement sees is Upstate's own cost.
    let (sink, hooks) =
        at_low_priority(|| async { (Sink::counting().await, Receiver::start().await) });
    // The server's link key, given so the import writes the link tokens the server reads.
    let secret = format!("bench-only-secret-{}", uuid::Uuid::now_v7().simple());
    let smtp = sink.url();
    let server = Server::start_configured(
        binary,
        None,
        &[
            ("UPSTATE_SMTP_URL", smtp.as_str()),
            ("UPSTATE_ALLOW_PRIVATE_TARGETS", "true"),
            ("UPSTATE_JWT_SECRET", secret.as_str()),
        ],
    )
    .await;
    let base = server.url("");
    let seeded = seed::org(&base, server.database_url(), "notify", 30).await;
    let admin = Api::at(&base, &seeded.api_key);
    // The incident is declared before anyone subscribes: only its update tells them.
    let incident = admin
        .post(
            "/api/v1/orgs/notify/incidents",
            json!({"title": "Checkout errors", "status": "investigating", "impact": "major",
                   "message": "Looking into it.",
                   "affected": [{"service_id": seeded.service_ids[0], "status": "major_outage"}]}),
        )
        .await;
    let incident = incident["id"].as_str().expect("an incident id").to_owned();

    eprintln!("bench: importing {MAIL_SUBSCRIBERS} email subscribers, adding {WEBHOOKS} webhooks");
    import_subscribers(server.database_url(), &secret);
    futures_util::stream::iter(0..WEBHOOKS)
        .map(|n| {
            let (admin, url) = (&admin, hooks.url(&format!("/hook/{n}")));
            async move {
                admin
                    .post(
                        "/api/v1/orgs/notify/integrations",
                        json!({"kind": "webhook", "name": format!("Endpoint {n}"), "url": url}),
                    )
                    .await;
            }
        })
        .buffer_unordered(8)
        .for_each(|()| std::future::ready(()))
        .await;

    let summary = server.url("/api/v1/public/notify/summary");
    eprintln!("bench: the summary before the update");
    let before = tokio::task::spawn_blocking({
        let summary = summary.clone();
        move || wrk::run(&summary, seconds, &[])
    })
    .await
    .expect("wrk");

    eprintln!("bench: one update to {MAIL_SUBSCRIBERS} mail subscribers and {WEBHOOKS} webhooks");
    let during = tokio::task::spawn_blocking({
        let summary = summary.clone();
        move || wrk::run(&summary, seconds, &[])
    });
    let sent = Instant::now();
    admin
        .post(
            &format!("/api/v1/orgs/notify/incidents/{incident}/updates"),
            json!({"status": "identified", "message": "A bad deploy; rolling back."}),
        )
        .await;
    let (mut mail_secs, mut webhook_secs) = (None, None);
    while (mail_secs.is_none() || webhook_secs.is_none()) && sent.elapsed() < GIVE_UP {
        if mail_secs.is_none() && subscribers_reached(&sink) >= MAIL_SUBSCRIBERS {
            mail_secs = Some(sent.elapsed().as_secs_f64());
        }
        if webhook_secs.is_none() && endpoints(&hooks) >= WEBHOOKS {
            webhook_secs = Some(sent.elapsed().as_secs_f64());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fan_out_secs = sent.elapsed().as_secs_f64();
    let mut counted = std::collections::HashMap::<String, usize>::new();
    for address in sink.delivered_to() {
        *counted.entry(address).or_default() += 1;
    }
    let twice: Vec<_> = counted.iter().filter(|(_, n)| **n > 1).collect();
    if !twice.is_empty() {
        eprintln!("bench: more than one mail to {twice:?}");
    }
    let during = during.await.expect("wrk");
    drop(server);
    Notify {
        mail_recipients: subscribers_reached(&sink),
        mails: sink.count_where(subscriber).0,
        mail_secs,
        webhook_endpoints: endpoints(&hooks),
        webhook_requests: hooks.requests().len(),
        webhook_secs,
        before,
        during,
        overlap_secs: fan_out_secs.min(seconds as f64),
    }
}

/// A subscriber's address (`@example.com`), not the owner's (whose account mail the sink gets too).
fn subscriber(address: &str) -> bool {
    address.ends_with("@example.com")
}

/// Distinct subscribers that got a message.
fn subscribers_reached(sink: &Sink) -> usize {
    sink.count_where(subscriber).1
}

/// Runs what `start` starts on a thread of its own at the lowest CPU priority (nice 19) and
/// answers its handles; it runs there until the process ends.
pub fn at_low_priority<T, F>(start: impl FnOnce() -> F + Send + 'static) -> T
where
    T: Send + 'static,
    F: std::future::Future<Output = T>,
{
    let (handles, started) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // SAFETY: setpriority on the calling thread (its id from gettid) changes nothing else.
        unsafe {
            let thread = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 19);
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let _ = handles.send(start().await);
            std::future::pending::<()>().await;
        });
    });
    started.recv().expect("the low-priority thread starts")
}

/// Distinct endpoints that got a request.
fn endpoints(hooks: &Receiver) -> usize {
    hooks
        .requests()
        .iter()
        .map(|request| request.path.clone())
        .collect::<HashSet<_>>()
        .len()
}

/// Imports the confirmed subscribers the way the admin import does (the same store function),
/// with the link tokens the server derives from `secret`, in one transaction.
fn import_subscribers(database_url: &str, secret: &str) {
    let db = Db::connect(database_url, PoolOptions::default()).expect("the bench database");
    db.write(|conn| {
        use diesel::prelude::*;
        use upstate_store::schema::organizations;
        let org: String = organizations::table
            .filter(organizations::slug.eq("notify"))
            .select(organizations::id)
            .first(conn)?;
        let org = upstate_shared::OrgId::from(org);
        for n in 0..MAIL_SUBSCRIBERS {
            let address = format!("subscriber{n}@example.com");
            subscriptions::import(
                conn,
                &org,
                &NewSubscription {
                    audience: Audience::Subscriber,
                    channel: upstate_shared::Channel::Email,
                    target: &address,
                    contact_email: None,
                    name: None,
                    secret: None,
                    events: None,
                    services: &[],
                    locale: upstate_shared::Locale::En,
                },
                &|id| upstate_notify::links::token_hash(secret, id),
            )?;
        }
        Ok(())
    })
    .expect("importing the subscribers");
}
