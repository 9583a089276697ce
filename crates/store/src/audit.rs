//! The audit log: who did what, when, from where. Org entries belong to their org; sign-ins
//! belong to no org and show in the logs of the orgs their user is a member of.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{api_keys, audit_log, memberships, users};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{ApiKeyId, OrgId, UserId};

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(UserId),
    ApiKey(ApiKeyId),
    /// The server itself (the maintenance scheduler, ...), or an unknown person signing in.
    System,
}

/// An entry to record.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub org: Option<&'a OrgId>,
    pub actor: Actor,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<&'a str>,
    pub details: serde_json::Value,
    pub ip: Option<&'a str>,
}

/// Records an entry; call inside the transaction of what it describes.
pub fn record(conn: &mut DbConnection, entry: NewEntry<'_>) -> StoreResult<()> {
    let (user, key) = match &entry.actor {
        Actor::User(user) => (Some(user), None),
        Actor::ApiKey(key) => (None, Some(key)),
        Actor::System => (None, None),
    };
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(crate::new_id()),
            audit_log::org_id.eq(entry.org),
            audit_log::actor_user_id.eq(user),
            audit_log::actor_api_key_id.eq(key),
            audit_log::action.eq(entry.action),
            audit_log::target_type.eq(entry.target_type),
            audit_log::target_id.eq(entry.target_id),
            audit_log::details.eq(entry.details.to_string()),
            audit_log::ip.eq(entry.ip),
            audit_log::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// An entry as read, with its actor's names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub actor_user_id: Option<UserId>,
    pub actor_user_name: Option<String>,
    pub actor_user_email: Option<String>,
    pub actor_api_key_id: Option<ApiKeyId>,
    pub actor_api_key_name: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub details: String,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
}

type Row = (
    String,
    Option<UserId>,
    Option<String>,
    Option<String>,
    Option<ApiKeyId>,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    NaiveDateTime,
);

/// The org's log, newest first: its own entries and the sign-ins of its members since they
/// joined (what a person did before joining is not the org's business).
/// `before` is the id of the last entry of the previous page.
pub fn page(
    conn: &mut DbConnection,
    org: &OrgId,
    before: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<Entry>> {
    let mut query = audit_log::table
        // A person who deleted their account is joined to nothing: a former member.
        .left_join(
            users::table.on(audit_log::actor_user_id
                .eq(users::id.nullable())
                .and(users::erased_at.is_null())),
        )
        .left_join(api_keys::table.on(audit_log::actor_api_key_id.eq(api_keys::id.nullable())))
        .filter(
            audit_log::org_id.eq(org).or(audit_log::org_id
                .is_null()
                .and(audit_log::action.like("auth.%"))
                .and(diesel::dsl::exists(
                    memberships::table
                        .filter(memberships::org_id.eq(org))
                        .filter(memberships::user_id.nullable().eq(audit_log::actor_user_id))
                        .filter(memberships::created_at.le(audit_log::created_at)),
                ))),
        )
        .order(audit_log::id.desc())
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::actor_user_id,
            users::name.nullable(),
            users::email.nullable(),
            audit_log::actor_api_key_id,
            api_keys::name.nullable(),
            audit_log::action,
            audit_log::target_type,
            audit_log::target_id,
            audit_log::details,
            audit_log::ip,
            audit_log::created_at,
        ))
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(audit_log::id.lt(before.to_owned()));
    }
    let rows: Vec<Row> = query.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.0,
            actor_user_id: r.1,
            actor_user_name: r.2,
            actor_user_email: r.3,
            actor_api_key_id: r.4,
            actor_api_key_name: r.5,
            action: r.6,
            target_type: r.7,
            target_id: r.8,
            details: r.9,
            ip: r.10,
            created_at: r.11,
        })
        .collect())
}
