//! Users: people with an account. Emails are kept lowercased, so each is unique in any case.

use crate::db::DbConnection;
use crate::error::{OrMissing, StoreResult};
use crate::schema::users;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// Whether anyone has an account on this server.
pub fn any(conn: &mut DbConnection) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table
            .filter(users::erased_at.is_null())
            .select(users::id),
    ))
    .get_result(conn)?)
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// When the person followed the link sent to their address; until then the server sends
    /// no invitation on their behalf.
    pub email_verified_at: Option<NaiveDateTime>,
    /// When the person deleted their account; the row keeps nothing personal since.
    pub erased_at: Option<NaiveDateTime>,
}

impl User {
    pub fn is_verified(&self) -> bool {
        self.email_verified_at.is_some()
    }
}

/// What it takes to create a user. The password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
}

/// Creates a user; a taken email (in any case) is `StoreError::Conflict`.
pub fn create(conn: &mut DbConnection, new: NewUser<'_>) -> StoreResult<User> {
    let now = crate::now();
    let user = User {
        id: UserId(crate::new_id()),
        email: new.email.to_lowercase(),
        name: new.name.to_owned(),
        password_hash: new.password_hash.to_owned(),
        created_at: now,
        updated_at: now,
        email_verified_at: None,
        erased_at: None,
    };
    diesel::insert_into(users::table)
        .values(&user)
        .execute(conn)?;
    Ok(user)
}

/// The user with this email (in any case), if any.
pub fn find_by_email(conn: &mut DbConnection, email: &str) -> StoreResult<Option<User>> {
    Ok(users::table
        .filter(users::email.eq(email.to_lowercase()))
        .filter(users::erased_at.is_null())
        .select(User::as_select())
        .first(conn)
        .optional()?)
}

/// Every user, oldest account first (for the operator's `upstate admin users`); not those who
/// deleted their account.
pub fn all(conn: &mut DbConnection) -> StoreResult<Vec<User>> {
    Ok(users::table
        .filter(users::erased_at.is_null())
        .order((users::created_at.asc(), users::id.asc()))
        .select(User::as_select())
        .load(conn)?)
}

/// The user with this id.
pub fn get(conn: &mut DbConnection, user: &UserId) -> StoreResult<User> {
    users::table
        .find(user)
        .select(User::as_select())
        .first(conn)
        .or_missing(crate::Missing::User)
}

/// Records that the user's email address is verified (once; later calls change nothing).
pub fn mark_verified(conn: &mut DbConnection, user: &UserId) -> StoreResult<()> {
    diesel::update(
        users::table
            .find(user)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(crate::now()))
    .execute(conn)?;
    Ok(())
}

/// Replaces the user's password hash.
pub fn set_password(
    conn: &mut DbConnection,
    user: &UserId,
    password_hash: &str,
) -> StoreResult<()> {
    let changed = diesel::update(users::table.find(user))
        .set((
            users::password_hash.eq(password_hash),
            users::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::StoreError::NotFound(crate::Missing::User));
    }
    Ok(())
}

/// Gives `user` a new address, confirmed (they followed the link sent to it); another
/// account's address (in any case) is `StoreError::Conflict`.
pub fn set_email(conn: &mut DbConnection, user: &UserId, email: &str) -> StoreResult<User> {
    let now = crate::now();
    let changed = diesel::update(users::table.find(user))
        .set((
            users::email.eq(email.to_lowercase()),
            users::email_verified_at.eq(Some(now)),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::StoreError::NotFound(crate::Missing::User));
    }
    get(conn, user)
}

/// Renames `user` (their own profile); answers the account as it is now.
pub fn set_name(conn: &mut DbConnection, user: &UserId, name: &str) -> StoreResult<User> {
    let changed = diesel::update(users::table.find(user))
        .set((users::name.eq(name), users::updated_at.eq(crate::now())))
        .execute(conn)?;
    if changed == 0 {
        return Err(crate::StoreError::NotFound(crate::Missing::User));
    }
    get(conn, user)
}

/// The names and emails of these users: `(id, name, email)`; those who deleted their account
/// are left out (they are former members).
pub fn names(
    conn: &mut DbConnection,
    ids: &[UserId],
) -> StoreResult<Vec<(UserId, String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .filter(users::erased_at.is_null())
        .select((users::id, users::name, users::email))
        .load(conn)?)
}
