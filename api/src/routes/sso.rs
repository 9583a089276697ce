//! Single sign-on with OpenID Connect, per org (issue 22).
//!
//! - `GET|PUT|DELETE /api/v1/orgs/{org}/sso`: the org's provider, for its owners. `PUT` runs
//!   discovery at the issuer before it saves (an issuer the egress policy refuses, or that does
//!   not answer as a provider, is a 422 on `issuer_url`). The client secret is sealed with the
//!   secrets key and never answered (`has_secret`).
//! - `GET /api/v1/auth/sso/start?org=SLUG` or `?email=ADDRESS`: finds the org (by slug, or by
//!   the email's domain), keeps the sign-in's `state`, nonce and PKCE verifier in the database
//!   (any replica can finish it) and sends the browser to the provider (302).
//! - `GET /api/v1/auth/sso/callback`: where the provider sends the browser back. The `state` is
//!   taken once (a replayed callback is refused), the code is exchanged, the ID token checked
//!   (see [`crate::sso::finish`]), and the person signed in as a password sign-in would: a
//!   session, its cookies, and a redirect (303) into the org's dashboard. A first sign-in
//!   creates the account and the membership (with the org's default role).
//!
//! Every change and every sign-in (refused or not) is an audit event.

use crate::activity::{Activity, Trail};
use crate::auth::caller::client_ip;
use crate::auth::rate_limit::Action;
use crate::auth::tokens::{hash_token, random_token};
use crate::auth::{OrgAccess, Owner, password};
use crate::error::ApiError;
use crate::json::Json;
use crate::sso::{Provider, SsoError};
use crate::state::AppState;
use crate::views::utc;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use upstate_shared::OrgId;
use upstate_shared::dto::{SsoSettings, UpdateSsoRequest};
use upstate_shared::valid::SsoEdit;
use upstate_store::sso::{self, NotTaken, Setting, SsoConfig};
use upstate_store::{audit, memberships, organizations, users};

/// How long a sign-in may take at the provider before its callback is refused.
const PENDING_TTL: chrono::Duration = chrono::Duration::minutes(10);

/// The seal's context of an org's client secret: a secret sealed for one org opens for no other.
fn seal_context(org: &OrgId) -> Vec<u8> {
    format!("sso:{}", org.as_str()).into_bytes()
}

