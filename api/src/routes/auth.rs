//! `/api/v1/auth/...`: registration, sign-in, sessions, password reset.

use crate::activity::Trail;
use crate::auth::caller::{client_ip, require_spa_header};
use crate::auth::cookies::{self, REFRESH_COOKIE};
use crate::auth::rate_limit::Action;
use crate::auth::tokens::{
    self, REFRESH_PREFIX, RESET_PREFIX, VERIFY_PREFIX, hash_token, random_token,
};
use crate::auth::{Caller, password};
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::state::AppState;
use crate::views;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{
    LoginRequest, Me, MyMembership, PasswordResetConfirm, PasswordResetRequest, RegisterRequest,
    Session, VerifyEmailRequest,
};
use upstate_shared::valid::{NewAccount, NewPassword, ResetFor};
use upstate_store::link_tokens::Purpose;
use upstate_store::{audit, link_tokens, memberships, sessions, users};

fn invalid_reset_link() -> ApiError {
    ApiError::Unauthenticated(
        "This reset link is not valid: it expired or was used already.".into(),
    )
}

fn wrong_credentials() -> ApiError {
    ApiError::Unauthenticated("The email or password is not correct.".into())
}

/// A session's refresh token (for the cookie) and its id (the refresh-token family, named by
/// every access token of the session).
pub(crate) struct SessionTokens {
    refresh_token: String,
    session: String,
}

/// Where a request comes from, for its person's list of sessions: the client's address and its
/// `User-Agent`.
pub(crate) fn seen(req: &HttpRequest, state: &AppState) -> sessions::Seen {
    sessions::Seen {
        client_address: client_ip(req, state),
        user_agent: req
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|agent| agent.to_str().ok())
            .map(str::to_owned),
    }
}

/// Starts a session for `user` in a new refresh-token family: stores the refresh token (in the
/// caller's transaction) and answers it with the session's id.
pub(crate) fn new_refresh_token(
    conn: &mut upstate_store::DbConnection,
    user: &upstate_shared::UserId,
    seen: &sessions::Seen,
) -> Result<SessionTokens, upstate_store::StoreError> {
    let token = random_token(REFRESH_PREFIX);
    let expires = upstate_store::now() + tokens::REFRESH_TTL;
    let session = upstate_store::new_id();
    sessions::begin(conn, user, &session, seen)?;
    sessions::issue(conn, user, &session, &hash_token(&token), expires)?;
    Ok(SessionTokens {
        refresh_token: token,
        session,
    })
}

/// The answer of register, login and refresh: the session in the body and both cookies.
pub(crate) fn session_response(
    state: &AppState,
    status: StatusCode,
    user: &users::User,
    tokens: SessionTokens,
) -> Result<HttpResponse, ApiError> {
    let SessionTokens {
        refresh_token,
        session,
    } = tokens;
    let (access_token, expires_at) = state
        .jwt
        .issue(&user.id, &session)
        .map_err(|err| ApiError::Internal(format!("signing an access token failed: {err}")))?;
    let secure = state.settings.is_https();
    Ok(HttpResponse::build(status)
        .insert_header(("Cache-Control", "no-store"))
        .cookie(cookies::access(access_token.clone(), secure))
        .cookie(cookies::refresh(refresh_token, secure))
        .json(Session {
            user: views::user(user),
            access_token,
            expires_at,
        }))
}

/// A session opened by a browser's redirect (single sign-on's callback): both cookies, and
/// `303 See Other` to `location`, a path of the dashboard.
pub(crate) fn session_redirect(
    state: &AppState,
    user: &users::User,
    tokens: SessionTokens,
    location: &str,
) -> Result<HttpResponse, ApiError> {
    let SessionTokens {
        refresh_token,
        session,
    } = tokens;
    let (access_token, _) = state
        .jwt
        .issue(&user.id, &session)
        .map_err(|err| ApiError::Internal(format!("signing an access token failed: {err}")))?;
    let secure = state.settings.is_https();
    Ok(HttpResponse::SeeOther()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Location", location))
        .cookie(cookies::access(access_token, secure))
        .cookie(cookies::refresh(refresh_token, secure))
        .finish())
}

/// The refusal of a password sign-in (or reset) of a person whom an org requires to sign in
/// with SSO (`orgs`: those orgs' slugs).
pub(crate) fn sso_required(orgs: &[String]) -> ApiError {
    ApiError::SsoRequired(format!(
        "Your organization ({}) requires single sign-on: use “Sign in with SSO” instead of your password.",
        orgs.join(", ")
    ))
}

