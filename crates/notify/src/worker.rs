//! The delivery worker: fans committed notifications out into deliveries, claims due deliveries
//! in batches (a lease each, so replicas never hold the same one), sends them in two lanes that
//! never wait for each other (emails over a reused SMTP connection pool; webhooks and chat
//! messages through `upstate-egress`), several at once, records every attempt as soon as it is
//! known, retries failures with a doubling delay for up to a day, and disables a webhook that
//! keeps failing (its contact hears of it).

use crate::links::SubscriptionLinks;
use crate::{ChatKind, Notice, WebhookSecret};
use chrono::{Duration as Span, NaiveDateTime};
use futures_util::StreamExt;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use upstate_egress::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use upstate_shared::Channel;
use upstate_store::notifications::{self, Attempt, Channels, Due};
use upstate_store::{Db, StoreError, StoreResult, outbox, subscriptions};

/// How the worker reaches people and when it gives up.
#[derive(Clone)]
pub struct Settings {
    /// The server's public URL (links in messages), without a trailing slash.
    pub public_url: String,
    /// The key that derives subscriptions' link tokens.
    pub link_key: String,
    /// The SMTP server (`smtp://host:port`, `smtps://user:pass@host`); none: emails go to
    /// the log.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Which addresses webhooks may reach.
    pub egress: upstate_egress::Policy,
    /// The first retry of a failed delivery; each next waits twice as long, at most an hour.
    pub first_retry: Duration,
    /// Failed attempts in a row after which a webhook or an integration is disabled.
    pub disable_after: u32,
    /// How long a claimed notification or delivery is this worker's: longer than a delivery
    /// takes (webhooks time out after 10 s) and than it waits for its turn in a batch, short
    /// enough that one whose worker died goes out soon.
    pub lease: Duration,
    /// Emails handed to the SMTP server per second, at most: what relays allow (Amazon SES and
    /// the like throttle senders), and what keeps a fan-out to every subscriber from taking the
    /// CPU the status page's visitors need during that very incident.
    pub mails_per_second: NonZeroU32,
}

/// Deliveries claimed at once, in each lane (fewer for email when its rate would not send them
/// within a quarter of the lease: see [`Worker::batch`]).
const BATCH: i64 = 200;
const DUE_BATCH: usize = BATCH as usize;
/// Webhooks and chat messages sent at once.
const HTTP_CONCURRENCY: usize = 32;
/// SMTP connections kept open and reused, and so emails sent at once (more at once would open
/// connections the pool then closes).
const SMTP_CONNECTIONS: u32 = 8;
/// Emails claimed at once: [`BATCH`], or no more than `rate` sends in a quarter of the `lease`,
/// so that a claimed batch is sent long before its lease ends (another replica would send what
/// is left of it again).
fn email_batch(rate: NonZeroU32, lease: Duration) -> i64 {
    let sendable = u64::from(rate.get()) * (lease.as_secs() / 4);
    i64::try_from(sendable).unwrap_or(BATCH).clamp(1, BATCH)
}

/// The longest wait between two retries.
const MAX_RETRY: Duration = Duration::from_secs(3600);
/// How long a delivery is retried before it is given up on.
const GIVE_UP_AFTER_HOURS: i64 = 24;

enum Mail {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Log {
        from: Mailbox,
    },
}

/// Failed delivery attempts since start, by lane (each a Prometheus counter; clones share the
/// count, so the server's metrics read what the worker counts).
#[derive(Clone, Debug, Default)]
pub struct Failures {
    /// Emails to subscribers.
    pub email: prometheus_client::metrics::counter::Counter,
    /// Webhooks and chat messages.
    pub http: prometheus_client::metrics::counter::Counter,
}

/// The worker, ready to run.
pub struct Worker {
    db: Db,
    failures: Failures,
    settings: Settings,
    mail: Mail,
    http: upstate_egress::Client,
    wake: Arc<Notify>,
    mail_rate: governor::DefaultDirectRateLimiter,
}

