//! The extractors that say who is calling and what they may do.
//!
//! [`Caller`] resolves the credentials: `Authorization: Bearer <JWT | API key>` or the SPA's
//! access cookie. A cookie-authenticated unsafe request must carry `X-Requested-With: upstate`
//! (the CSRF guard). [`OrgAccess<R>`] also resolves the `{org}` of the path and the caller's role
//! in it, and refuses a role below `R`: handlers declare their minimum role in their signature.
//! An org the caller is not part of is answered as if it did not exist (404).

use super::cookies::ACCESS_COOKIE;
use super::tokens::{API_KEY_PREFIX, hash_token};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use std::marker::PhantomData;
use upstate_shared::{ApiKeyId, OrgId, Role, UserId};
use upstate_store::audit;
use upstate_store::organizations::Organization;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    User(UserId),
    ApiKey {
        id: ApiKeyId,
        org: OrgId,
        role: Role,
    },
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The client's address (the peer, or the proxy's forwarded one when trusted).
    pub ip: Option<String>,
    /// A person's access token: its session and expiry (none for API keys).
    pub access: Option<super::tokens::Access>,
}

impl Caller {
    /// The signed-in person; API keys have no account and are refused here.
    pub fn user(&self) -> Result<&UserId, ApiError> {
        match &self.principal {
            Principal::User(user) => Ok(user),
            Principal::ApiKey { .. } => Err(ApiError::Forbidden(
                "This needs a signed-in person; API keys act only within their organization."
                    .into(),
            )),
        }
    }

    /// The caller as the audit log names it.
    pub fn actor(&self) -> audit::Actor {
        match &self.principal {
            Principal::User(user) => audit::Actor::User(user.clone()),
            Principal::ApiKey { id, .. } => audit::Actor::ApiKey(id.clone()),
        }
    }
}

/// The client's address: the TCP peer, or (with `UPSTATE_TRUST_PROXY`) the one the trusted
/// proxies name (see [`crate::auth::client_address`]).
pub fn client_addr(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("X-Forwarded-For")
        .filter_map(|value| value.to_str().ok())
        .collect();
    state
        .settings
        .trust_proxy
        .client(req.peer_addr().map(|addr| addr.ip()), &forwarded)
}

/// [`client_addr`] as text, as the audit log and the rate limits take it.
pub fn client_ip(req: &HttpRequest, state: &AppState) -> Option<String> {
    client_addr(req, state).map(|ip| ip.to_string())
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The CSRF guard: cookie-authenticated writes must say they come from the SPA.
pub fn require_spa_header(req: &HttpRequest) -> Result<(), ApiError> {
    let ok = req
        .headers()
        .get("X-Requested-With")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("upstate"));
    if ok {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "Requests authenticated by cookie must carry `X-Requested-With: upstate`.".into(),
        ))
    }
}

/// The caller of `req`. With `check_session`, a person's session is checked here (one read);
/// without, the caller checks it in a read of its own ([`OrgAccess`] does, in the read that
/// finds the org and the role, so an org route costs one round trip to the database, not two).
async fn resolve(req: HttpRequest, check_session: bool) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("the app state is missing".into()))?;
    let ip = client_ip(&req, &state);
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .strip_prefix("Bearer ")
                .or_else(|| value.strip_prefix("bearer "))
        })
        .map(|token| token.trim().to_owned());
    let invalid =
        || ApiError::Unauthenticated("The credentials are not valid or have expired.".into());

    if let Some(token) = bearer {
        if token.starts_with(API_KEY_PREFIX) {
            let hash = hash_token(&token);
            let key = state
                .read(move |conn| upstate_store::api_keys::find_active(conn, &hash))
                .await?
                .ok_or_else(invalid)?;
            // `last_used_at` to the minute: no write per request.
            let now = upstate_store::now();
            if key
                .last_used_at
                .is_none_or(|at| now - at > chrono::Duration::seconds(60))
            {
                let id = key.id.clone();
                state
                    .write(move |conn| upstate_store::api_keys::touch(conn, &id, now))
                    .await?;
            }
            return Ok(Caller {
                principal: Principal::ApiKey {
                    id: key.id,
                    org: key.org_id,
                    role: key.role,
                },
                ip,
                access: None,
            });
        }
        let access = verified(&state, &token, check_session).await?;
        return Ok(Caller {
            principal: Principal::User(access.user.clone()),
            ip,
            access: Some(access),
        });
    }

    if let Some(cookie) = req.cookie(ACCESS_COOKIE) {
        let access = verified(&state, cookie.value(), check_session).await?;
        if is_unsafe(req.method()) {
            require_spa_header(&req)?;
        }
        return Ok(Caller {
            principal: Principal::User(access.user.clone()),
            ip,
            access: Some(access),
        });
    }
    Err(ApiError::Unauthenticated("Sign in first.".into()))
}

