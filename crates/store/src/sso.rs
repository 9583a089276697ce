//! Single sign-on with OpenID Connect, per org (issue 22): an org's provider (its client secret
//! sealed by the API's secrets key, which this crate never sees) and the sign-ins under way
//! (`state`, nonce and PKCE verifier kept here, not in a replica's memory).
//!
//! A pending sign-in is used once: [`take_pending`] is a conditional UPDATE that answers how many
//! rows it changed, so of two callbacks presenting the same `state`, exactly one wins.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{memberships, organizations, sso_configs, sso_pending};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{OrgId, Role, UserId};

/// An org's single sign-on as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sso_configs)]
pub struct SsoConfig {
    pub org_id: OrgId,
    pub issuer_url: String,
    pub client_id: String,
    /// The client secret as sealed by the API; opened only there, never answered.
    pub sealed_secret: String,
    /// Allowed email domains, lowercased, one per line.
    pub email_domains: String,
    #[diesel(deserialize_as = DbText<Role>)]
    pub default_role: Role,
    /// Whether the org's members may sign in only through the provider.
    pub sso_only: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SsoConfig {
    /// The allowed email domains as a list.
    pub fn domains(&self) -> Vec<String> {
        self.email_domains
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Whether `email`'s domain is one of the allowed ones (in any case).
    pub fn allows_email(&self, email: &str) -> bool {
        let Some((_, domain)) = email.rsplit_once('@') else {
            return false;
        };
        let domain = domain.to_lowercase();
        self.domains().contains(&domain)
    }
}

/// What an owner sets.
#[derive(Debug, Clone)]
pub struct Setting<'a> {
    pub issuer_url: &'a str,
    pub client_id: &'a str,
    /// A new sealed secret; `None` keeps the one stored (an update that does not change it).
    pub sealed_secret: Option<&'a str>,
    pub email_domains: &'a [String],
    pub default_role: Role,
    pub sso_only: bool,
}

/// The org's single sign-on, if set.
pub fn get(conn: &mut DbConnection, org: &OrgId) -> StoreResult<Option<SsoConfig>> {
    Ok(sso_configs::table
        .find(org)
        .select(SsoConfig::as_select())
        .first(conn)
        .optional()?)
}

/// Stores the org's single sign-on (call inside the request's transaction). Creating one
/// without a sealed secret is a `StoreError::Conflict`: the caller asks for the secret first.
pub fn set(conn: &mut DbConnection, org: &OrgId, setting: Setting<'_>) -> StoreResult<SsoConfig> {
    let now = crate::now();
    let domains = setting.email_domains.join("\n");
    match get(conn, org)? {
        Some(current) => {
            let sealed = setting
                .sealed_secret
                .map_or(current.sealed_secret, str::to_owned);
            diesel::update(sso_configs::table.find(org))
                .set((
                    sso_configs::issuer_url.eq(setting.issuer_url),
                    sso_configs::client_id.eq(setting.client_id),
                    sso_configs::sealed_secret.eq(sealed),
                    sso_configs::email_domains.eq(&domains),
                    sso_configs::default_role.eq(setting.default_role.as_str()),
                    sso_configs::sso_only.eq(setting.sso_only),
                    sso_configs::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            let Some(sealed) = setting.sealed_secret else {
                return Err(crate::StoreError::Conflict(
                    "single sign-on needs a client secret".into(),
                ));
            };
            diesel::insert_into(sso_configs::table)
                .values((
                    sso_configs::org_id.eq(org),
                    sso_configs::issuer_url.eq(setting.issuer_url),
                    sso_configs::client_id.eq(setting.client_id),
                    sso_configs::sealed_secret.eq(sealed),
                    sso_configs::email_domains.eq(&domains),
                    sso_configs::default_role.eq(setting.default_role.as_str()),
                    sso_configs::sso_only.eq(setting.sso_only),
                    sso_configs::created_at.eq(now),
                    sso_configs::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    get(conn, org)?.ok_or(crate::StoreError::NotFound(
        crate::error::Missing::Organization,
    ))
}

/// Sets whether the org requires single sign-on of its members; answers whether it did before.
pub fn set_sso_only(conn: &mut DbConnection, org: &OrgId, sso_only: bool) -> StoreResult<bool> {
    let before = get(conn, org)?.is_some_and(|config| config.sso_only);
    diesel::update(sso_configs::table.find(org))
        .set((
            sso_configs::sso_only.eq(sso_only),
            sso_configs::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(before)
}

/// Removes the org's single sign-on (and its sign-ins under way); answers whether there was one.
pub fn remove(conn: &mut DbConnection, org: &OrgId) -> StoreResult<bool> {
    diesel::delete(sso_pending::table.filter(sso_pending::org_id.eq(org))).execute(conn)?;
    Ok(diesel::delete(sso_configs::table.find(org)).execute(conn)? == 1)
}

/// Replaces the sealed secret of the org's provider with the same secret sealed again (with
/// the current key, after a rotation of the secrets key).
pub fn reseal(conn: &mut DbConnection, org: &OrgId, sealed_secret: &str) -> StoreResult<()> {
    diesel::update(sso_configs::table.find(org))
        .set(sso_configs::sealed_secret.eq(sealed_secret))
        .execute(conn)?;
    Ok(())
}

/// Every sealed client secret, with its org (to seal them all again after a key rotation).
pub fn sealed_secrets(conn: &mut DbConnection) -> StoreResult<Vec<(OrgId, String)>> {
    Ok(sso_configs::table
        .select((sso_configs::org_id, sso_configs::sealed_secret))
        .load(conn)?)
}

/// The org (with its single sign-on) whose allowed domains include `domain` (lowercased). Two
/// orgs may allow the same domain: then the oldest setting wins, and the person signs in by the
/// org's slug to choose.
pub fn find_by_domain(conn: &mut DbConnection, domain: &str) -> StoreResult<Option<SsoConfig>> {
    let domain = domain.to_lowercase();
    let all = sso_configs::table
        .order(sso_configs::created_at.asc())
        .select(SsoConfig::as_select())
        .load(conn)?;
    Ok(all
        .into_iter()
        .find(|config| config.domains().contains(&domain)))
}

/// Whether `user` is a member of any org that requires single sign-on: such a person does not
/// sign in (or reset their password) with a password.
pub fn required_for(conn: &mut DbConnection, user: &UserId) -> StoreResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        memberships::table
            .inner_join(sso_configs::table.on(sso_configs::org_id.eq(memberships::org_id)))
            .filter(memberships::user_id.eq(user))
            .filter(sso_configs::sso_only.eq(true))
            .select(memberships::user_id),
    ))
    .get_result(conn)?)
}

/// The slugs of the orgs of `user` that require single sign-on (for the refusal's message).
pub fn required_by_orgs_of(conn: &mut DbConnection, user: &UserId) -> StoreResult<Vec<String>> {
    Ok(memberships::table
        .inner_join(sso_configs::table.on(sso_configs::org_id.eq(memberships::org_id)))
        .inner_join(organizations::table.on(organizations::id.eq(memberships::org_id)))
        .filter(memberships::user_id.eq(user))
        .filter(sso_configs::sso_only.eq(true))
        .order(organizations::slug.asc())
        .select(organizations::slug)
        .load(conn)?)
}

/// A sign-in under way, as the callback reads it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sso_pending)]
pub struct Pending {
    pub id: String,
    pub org_id: OrgId,
    pub state_hash: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
}

/// How long a finished or abandoned sign-in's row is kept before the next start deletes it.
const PENDING_KEPT: chrono::Duration = chrono::Duration::days(1);

/// Stores a sign-in under way (the hash of its `state`), good until `expires_at`; deletes the
/// rows that expired more than a day ago on the way.
pub fn start_pending(
    conn: &mut DbConnection,
    org: &OrgId,
    state_hash: &str,
    nonce: &str,
    pkce_verifier: &str,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    let now = crate::now();
    diesel::delete(sso_pending::table.filter(sso_pending::expires_at.lt(now - PENDING_KEPT)))
        .execute(conn)?;
    diesel::insert_into(sso_pending::table)
        .values((
            sso_pending::id.eq(crate::new_id()),
            sso_pending::org_id.eq(org),
            sso_pending::state_hash.eq(state_hash),
            sso_pending::nonce.eq(nonce),
            sso_pending::pkce_verifier.eq(pkce_verifier),
            sso_pending::created_at.eq(now),
            sso_pending::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Why a `state` was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTaken {
    /// No sign-in was started with it here.
    Unknown,
    /// It was used already (a replayed callback).
    Used,
    /// It is older than its time.
    Expired,
}

/// Takes the sign-in started with this `state` hash: marks it used, once. A second call with
/// the same hash answers `Err(Used)`.
pub fn take_pending(
    conn: &mut DbConnection,
    state_hash: &str,
) -> StoreResult<Result<Pending, NotTaken>> {
    let Some(pending) = sso_pending::table
        .filter(sso_pending::state_hash.eq(state_hash))
        .select(Pending::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(Err(NotTaken::Unknown));
    };
    let now = crate::now();
    let changed = diesel::update(
        sso_pending::table
            .find(&pending.id)
            .filter(sso_pending::used_at.is_null()),
    )
    .set(sso_pending::used_at.eq(now))
    .execute(conn)?;
    if changed != 1 {
        return Ok(Err(NotTaken::Used));
    }
    if pending.expires_at <= now {
        return Ok(Err(NotTaken::Expired));
    }
    Ok(Ok(pending))
}