impl Worker {
    /// A worker on `db`, woken by `wake` when a notification was queued.
    pub fn new(db: Db, settings: Settings, wake: Arc<Notify>) -> Result<Worker, String> {
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|err| format!("the mail sender `{}`: {err}", settings.mail_from))?;
        let mail = match &settings.smtp_url {
            // A pool: one SMTP connection is reused for many messages, several at once.
            Some(url) => Mail::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|err| format!("the SMTP URL: {err}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .pool_config(
                        lettre::transport::smtp::PoolConfig::new().max_size(SMTP_CONNECTIONS),
                    )
                    .build(),
                from,
            },
            None => Mail::Log { from },
        };
        let http = upstate_egress::Client::new(settings.egress, "Upstate-Webhooks/1")
            .map_err(|err| err.to_string())?;
        let mail_rate =
            governor::RateLimiter::direct(governor::Quota::per_second(settings.mails_per_second));
        Ok(Worker {
            db,
            failures: Failures::default(),
            settings,
            mail,
            http,
            wake,
            mail_rate,
        })
    }

    /// Counts failed attempts in `failures` (the server's metrics) instead of its own.
    pub fn with_failures(mut self, failures: Failures) -> Self {
        self.failures = failures;
        self
    }

    /// Runs until the task is dropped: the fan-out and the two lanes, each at its own pace.
    pub async fn run(self) {
        let (mail, http) = (Notify::new(), Notify::new());
        let fanning_out = async {
            loop {
                let fanned = self.fan_out().await;
                // Whatever woke the worker (a notification queued, a delivery to send again)
                // may have made deliveries due.
                mail.notify_one();
                http.notify_one();
                match fanned {
                    Ok(_) => {
                        let _ = tokio::time::timeout(Duration::from_secs(1), self.wake.notified())
                            .await;
                    }
                    Err(err) => Worker::pause(&err).await,
                }
            }
        };
        tokio::join!(
            fanning_out,
            self.keep_sending(Channels::Email, &mail),
            self.keep_sending(Channels::Http, &http)
        );
    }

    async fn keep_sending(&self, lane: Channels, wake: &Notify) {
        loop {
            match self.send_due(lane).await {
                Ok(0) => {
                    let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
                }
                Ok(_) => {}
                Err(err) => Worker::pause(&err).await,
            }
        }
    }

    async fn pause(err: &StoreError) {
        tracing::warn!(%err, "notification delivery failed; trying again shortly");
        tokio::time::sleep(Duration::from_secs(2)).await;
    }

    fn lease(&self) -> Span {
        Span::from_std(self.settings.lease).unwrap_or(Span::minutes(2))
    }

    /// How many deliveries of `lane` to claim at once.
    fn batch(&self, lane: Channels) -> i64 {
        match lane {
            Channels::Email => email_batch(self.settings.mails_per_second, self.settings.lease),
            Channels::Http | Channels::All => BATCH,
        }
    }

    /// Fans out every queued notification; answers how many.
    pub async fn fan_out(&self) -> StoreResult<usize> {
        let lease = self.lease();
        let mut work = 0;
        while let Some(notification) = self
            .db_write(move |conn| notifications::claim_fan_out(conn, lease))
            .await?
        {
            let added = self
                .db_write(move |conn| notifications::fan_out(conn, &notification))
                .await?;
            tracing::debug!(deliveries = added, "notification fanned out");
            work += 1;
        }
        Ok(work)
    }

    /// Sends one batch of the deliveries due in `lane` (emails or HTTP); answers how many
    /// (0: nothing to do).
    pub async fn send_due(&self, lane: Channels) -> StoreResult<usize> {
        let (lease, batch) = (self.lease(), self.batch(lane));
        let due = self
            .db_write(move |conn| notifications::claim_due(conn, lane, batch, lease))
            .await?;
        let work = due.len();
        let concurrency = match lane {
            Channels::Email => SMTP_CONNECTIONS as usize,
            Channels::Http | Channels::All => HTTP_CONCURRENCY,
        };
        // One subscription's deliveries go one after another, oldest first (a subscriber hears
        // "started" before "completed"); different subscriptions' go at once.
        let mut queues: Vec<Vec<Due>> = Vec::new();
        for one in due {
            match queues
                .iter_mut()
                .find(|queue| queue[0].subscription.id == one.subscription.id)
            {
                Some(queue) => queue.push(one),
                None => queues.push(vec![one]),
            }
        }
        // Each outcome is recorded as soon as it is known (those that came while the last
        // write ran, together, in one transaction): a worker killed mid-batch sends again only
        // what was in flight, not what the rest of its batch had already delivered.
        let (outcomes, mut known) = tokio::sync::mpsc::unbounded_channel::<(Due, Attempt)>();
        let sending = async move {
            futures_util::stream::iter(queues)
                .map(|queue| {
                    let outcomes = outcomes.clone();
                    async move {
                        for due in queue {
                            if lane == Channels::Email {
                                self.mail_rate.until_ready().await;
                            }
                            let attempt = self.deliver(&due).await;
                            // The recorder is gone only after a database error, which this
                            // answers; the delivery is then sent again when its lease ends.
                            let _ = outcomes.send((due, attempt));
                        }
                    }
                })
                .buffer_unordered(concurrency)
                .for_each(|()| std::future::ready(()))
                .await;
        };
        let recording = async move {
            let mut ready = Vec::new();
            while known.recv_many(&mut ready, DUE_BATCH).await > 0 {
                self.record(std::mem::take(&mut ready)).await?;
            }
            StoreResult::Ok(())
        };
        let ((), recorded) = tokio::join!(sending, recording);
        recorded?;
        Ok(work)
    }

    async fn db_write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut upstate_store::DbConnection) -> StoreResult<T> + Send + 'static,
    ) -> StoreResult<T> {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || db.write(f))
            .await
            .map_err(|err| StoreError::Unavailable(format!("a database task failed: {err}")))?
    }

    /// One attempt of one delivery.
    async fn deliver(&self, due: &Due) -> Attempt {
        let at = upstate_store::now();
        let started = Instant::now();
        let result = self.send(due).await;
        let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        match result {
            Ok(status_code) => Attempt {
                at,
                status_code,
                latency_ms,
                error: None,
            },
            Err((status_code, error)) => Attempt {
                at,
                status_code,
                latency_ms,
                error: Some(error),
            },
        }
    }

    /// Sends a delivery: `Ok` with the HTTP status (none for email), or the status and what
    /// went wrong.
    async fn send(&self, due: &Due) -> Result<Option<i32>, (Option<i32>, String)> {
        let mut notice: Notice = serde_json::from_str(&due.notification.notice)
            .map_err(|err| (None, format!("the notification cannot be read: {err}")))?;
        let public = self.settings.public_url.trim_end_matches('/');
        notice.page_url = format!("{public}{}", notice.page_url);
        notice.link = format!("{public}{}", notice.link);
        let subscription = &due.subscription;
        match subscription.channel() {
            Channel::Email => {
                let links = SubscriptionLinks::of(
                    public,
                    &notice.org_slug,
                    &self.settings.link_key,
                    &subscription.id,
                );
                self.send_mail(&notice, &subscription.target, &links, subscription.locale())
                    .await
                    .map(|()| None)
                    .map_err(|err| (None, err))
            }
            Channel::Webhook => {
                let body = serde_json::to_vec(&crate::webhook_body(&notice))
                    .map_err(|err| (None, err.to_string()))?;
                let secret = subscription
                    .secret
                    .as_deref()
                    .ok_or_else(|| (None, "the webhook has no signing secret".to_owned()))
                    .and_then(|s| WebhookSecret::parse(s).map_err(|err| (None, err.to_string())))?;
                post(
                    &self.http,
                    &subscription.target,
                    body,
                    Some((&secret, due.delivery.id.as_str())),
                )
                .await
                .map(Some)
            }
            chat => {
                let kind =
                    chat_kind(chat).ok_or_else(|| (None, format!("no chat format for {chat}")))?;
                let body = serde_json::to_vec(&kind.payload(&notice))
                    .map_err(|err| (None, err.to_string()))?;
                post(&self.http, &subscription.target, body, None)
                    .await
                    .map(Some)
            }
        }
    }

    async fn send_mail(
        &self,
        notice: &Notice,
        to: &str,
        links: &SubscriptionLinks,
        locale: upstate_i18n::Locale,
    ) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|err| format!("bad recipient {to}: {err}"))?;
        match &self.mail {
            Mail::Smtp { transport, from } => {
                let message = crate::notice_email(notice, from, &to, &links.for_email(), locale)
                    .map_err(|err| err.to_string())?;
                transport
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|err| err.to_string())
            }
            Mail::Log { from } => {
                let message = crate::notice_email(notice, from, &to, &links.for_email(), locale)
                    .map_err(|err| err.to_string())?;
                tracing::info!(
                    to = %to,
                    "notification email (no SMTP configured):\n{}",
                    String::from_utf8_lossy(&message.formatted())
                );
                Ok(())
            }
        }
    }

    /// Records a batch's outcomes in one transaction.
    async fn record(&self, outcomes: Vec<(Due, Attempt)>) -> StoreResult<()> {
        for (due, attempt) in &outcomes {
            if attempt.error.is_some() {
                if due.subscription.channel().is_http() {
                    self.failures.http.inc();
                } else {
                    self.failures.email.inc();
                }
            }
        }
        let first_retry = self.settings.first_retry;
        let disable_after = i32::try_from(self.settings.disable_after).unwrap_or(i32::MAX);
        let mail_from = self.settings.mail_from.clone();
        let disabled = self
            .db_write(move |conn| {
                let now = upstate_store::now();
                let mut done = Vec::new();
                let mut disabled = Vec::new();
                for (due, attempt) in outcomes {
                    let http = due.subscription.channel().is_http();
                    match &attempt.error {
                        None => {
                            if http && due.subscription.failures > 0 {
                                subscriptions::count_attempt(
                                    conn,
                                    &due.subscription.id,
                                    true,
                                    None,
                                    disable_after,
                                )?;
                            }
                            done.push((
                                due.delivery.id.clone(),
                                due.subscription.id.clone(),
                                attempt,
                            ));
                        }
                        Some(error) => {
                            let retry_at = retry_at(
                                due.delivery.created_at,
                                due.delivery.attempts,
                                now,
                                first_retry,
                            );
                            notifications::failed(
                                conn,
                                &due.delivery.id,
                                &due.subscription.id,
                                &attempt,
                                retry_at,
                            )?;
                            // Only webhooks and chats are disabled: a mail server that is down
                            // says nothing about the subscribers.
                            if http
                                && subscriptions::count_attempt(
                                    conn,
                                    &due.subscription.id,
                                    false,
                                    Some(error),
                                    disable_after,
                                )?
                            {
                                notifications::abandon_pending(conn, &due.subscription.id)?;
                                disabled.push((due, error.clone()));
                            }
                        }
                    }
                }
                if !done.is_empty() {
                    notifications::delivered(conn, &done)?;
                }
                // Each disabled webhook's contact hears of it (through the outbox's mail).
                for (due, error) in &disabled {
                    if let Some(contact) = &due.subscription.contact_email {
                        let notice: Option<Notice> =
                            serde_json::from_str(&due.notification.notice).ok();
                        let page = notice.map(|n| n.page_name).unwrap_or_default();
                        let mail = disabled_mail(
                            due.subscription.locale(),
                            &page,
                            &crate::email::redacted(&due.subscription.target),
                            disable_after,
                            error,
                            &mail_from,
                        );
                        outbox::enqueue(
                            conn,
                            Some(&due.subscription.org_id),
                            "email",
                            &serde_json::json!({
                                "to": contact,
                                "subject": mail.0,
                                "text": mail.1,
                            }),
                        )?;
                    }
                }
                Ok(disabled.len())
            })
            .await?;
        if disabled > 0 {
            tracing::warn!(disabled, "webhooks disabled after failing in a row");
        }
        Ok(())
    }
}