/// After a rotation of the secrets key: seals again with the current key every client secret
/// that opens only with the previous one (as [`crate::auth::totp::reseal_stale`] does for TOTP
/// secrets). Answers how many were sealed again.
pub fn reseal_stale(
    conn: &mut upstate_store::DbConnection,
    sealer: &crate::auth::sealed::Sealer,
) -> upstate_store::StoreResult<usize> {
    let mut resealed = 0;
    for (org, sealed) in sso::sealed_secrets(conn)? {
        match sealer.open(&sealed, &seal_context(&org)) {
            Ok(opened) if opened.stale => {
                sso::reseal(conn, &org, &sealer.seal(&opened.plain, &seal_context(&org)))?;
                resealed += 1;
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(org = %org.as_str(), "SSO client secret: {err}"),
        }
    }
    Ok(resealed)
}

/// The callback address to register at the provider.
pub fn callback_url(state: &AppState) -> String {
    format!("{}/api/v1/auth/sso/callback", state.settings.public_url)
}

fn view(state: &AppState, row: &SsoConfig) -> SsoSettings {
    SsoSettings {
        issuer_url: row.issuer_url.clone(),
        client_id: row.client_id.clone(),
        has_secret: !row.sealed_secret.is_empty(),
        email_domains: row.domains(),
        default_role: row.default_role,
        sso_only: row.sso_only,
        callback_url: callback_url(state),
        updated_at: utc(row.updated_at),
    }
}

fn not_set() -> ApiError {
    ApiError::NotFound("This organization has no single sign-on set up.".into())
}

/// `GET /api/v1/orgs/{org}/sso` (owners)
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/sso",
    tag = "organizations",
    operation_id = "sso_get",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The org's single sign-on (the client secret is never returned)", body = SsoSettings),
        (status = 404, description = "No single sign-on is set up", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn get(
    access: OrgAccess<Owner>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let row = state.read(move |conn| sso::get(conn, &org)).await?;
    let row = row.ok_or_else(not_set)?;
    Ok(HttpResponse::Ok().json(view(&state, &row)))
}

/// `PUT /api/v1/orgs/{org}/sso` (owners): the whole setting, saved once discovery at the issuer
/// succeeded.
#[utoipa::path(
    put,
    path = "/api/v1/orgs/{org}/sso",
    tag = "organizations",
    operation_id = "sso_put",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = UpdateSsoRequest,
    responses(
        (status = 200, description = "The setting as saved (the client secret is never returned)", body = SsoSettings),
        (status = 422, description = "A field is not valid; `issuer_url` when discovery failed or the address is one the server may not reach", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn put(
    access: OrgAccess<Owner>,
    state: web::Data<AppState>,
    body: Json<UpdateSsoRequest>,
) -> Result<HttpResponse, ApiError> {
    let edit = SsoEdit::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let org = access.org_id();
    let current = {
        let org = org.clone();
        state.read(move |conn| sso::get(conn, &org)).await?
    };
    if current.is_none() && edit.client_secret.is_none() {
        return Err(ApiError::field(
            "client_secret",
            "Give the client secret the provider gave you.",
        ));
    }
    crate::sso::discover(state.settings.egress, &edit.issuer_url)
        .await
        .map_err(|err| ApiError::field("issuer_url", err.to_string()))?;
    let sealed = edit
        .client_secret
        .as_ref()
        .map(|secret| state.sealer.seal(secret.as_bytes(), &seal_context(&org)));
    let details = json!({
        "issuer_url": edit.issuer_url,
        "client_id": edit.client_id,
        "email_domains": edit.email_domains,
        "default_role": edit.default_role,
        "sso_only": edit.sso_only,
        "secret_changed": sealed.is_some(),
    });
    let event = if current.is_some() {
        "sso.updated"
    } else {
        "sso.created"
    };
    let act = Activity::of(&access.caller, org);
    let row = state
        .write_as(act, move |conn, act| {
            let row = sso::set(
                conn,
                &act.org,
                Setting {
                    issuer_url: &edit.issuer_url,
                    client_id: &edit.client_id,
                    sealed_secret: sealed.as_deref(),
                    email_domains: &edit.email_domains,
                    default_role: edit.default_role,
                    sso_only: edit.sso_only,
                },
            )?;
            act.audit(conn, event, "org", act.org.as_str(), details)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(&state, &row)))
}

/// `DELETE /api/v1/orgs/{org}/sso` (owners): members sign in with their passwords again.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/sso",
    tag = "organizations",
    operation_id = "sso_delete",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 204, description = "Single sign-on is removed"),
        (status = 404, description = "No single sign-on was set up", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn delete(
    access: OrgAccess<Owner>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let act = Activity::of(&access.caller, access.org_id());
    let removed = state
        .write_as(act, move |conn, act| {
            let removed = sso::remove(conn, &act.org)?;
            if removed {
                act.audit(conn, "sso.removed", "org", act.org.as_str(), json!({}))?;
            }
            Ok(removed)
        })
        .await?;
    if !removed {
        return Err(not_set());
    }
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/auth/sso/start`'s query: one of the two.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StartQuery {
    /// The org's slug.
    pub org: Option<String>,
    /// The person's email: the org is the one that allows its domain.
    pub email: Option<String>,
}

/// `GET /api/v1/auth/sso/start?org=SLUG` or `?email=ADDRESS`: sends the browser to the org's
/// provider.
#[utoipa::path(
    get,
    path = "/api/v1/auth/sso/start",
    tag = "auth",
    operation_id = "auth_sso_start",
    params(StartQuery),
    responses(
        (status = 302, description = "To the org's provider (`Location`), with `state`, `nonce` and a PKCE challenge"),
        (status = 400, description = "Neither `org` nor `email` is given", body = upstate_shared::ErrorBody),
        (status = 404, description = "No org with single sign-on has this slug or allows this email's domain", body = upstate_shared::ErrorBody),
        (status = 503, description = "The provider does not answer", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<StartQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let ip = client_ip(&req, &state);
    let (by_slug, by_email) = (
        query
            .org
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
        query
            .email
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    );
    let key = by_slug.or(by_email).ok_or_else(|| {
        ApiError::BadRequest("Give the organization's slug (`org`) or your email (`email`).".into())
    })?;
    state.limits.check(Action::Login, ip.as_deref(), key)?;
    let config = match (by_slug, by_email) {
        (Some(slug), _) => {
            let slug = slug.to_lowercase();
            state
                .read(move |conn| {
                    let Some(org) = organizations::find_by_slug(conn, &slug)? else {
                        return Ok(None);
                    };
                    sso::get(conn, &org.id)
                })
                .await?
        }
        (None, Some(email)) => {
            let domain = email
                .rsplit_once('@')
                .map(|(_, domain)| domain.to_lowercase())
                .unwrap_or_default();
            state
                .read(move |conn| sso::find_by_domain(conn, &domain))
                .await?
        }
        (None, None) => None,
    };
    let config = config.ok_or_else(|| {
        ApiError::NotFound(
            "No organization here signs in with SSO by that name or email domain.".into(),
        )
    })?;
    let provider = provider_of(&state, &config)?;
    let begun = crate::sso::begin(state.settings.egress, &provider)
        .await
        .map_err(|err| ApiError::Unavailable(err.to_string()))?;
    let org = config.org_id.clone();
    let state_hash = hash_token(&begun.state);
    let expires = upstate_store::now() + PENDING_TTL;
    state
        .write(move |conn| {
            sso::start_pending(
                conn,
                &org,
                &state_hash,
                &begun.nonce,
                &begun.pkce_verifier,
                expires,
            )
        })
        .await?;
    Ok(HttpResponse::Found()
        .insert_header(("Location", begun.authorize_url))
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}

/// The org's provider with its secret opened.
fn provider_of(state: &AppState, config: &SsoConfig) -> Result<Provider, ApiError> {
    let opened = state
        .sealer
        .open(&config.sealed_secret, &seal_context(&config.org_id))
        .map_err(|_| {
            ApiError::Internal(
                "the SSO client secret does not open with the secrets key".to_owned(),
            )
        })?;
    let client_secret = String::from_utf8(opened.plain.to_vec())
        .map_err(|_| ApiError::Internal("the SSO client secret is not text".to_owned()))?;
    Ok(Provider {
        issuer_url: config.issuer_url.clone(),
        client_id: config.client_id.clone(),
        client_secret,
        redirect_url: callback_url(state),
    })
}

/// What the provider sends back.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    /// The sign-in's `state`, as sent to the provider.
    pub state: Option<String>,
    /// The authorization code.
    pub code: Option<String>,
    /// The provider's error code, when it did not sign the person in.
    pub error: Option<String>,
    /// The provider's explanation of `error`.
    pub error_description: Option<String>,
}

fn refused(message: impl Into<String>) -> ApiError {
    ApiError::Unauthenticated(message.into())
}

/// `GET /api/v1/auth/sso/callback`: finishes a sign-in the provider sent back.
#[utoipa::path(
    get,
    path = "/api/v1/auth/sso/callback",
    tag = "auth",
    operation_id = "auth_sso_callback",
    params(CallbackQuery),
    responses(
        (status = 303, description = "Signed in: the session cookies are set, and `Location` is the org's dashboard"),
        (status = 401, description = "The sign-in is refused: an unknown, expired or already used `state`, a code the provider did not exchange, or an ID token that failed a check (wrong audience, expired, wrong nonce, bad signature)", body = upstate_shared::ErrorBody),
        (status = 403, description = "The provider vouched for an email that is not verified or whose domain the org does not allow", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn callback(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<CallbackQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let ip = client_ip(&req, &state);
    let presented = query.state.as_deref().unwrap_or_default();
    if presented.is_empty() {
        return Err(refused(
            "This sign-in link has no state: start again from “Sign in with SSO”.",
        ));
    }
    let state_hash = hash_token(presented);
    state
        .limits
        .check(Action::LinkToken, ip.as_deref(), &state_hash)?;
    let taken = state
        .write(move |conn| sso::take_pending(conn, &state_hash))
        .await?;
    let pending = match taken {
        Ok(pending) => pending,
        Err(NotTaken::Used) => {
            return Err(refused(
                "This sign-in was completed already (its state was used): start again from “Sign in with SSO”.",
            ));
        }
        Err(NotTaken::Expired) => {
            return Err(refused(
                "This sign-in took too long and expired: start again from “Sign in with SSO”.",
            ));
        }
        Err(NotTaken::Unknown) => {
            return Err(refused(
                "This sign-in was not started here (unknown state): start again from “Sign in with SSO”.",
            ));
        }
    };
    let org_id = pending.org_id.clone();
    let outcome = finish(&state, &pending, &query).await;
    let identity = match outcome {
        Ok(identity) => identity,
        Err(reason) => {
            let message = reason.to_string();
            let (org, ip) = (org_id.clone(), ip.clone());
            let logged = message.clone();
            state
                .write(move |conn| {
                    Trail::new(audit::Actor::System, ip.as_deref()).record(
                        conn,
                        Some(&org),
                        "auth.sso_failed",
                        "org",
                        Some(org.as_str()),
                        json!({ "reason": logged }),
                    )
                })
                .await?;
            return Err(reason);
        }
    };
    sign_in(&req, &state, org_id, identity, ip).await
}

/// The identity the provider vouches for, once every check passed.
async fn finish(
    state: &AppState,
    pending: &sso::Pending,
    query: &CallbackQuery,
) -> Result<(SsoConfig, crate::sso::Identity), ApiError> {
    if let Some(error) = &query.error {
        let detail = query.error_description.as_deref().unwrap_or(error);
        return Err(refused(format!(
            "The identity provider did not sign you in: {detail}."
        )));
    }
    let code = query
        .code
        .as_deref()
        .filter(|code| !code.is_empty())
        .ok_or_else(|| refused("The identity provider sent no authorization code."))?;
    let org = pending.org_id.clone();
    let config = state
        .read(move |conn| sso::get(conn, &org))
        .await?
        .ok_or_else(|| refused("This organization no longer signs in with SSO."))?;
    let provider = provider_of(state, &config)?;
    let identity = crate::sso::finish(
        state.settings.egress,
        &provider,
        code,
        &pending.nonce,
        &pending.pkce_verifier,
    )
    .await
    .map_err(|err| match err {
        SsoError::Discovery(message) => ApiError::Unavailable(message),
        SsoError::Token(message) | SsoError::IdToken(message) => refused(message),
    })?;
    let email = match (&identity.email, identity.email_verified) {
        (Some(email), true) => email.trim().to_lowercase(),
        (Some(_), false) => {
            return Err(ApiError::Forbidden(
                "The identity provider has not verified your email address, so it cannot sign you in here."
                    .into(),
            ));
        }
        (None, _) => {
            return Err(ApiError::Forbidden(
                "The identity provider did not share your email address (the `email` scope), so it cannot sign you in here."
                    .into(),
            ));
        }
    };
    if !config.allows_email(&email) {
        return Err(ApiError::Forbidden(format!(
            "{email} is not an address of this organization's email domains ({}).",
            config.domains().join(", ")
        )));
    }
    Ok((
        config,
        crate::sso::Identity {
            email: Some(email),
            ..identity
        },
    ))
}

/// Opens the session: the account (created on a first sign-in), the membership (with the
/// org's default role when the person is not a member yet), and the redirect into the dashboard.
async fn sign_in(
    req: &HttpRequest,
    state: &AppState,
    org_id: OrgId,
    (config, identity): (SsoConfig, crate::sso::Identity),
    ip: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let email = identity.email.clone().unwrap_or_default();
    // An account made by SSO has a password nobody knows (a reset link can set one, unless an
    // org requires SSO of its members).
    let unusable = password::hash(random_token("sso_")).await?;
    let seen = super::auth::seen(req, state);
    let name = identity
        .name
        .clone()
        .filter(|name| !name.trim().is_empty())
        .unwrap_or_else(|| email.split('@').next().unwrap_or_default().to_owned());
    let (user, slug, tokens) = state
        .write(move |conn| {
            let trail_ip = ip.as_deref();
            let user = match users::find_by_email(conn, &email)? {
                Some(user) => user,
                None => {
                    let user = users::create(
                        conn,
                        users::NewUser {
                            email: &email,
                            name: &name,
                            password_hash: &unusable,
                        },
                    )?;
                    // The provider verified the address.
                    users::mark_verified(conn, &user.id)?;
                    Trail::new(audit::Actor::User(user.id.clone()), trail_ip).record(
                        conn,
                        Some(&org_id),
                        "auth.sso_account_created",
                        "user",
                        Some(user.id.as_str()),
                        json!({ "email": email }),
                    )?;
                    user
                }
            };
            let trail = Trail::new(audit::Actor::User(user.id.clone()), trail_ip);
            if memberships::role_of(conn, &org_id, &user.id)?.is_none() {
                memberships::add(conn, &org_id, &user.id, config.default_role)?;
                trail.record(
                    conn,
                    Some(&org_id),
                    "member.joined_by_sso",
                    "user",
                    Some(user.id.as_str()),
                    json!({ "role": config.default_role }),
                )?;
            }
            trail.record(
                conn,
                Some(&org_id),
                "auth.sso_login_succeeded",
                "user",
                Some(user.id.as_str()),
                json!({ "subject": identity.subject, "issuer": config.issuer_url }),
            )?;
            let org = organizations::get(conn, &org_id)?;
            let tokens = super::auth::new_refresh_token(conn, &user.id, &seen)?;
            Ok((users::get(conn, &user.id)?, org.slug, tokens))
        })
        .await?;
    state
        .accounts_exist
        .store(true, std::sync::atomic::Ordering::Relaxed);
    super::auth::session_redirect(state, &user, tokens, &format!("/dashboard/{slug}"))
}
