//! Passkeys (WebAuthn, issue 22): a person's credentials and the server's half of the
//! ceremonies that register and use them.
//!
//! This crate does not know WebAuthn: a credential and a ceremony's state are text the API
//! serialises (webauthn-rs's own JSON). A ceremony is used once: taking it is a DELETE that
//! answers how many rows it removed, so of two requests finishing the same ceremony at once,
//! exactly one gets its state.

use crate::db::DbConnection;
use crate::error::{Missing, StoreError, StoreResult};
use crate::schema::{passkey_ceremonies, passkeys};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::UserId;

/// A person's passkey.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = passkeys)]
pub struct Passkey {
    pub id: String,
    pub user_id: UserId,
    /// The name the person gave it.
    pub name: String,
    /// The credential's id, base64url (what an authenticator names it by).
    pub credential_id: String,
    /// The credential as the API serialised it (public key, counter, ...).
    pub credential: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// The passkeys of `user`, oldest first.
pub fn of_user(conn: &mut DbConnection, user: &UserId) -> StoreResult<Vec<Passkey>> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq(user))
        .order((passkeys::created_at.asc(), passkeys::id.asc()))
        .select(Passkey::as_select())
        .load(conn)?)
}

/// Which of `users` have at least one passkey.
pub fn of_users_with_passkeys(
    conn: &mut DbConnection,
    users: &[UserId],
) -> StoreResult<Vec<UserId>> {
    Ok(passkeys::table
        .filter(passkeys::user_id.eq_any(users))
        .select(passkeys::user_id)
        .distinct()
        .load(conn)?)
}

/// Whether `user` has at least one passkey.
pub fn has_any(conn: &mut DbConnection, user: &UserId) -> StoreResult<bool> {
    Ok(!of_users_with_passkeys(conn, std::slice::from_ref(user))?.is_empty())
}

/// The passkey `id` of `user` (a passkey of someone else is not found).
pub fn get(conn: &mut DbConnection, user: &UserId, id: &str) -> StoreResult<Passkey> {
    passkeys::table
        .filter(passkeys::user_id.eq(user))
        .filter(passkeys::id.eq(id))
        .select(Passkey::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound(Missing::Passkey))
}

/// The passkey whose credential id (base64url) is `credential_id`, whoever's it is.
pub fn by_credential_id(
    conn: &mut DbConnection,
    credential_id: &str,
) -> StoreResult<Option<Passkey>> {
    Ok(passkeys::table
        .filter(passkeys::credential_id.eq(credential_id))
        .select(Passkey::as_select())
        .first(conn)
        .optional()?)
}

/// A passkey to store.
pub struct NewPasskey<'a> {
    pub user: &'a UserId,
    pub name: &'a str,
    pub credential_id: &'a str,
    pub credential: &'a str,
}

/// Stores a new passkey. A credential id stored already (for anyone) is a conflict.
pub fn create(conn: &mut DbConnection, new: NewPasskey<'_>) -> StoreResult<Passkey> {
    let passkey = Passkey {
        id: crate::new_id(),
        user_id: new.user.clone(),
        name: new.name.to_owned(),
        credential_id: new.credential_id.to_owned(),
        credential: new.credential.to_owned(),
        created_at: crate::now(),
        last_used_at: None,
    };
    diesel::insert_into(passkeys::table)
        .values((
            passkeys::id.eq(&passkey.id),
            passkeys::user_id.eq(&passkey.user_id),
            passkeys::name.eq(&passkey.name),
            passkeys::credential_id.eq(&passkey.credential_id),
            passkeys::credential.eq(&passkey.credential),
            passkeys::created_at.eq(passkey.created_at),
        ))
        .execute(conn)?;
    Ok(passkey)
}

/// Renames the passkey `id` of `user`: answers it renamed.
pub fn rename(
    conn: &mut DbConnection,
    user: &UserId,
    id: &str,
    name: &str,
) -> StoreResult<Passkey> {
    let changed = diesel::update(
        passkeys::table
            .filter(passkeys::user_id.eq(user))
            .filter(passkeys::id.eq(id)),
    )
    .set(passkeys::name.eq(name))
    .execute(conn)?;
    if changed != 1 {
        return Err(StoreError::NotFound(Missing::Passkey));
    }
    get(conn, user, id)
}

/// Removes the passkey `id` of `user`: answers what it was.
pub fn delete(conn: &mut DbConnection, user: &UserId, id: &str) -> StoreResult<Passkey> {
    let passkey = get(conn, user, id)?;
    let removed = diesel::delete(
        passkeys::table
            .filter(passkeys::user_id.eq(user))
            .filter(passkeys::id.eq(id)),
    )
    .execute(conn)?;
    if removed != 1 {
        return Err(StoreError::NotFound(Missing::Passkey));
    }
    Ok(passkey)
}

/// Records a use of the passkey `id`: its credential as updated by the use (the signature
/// counter, the backup state) and when.
pub fn record_use(conn: &mut DbConnection, id: &str, credential: &str) -> StoreResult<()> {
    diesel::update(passkeys::table.find(id))
        .set((
            passkeys::credential.eq(credential),
            passkeys::last_used_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a ceremony is for: each is finished only by its own route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Adding a passkey to a signed-in person's account.
    Registration,
    /// Signing in with a passkey alone (the authenticator names the person).
    SignIn,
    /// The second step of a sign-in whose password was right.
    SecondFactor,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Registration => "registration",
            Purpose::SignIn => "sign_in",
            Purpose::SecondFactor => "second_factor",
        }
    }
}

/// A ceremony taken (used) by the request that finishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ceremony {
    /// Whose it is (`None` for a sign-in with a passkey alone).
    pub user_id: Option<UserId>,
    /// The state the API stored.
    pub state: String,
}

/// Stores the state of a ceremony started now, good until `expires_at`; answers its id. The
/// ceremonies expired by now go at the same time (they are of no use to anyone).
pub fn start_ceremony(
    conn: &mut DbConnection,
    purpose: Purpose,
    user: Option<&UserId>,
    state: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<String> {
    let now = crate::now();
    diesel::delete(passkey_ceremonies::table.filter(passkey_ceremonies::expires_at.le(now)))
        .execute(conn)?;
    let id = crate::new_id();
    diesel::insert_into(passkey_ceremonies::table)
        .values((
            passkey_ceremonies::id.eq(&id),
            passkey_ceremonies::user_id.eq(user),
            passkey_ceremonies::purpose.eq(purpose.as_str()),
            passkey_ceremonies::state.eq(state),
            passkey_ceremonies::created_at.eq(now),
            passkey_ceremonies::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Takes the ceremony `id` for `purpose`: answers its state if it was there, unexpired and for
/// that purpose, and removes it either way it is found (a ceremony is tried once).
pub fn take_ceremony(
    conn: &mut DbConnection,
    id: &str,
    purpose: Purpose,
) -> StoreResult<Option<Ceremony>> {
    let found: Option<(Option<UserId>, String, String, NaiveDateTime)> = passkey_ceremonies::table
        .find(id)
        .select((
            passkey_ceremonies::user_id,
            passkey_ceremonies::purpose,
            passkey_ceremonies::state,
            passkey_ceremonies::expires_at,
        ))
        .first(conn)
        .optional()?;
    let Some((user_id, stored_purpose, state, expires_at)) = found else {
        return Ok(None);
    };
    let removed = diesel::delete(passkey_ceremonies::table.find(id)).execute(conn)?;
    if removed != 1 || stored_purpose != purpose.as_str() || expires_at <= crate::now() {
        return Ok(None);
    }
    Ok(Some(Ceremony { user_id, state }))
}
