//! Telling subscribers, durably. A notification is written in the transaction of the change it
//! tells about; a worker fans it out into one delivery per subscription that hears it (unique
//! per notification and subscription, so a second fan-out, after a crash or on another replica,
//! adds nothing); workers claim due deliveries with a lease, so two replicas never hold the
//! same one, and one whose worker died is taken up again when its lease ends.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::{
    deliveries, delivery_attempts, notifications, subscription_services, subscriptions,
};
use crate::subscriptions::Subscription;
use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use upstate_shared::SubscriptionId;
use upstate_shared::{DeliveryId, NotificationEvent, NotificationId, OrgId, ServiceId};

/// A notification as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: NotificationId,
    pub org_id: OrgId,
    pub event: String,
    pub subject_id: String,
    /// JSON list of the service ids it is about.
    pub service_ids: String,
    /// What to tell, as JSON.
    pub notice: String,
    pub created_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub fanned_out_at: Option<NaiveDateTime>,
}

impl Notification {
    pub fn event(&self) -> Option<NotificationEvent> {
        self.event.parse().ok()
    }

    pub fn services(&self) -> Vec<ServiceId> {
        serde_json::from_str(&self.service_ids).unwrap_or_default()
    }
}

/// Queues a notification of `event` about `subject` (an incident's or a window's id), which
/// concerns `services`, telling `notice` (JSON), in the caller's transaction.
pub fn queue(
    conn: &mut DbConnection,
    org: &OrgId,
    event: NotificationEvent,
    subject: &str,
    services: &[ServiceId],
    notice: &serde_json::Value,
) -> StoreResult<NotificationId> {
    let id = NotificationId::from(crate::new_id());
    let services = serde_json::to_string(services)
        .map_err(|err| StoreError::Invalid("service_ids".into(), err.to_string()))?;
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(&id),
            notifications::org_id.eq(org),
            notifications::event.eq(event.as_str()),
            notifications::subject_id.eq(subject),
            notifications::service_ids.eq(services),
            notifications::notice.eq(notice.to_string()),
            notifications::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The notification with this id.
pub fn get(conn: &mut DbConnection, id: &NotificationId) -> StoreResult<Notification> {
    notifications::table
        .find(id)
        .select(Notification::as_select())
        .first(conn)
        .or_missing(Missing::Row)
}

#[derive(QueryableByName)]
struct ClaimedId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// Claims the oldest notification not fanned out yet, for `lease`.
pub fn claim_fan_out(
    conn: &mut DbConnection,
    lease: Duration,
) -> StoreResult<Option<Notification>> {
    let now = crate::now();
    let claimed: Vec<ClaimedId> = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(
            "UPDATE notifications SET locked_until = $1 WHERE id IN (
                SELECT id FROM notifications
                WHERE fanned_out_at IS NULL AND (locked_until IS NULL OR locked_until < $2)
                ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
             RETURNING id",
        )
        .bind::<Timestamp, _>(now + lease)
        .bind::<Timestamp, _>(now)
        .load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(
            "UPDATE notifications SET locked_until = ? WHERE id IN (
                SELECT id FROM notifications
                WHERE fanned_out_at IS NULL AND (locked_until IS NULL OR locked_until < ?)
                ORDER BY created_at LIMIT 1)
             RETURNING id",
        )
        .bind::<Timestamp, _>(now + lease)
        .bind::<Timestamp, _>(now)
        .load(sqlite)?,
    };
    match claimed.into_iter().next() {
        Some(row) => Ok(Some(get(conn, &NotificationId::from(row.id))?)),
        None => Ok(None),
    }
}

/// Rows inserted per statement when fanning out.
const FAN_OUT_CHUNK: usize = 500;