/// The mail telling a webhook's contact that it was disabled, in the subscription's language:
/// its subject and its text.
fn disabled_mail(
    locale: upstate_i18n::Locale,
    page: &str,
    webhook: &str,
    attempts: i32,
    error: &str,
    mail_from: &str,
) -> (String, String) {
    use upstate_i18n as i18n;
    let subject = i18n::text_with(locale, "mail-disabled-subject", &[("page", page.into())]);
    let text = format!(
        "{}\n\n{}\n\n{}\n\n-- {mail_from}",
        i18n::text_with(
            locale,
            "mail-disabled-text",
            &[
                ("webhook", webhook.into()),
                ("page", page.into()),
                ("count", i64::from(attempts).into()),
            ],
        ),
        i18n::text_with(locale, "mail-disabled-last", &[("error", error.into())]),
        i18n::text(locale, "mail-disabled-again"),
    );
    (subject, text)
}

/// POSTs a JSON body to a webhook or chat URL through `http`, signed (Standard Webhooks) when
/// `signing` gives a secret and the message id: `Ok` with the status of a 2xx answer, else the
/// answer's status (when one came) and what went wrong, in words for a delivery log.
pub async fn post(
    http: &upstate_egress::Client,
    url: &str,
    body: Vec<u8>,
    signing: Option<(&WebhookSecret, &str)>,
) -> Result<i32, (Option<i32>, String)> {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some((secret, id)) = signing {
        for (name, value) in
            crate::signed_headers(secret, id, chrono::Utc::now().timestamp(), &body)
        {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(HeaderName::from_static(name), value);
            }
        }
    }
    match http.post_bytes(url, headers, body).await {
        Ok(response) if response.is_success() => Ok(i32::from(response.status)),
        Ok(response) => Err((
            Some(i32::from(response.status)),
            format!(
                "answered {}{}",
                response.status,
                if response.body.trim().is_empty() {
                    String::new()
                } else {
                    format!(": {}", crate::text::one_line(&response.body))
                }
            ),
        )),
        Err(err) => Err((None, err.to_string())),
    }
}

