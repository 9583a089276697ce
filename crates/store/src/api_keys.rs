//! API keys for integrators: stored hashed, scoped to one org and one role, revocable.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult};
use crate::schema::api_keys;
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{ApiKeyId, OrgId, Role, UserId};

/// An API key as stored (its hash stays in the database).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub org_id: OrgId,
    pub name: String,
    #[diesel(deserialize_as = DbText<Role>)]
    pub role: Role,
    pub key_prefix: String,
    pub created_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// What it takes to store a key.
pub struct NewApiKey<'a> {
    pub name: &'a str,
    pub role: Role,
    pub prefix: &'a str,
    pub key_hash: &'a str,
    pub created_by: Option<&'a UserId>,
}

pub fn create(conn: &mut DbConnection, org: &OrgId, new: NewApiKey<'_>) -> StoreResult<ApiKey> {
    let id = ApiKeyId(crate::new_id());
    diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(&id),
            api_keys::org_id.eq(org),
            api_keys::name.eq(new.name),
            api_keys::role.eq(new.role.as_str()),
            api_keys::key_prefix.eq(new.prefix),
            api_keys::key_hash.eq(new.key_hash),
            api_keys::created_by.eq(new.created_by),
            api_keys::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    api_keys::table
        .find(&id)
        .select(ApiKey::as_select())
        .first(conn)
        .or_missing(Missing::ApiKey)
}

/// The org's keys that are not revoked, newest first.
pub fn active(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<ApiKey>> {
    Ok(api_keys::table
        .filter(api_keys::org_id.eq(org))
        .filter(api_keys::revoked_at.is_null())
        .order(api_keys::id.desc())
        .select(ApiKey::as_select())
        .load(conn)?)
}

/// Revokes one of the org's keys; `NotFound` when it has none by that id.
pub fn revoke(conn: &mut DbConnection, org: &OrgId, id: &ApiKeyId) -> StoreResult<ApiKey> {
    let changed = diesel::update(
        api_keys::table
            .find(id)
            .filter(api_keys::org_id.eq(org))
            .filter(api_keys::revoked_at.is_null()),
    )
    .set(api_keys::revoked_at.eq(crate::now()))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::ApiKey));
    }
    api_keys::table
        .find(id)
        .select(ApiKey::as_select())
        .first(conn)
        .or_missing(Missing::ApiKey)
}

/// The active key with this hash, if any.
pub fn find_active(conn: &mut DbConnection, key_hash: &str) -> StoreResult<Option<ApiKey>> {
    Ok(api_keys::table
        .filter(api_keys::key_hash.eq(key_hash))
        .filter(api_keys::revoked_at.is_null())
        .select(ApiKey::as_select())
        .first(conn)
        .optional()?)
}

/// Whether the key with this id is still active (not revoked).
pub fn is_active(conn: &mut DbConnection, id: &ApiKeyId) -> StoreResult<bool> {
    use diesel::dsl::exists;
    Ok(diesel::select(exists(
        api_keys::table
            .filter(api_keys::id.eq(id))
            .filter(api_keys::revoked_at.is_null()),
    ))
    .get_result(conn)?)
}

/// Records that the key was used now.
pub fn touch(conn: &mut DbConnection, id: &ApiKeyId, at: NaiveDateTime) -> StoreResult<()> {
    diesel::update(api_keys::table.find(id))
        .set(api_keys::last_used_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// The names of these keys: `(id, name)`.
pub fn names(conn: &mut DbConnection, ids: &[ApiKeyId]) -> StoreResult<Vec<(ApiKeyId, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(api_keys::table
        .filter(api_keys::id.eq_any(ids))
        .select((api_keys::id, api_keys::name))
        .load(conn)?)
}
