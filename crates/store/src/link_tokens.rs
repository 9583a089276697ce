//! Single-use links mailed to a person about their own account: password resets and address
//! confirmations. A token per link, stored hashed, for one purpose, valid until it expires or
//! is used.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::link_tokens;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// What a link does; a token works only for its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    PasswordReset,
    EmailVerification,
    /// A new address for an account, the token's detail: it becomes the account's when the link
    /// sent to it is followed.
    EmailChange,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailVerification => "email_verification",
            Purpose::EmailChange => "email_change",
        }
    }
}

/// Stores a token of `purpose` for `user`.
pub fn create(
    conn: &mut DbConnection,
    user: &UserId,
    purpose: Purpose,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    create_with_detail(conn, user, purpose, token_hash, expires_at, None)
}

/// Stores a token of `purpose` for `user` with what it is for (an email change's new address).
pub fn create_with_detail(
    conn: &mut DbConnection,
    user: &UserId,
    purpose: Purpose,
    token_hash: &str,
    expires_at: NaiveDateTime,
    detail: Option<&str>,
) -> StoreResult<()> {
    diesel::insert_into(link_tokens::table)
        .values((
            link_tokens::id.eq(crate::new_id()),
            link_tokens::user_id.eq(user),
            link_tokens::purpose.eq(purpose.as_str()),
            link_tokens::token_hash.eq(token_hash),
            link_tokens::created_at.eq(crate::now()),
            link_tokens::expires_at.eq(expires_at),
            link_tokens::detail.eq(detail),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the token is valid (of this purpose, unused, unexpired), without using it: a reset
/// checks it before hashing the new password, so a wrong token costs a read, not Argon2.
pub fn is_valid(conn: &mut DbConnection, purpose: Purpose, token_hash: &str) -> StoreResult<bool> {
    use diesel::dsl::exists;
    Ok(diesel::select(exists(
        link_tokens::table
            .filter(link_tokens::token_hash.eq(token_hash))
            .filter(link_tokens::purpose.eq(purpose.as_str()))
            .filter(link_tokens::used_at.is_null())
            .filter(link_tokens::expires_at.gt(crate::now())),
    ))
    .get_result(conn)?)
}

/// Uses the token: answers its user when it was valid (of this purpose, unused, unexpired), and
/// marks it used; of two requests presenting it at once, one gets the user.
pub fn consume(
    conn: &mut DbConnection,
    purpose: Purpose,
    token_hash: &str,
) -> StoreResult<Option<UserId>> {
    Ok(consume_with_detail(conn, purpose, token_hash)?.map(|(user, _)| user))
}

/// As [`consume`], with the token's detail (an email change's new address).
pub fn consume_with_detail(
    conn: &mut DbConnection,
    purpose: Purpose,
    token_hash: &str,
) -> StoreResult<Option<(UserId, Option<String>)>> {
    let now = crate::now();
    let found = link_tokens::table
        .filter(link_tokens::token_hash.eq(token_hash))
        .filter(link_tokens::purpose.eq(purpose.as_str()))
        .filter(link_tokens::used_at.is_null())
        .filter(link_tokens::expires_at.gt(now))
        .select((link_tokens::id, link_tokens::user_id, link_tokens::detail))
        .first::<(String, UserId, Option<String>)>(conn)
        .optional()?;
    let Some((id, user, detail)) = found else {
        return Ok(None);
    };
    let used = diesel::update(
        link_tokens::table
            .find(&id)
            .filter(link_tokens::used_at.is_null()),
    )
    .set(link_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok((used == 1).then_some((user, detail)))
}
