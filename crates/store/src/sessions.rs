//! Refresh tokens: stored hashed, rotated on every use. All tokens rotated from one sign-in
//! share a family; presenting a token that was already rotated means it leaked, so the whole
//! family is revoked.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::refresh_tokens;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// What presenting a refresh token led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now rotated and `new_hash` replaces it.
    Rotated { user: UserId, family: String },
    /// The token had been rotated before: its family is now revoked.
    Reused { user: UserId },
    /// Unknown, expired or revoked.
    Invalid,
}

/// Stores a new token of `family` (a new family at sign-in).
pub fn issue(
    conn: &mut DbConnection,
    user: &UserId,
    family: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(crate::new_id()),
            refresh_tokens::user_id.eq(user),
            refresh_tokens::family_id.eq(family),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::created_at.eq(crate::now()),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Rotates the token with `token_hash` into one with `new_hash`, or revokes its family on reuse.
pub fn rotate(
    conn: &mut DbConnection,
    token_hash: &str,
    new_hash: &str,
    new_expires_at: NaiveDateTime,
) -> StoreResult<Rotation> {
    let now = crate::now();
    let Some((id, user, family, expires_at, rotated_at, revoked_at)) = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            refresh_tokens::id,
            refresh_tokens::user_id,
            refresh_tokens::family_id,
            refresh_tokens::expires_at,
            refresh_tokens::rotated_at,
            refresh_tokens::revoked_at,
        ))
        .first::<(
            String,
            UserId,
            String,
            NaiveDateTime,
            Option<NaiveDateTime>,
            Option<NaiveDateTime>,
        )>(conn)
        .optional()?
    else {
        return Ok(Rotation::Invalid);
    };
    if revoked_at.is_some() || expires_at <= now {
        return Ok(Rotation::Invalid);
    }
    // Claim the token: only one presenter can rotate it, even when two race.
    let claimed = rotated_at.is_none()
        && diesel::update(
            refresh_tokens::table
                .find(&id)
                .filter(refresh_tokens::rotated_at.is_null()),
        )
        .set(refresh_tokens::rotated_at.eq(now))
        .execute(conn)?
            == 1;
    if !claimed {
        revoke_family(conn, &family)?;
        return Ok(Rotation::Reused { user });
    }
    issue(conn, &user, &family, new_hash, new_expires_at)?;
    Ok(Rotation::Rotated { user, family })
}

/// Revokes every token of a family (sign-out, or reuse detected).
pub fn revoke_family(conn: &mut DbConnection, family: &str) -> StoreResult<()> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(crate::now()))
    .execute(conn)?;
    Ok(())
}

/// The family of the token with this hash, if it is known.
pub fn family_of(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<String>> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select(refresh_tokens::family_id)
        .first(conn)
        .optional()?)
}

/// Whether the session (refresh-token family) goes on: one of its tokens is not revoked.
/// Access tokens name their session; once this is false they are refused.
pub fn is_live(conn: &mut DbConnection, family: &str) -> StoreResult<bool> {
    use diesel::dsl::exists;
    Ok(diesel::select(exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    ))
    .get_result(conn)?)
}

/// Revokes every session of a user (after a password reset, or by `upstate admin
/// revoke-sessions`); answers how many refresh tokens were still valid.
pub fn revoke_all_of_user(conn: &mut DbConnection, user: &UserId) -> StoreResult<usize> {
    let revoked = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(crate::now()))
    .execute(conn)?;
    Ok(revoked)
}