fn chat_kind(channel: Channel) -> Option<ChatKind> {
    match channel {
        Channel::Slack => Some(ChatKind::Slack),
        Channel::Discord => Some(ChatKind::Discord),
        Channel::Teams => Some(ChatKind::Teams),
        Channel::Mattermost => Some(ChatKind::Mattermost),
        Channel::Email | Channel::Webhook => None,
    }
}

/// When a delivery that failed its `attempts + 1`th attempt is tried again: `first` after the
/// first failure, twice as long after each next one, at most an hour apart; `None` once it has
/// been tried for a day.
pub fn retry_at(
    created_at: NaiveDateTime,
    attempts: i32,
    now: NaiveDateTime,
    first: Duration,
) -> Option<NaiveDateTime> {
    let wait = first
        .saturating_mul(1u32 << attempts.clamp(0, 16))
        .min(MAX_RETRY);
    let next = now + Span::from_std(wait).unwrap_or(Span::hours(1));
    (next <= created_at + Span::hours(GIVE_UP_AFTER_HOURS)).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_an_hour_and_stop_after_a_day() {
        let created = upstate_store::now();
        let first = Duration::from_secs(30);
        let wait = |attempts: i32, now: NaiveDateTime| {
            retry_at(created, attempts, now, first).map(|at| (at - now).num_seconds())
        };
        assert_eq!(wait(0, created), Some(30));
        assert_eq!(wait(1, created), Some(60));
        assert_eq!(wait(3, created), Some(240));
        assert_eq!(wait(12, created), Some(3600));
        assert_eq!(wait(30, created), Some(3600));
        assert_eq!(wait(5, created + Span::hours(23) + Span::minutes(59)), None);
    }

    #[test]
    fn a_slow_mail_rate_claims_no_more_than_it_sends_well_within_the_lease() {
        let rate = |n| NonZeroU32::new(n).unwrap();
        let lease = Duration::from_secs(120);
        assert_eq!(email_batch(rate(500), lease), BATCH);
        // 1 mail/s: a 200-mail batch would take 200 s, past its 120 s lease.
        assert_eq!(email_batch(rate(1), lease), 30);
        assert_eq!(email_batch(rate(1), Duration::from_secs(2)), 1);
    }
}