/// An answer that also clears the session cookies.
pub(super) fn signing_out(state: &AppState, status: StatusCode) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    for cookie in cookies::cleared(state.settings.is_https()) {
        response.cookie(cookie);
    }
    response
}

/// `POST /api/v1/auth/register`: answers 202 and nothing more whether or not the email has an
/// account, so it tells nobody who has one. A new account gets a link to verify its address
/// (and can sign in at once); an existing one gets a note that someone tried to sign up with it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/register",
    tag = "auth",
    operation_id = "auth_register",
    request_body = upstate_shared::dto::RegisterRequest,
    responses((status = 202, description = "Accepted; whether the account is new or the email had one already, the answer is the same and a mail goes to the address. A new account signs in with `POST /api/v1/auth/login`")),
)]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewAccount {
        email,
        password,
        name,
    } = NewAccount::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    state.limits.check(
        Action::Register,
        client_ip(&req, &state).as_deref(),
        email.as_str(),
    )?;
    // Hashed either way, so a taken email answers in the same time as a new one.
    let password_hash = password::hash(password.expose().to_owned()).await?;
    let token = random_token(VERIFY_PREFIX);
    let public_url = state.settings.public_url.clone();
    let written = state
        .write(move |conn| {
            let mail = match users::find_by_email(conn, email.as_str())? {
                Some(existing) => Mail {
                    to: existing.email.clone(),
                    subject: "Someone tried to sign up with your address".into(),
                    text: format!(
                        "Hello {},\n\nSomeone (hopefully you) tried to create an Upstate account \
                         with this address, which has one already. Sign in at {public_url}/login, \
                         or choose a new password at {public_url}/forgot-password.\n\n\
                         If it was not you, ignore this message: nothing changed.\n",
                        existing.name
                    ),
                },
                None => {
                    let user = users::create(
                        conn,
                        users::NewUser {
                            email: email.as_str(),
                            name: &name,
                            password_hash: &password_hash,
                        },
                    )?;
                    link_tokens::create(
                        conn,
                        &user.id,
                        Purpose::EmailVerification,
                        &hash_token(&token),
                        upstate_store::now() + tokens::VERIFY_TTL,
                    )?;
                    Mail {
                        to: user.email.clone(),
                        subject: "Confirm your email address for Upstate".into(),
                        text: format!(
                            "Hello {},\n\nWelcome to Upstate. Confirm that this address is yours \
                             within 7 days:\n\n{public_url}/verify-email#{token}\n\n\
                             Until then your account works, but Upstate sends no invitations \
                             on its behalf.\n",
                            user.name
                        ),
                    }
                }
            };
            mail.queue(conn, None)
        })
        .await;
    match written {
        // Another registration of the same address committed first: the account exists, and
        // the answer stays the same.
        Ok(_) | Err(ApiError::Conflict(_)) => {}
        Err(other) => return Err(other),
    }
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}

/// `POST /api/v1/auth/verify-email`: follows the link sent at sign-up.
#[utoipa::path(
    post,
    path = "/api/v1/auth/verify-email",
    tag = "auth",
    operation_id = "auth_verify_email",
    request_body = upstate_shared::dto::VerifyEmailRequest,
    responses(
        (status = 204, description = "The address is verified"),
        (status = 401, description = "The link is not valid: it expired or was used already", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn verify_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<VerifyEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let presented = hash_token(&body.token);
    let ip = client_ip(&req, &state);
    state
        .limits
        .check(Action::LinkToken, ip.as_deref(), &presented)?;
    let verified = state
        .write(move |conn| {
            let Some(user) = link_tokens::consume(conn, Purpose::EmailVerification, &presented)?
            else {
                return Ok(false);
            };
            users::mark_verified(conn, &user)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.email_verified",
                "user",
                Some(user.as_str()),
                json!({}),
            )?;
            Ok(true)
        })
        .await?;
    if !verified {
        return Err(ApiError::Unauthenticated(
            "This link is not valid: it expired or was used already.".into(),
        ));
    }
    Ok(HttpResponse::NoContent().finish())
}

/// What a right password leads to: a session, or (two-factor on) a challenge for the second
/// step.
enum FirstStep {
    Session(SessionTokens),
    Challenge(
        String,
        chrono::DateTime<chrono::Utc>,
        Vec<upstate_shared::dto::TwoFactorMethod>,
    ),
}

