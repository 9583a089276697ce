//! Two-factor sign-in (issue 22): a person's TOTP credential (its secret sealed by the API's
//! secrets key, which this crate never sees), their single-use recovery codes (stored hashed),
//! and the challenges that join a sign-in's password step to its code step.
//!
//! Every "use once" here is a conditional UPDATE that answers how many rows it changed, so of
//! two requests presenting the same code or challenge at once, exactly one wins.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{login_challenges, recovery_codes, totp_credentials};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// A person's TOTP credential.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = totp_credentials)]
pub struct TotpCredential {
    pub user_id: UserId,
    /// The secret as sealed by the API; opened only there.
    pub sealed_secret: String,
    pub created_at: NaiveDateTime,
    /// `None` while the enrolment waits for its first code: two-factor is not on yet.
    pub confirmed_at: Option<NaiveDateTime>,
    /// The time step of the last code accepted.
    pub last_used_step: Option<i64>,
}

impl TotpCredential {
    /// Whether two-factor is on (the enrolment was confirmed).
    pub fn is_on(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

/// The credential of `user`, confirmed or not.
pub fn totp(conn: &mut DbConnection, user: &UserId) -> StoreResult<Option<TotpCredential>> {
    Ok(totp_credentials::table
        .find(user)
        .select(TotpCredential::as_select())
        .first(conn)
        .optional()?)
}

/// Whether `user` has a second factor that is on: what an org requiring two-factor asks of its
/// members: a TOTP credential confirmed, or at least one passkey.
pub fn has_second_factor(conn: &mut DbConnection, user: &UserId) -> StoreResult<bool> {
    Ok(of_users_with_second_factor(conn, std::slice::from_ref(user))?.contains(user))
}

/// Which of `users` have a second factor that is on (for a members list, in one query).
pub fn of_users_with_second_factor(
    conn: &mut DbConnection,
    users: &[UserId],
) -> StoreResult<std::collections::HashSet<UserId>> {
    let mut with: std::collections::HashSet<UserId> = totp_credentials::table
        .filter(totp_credentials::user_id.eq_any(users))
        .filter(totp_credentials::confirmed_at.is_not_null())
        .select(totp_credentials::user_id)
        .load::<UserId>(conn)?
        .into_iter()
        .collect();
    with.extend(crate::passkeys::of_users_with_passkeys(conn, users)?);
    Ok(with)
}

/// Starts (or starts over) an enrolment with a new sealed secret, unconfirmed. The caller
/// checks first that two-factor is not on: this replaces whatever row there is.
pub fn start_enrolment(
    conn: &mut DbConnection,
    user: &UserId,
    sealed_secret: &str,
) -> StoreResult<()> {
    diesel::delete(totp_credentials::table.find(user)).execute(conn)?;
    diesel::insert_into(totp_credentials::table)
        .values((
            totp_credentials::user_id.eq(user),
            totp_credentials::sealed_secret.eq(sealed_secret),
            totp_credentials::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Replaces the sealed secret of `user` with the same secret sealed again (with the current
/// key, after a rotation of the secrets key).
pub fn reseal(conn: &mut DbConnection, user: &UserId, sealed_secret: &str) -> StoreResult<()> {
    diesel::update(totp_credentials::table.find(user))
        .set(totp_credentials::sealed_secret.eq(sealed_secret))
        .execute(conn)?;
    Ok(())
}

/// Every sealed secret, with its person (to seal them all again after a key rotation).
pub fn sealed_secrets(conn: &mut DbConnection) -> StoreResult<Vec<(UserId, String)>> {
    Ok(totp_credentials::table
        .select((totp_credentials::user_id, totp_credentials::sealed_secret))
        .load(conn)?)
}

/// Records that a code of time step `step` was accepted, if no code of that step or a later one
/// was before: answers false for a replayed (or older) code. One conditional UPDATE, so two
/// requests with the same code cannot both pass.
pub fn accept_step(conn: &mut DbConnection, user: &UserId, step: i64) -> StoreResult<bool> {
    let changed = diesel::update(
        totp_credentials::table.find(user).filter(
            totp_credentials::last_used_step
                .is_null()
                .or(totp_credentials::last_used_step.lt(step)),
        ),
    )
    .set(totp_credentials::last_used_step.eq(step))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Turns two-factor on (the first code was right): marks the enrolment confirmed and replaces
/// the recovery codes with `code_hashes`.
pub fn confirm(
    conn: &mut DbConnection,
    user: &UserId,
    code_hashes: &[String],
) -> StoreResult<bool> {
    let changed = diesel::update(
        totp_credentials::table
            .find(user)
            .filter(totp_credentials::confirmed_at.is_null()),
    )
    .set(totp_credentials::confirmed_at.eq(crate::now()))
    .execute(conn)?;
    if changed != 1 {
        return Ok(false);
    }
    replace_recovery_codes(conn, user, code_hashes)?;
    Ok(true)
}

/// Turns two-factor off: the credential and the recovery codes go.
pub fn disable(conn: &mut DbConnection, user: &UserId) -> StoreResult<()> {
    diesel::delete(totp_credentials::table.find(user)).execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(conn)?;
    Ok(())
}

/// Voids every recovery code of `user` and stores `code_hashes` as the new ones.
pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user: &UserId,
    code_hashes: &[String],
) -> StoreResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(conn)?;
    let now = crate::now();
    for hash in code_hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(crate::new_id()),
                recovery_codes::user_id.eq(user),
                recovery_codes::code_hash.eq(hash),
                recovery_codes::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many unused recovery codes `user` has.
pub fn recovery_codes_left(conn: &mut DbConnection, user: &UserId) -> StoreResult<i64> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Uses the recovery code of `user` with this hash: answers whether it was there and unused
/// (and is now used).
pub fn use_recovery_code(
    conn: &mut DbConnection,
    user: &UserId,
    code_hash: &str,
) -> StoreResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user))
            .filter(recovery_codes::code_hash.eq(code_hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(crate::now()))
    .execute(conn)?;
    Ok(changed >= 1)
}

/// Stores a sign-in challenge for `user` (its token's hash), good until `expires_at`.
pub fn create_challenge(
    conn: &mut DbConnection,
    user: &UserId,
    token_hash: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(login_challenges::table)
        .values((
            login_challenges::id.eq(crate::new_id()),
            login_challenges::user_id.eq(user),
            login_challenges::token_hash.eq(token_hash),
            login_challenges::created_at.eq(crate::now()),
            login_challenges::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The person of a challenge that is still good (unused, unexpired), without using it.
pub fn challenge_user(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<UserId>> {
    Ok(login_challenges::table
        .filter(login_challenges::token_hash.eq(token_hash))
        .filter(login_challenges::used_at.is_null())
        .filter(login_challenges::expires_at.gt(crate::now()))
        .select(login_challenges::user_id)
        .first(conn)
        .optional()?)
}

/// Uses the challenge: answers whether it was still good (and is now used).
pub fn use_challenge(conn: &mut DbConnection, token_hash: &str) -> StoreResult<bool> {
    let changed = diesel::update(
        login_challenges::table
            .filter(login_challenges::token_hash.eq(token_hash))
            .filter(login_challenges::used_at.is_null())
            .filter(login_challenges::expires_at.gt(crate::now())),
    )
    .set(login_challenges::used_at.eq(crate::now()))
    .execute(conn)?;
    Ok(changed == 1)
}
