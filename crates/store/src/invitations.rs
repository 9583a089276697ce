//! Invitations to join an org: a single-use token (stored hashed) sent by email.

use crate::db::DbConnection;
use crate::error::{StoreError, StoreResult};
use crate::schema::invitations;
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{InvitationId, OrgId, Role, UserId};

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: String,
    pub org_id: String,
    pub email: String,
    #[diesel(deserialize_as = DbText<Role>)]
    pub role: Role,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The most invitations an org may have pending at once.
pub const MAX_PENDING: i64 = 100;

/// Stores an invitation for `email` (lowercased) with `role`; refused (`Stale`) while the org
/// has [`MAX_PENDING`] invitations pending.
pub fn create(
    conn: &mut DbConnection,
    org: &OrgId,
    email: &str,
    role: Role,
    token_hash: &str,
    invited_by: Option<&UserId>,
    expires_at: NaiveDateTime,
) -> StoreResult<Invitation> {
    let pending: i64 = invitations::table
        .filter(invitations::org_id.eq(org.as_str()))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(crate::now()))
        .count()
        .get_result(conn)?;
    if pending >= MAX_PENDING {
        return Err(crate::StoreError::Stale(format!(
            "This organization has {MAX_PENDING} invitations pending, the most it can; revoke some first."
        )));
    }
    let id = crate::new_id();
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::org_id.eq(org.as_str()),
            invitations::email.eq(email.to_lowercase()),
            invitations::role.eq(role.as_str()),
            invitations::token_hash.eq(token_hash),
            invitations::invited_by.eq(invited_by.map(UserId::as_str)),
            invitations::created_at.eq(crate::now()),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(invitations::table
        .find(&id)
        .select(Invitation::as_select())
        .first(conn)?)
}

/// The org's invitations that can still be accepted, newest first.
pub fn pending(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<Invitation>> {
    Ok(invitations::table
        .filter(invitations::org_id.eq(org.as_str()))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(crate::now()))
        .order(invitations::id.desc())
        .select(Invitation::as_select())
        .load(conn)?)
}

/// Revokes a pending invitation of the org; `NotFound` when there is none by that id.
pub fn revoke(conn: &mut DbConnection, org: &OrgId, id: &InvitationId) -> StoreResult<Invitation> {
    let changed = diesel::update(
        invitations::table
            .find(id.as_str())
            .filter(invitations::org_id.eq(org.as_str()))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set(invitations::revoked_at.eq(crate::now()))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(invitations::table
        .find(id.as_str())
        .select(Invitation::as_select())
        .first(conn)?)
}

/// The invitation with this token if it can still be accepted.
pub fn find_acceptable(
    conn: &mut DbConnection,
    token_hash: &str,
) -> StoreResult<Option<Invitation>> {
    Ok(invitations::table
        .filter(invitations::token_hash.eq(token_hash))
        .filter(invitations::accepted_at.is_null())
        .filter(invitations::revoked_at.is_null())
        .filter(invitations::expires_at.gt(crate::now()))
        .select(Invitation::as_select())
        .first(conn)
        .optional()?)
}

/// Marks the invitation accepted by `user`; `NotFound` if it was accepted or revoked meanwhile.
pub fn mark_accepted(conn: &mut DbConnection, id: &str, user: &UserId) -> StoreResult<()> {
    let changed = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set((
        invitations::accepted_at.eq(crate::now()),
        invitations::accepted_by.eq(user.as_str()),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