/// `POST /api/v1/auth/login`
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    operation_id = "auth_login",
    request_body = upstate_shared::dto::LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookies are set", body = upstate_shared::dto::Session),
        (status = 202, description = "The password is right and the person has two-factor sign-in on: no session yet; finish with `POST /api/v1/auth/login/two-factor` and the challenge", body = upstate_shared::dto::TwoFactorRequired),
        (status = 403, description = "`sso_required`: the password is right, but the person is a member of an org that requires single sign-on (`GET /api/v1/auth/sso/start`)", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let ip = client_ip(&req, &state);
    state
        .limits
        .check(Action::Login, ip.as_deref(), &body.email)?;
    let email = body.email.trim().to_lowercase();
    let lookup = email.clone();
    let user = state
        .read(move |conn| users::find_by_email(conn, &lookup))
        .await?;
    let correct = password::verify(
        body.password,
        user.as_ref().map(|user| user.password_hash.clone()),
    )
    .await?;
    let ip_for_audit = ip.clone();
    let seen = seen(&req, &state);
    // Single sign-on only (issue 22): a member of an org that requires it does not sign in with
    // a password, in any org (told only to whoever gave the right password).
    if let Some(user) = user.as_ref().filter(|_| correct) {
        let id = user.id.clone();
        let orgs = state
            .read(move |conn| upstate_store::sso::required_by_orgs_of(conn, &id))
            .await?;
        if !orgs.is_empty() {
            let (id, details) = (user.id.clone(), json!({ "orgs": orgs }));
            let ip = ip_for_audit.clone();
            state
                .write(move |conn| {
                    Trail::new(audit::Actor::User(id.clone()), ip.as_deref()).record(
                        conn,
                        None,
                        "auth.login_refused_sso_required",
                        "user",
                        Some(id.as_str()),
                        details,
                    )
                })
                .await?;
            return Err(sso_required(&orgs));
        }
    }
    match user {
        Some(user) if correct => {
            let signed_in = user.clone();
            let step = state
                .write(move |conn| {
                    let trail = Trail::new(
                        audit::Actor::User(signed_in.id.clone()),
                        ip_for_audit.as_deref(),
                    );
                    // With two-factor on (TOTP, or a passkey), the password alone opens no
                    // session: a challenge for the second step does.
                    let methods = super::two_factor::methods_of(conn, &signed_in.id)?;
                    if !methods.is_empty() {
                        trail.record(
                            conn,
                            None,
                            "auth.login_password_accepted",
                            "user",
                            Some(signed_in.id.as_str()),
                            json!({ "next": "two_factor" }),
                        )?;
                        let (challenge, expires_at) =
                            super::two_factor::new_challenge(conn, &signed_in.id)?;
                        return Ok(FirstStep::Challenge(challenge, expires_at, methods));
                    }
                    trail.record(
                        conn,
                        None,
                        "auth.login_succeeded",
                        "user",
                        Some(signed_in.id.as_str()),
                        json!({}),
                    )?;
                    Ok(FirstStep::Session(new_refresh_token(
                        conn,
                        &signed_in.id,
                        &seen,
                    )?))
                })
                .await?;
            match step {
                FirstStep::Session(refresh) => {
                    session_response(&state, StatusCode::OK, &user, refresh)
                }
                FirstStep::Challenge(challenge, expires_at, methods) => Ok(
                    super::two_factor::challenge_response(challenge, expires_at, methods),
                ),
            }
        }
        user => {
            state
                .write(move |conn| {
                    let actor = user
                        .as_ref()
                        .map_or(audit::Actor::System, |u| audit::Actor::User(u.id.clone()));
                    Trail::new(actor, ip_for_audit.as_deref()).record(
                        conn,
                        None,
                        "auth.login_failed",
                        "user",
                        user.as_ref().map(|u| u.id.as_str()),
                        json!({ "email": email }),
                    )
                })
                .await?;
            Err(wrong_credentials())
        }
    }
}

