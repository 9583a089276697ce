//! Memberships: who belongs to which organization, with which role.

use crate::db::DbConnection;
use crate::error::{Missing, OrMissing, StoreError, StoreResult, TeamRule};
use crate::schema::{memberships, organizations};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{OrgId, Role, UserId};

/// A membership as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub org_id: OrgId,
    pub user_id: UserId,
    #[diesel(deserialize_as = DbText<Role>, serialize_as = DbText<Role>)]
    pub role: Role,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Makes `user` a member of `org` with `role`; already being one is `StoreError::Conflict`.
pub fn add(
    conn: &mut DbConnection,
    org: &OrgId,
    user: &UserId,
    role: Role,
) -> StoreResult<Membership> {
    let now = crate::now();
    let membership = Membership {
        org_id: org.clone(),
        user_id: user.clone(),
        role,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(memberships::table)
        .values(membership.clone())
        .execute(conn)?;
    Ok(membership)
}

/// The user's role in the org, or `None` when not a member.
pub fn role_of(conn: &mut DbConnection, org: &OrgId, user: &UserId) -> StoreResult<Option<Role>> {
    Ok(memberships::table
        .find((org, user))
        .select(memberships::role)
        .first::<DbText<Role>>(conn)
        .optional()?
        .map(|role| role.0))
}

/// The orgs the user belongs to, with the user's role in each, by name.
pub fn orgs_of_user(
    conn: &mut DbConnection,
    user: &UserId,
) -> StoreResult<Vec<(crate::organizations::Organization, Role)>> {
    let rows = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(user))
        .order(organizations::name.asc())
        .select((
            crate::organizations::Organization::as_select(),
            memberships::role,
        ))
        .load::<(crate::organizations::Organization, DbText<Role>)>(conn)?;
    Ok(rows.into_iter().map(|(org, role)| (org, role.0)).collect())
}

/// A member with their account.
pub type MemberRow = (Membership, crate::users::User);

/// The org's members, by name.
pub fn members(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Vec<MemberRow>> {
    use crate::schema::users;
    Ok(memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org))
        .order((users::name.asc(), users::id.asc()))
        .select((Membership::as_select(), crate::users::User::as_select()))
        .load(conn)?)
}

/// One member of the org; `NotFound` when the user is not one.
pub fn member(conn: &mut DbConnection, org: &OrgId, user: &UserId) -> StoreResult<MemberRow> {
    use crate::schema::users;
    memberships::table
        .inner_join(users::table)
        .filter(memberships::org_id.eq(org))
        .filter(memberships::user_id.eq(user))
        .select((Membership::as_select(), crate::users::User::as_select()))
        .first(conn)
        .or_missing(Missing::Member)
}

/// How many owners the org has. Read inside the transaction that would remove one: the caller
/// locks the org's row first (see [`crate::organizations::lock`]).
pub fn owner_count(conn: &mut DbConnection, org: &OrgId) -> StoreResult<i64> {
    Ok(memberships::table
        .filter(memberships::org_id.eq(org))
        .filter(memberships::role.eq(Role::Owner.as_str()))
        .count()
        .get_result(conn)?)
}

/// Changes a member's role; `NotFound` when the user is not a member.
pub fn set_role(
    conn: &mut DbConnection,
    org: &OrgId,
    user: &UserId,
    role: Role,
) -> StoreResult<()> {
    let changed = diesel::update(memberships::table.find((org, user)))
        .set((
            memberships::role.eq(role.as_str()),
            memberships::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(StoreError::NotFound(Missing::Member));
    }
    Ok(())
}

/// Changes `user`'s role to `to` for someone whose own role is `by`, under the team's rules
/// ([`TeamRule`]): the org's row is locked first, so two changes cannot each remove "the other"
/// owner. Answers the role the member had; `NotFound` when the user is not a member.
pub fn change_role(
    conn: &mut DbConnection,
    org: &OrgId,
    user: &UserId,
    to: Role,
    by: Role,
) -> StoreResult<Role> {
    crate::organizations::lock(conn, org)?;
    let from = member(conn, org, user)?.0.role;
    if (from == Role::Owner || to == Role::Owner) && by != Role::Owner {
        return Err(StoreError::Team(TeamRule::OwnersOnly));
    }
    if from == Role::Owner && to != Role::Owner && owner_count(conn, org)? <= 1 {
        return Err(StoreError::Team(TeamRule::LastOwner));
    }
    set_role(conn, org, user, to)?;
    Ok(from)
}

/// Who takes a member out of an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    /// The member themself.
    Themself,
    /// Someone else, with this role (admins and owners remove members).
    RemovedBy(Role),
}

/// Takes `user` out of the org under the team's rules ([`TeamRule`]): only an owner removes
/// an owner (anyone may leave), and the last owner stays. The org's row is locked first.
/// Answers the role the member had; `NotFound` when the user is not a member.
pub fn leave(
    conn: &mut DbConnection,
    org: &OrgId,
    user: &UserId,
    how: Leaving,
) -> StoreResult<Role> {
    crate::organizations::lock(conn, org)?;
    let role = member(conn, org, user)?.0.role;
    if role == Role::Owner {
        if matches!(how, Leaving::RemovedBy(by) if by != Role::Owner) {
            return Err(StoreError::Team(TeamRule::OwnersOnly));
        }
        if owner_count(conn, org)? <= 1 {
            return Err(StoreError::Team(TeamRule::LastOwner));
        }
    }
    remove(conn, org, user)?;
    Ok(role)
}

/// Removes a member; `NotFound` when the user is not a member.
pub fn remove(conn: &mut DbConnection, org: &OrgId, user: &UserId) -> StoreResult<()> {
    let removed = diesel::delete(memberships::table.find((org, user))).execute(conn)?;
    if removed == 0 {
        return Err(StoreError::NotFound(Missing::Member));
    }
    Ok(())
}
