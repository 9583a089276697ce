//! Sessions and their refresh tokens. A session is one sign-in: its refresh tokens, stored
//! hashed and rotated on every use, share a family (the session's id, which every access token
//! names); presenting a token that was already rotated means it leaked, so the whole family is
//! revoked. The `sessions` row says when the session began, when and from where it was last used,
//! and when it ended, for its person to see and end ([`list_live`], [`end`]).

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::error::{Missing, StoreError};
use crate::schema::{refresh_tokens, sessions};
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

/// Revokes every token of a family (sign-out, or reuse detected): its session ends.
pub fn revoke_family(conn: &mut DbConnection, family: &str) -> StoreResult<()> {
    let now = crate::now();
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    diesel::update(
        sessions::table
            .find(family)
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(now))
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
    let now = crate::now();
    let revoked = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(now))
    .execute(conn)?;
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user))
            .filter(sessions::ended_at.is_null()),
    )
    .set(sessions::ended_at.eq(now))
    .execute(conn)?;
    Ok(revoked)
}

/// Where a session is used from: the client's address and its `User-Agent`, as the request
/// that signed in or refreshed told them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
}

/// How much of a `User-Agent` is kept: enough to tell browsers apart, not a place to store text.
pub const USER_AGENT_MAX: usize = 256;

impl Seen {
    fn user_agent(&self) -> Option<String> {
        self.user_agent
            .as_deref()
            .map(|agent| {
                agent
                    .trim()
                    .chars()
                    .take(USER_AGENT_MAX)
                    .collect::<String>()
            })
            .filter(|agent| !agent.is_empty())
    }
}

/// Records the beginning of `user`'s session `family` (a sign-in), seen as `seen`.
pub fn begin(conn: &mut DbConnection, user: &UserId, family: &str, seen: &Seen) -> StoreResult<()> {
    let now = crate::now();
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(family),
            sessions::user_id.eq(user),
            sessions::created_at.eq(now),
            sessions::last_used_at.eq(now),
            sessions::client_address.eq(&seen.client_address),
            sessions::user_agent.eq(seen.user_agent()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a use of session `family` (a refresh), seen as `seen`.
pub fn used(conn: &mut DbConnection, family: &str, seen: &Seen) -> StoreResult<()> {
    diesel::update(sessions::table.find(family))
        .set((
            sessions::last_used_at.eq(crate::now()),
            sessions::client_address.eq(&seen.client_address),
            sessions::user_agent.eq(seen.user_agent()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A session of a person, as they see it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: NaiveDateTime,
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
}

/// `user`'s sessions that go on (not ended, with a refresh token still good), the one used last
/// first.
pub fn list_live(conn: &mut DbConnection, user: &UserId) -> StoreResult<Vec<Session>> {
    use diesel::dsl::exists;
    let now = crate::now();
    Ok(sessions::table
        .filter(sessions::user_id.eq(user))
        .filter(sessions::ended_at.is_null())
        .filter(exists(
            refresh_tokens::table
                .filter(refresh_tokens::family_id.eq(sessions::id))
                .filter(refresh_tokens::revoked_at.is_null())
                .filter(refresh_tokens::expires_at.gt(now)),
        ))
        .order((sessions::last_used_at.desc(), sessions::id))
        .select(Session::as_select())
        .load(conn)?)
}

/// Ends `user`'s session `family`: its refresh tokens stop working at once, and its access
/// tokens with it (they name their session, which the API checks on every request).
/// `NotFound` when it is not theirs or has ended.
pub fn end(conn: &mut DbConnection, user: &UserId, family: &str) -> StoreResult<()> {
    let theirs = list_live(conn, user)?.iter().any(|s| s.id == family);
    if !theirs {
        return Err(StoreError::NotFound(Missing::Session));
    }
    revoke_family(conn, family)
}

/// Ends every session of `user` but `keep` (the one asking); answers how many ended.
pub fn end_others(conn: &mut DbConnection, user: &UserId, keep: &str) -> StoreResult<usize> {
    let others: Vec<String> = list_live(conn, user)?
        .into_iter()
        .map(|s| s.id)
        .filter(|id| id != keep)
        .collect();
    for family in &others {
        revoke_family(conn, family)?;
    }
    Ok(others.len())
}