/// Fans a notification out: one delivery per confirmed, enabled subscription of its org that
/// hears its event and is not limited to other services. Answers how many were added (none
/// when it was fanned out before).
pub fn fan_out(conn: &mut DbConnection, notification: &Notification) -> StoreResult<usize> {
    let event = notification.event();
    let services = notification.services();
    let limited = subscription_services::table
        .filter(subscription_services::subscription_id.eq(subscriptions::id));
    let theirs = subscription_services::table
        .filter(subscription_services::subscription_id.eq(subscriptions::id))
        .filter(subscription_services::service_id.eq_any(&services));
    let mut query = subscriptions::table
        .filter(subscriptions::org_id.eq(&notification.org_id))
        .into_boxed();
    if event.is_some_and(|event| event.is_team_only()) {
        query =
            query.filter(subscriptions::audience.eq(crate::subscriptions::Audience::Team.as_str()));
    }
    let candidates: Vec<(SubscriptionId, Option<String>)> = query
        .filter(subscriptions::confirmed_at.is_not_null())
        .filter(subscriptions::disabled_at.is_null())
        .filter(not(exists(limited)).or(exists(theirs)))
        .select((subscriptions::id, subscriptions::events))
        .order(subscriptions::created_at.asc())
        .load(conn)?;
    let hearing: Vec<SubscriptionId> = candidates
        .into_iter()
        .filter(|(_, events)| {
            events.as_deref().is_none_or(|list| {
                event.is_some_and(|event| list.split(',').any(|name| name == event.as_str()))
            })
        })
        .map(|(id, _)| id)
        .collect();
    let now = crate::now();
    let mut added = 0;
    for chunk in hearing.chunks(FAN_OUT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|subscription| {
                (
                    deliveries::id.eq(DeliveryId::from(crate::new_id())),
                    deliveries::org_id.eq(&notification.org_id),
                    deliveries::notification_id.eq(&notification.id),
                    deliveries::subscription_id.eq(subscription),
                    deliveries::created_at.eq(now),
                    deliveries::available_at.eq(now),
                    deliveries::attempts.eq(0),
                )
            })
            .collect();
        // One statement per chunk; `ON CONFLICT DO NOTHING` is each engine's own.
        let insert = diesel::insert_into(deliveries::table)
            .values(rows)
            .on_conflict_do_nothing();
        added += match conn {
            DbConnection::Postgres(pg) => insert.execute(pg)?,
            DbConnection::Sqlite(sqlite) => insert.execute(sqlite)?,
        };
    }
    diesel::update(notifications::table.find(&notification.id))
        .set((
            notifications::fanned_out_at.eq(now),
            notifications::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(added)
}

/// A delivery as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = deliveries)]
pub struct Delivery {
    pub id: DeliveryId,
    pub org_id: OrgId,
    pub notification_id: NotificationId,
    pub subscription_id: SubscriptionId,
    pub created_at: NaiveDateTime,
    pub available_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub abandoned_at: Option<NaiveDateTime>,
}

/// A claimed delivery with what it needs: where it goes and what it tells.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery: Delivery,
    pub subscription: Subscription,
    pub notification: Notification,
}

/// Which deliveries a claim takes: a worker sends mail and HTTP requests in lanes of their own,
/// so 10,000 mails queued before a webhook do not hold it back (nor a slow webhook the mails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    All,
    Email,
    /// Webhooks and chats.
    Http,
}

impl Channels {
    /// The condition on the subscription `s`, as SQL of both engines.
    fn condition(self) -> &'static str {
        match self {
            Channels::All => "TRUE",
            Channels::Email => "s.channel = 'email'",
            Channels::Http => "s.channel <> 'email'",
        }
    }
}

/// Claims up to `limit` due deliveries on `channels`, each for `lease`, oldest first.
pub fn claim_due(
    conn: &mut DbConnection,
    channels: Channels,
    limit: i64,
    lease: Duration,
) -> StoreResult<Vec<Due>> {
    let now = crate::now();
    let on = channels.condition();
    let claimed: Vec<ClaimedId> = match conn {
        DbConnection::Postgres(pg) => diesel::sql_query(format!(
            "UPDATE deliveries SET locked_until = $1 WHERE id IN (
                SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
                WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.available_at <= $2
                  AND (d.locked_until IS NULL OR d.locked_until < $2) AND {on}
                ORDER BY d.available_at LIMIT $3 FOR UPDATE OF d SKIP LOCKED)
             RETURNING id"
        ))
        .bind::<Timestamp, _>(now + lease)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load(pg)?,
        DbConnection::Sqlite(sqlite) => diesel::sql_query(format!(
            "UPDATE deliveries SET locked_until = ?1 WHERE id IN (
                SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
                WHERE d.delivered_at IS NULL AND d.abandoned_at IS NULL AND d.available_at <= ?2
                  AND (d.locked_until IS NULL OR d.locked_until < ?2) AND {on}
                ORDER BY d.available_at LIMIT ?3)
             RETURNING id"
        ))
        .bind::<Timestamp, _>(now + lease)
        .bind::<Timestamp, _>(now)
        .bind::<BigInt, _>(limit)
        .load(sqlite)?,
    };
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<DeliveryId> = claimed
        .into_iter()
        .map(|row| DeliveryId::from(row.id))
        .collect();
    let rows: Vec<(Delivery, Subscription, Notification)> = deliveries::table
        .inner_join(subscriptions::table)
        .inner_join(notifications::table)
        .filter(deliveries::id.eq_any(&ids))
        // Ids are time-ordered: of two due at once, the older first.
        .order((deliveries::available_at.asc(), deliveries::id.asc()))
        .select((
            Delivery::as_select(),
            Subscription::as_select(),
            Notification::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(delivery, subscription, notification)| Due {
            delivery,
            subscription,
            notification,
        })
        .collect())
}

/// How one attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub at: NaiveDateTime,
    /// The HTTP status, when an answer came.
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    /// What went wrong; `None`: delivered.
    pub error: Option<String>,
}