/// The caller of `req` when it carries valid credentials (a live session's token or cookie, or
/// an API key); `None` when it carries none, or ones that are not valid. For answers that
/// anyone may ask for but that say more to members (the private pages' gate,
/// `crate::public::access`).
pub async fn optional(req: &HttpRequest) -> Option<Caller> {
    if !req.headers().contains_key(AUTHORIZATION) && req.cookie(ACCESS_COOKIE).is_none() {
        return None;
    }
    resolve(req.clone(), true).await.ok()
}

/// A valid access token, and (with `check_session`) one whose session goes on: a revoked
/// session (logout, password reset, a reused refresh token) ends its access tokens at once,
/// not when they expire.
async fn verified(
    state: &AppState,
    token: &str,
    check_session: bool,
) -> Result<super::tokens::Access, ApiError> {
    let access = state.jwt.verify(token).ok_or_else(|| {
        ApiError::Unauthenticated("The credentials are not valid or have expired.".into())
    })?;
    if check_session {
        let session = access.session.clone();
        let live = state
            .read(move |conn| upstate_store::sessions::is_live(conn, &session))
            .await?;
        if !live {
            return Err(session_ended());
        }
    }
    Ok(access)
}

fn session_ended() -> ApiError {
    ApiError::Unauthenticated("The session has ended; sign in again.".into())
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(resolve(req.clone(), true))
    }
}

/// A minimum role, declared by a handler through `OrgAccess<R>`.
pub trait MinRole {
    const ROLE: Role;
}

/// Any member: reads.
pub struct Viewer;
/// Writes services, groups, incidents and maintenance.
pub struct Editor;
/// Manages members, invitations, API keys and settings.
pub struct Admin;
/// Deletes the org.
pub struct Owner;

impl MinRole for Viewer {
    const ROLE: Role = Role::Viewer;
}
impl MinRole for Editor {
    const ROLE: Role = Role::Editor;
}
impl MinRole for Admin {
    const ROLE: Role = Role::Admin;
}
impl MinRole for Owner {
    const ROLE: Role = Role::Owner;
}

/// The caller's access to the `{org}` of the path, at least role `R`.
pub struct OrgAccess<R> {
    pub org: Organization,
    pub role: Role,
    pub caller: Caller,
    _minimum: PhantomData<R>,
}

impl<R> OrgAccess<R> {
    pub fn org_id(&self) -> OrgId {
        self.org.id.clone()
    }
}

fn two_factor_required(org: &str) -> ApiError {
    ApiError::TwoFactorRequired(format!(
        "{org} requires two-factor sign-in: turn it on for your account (Account, Two-factor \
         sign-in) to work in it."
    ))
}

fn no_such_org() -> ApiError {
    ApiError::NotFound("No such organization.".into())
}

async fn resolve_org<R: MinRole>(req: HttpRequest) -> Result<OrgAccess<R>, ApiError> {
    let caller = resolve(req.clone(), false).await?;
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::Internal("the app state is missing".into()))?;
    let slug = req
        .match_info()
        .get("org")
        .ok_or_else(|| ApiError::Internal("OrgAccess used on a route without {org}".into()))?
        .to_owned();
    let principal = caller.principal.clone();
    let session = caller.access.as_ref().map(|access| access.session.clone());
    // One read: the session still going on, the org, and the caller's role in it.
    let (org, role) = state
        .read(move |conn| {
            if let Some(session) = &session
                && !upstate_store::sessions::is_live(conn, session)?
            {
                return Ok(Err(session_ended()));
            }
            let Some(org) = upstate_store::organizations::find_by_slug(conn, &slug)? else {
                return Ok(Ok(None));
            };
            let role = match &principal {
                Principal::User(user) => upstate_store::memberships::role_of(conn, &org.id, user)?,
                Principal::ApiKey {
                    org: key_org, role, ..
                } => (*key_org == org.id).then_some(*role),
            };
            // A member of an org that requires two-factor sign-in does nothing in it without
            // it (a key is no person: it has no second factor to have).
            if role.is_some()
                && org.require_two_factor
                && let Principal::User(user) = &principal
                && !upstate_store::two_factor::has_second_factor(conn, user)?
            {
                return Ok(Err(two_factor_required(&org.name)));
            }
            Ok(Ok(role.map(|role| (org, role))))
        })
        .await??
        .ok_or_else(no_such_org)?;
    if !role.at_least(R::ROLE) {
        return Err(ApiError::Forbidden(format!(
            "This needs the {} role or higher; yours is {}.",
            R::ROLE,
            role
        )));
    }
    Ok(OrgAccess {
        org,
        role,
        caller,
        _minimum: PhantomData,
    })
}

impl<R: MinRole + 'static> FromRequest for OrgAccess<R> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(resolve_org::<R>(req.clone()))
    }
}
