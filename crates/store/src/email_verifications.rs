//! Email verification links: a token per link, stored hashed, single-use, valid for a week.
//! Following one marks its user's address verified.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::email_verifications;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// Stores a verification token for `user`.
pub fn create(
    conn: &mut DbConnection,
    user: &UserId,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(email_verifications::table)
        .values((
            email_verifications::id.eq(crate::new_id()),
            email_verifications::user_id.eq(user.as_str()),
            email_verifications::token_hash.eq(token_hash),
            email_verifications::created_at.eq(crate::now()),
            email_verifications::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Uses the token: when it is valid (unused, unexpired), marks it used and its user's address
/// verified, and answers the user.
pub fn consume(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<UserId>> {
    let now = crate::now();
    let found = email_verifications::table
        .filter(email_verifications::token_hash.eq(token_hash))
        .filter(email_verifications::used_at.is_null())
        .filter(email_verifications::expires_at.gt(now))
        .select((email_verifications::id, email_verifications::user_id))
        .first::<(String, String)>(conn)
        .optional()?;
    let Some((id, user)) = found else {
        return Ok(None);
    };
    let used = diesel::update(
        email_verifications::table
            .find(&id)
            .filter(email_verifications::used_at.is_null()),
    )
    .set(email_verifications::used_at.eq(now))
    .execute(conn)?;
    if used != 1 {
        return Ok(None);
    }
    let user = UserId(user);
    crate::users::mark_verified(conn, &user)?;
    Ok(Some(user))
}