fn record(
    conn: &mut DbConnection,
    delivery: &DeliveryId,
    subscription: &SubscriptionId,
    attempt: &Attempt,
) -> StoreResult<()> {
    diesel::insert_into(delivery_attempts::table)
        .values((
            delivery_attempts::id.eq(crate::new_id()),
            delivery_attempts::delivery_id.eq(delivery),
            delivery_attempts::subscription_id.eq(subscription),
            delivery_attempts::at.eq(attempt.at),
            delivery_attempts::status_code.eq(attempt.status_code),
            delivery_attempts::latency_ms.eq(attempt.latency_ms),
            delivery_attempts::error.eq(&attempt.error),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks deliveries done, each with its attempt.
pub fn delivered(
    conn: &mut DbConnection,
    done: &[(DeliveryId, SubscriptionId, Attempt)],
) -> StoreResult<()> {
    for (delivery, subscription, attempt) in done {
        record(conn, delivery, subscription, attempt)?;
    }
    let ids: Vec<&DeliveryId> = done.iter().map(|(id, _, _)| id).collect();
    diesel::update(deliveries::table.filter(deliveries::id.eq_any(ids)))
        .set((
            deliveries::delivered_at.eq(crate::now()),
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deliveries neither made nor given up on (due or waiting for a retry): the notification
/// queue's depth, for metrics.
pub fn pending_count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(deliveries::table
        .filter(deliveries::delivered_at.is_null())
        .filter(deliveries::abandoned_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Records a failed attempt: tried again at `retry_at`, or given up on when `None`.
pub fn failed(
    conn: &mut DbConnection,
    delivery: &DeliveryId,
    subscription: &SubscriptionId,
    attempt: &Attempt,
    retry_at: Option<NaiveDateTime>,
) -> StoreResult<()> {
    record(conn, delivery, subscription, attempt)?;
    let now = crate::now();
    diesel::update(deliveries::table.find(delivery))
        .set((
            deliveries::attempts.eq(deliveries::attempts + 1),
            deliveries::last_error.eq(&attempt.error),
            deliveries::available_at.eq(retry_at.unwrap_or(now)),
            deliveries::abandoned_at.eq(retry_at.is_none().then_some(now)),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up on a subscription's pending deliveries (it was disabled).
pub fn abandon_pending(conn: &mut DbConnection, subscription: &SubscriptionId) -> StoreResult<()> {
    diesel::update(
        deliveries::table
            .filter(deliveries::subscription_id.eq(subscription))
            .filter(deliveries::delivered_at.is_null())
            .filter(deliveries::abandoned_at.is_null()),
    )
    .set((
        deliveries::abandoned_at.eq(crate::now()),
        deliveries::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(())
}

/// One line of a subscription's delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LogEntry {
    pub delivery_id: DeliveryId,
    pub event: String,
    pub at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub abandoned_at: Option<NaiveDateTime>,
}

/// The newest `limit` attempts of the org's subscription, newest first.
pub fn log(
    conn: &mut DbConnection,
    org: &OrgId,
    subscription: &SubscriptionId,
    limit: i64,
) -> StoreResult<Vec<LogEntry>> {
    crate::subscriptions::get(conn, org, subscription)?;
    Ok(delivery_attempts::table
        .inner_join(deliveries::table.inner_join(notifications::table))
        .filter(delivery_attempts::subscription_id.eq(subscription))
        .order((delivery_attempts::at.desc(), delivery_attempts::id.desc()))
        .limit(limit)
        .select((
            delivery_attempts::delivery_id,
            notifications::event,
            delivery_attempts::at,
            delivery_attempts::status_code,
            delivery_attempts::latency_ms,
            delivery_attempts::error,
            deliveries::delivered_at,
            deliveries::abandoned_at,
        ))
        .load(conn)?)
}

/// Sends a delivery of the org's subscription again, now.
pub fn redeliver(
    conn: &mut DbConnection,
    org: &OrgId,
    subscription: &SubscriptionId,
    delivery: &DeliveryId,
) -> StoreResult<()> {
    let changed = diesel::update(
        deliveries::table
            .filter(deliveries::org_id.eq(org))
            .filter(deliveries::subscription_id.eq(subscription))
            .filter(deliveries::id.eq(delivery)),
    )
    .set((
        deliveries::available_at.eq(crate::now()),
        deliveries::delivered_at.eq(None::<NaiveDateTime>),
        deliveries::abandoned_at.eq(None::<NaiveDateTime>),
        deliveries::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Delivery));
    }
    Ok(())
}

/// Deliveries of a notification by state: (delivered, pending, abandoned).
pub fn progress(conn: &mut DbConnection, id: &NotificationId) -> StoreResult<(i64, i64, i64)> {
    let rows: Vec<(Option<NaiveDateTime>, Option<NaiveDateTime>)> = deliveries::table
        .filter(deliveries::notification_id.eq(id))
        .select((deliveries::delivered_at, deliveries::abandoned_at))
        .load(conn)?;
    let delivered = rows.iter().filter(|(d, _)| d.is_some()).count() as i64;
    let abandoned = rows
        .iter()
        .filter(|(d, a)| d.is_none() && a.is_some())
        .count() as i64;
    Ok((
        delivered,
        rows.len() as i64 - delivered - abandoned,
        abandoned,
    ))
}
