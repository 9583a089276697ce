//! Invitations to join an org: a single-use token (stored hashed) sent by email.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult, TeamRule};
use crate::schema::invitations;
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{InvitationId, OrgId, Role, UserId};

/// An invitation as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: InvitationId,
    pub org_id: OrgId,
    pub email: String,
    #[diesel(deserialize_as = DbText<Role>)]
    pub role: Role,
    pub invited_by: Option<UserId>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

/// The most invitations an org may have pending at once.
pub const MAX_PENDING: i64 = 100;

/// A new invitation: for `email` (lowercased), with `role`, from someone whose own role is
/// `by` (the person `invited_by`, or an API key when `None`).
pub struct NewInvitation<'a> {
    pub email: &'a str,
    pub role: Role,
    pub by: Role,
    pub invited_by: Option<&'a UserId>,
    pub token_hash: &'a str,
    pub expires_at: NaiveDateTime,
}

/// Stores an invitation under the team's rules: only an owner invites an owner, and a member
/// is not invited again ([`TeamRule`]); refused (`Stale`) while the org has [`MAX_PENDING`]
/// invitations pending.
pub fn create(
    conn: &mut DbConnection,
    org: &OrgId,
    new: NewInvitation<'_>,
) -> StoreResult<Invitation> {
    let NewInvitation {
        email,
        role,
        by,
        invited_by,
        token_hash,
        expires_at,
    } = new;
    if role == Role::Owner && by != Role::Owner {
        return Err(StoreError::Team(TeamRule::OwnersOnly));
    }
    if let Some(person) = crate::users::find_by_email(conn, email)?
        && crate::memberships::role_of(conn, org, &person.id)?.is_some()
    {
        return Err(StoreError::Team(TeamRule::AlreadyMember));
    }
    let pending: i64 = invitations::table
        .filter(invitations::org_id.eq(org))
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
    let id = InvitationId(crate::new_id());
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::org_id.eq(org),
            invitations::email.eq(email.to_lowercase()),
            invitations::role.eq(role.as_str()),
            invitations::token_hash.eq(token_hash),
            invitations::invited_by.eq(invited_by),
            invitations::created_at.eq(crate::now()),
            invitations::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    invitations::table
        .find(&id)
        .select(Invitation::as_select())
        .first(conn)
        .or_missing(Missing::Invitation)
}

/// The org's invitations that can still be accepted, newest first.
pub fn pending(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<Invitation>> {
    Ok(invitations::table
        .filter(invitations::org_id.eq(org))
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
            .find(id)
            .filter(invitations::org_id.eq(org))
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set(invitations::revoked_at.eq(crate::now()))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Invitation));
    }
    invitations::table
        .find(id)
        .select(Invitation::as_select())
        .first(conn)
        .or_missing(Missing::Invitation)
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

/// `user` accepts the invitation with this token and joins its org with its role, under the
/// team's rules: the invitation can still be accepted, was sent to the person's email, and
/// the person is not a member already ([`TeamRule`]). Answers the invitation.
pub fn accept(conn: &mut DbConnection, token_hash: &str, user: &UserId) -> StoreResult<Invitation> {
    let invitation =
        find_acceptable(conn, token_hash)?.ok_or(StoreError::Team(TeamRule::InvitationNotValid))?;
    if crate::users::get(conn, user)?.email != invitation.email {
        return Err(StoreError::Team(TeamRule::InvitationForSomeoneElse));
    }
    if crate::memberships::role_of(conn, &invitation.org_id, user)?.is_some() {
        return Err(StoreError::Team(TeamRule::AlreadyMember));
    }
    crate::memberships::add(conn, &invitation.org_id, user, invitation.role)?;
    mark_accepted(conn, &invitation.id, user)?;
    Ok(invitation)
}

/// Marks the invitation accepted by `user`; `NotFound` if it was accepted or revoked meanwhile.
pub fn mark_accepted(conn: &mut DbConnection, id: &InvitationId, user: &UserId) -> StoreResult<()> {
    let changed = diesel::update(
        invitations::table
            .find(id)
            .filter(invitations::accepted_at.is_null())
            .filter(invitations::revoked_at.is_null()),
    )
    .set((
        invitations::accepted_at.eq(crate::now()),
        invitations::accepted_by.eq(user),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Invitation));
    }
    Ok(())
}