/// `POST /api/v1/auth/refresh`: rotates the refresh cookie and answers a new access token.
#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    operation_id = "auth_refresh",
    responses((status = 200, description = "A new access token; the refresh cookie was rotated", body = upstate_shared::dto::Session)),
)]
pub async fn refresh(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_spa_header(&req)?;
    let Some(cookie) = req.cookie(REFRESH_COOKIE) else {
        return Err(ApiError::Unauthenticated(
            "There is no session to refresh.".into(),
        ));
    };
    let presented = hash_token(cookie.value());
    let next = random_token(REFRESH_PREFIX);
    let next_hash = hash_token(&next);
    let ip = client_ip(&req, &state);
    let seen = seen(&req, &state);
    let outcome = state
        .write(move |conn| {
            let rotation = sessions::rotate(
                conn,
                &presented,
                &next_hash,
                upstate_store::now() + tokens::REFRESH_TTL,
            )?;
            match &rotation {
                sessions::Rotation::Rotated { user, family } => {
                    sessions::used(conn, family, &seen)?;
                    Ok((rotation.clone(), Some(users::get(conn, user)?)))
                }
                sessions::Rotation::Reused { user } => {
                    Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                        conn,
                        None,
                        "auth.refresh_token_reused",
                        "user",
                        Some(user.as_str()),
                        json!({ "effect": "every session of this sign-in was revoked" }),
                    )?;
                    Ok((rotation, None))
                }
                sessions::Rotation::Invalid => Ok((rotation, None)),
            }
        })
        .await?;
    match outcome {
        (sessions::Rotation::Rotated { family, .. }, Some(user)) => session_response(
            &state,
            StatusCode::OK,
            &user,
            SessionTokens {
                refresh_token: next,
                session: family,
            },
        ),
        // The session is over: the refusal also clears the cookies.
        _ => Ok(signing_out(&state, StatusCode::UNAUTHORIZED).json(
            ApiError::Unauthenticated("The session has ended; sign in again.".into()).body(),
        )),
    }
}

/// `POST /api/v1/auth/logout`: ends the session of the refresh cookie, or of the access token
/// presented (bearer or cookie): its refresh tokens are revoked, and its access tokens are
/// refused from then on. Clears the cookies.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "auth_logout",
    responses((status = 204, description = "Signed out; the cookies are cleared")),
)]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let refresh = req.cookie(REFRESH_COOKIE).map(|c| hash_token(c.value()));
    let bearer = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let access_cookie = req.cookie(cookies::ACCESS_COOKIE);
    if refresh.is_some() || access_cookie.is_some() {
        require_spa_header(&req)?;
    }
    let session = bearer
        .or(access_cookie.as_ref().map(|c| c.value()))
        .and_then(|token| state.jwt.verify(token))
        .map(|access| access.session);
    if refresh.is_some() || session.is_some() {
        state
            .write(move |conn| {
                if let Some(presented) = refresh
                    && let Some(family) = sessions::family_of(conn, &presented)?
                {
                    sessions::revoke_family(conn, &family)?;
                }
                if let Some(session) = session {
                    sessions::revoke_family(conn, &session)?;
                }
                Ok(())
            })
            .await?;
    }
    Ok(signing_out(&state, StatusCode::NO_CONTENT).finish())
}

/// `GET /api/v1/auth/me`
#[utoipa::path(
    get,
    path = "/api/v1/auth/me",
    tag = "auth",
    operation_id = "auth_me",
    responses((status = 200, description = "The signed-in person and their organizations", body = upstate_shared::dto::Me)),
)]
pub async fn me(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user()?.clone();
    let (user, orgs, two_factor) = state
        .read(move |conn| {
            let user = users::get(conn, &user_id)?;
            let orgs = memberships::orgs_of_user(conn, &user_id)?;
            let two_factor = upstate_store::two_factor::has_second_factor(conn, &user_id)?;
            Ok((user, orgs, two_factor))
        })
        .await
        .map_err(|err| match err {
            // The account is gone while its token lives on.
            ApiError::NotFound(_) => {
                ApiError::Unauthenticated("The credentials are not valid or have expired.".into())
            }
            other => other,
        })?;
    Ok(HttpResponse::Ok().json(Me {
        two_factor,
        user: views::user(&user),
        memberships: orgs
            .iter()
            .map(|(org, role)| MyMembership {
                org: views::org_ref(org),
                role: *role,
            })
            .collect(),
    }))
}

