//! Password reset tokens: stored hashed, single-use, short-lived.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::password_resets;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// Stores a reset token for `user`.
pub fn create(
    conn: &mut DbConnection,
    user: &UserId,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(crate::new_id()),
            password_resets::user_id.eq(user.as_str()),
            password_resets::token_hash.eq(token_hash),
            password_resets::created_at.eq(crate::now()),
            password_resets::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the token is valid (unused, unexpired), without using it: checked before the new
/// password is hashed, so a wrong token costs a read, not an Argon2 hash.
pub fn is_valid(conn: &mut DbConnection, token_hash: &str) -> StoreResult<bool> {
    use diesel::dsl::exists;
    Ok(diesel::select(exists(
        password_resets::table
            .filter(password_resets::token_hash.eq(token_hash))
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::expires_at.gt(crate::now())),
    ))
    .get_result(conn)?)
}

/// Uses the token: answers its user when it was valid (unused, unexpired), and marks it used.
pub fn consume(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<UserId>> {
    let now = crate::now();
    let found = password_resets::table
        .filter(password_resets::token_hash.eq(token_hash))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now))
        .select((password_resets::id, password_resets::user_id))
        .first::<(String, String)>(conn)
        .optional()?;
    let Some((id, user)) = found else {
        return Ok(None);
    };
    let used = diesel::update(
        password_resets::table
            .find(&id)
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    Ok((used == 1).then_some(UserId(user)))
}
