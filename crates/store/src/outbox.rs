//! The outbox: outbound messages written in the transaction that causes them, then delivered
//! (and retried) by a worker. A message is claimed with a lease before delivery, so two workers
//! (two replicas) never send it twice, and one whose worker died is taken up again.

use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use crate::schema::outbox;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use upstate_shared::{OrgId, UserId};

/// A message as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct Message {
    pub id: String,
    pub org_id: Option<OrgId>,
    pub kind: String,
    pub payload: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub available_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// What a delivered message's payload is replaced with.
pub const DELIVERED_PAYLOAD: &str = "";

/// Queues a message of `kind` (e.g. `email`) for delivery.
pub fn enqueue(
    conn: &mut DbConnection,
    org: Option<&OrgId>,
    kind: &str,
    payload: &serde_json::Value,
) -> StoreResult<String> {
    insert(conn, org, None, kind, payload)
}

fn insert(
    conn: &mut DbConnection,
    org: Option<&OrgId>,
    sender: Option<&UserId>,
    kind: &str,
    payload: &serde_json::Value,
) -> StoreResult<String> {
    let id = crate::new_id();
    let now = crate::now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::org_id.eq(org),
            outbox::on_behalf_of.eq(sender),
            outbox::kind.eq(kind),
            outbox::payload.eq(payload.to_string()),
            outbox::attempts.eq(0),
            outbox::created_at.eq(now),
            outbox::available_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Messages sent on one person's behalf (the invitations they send, whatever the org) in any
/// hour. Counted in the database, so it holds across replicas and restarts.
pub const MAX_ON_BEHALF_PER_HOUR: usize = 30;

/// Queues a message sent on `sender`'s behalf; `Limited` (and nothing queued) when they sent
/// [`MAX_ON_BEHALF_PER_HOUR`] in the last hour.
pub fn enqueue_on_behalf(
    conn: &mut DbConnection,
    org: Option<&OrgId>,
    sender: &UserId,
    kind: &str,
    payload: &serde_json::Value,
) -> StoreResult<String> {
    if let DbConnection::Postgres(pg) = conn {
        // One sender's requests take turns until their transactions end, so concurrent ones
        // cannot all count the same total. (SQLite transactions already take turns.)
        diesel::sql_query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE")
            .bind::<diesel::sql_types::Text, _>(sender.as_str())
            .execute(pg)?;
    }
    let now = crate::now();
    let hour = Duration::hours(1);
    let recent: Vec<NaiveDateTime> = outbox::table
        .filter(outbox::on_behalf_of.eq(sender))
        .filter(outbox::created_at.gt(now - hour))
        .order(outbox::created_at.asc())
        .select(outbox::created_at)
        .limit(MAX_ON_BEHALF_PER_HOUR as i64)
        .load(conn)?;
    if recent.len() >= MAX_ON_BEHALF_PER_HOUR {
        // Free again when the oldest of them is an hour old.
        let wait = (recent[0] + hour - now).num_seconds().max(1);
        return Err(StoreError::Limited {
            retry_after_secs: wait as u64,
        });
    }
    insert(conn, org, Some(sender), kind, payload)
}

/// Messages not delivered yet (due or waiting for a retry): the outbox's depth, for metrics.
pub fn pending_count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(outbox::table
        .filter(outbox::delivered_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Claims up to `limit` messages that are due, each for `lease`; answers the claimed ones.
pub fn claim_due(
    conn: &mut DbConnection,
    limit: i64,
    lease: Duration,
) -> StoreResult<Vec<Message>> {
    let now = crate::now();
    let due: Vec<String> = outbox::table
        .filter(outbox::delivered_at.is_null())
        .filter(outbox::available_at.le(now))
        .filter(
            outbox::locked_until
                .is_null()
                .or(outbox::locked_until.lt(now)),
        )
        .order(outbox::available_at.asc())
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    let mut claimed = Vec::with_capacity(due.len());
    for id in due {
        // Only one claimant wins each message, whatever the engine.
        let won = diesel::update(
            outbox::table
                .find(&id)
                .filter(outbox::delivered_at.is_null())
                .filter(
                    outbox::locked_until
                        .is_null()
                        .or(outbox::locked_until.lt(now)),
                ),
        )
        .set(outbox::locked_until.eq(now + lease))
        .execute(conn)?;
        if won == 1 {
            claimed.push(
                outbox::table
                    .find(&id)
                    .select(Message::as_select())
                    .first(conn)?,
            );
        }
    }
    Ok(claimed)
}

/// Marks a message delivered and forgets what it said: a delivered mail's links (password
/// resets, invitations) are secrets that have no business staying in the database. The row
/// keeps when, where (org) and what kind of message went out, until retention removes it.
pub fn delivered(conn: &mut DbConnection, id: &str) -> StoreResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::delivered_at.eq(crate::now()),
            outbox::payload.eq(DELIVERED_PAYLOAD),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt; the message is tried again after `retry_in`.
pub fn failed(
    conn: &mut DbConnection,
    id: &str,
    error: &str,
    retry_in: Duration,
) -> StoreResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::available_at.eq(crate::now() + retry_in),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// The message with this id.
pub fn get(conn: &mut DbConnection, id: &str) -> StoreResult<Message> {
    Ok(outbox::table
        .find(id)
        .select(Message::as_select())
        .first(conn)?)
}