/// `POST /api/v1/auth/password-reset`: 202 whether or not the account exists.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset",
    tag = "auth",
    operation_id = "auth_request_password_reset",
    request_body = upstate_shared::dto::PasswordResetRequest,
    responses((status = 202, description = "A reset link is emailed when the account exists")),
)]
pub async fn request_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let ResetFor(email) = ResetFor::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    state.limits.check(
        Action::PasswordReset,
        client_ip(&req, &state).as_deref(),
        email.as_str(),
    )?;
    let token = random_token(RESET_PREFIX);
    // The token rides in the fragment: browsers send it to no server, so it lands in no log.
    let link = format!("{}/reset-password#{token}", state.settings.public_url);
    let public_url = state.settings.public_url.clone();
    let queued = state
        .write(move |conn| {
            let Some(user) = users::find_by_email(conn, email.as_str())? else {
                return Ok(false);
            };
            let sso_orgs = upstate_store::sso::required_by_orgs_of(conn, &user.id)?;
            if !sso_orgs.is_empty() {
                // No reset link for a person who signs in only with SSO: a note that says so.
                let mail = Mail {
                    to: user.email.clone(),
                    subject: "Your Upstate account signs in with SSO".into(),
                    text: format!(
                        "Hello {},\n\nSomeone (hopefully you) asked to reset the password of your \
                         Upstate account. Your organization ({}) requires single sign-on, so your \
                         account has no password to reset: sign in with \"Sign in with SSO\" at\n\n\
                         {}/login\n",
                        user.name,
                        sso_orgs.join(", "),
                        public_url
                    ),
                };
                mail.queue(conn, None)?;
                return Ok(true);
            }
            link_tokens::create(
                conn,
                &user.id,
                Purpose::PasswordReset,
                &hash_token(&token),
                upstate_store::now() + tokens::RESET_TTL,
            )?;
            let mail = Mail {
                to: user.email.clone(),
                subject: "Reset your Upstate password".into(),
                text: format!(
                    "Hello {},\n\nSomeone (hopefully you) asked to reset the password of your \
                     Upstate account. Choose a new one here within the hour:\n\n{link}\n\n\
                     If it was not you, ignore this message: your password stays as it is.\n",
                    user.name
                ),
            };
            mail.queue(conn, None)?;
            Ok(true)
        })
        .await?;
    if queued {
        state.outbox_wake.notify_one();
    }
    Ok(HttpResponse::Accepted().finish())
}

/// `POST /api/v1/auth/password-reset/confirm`: sets the new password and ends every session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset/confirm",
    tag = "auth",
    operation_id = "auth_confirm_password_reset",
    request_body = upstate_shared::dto::PasswordResetConfirm,
    responses(
        (status = 204, description = "The password is changed and every session ended"),
        (status = 403, description = "`sso_required`: the person is a member of an org that requires single sign-on; the password is not changed", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn confirm_password_reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasswordResetConfirm>,
) -> Result<HttpResponse, ApiError> {
    let NewPassword { token, password } =
        NewPassword::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let presented = hash_token(&token);
    let ip = client_ip(&req, &state);
    // Guessing tokens is limited per address, and a wrong token costs a read, never a hash.
    state
        .limits
        .check(Action::LinkToken, ip.as_deref(), &presented)?;
    let token = presented.clone();
    if !state
        .read(move |conn| link_tokens::is_valid(conn, Purpose::PasswordReset, &token))
        .await?
    {
        return Err(invalid_reset_link());
    }
    let password_hash = password::hash(password.expose().to_owned()).await?;
    let reset = state
        .write(move |conn| {
            let Some(user) = link_tokens::consume(conn, Purpose::PasswordReset, &presented)? else {
                return Ok(Reset::InvalidLink);
            };
            let sso_orgs = upstate_store::sso::required_by_orgs_of(conn, &user)?;
            if !sso_orgs.is_empty() {
                return Ok(Reset::SsoRequired(sso_orgs));
            }
            users::set_password(conn, &user, &password_hash)?;
            sessions::revoke_all_of_user(conn, &user)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.password_reset",
                "user",
                Some(user.as_str()),
                json!({}),
            )?;
            Ok(Reset::Done)
        })
        .await?;
    match reset {
        Reset::Done => Ok(HttpResponse::NoContent().finish()),
        Reset::InvalidLink => Err(invalid_reset_link()),
        Reset::SsoRequired(orgs) => Err(sso_required(&orgs)),
    }
}

/// How a password reset ended.
enum Reset {
    Done,
    InvalidLink,
    /// The person's org requires single sign-on (a link sent before it did).
    SsoRequired(Vec<String>),
}
