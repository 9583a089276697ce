//! The realtime event log: each write that others should see appends the org's next event in
//! its own transaction. Bumping `organizations.event_seq` takes the org's row lock, so
//! concurrent writers of one org line up and `seq` has no gaps or repeats, on both engines.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{events, organizations};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{EventKind, OrgId};

/// An event as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct Event {
    pub org_id: OrgId,
    pub seq: i64,
    #[diesel(deserialize_as = DbText<EventKind>)]
    pub event_type: EventKind,
    /// JSON of the resource in its public form.
    pub payload: String,
    /// JSON of the resource in the dashboard's form, when it differs.
    pub member_payload: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Appends the org's next event; call inside the transaction of the write it describes.
pub fn append(
    conn: &mut DbConnection,
    org: &OrgId,
    kind: EventKind,
    payload: &serde_json::Value,
    member_payload: Option<&serde_json::Value>,
) -> StoreResult<Event> {
    let seq: i64 = diesel::update(organizations::table.find(org))
        .set(organizations::event_seq.eq(organizations::event_seq + 1))
        .returning(organizations::event_seq)
        .get_result(conn)?;
    let event = Event {
        org_id: org.clone(),
        seq,
        event_type: kind,
        payload: payload.to_string(),
        member_payload: member_payload.map(|value| value.to_string()),
        created_at: crate::now(),
    };
    diesel::insert_into(events::table)
        .values((
            events::org_id.eq(&event.org_id),
            events::seq.eq(event.seq),
            events::event_type.eq(kind.as_str()),
            events::payload.eq(&event.payload),
            events::member_payload.eq(&event.member_payload),
            events::created_at.eq(event.created_at),
        ))
        .execute(conn)?;
    if let DbConnection::Postgres(pg) = conn {
        // Delivered to every replica's listener when this transaction commits.
        diesel::sql_query("SELECT pg_notify($1, $2)")
            .bind::<diesel::sql_types::Text, _>(crate::listen::CHANNEL)
            .bind::<diesel::sql_types::Text, _>(format!("{}:{}", org.as_str(), seq))
            .execute(pg)?;
    }
    Ok(event)
}

/// The org's current `seq` (0 before its first event).
pub fn current_seq(conn: &mut DbConnection, org: &OrgId) -> StoreResult<i64> {
    Ok(organizations::table
        .find(org)
        .select(organizations::event_seq)
        .first(conn)?)
}

/// The org's events after `seq`, oldest first, at most `limit`.
pub fn after(
    conn: &mut DbConnection,
    org: &OrgId,
    seq: i64,
    limit: i64,
) -> StoreResult<Vec<Event>> {
    Ok(events::table
        .filter(events::org_id.eq(org))
        .filter(events::seq.gt(seq))
        .order(events::seq.asc())
        .limit(limit)
        .select(Event::as_select())
        .load(conn)?)
}
