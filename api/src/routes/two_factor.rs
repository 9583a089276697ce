//! Two-factor sign-in with TOTP (issue 22, item 2): a person's enrolment, recovery codes and
//! turning it off, under `/api/v1/account/two-factor`, and the second step of signing in,
//! `POST /api/v1/auth/login/two-factor`.
//!
//! The secret is sealed at rest ([`crate::auth::sealed`]), bound to its person. A TOTP code is
//! accepted once: the credential keeps the time step of the last code accepted, and a code of
//! that step or an earlier one is refused. Codes count against a sign-in rate limit of the
//! account (`Action::TwoFactor`: the limits of passwords, counted apart).

use crate::activity::Trail;
use crate::auth::caller::client_ip;
use crate::auth::rate_limit::Action;
use crate::auth::sealed::Sealer;
use crate::auth::tokens::{hash_token, random_token};
use crate::auth::{Caller, totp};
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::routes::auth::{SessionTokens, new_refresh_token, session_response};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde_json::json;
use upstate_shared::UserId;
use upstate_shared::dto::{
    RecoveryCodes, TotpEnrolment, TwoFactorChallenge, TwoFactorCode, TwoFactorLogin,
    TwoFactorMethod, TwoFactorRequired, TwoFactorStatus,
};
use upstate_store::{DbConnection, StoreResult, audit, two_factor, users};

/// How long the challenge between a sign-in's two steps is good for.
pub const CHALLENGE_TTL: chrono::Duration = chrono::Duration::minutes(5);
/// The prefix of sign-in challenges, so a leaked one is recognised.
const CHALLENGE_PREFIX: &str = "upc_";
/// The longest code looked at: anything longer is no code of ours.
const MAX_CODE_LEN: usize = 64;

/// What checking a second factor found.
enum Check {
    Accepted(TwoFactorMethod),
    /// Not a code of this person now (wrong, or a recovery code not theirs or used).
    Wrong,
    /// A right TOTP code of a step already used.
    Replayed,
    /// The sealed secret does not open: the secrets key changed without the previous one.
    Unsealable,
}

/// Why a change or a sign-in with a code was refused (answered after the transaction).
enum Refusal {
    NoEnrolment,
    AlreadyOn,
    NotOn,
    /// Wrong, or of a step used already, or a used recovery code.
    WrongCode,
    /// A right TOTP code of a step used already (told apart at sign-in).
    UsedCode,
    Unsealable,
}

impl Refusal {
    /// The answer on the account's own routes: a code is a field of the request there.
    fn on_account(self) -> ApiError {
        match self {
            Refusal::NoEnrolment => ApiError::Conflict(
                "There is no enrolment to confirm: start one with POST /api/v1/account/two-factor/totp.".into(),
            ),
            Refusal::AlreadyOn => ApiError::Conflict("Two-factor sign-in is on already.".into()),
            Refusal::NotOn => {
                ApiError::Conflict("Two-factor sign-in is not on for this account.".into())
            }
            Refusal::WrongCode | Refusal::UsedCode => {
                ApiError::field("code", "This code is not right (or was used already).")
            }
            Refusal::Unsealable => unsealable(),
        }
    }

    /// The answer at sign-in: a wrong code is a failed sign-in (401).
    fn at_sign_in(self) -> ApiError {
        match self {
            Refusal::UsedCode => ApiError::Unauthenticated(
                "This code was used already; wait for the next one.".into(),
            ),
            Refusal::Unsealable => unsealable(),
            _ => ApiError::Unauthenticated("The code is not right.".into()),
        }
    }
}

/// Checks `code` (a TOTP code, or a recovery code when `recovery` or when it does not look like
/// one) for `user`, and uses it when right: in the caller's transaction. A secret opened with
/// the previous key is sealed again with the current one.
fn check_factor(
    conn: &mut DbConnection,
    sealer: &Sealer,
    user: &UserId,
    code: &str,
    recovery: bool,
) -> StoreResult<Check> {
    if code.len() > MAX_CODE_LEN {
        return Ok(Check::Wrong);
    }
    if recovery || !totp::looks_like_code(code) {
        let used = two_factor::use_recovery_code(conn, user, &totp::recovery_code_hash(code))?;
        return Ok(if used {
            Check::Accepted(TwoFactorMethod::RecoveryCode)
        } else {
            Check::Wrong
        });
    }
    let Some(credential) = two_factor::totp(conn, user)? else {
        return Ok(Check::Wrong);
    };
    let Ok(opened) = sealer.open(&credential.sealed_secret, user.as_str().as_bytes()) else {
        return Ok(Check::Unsealable);
    };
    if opened.stale {
        let resealed = sealer.seal(&opened.plain, user.as_str().as_bytes());
        two_factor::reseal(conn, user, &resealed)?;
    }
    let Some(step) = totp::matching_step(&opened.plain, code, totp::unix_now()) else {
        return Ok(Check::Wrong);
    };
    Ok(if two_factor::accept_step(conn, user, step)? {
        Check::Accepted(TwoFactorMethod::Totp)
    } else {
        Check::Replayed
    })
}

fn unsealable() -> ApiError {
    ApiError::Internal(
        "a TOTP secret does not open: the secrets key changed without UPSTATE_SECRETS_KEY_PREVIOUS"
            .into(),
    )
}

fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// Counts an attempt at a code of `user` against the account's limit of second-factor
/// attempts (as many as sign-in allows for passwords, counted apart so that a person who
/// mistypes their password a few times is not locked out of the code step).
fn count_attempt(state: &AppState, req: &HttpRequest, user: &users::User) -> Result<(), ApiError> {
    state.limits.check(
        Action::TwoFactor,
        client_ip(req, state).as_deref(),
        &user.email,
    )
}

/// A mail to the person about their two-factor sign-in, in the caller's transaction.
fn tell(
    conn: &mut DbConnection,
    user: &users::User,
    public_url: &str,
    what: &str,
) -> StoreResult<()> {
    Mail {
        to: user.email.clone(),
        subject: format!("Two-factor sign-in was {what} on your Upstate account"),
        text: format!(
            "Hello {},\n\nTwo-factor sign-in was {what} on your Upstate account just now.\n\n\
             If it was not you, someone has your password: choose a new one at \
             {public_url}/forgot-password and check your account's security.\n",
            user.name
        ),
    }
    .queue(conn, None)?;
    Ok(())
}

/// `GET /api/v1/account/two-factor`
#[utoipa::path(
    get,
    path = "/api/v1/account/two-factor",
    tag = "account",
    operation_id = "two_factor_status",
    responses((status = 200, description = "Whether two-factor sign-in is on", body = upstate_shared::dto::TwoFactorStatus)),
)]
pub async fn status(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let (credential, left) = state
        .read(move |conn| {
            let credential = two_factor::totp(conn, &user)?;
            let left = two_factor::recovery_codes_left(conn, &user)?;
            Ok((credential, left))
        })
        .await?;
    let enabled_at = credential.and_then(|c| c.confirmed_at).map(utc);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TwoFactorStatus {
            totp_enabled: enabled_at.is_some(),
            enabled_at,
            recovery_codes_left: if enabled_at.is_some() {
                u32::try_from(left).unwrap_or(u32::MAX)
            } else {
                0
            },
        }))
}

/// `POST /api/v1/account/two-factor/totp`: starts (or starts over) an enrolment. Two-factor is
/// on only once a first code confirms it.
#[utoipa::path(
    post,
    path = "/api/v1/account/two-factor/totp",
    tag = "account",
    operation_id = "two_factor_totp_enrol",
    responses(
        (status = 200, description = "The secret to add to an authenticator app; confirm it with a first code", body = upstate_shared::dto::TotpEnrolment),
        (status = 409, description = "Two-factor sign-in is on already", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn enrol(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user()?.clone();
    let secret = totp::new_secret();
    let sealed = state.sealer.seal(&secret, user_id.as_str().as_bytes());
    let ip = client_ip(&req, &state);
    let user = state
        .write(move |conn| {
            let user = users::get(conn, &user_id)?;
            if two_factor::totp(conn, &user_id)?.is_some_and(|c| c.is_on()) {
                return Ok(None);
            }
            two_factor::start_enrolment(conn, &user_id, &sealed)?;
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.two_factor_enrolment_started",
                "user",
                Some(user_id.as_str()),
                json!({ "method": "totp" }),
            )?;
            Ok(Some(user))
        })
        .await?
        .ok_or_else(|| ApiError::Conflict("Two-factor sign-in is on already.".into()))?;
    let otpauth_uri = totp::otpauth_uri(&secret, &user.email).map_err(ApiError::Internal)?;
    let qr_svg = totp::qr_svg(&otpauth_uri).map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TotpEnrolment {
            otpauth_uri,
            secret: totp::base32(&secret),
            qr_svg,
        }))
}

/// `POST /api/v1/account/two-factor/totp/confirm`: a first right code turns two-factor on; the
/// answer carries the ten recovery codes, shown this once.
#[utoipa::path(
    post,
    path = "/api/v1/account/two-factor/totp/confirm",
    tag = "account",
    operation_id = "two_factor_totp_confirm",
    request_body = upstate_shared::dto::TwoFactorCode,
    responses(
        (status = 200, description = "Two-factor sign-in is on; the recovery codes, shown once", body = upstate_shared::dto::RecoveryCodes),
        (status = 409, description = "No enrolment to confirm, or two-factor is on already", body = upstate_shared::ErrorBody),
        (status = 422, description = "The code is not right", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn confirm(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<TwoFactorCode>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user()?.clone();
    let code = body.into_inner().code;
    let lookup = user_id.clone();
    let user = state.read(move |conn| users::get(conn, &lookup)).await?;
    count_attempt(&state, &req, &user)?;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    let ip = client_ip(&req, &state);
    let sealer = state.sealer.clone();
    let public_url = state.settings.public_url.clone();
    let refused = state
        .write(move |conn| {
            match two_factor::totp(conn, &user_id)? {
                None => return Ok(Some(Refusal::NoEnrolment)),
                Some(c) if c.is_on() => return Ok(Some(Refusal::AlreadyOn)),
                Some(_) => {}
            }
            if !totp::looks_like_code(&code) {
                return Ok(Some(Refusal::WrongCode));
            }
            match check_factor(conn, &sealer, &user_id, &code, false)? {
                Check::Accepted(_) => {}
                Check::Unsealable => return Ok(Some(Refusal::Unsealable)),
                Check::Wrong | Check::Replayed => return Ok(Some(Refusal::WrongCode)),
            }
            two_factor::confirm(conn, &user_id, &hashes)?;
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.two_factor_enabled",
                "user",
                Some(user_id.as_str()),
                json!({ "method": "totp" }),
            )?;
            tell(conn, &user, &public_url, "turned on")?;
            Ok(None)
        })
        .await?;
    if let Some(refusal) = refused {
        return Err(refusal.on_account());
    }
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(RecoveryCodes {
            recovery_codes: codes,
        }))
}

/// Checks a code for one of the changes that need one (turning off, new recovery codes), then
/// makes the change and records it, all in one transaction.
pub(super) async fn with_code(
    req: &HttpRequest,
    caller: &Caller,
    state: &AppState,
    code: String,
    change: impl FnOnce(&mut DbConnection, &users::User, &Trail) -> StoreResult<()> + Send + 'static,
) -> Result<(), ApiError> {
    let user_id = caller.user()?.clone();
    let lookup = user_id.clone();
    let user = state.read(move |conn| users::get(conn, &lookup)).await?;
    count_attempt(state, req, &user)?;
    let ip = client_ip(req, state);
    let sealer = state.sealer.clone();
    let refused = state
        .write(move |conn| {
            if !two_factor::totp(conn, &user_id)?.is_some_and(|c| c.is_on()) {
                return Ok(Some(Refusal::NotOn));
            }
            match check_factor(conn, &sealer, &user_id, &code, false)? {
                Check::Accepted(_) => {}
                Check::Unsealable => return Ok(Some(Refusal::Unsealable)),
                Check::Wrong | Check::Replayed => return Ok(Some(Refusal::WrongCode)),
            }
            let trail = Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref());
            change(conn, &user, &trail)?;
            Ok(None)
        })
        .await?;
    if let Some(refusal) = refused {
        return Err(refusal.on_account());
    }
    state.outbox_wake.notify_one();
    Ok(())
}

/// `POST /api/v1/account/two-factor/totp/disable`: turns two-factor off, given a current TOTP
/// code or a recovery code.
#[utoipa::path(
    post,
    path = "/api/v1/account/two-factor/totp/disable",
    tag = "account",
    operation_id = "two_factor_totp_disable",
    request_body = upstate_shared::dto::TwoFactorCode,
    responses(
        (status = 204, description = "Two-factor sign-in is off; the recovery codes are void"),
        (status = 409, description = "Two-factor sign-in is not on", body = upstate_shared::ErrorBody),
        (status = 422, description = "The code is not right", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn disable(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<TwoFactorCode>,
) -> Result<HttpResponse, ApiError> {
    let public_url = state.settings.public_url.clone();
    with_code(
        &req,
        &caller,
        &state,
        body.into_inner().code,
        move |conn, user, trail| {
            two_factor::disable(conn, &user.id)?;
            trail.record(
                conn,
                None,
                "auth.two_factor_disabled",
                "user",
                Some(user.id.as_str()),
                json!({ "method": "totp" }),
            )?;
            tell(conn, user, &public_url, "turned off")
        },
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/account/two-factor/recovery-codes`: ten new recovery codes (the old ones are
/// void), given a current TOTP code or a recovery code.
#[utoipa::path(
    post,
    path = "/api/v1/account/two-factor/recovery-codes",
    tag = "account",
    operation_id = "two_factor_recovery_codes_regenerate",
    request_body = upstate_shared::dto::TwoFactorCode,
    responses(
        (status = 200, description = "The new recovery codes, shown once", body = upstate_shared::dto::RecoveryCodes),
        (status = 409, description = "Two-factor sign-in is not on", body = upstate_shared::ErrorBody),
        (status = 422, description = "The code is not right", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn regenerate_recovery_codes(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<TwoFactorCode>,
) -> Result<HttpResponse, ApiError> {
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| totp::recovery_code_hash(c)).collect();
    with_code(
        &req,
        &caller,
        &state,
        body.into_inner().code,
        move |conn, user, trail| {
            two_factor::replace_recovery_codes(conn, &user.id, &hashes)?;
            trail.record(
                conn,
                None,
                "auth.two_factor_recovery_codes_regenerated",
                "user",
                Some(user.id.as_str()),
                json!({}),
            )
        },
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(RecoveryCodes {
            recovery_codes: codes,
        }))
}

/// After a right password, for a person with two-factor on: a new challenge, answered 202 in
/// place of a session (no cookies yet), with the ways the person has to pass the second step.
pub fn challenge_response(
    token: String,
    expires_at: DateTime<Utc>,
    methods: Vec<TwoFactorMethod>,
) -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(TwoFactorRequired {
            two_factor: TwoFactorChallenge {
                challenge: token,
                methods,
                expires_at,
            },
        })
}

/// The ways `user` has to pass the second step of a sign-in: a TOTP code and a recovery code
/// when TOTP is on, a passkey when they have one (empty: no second step).
pub fn methods_of(conn: &mut DbConnection, user: &UserId) -> StoreResult<Vec<TwoFactorMethod>> {
    let mut methods = Vec::new();
    if two_factor::totp(conn, user)?.is_some_and(|c| c.is_on()) {
        methods.extend([TwoFactorMethod::Totp, TwoFactorMethod::RecoveryCode]);
    }
    if upstate_store::passkeys::has_any(conn, user)? {
        methods.push(TwoFactorMethod::Passkey);
    }
    Ok(methods)
}

/// Stores a new challenge for `user`, in the caller's transaction: its token and expiry.
pub fn new_challenge(
    conn: &mut DbConnection,
    user: &UserId,
) -> StoreResult<(String, DateTime<Utc>)> {
    let token = random_token(CHALLENGE_PREFIX);
    let expires_at = upstate_store::now() + CHALLENGE_TTL;
    two_factor::create_challenge(conn, user, &hash_token(&token), expires_at)?;
    Ok((token, utc(expires_at)))
}

/// How the second step of a sign-in ended.
enum SecondStep {
    SignedIn(SessionTokens),
    Refused(Refusal),
    /// The passkey's answer was refused (the answer to give).
    PasskeyRefused(ApiError),
}

/// What the second step presents.
enum Factor {
    /// A TOTP code, or a recovery code (`true`).
    Code(String, bool),
    /// A passkey's answer, checked by this server's relying party.
    Passkey(
        Box<upstate_shared::dto::PasskeyAssertion>,
        webauthn_rs::prelude::Webauthn,
    ),
}

pub(crate) fn challenge_gone() -> ApiError {
    ApiError::Unauthenticated(
        "This sign-in challenge is not valid: it expired or was used already; sign in again with your password.".into(),
    )
}

/// `POST /api/v1/auth/login/two-factor`: the second step of signing in, with the challenge of
/// the first and a TOTP code or a recovery code. A wrong code leaves the challenge good (until
/// it expires, and within the sign-in rate limit); a right one uses it.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/two-factor",
    tag = "auth",
    operation_id = "auth_login_two_factor",
    request_body = upstate_shared::dto::TwoFactorLogin,
    responses(
        (status = 200, description = "Signed in; the session cookies are set", body = upstate_shared::dto::Session),
        (status = 401, description = "The challenge expired or was used, or the code is wrong or was used already", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<TwoFactorLogin>,
) -> Result<HttpResponse, ApiError> {
    let TwoFactorLogin {
        challenge,
        code,
        recovery_code,
        passkey,
    } = body.into_inner();
    let seen = crate::routes::auth::seen(&req, &state);
    let factor = match (code, recovery_code, passkey) {
        (Some(code), None, None) => Factor::Code(code, false),
        (None, Some(code), None) => Factor::Code(code, true),
        (None, None, Some(passkey)) => Factor::Passkey(
            Box::new(passkey),
            crate::routes::passkeys::relying_party(&state.settings)?,
        ),
        _ => {
            return Err(ApiError::field(
                "code",
                "Give one of `code` (from the authenticator app), `recovery_code` or `passkey`.",
            ));
        }
    };
    let ip = client_ip(&req, &state);
    let presented = hash_token(&challenge);
    let lookup = presented.clone();
    let user = state
        .read(move |conn| {
            two_factor::challenge_user(conn, &lookup)?
                .map(|user| users::get(conn, &user))
                .transpose()
        })
        .await?;
    let Some(user) = user else {
        // Guessing challenges is counted per address (and per guess).
        state
            .limits
            .check(Action::LinkToken, ip.as_deref(), &presented)?;
        return Err(challenge_gone());
    };
    count_attempt(&state, &req, &user)?;
    let sealer = state.sealer.clone();
    let signing_in = user.clone();
    let outcome = state
        .write(move |conn| {
            let trail = Trail::new(audit::Actor::User(signing_in.id.clone()), ip.as_deref());
            let failed = |conn: &mut DbConnection, reason: &str| {
                trail.record(
                    conn,
                    None,
                    "auth.login_two_factor_failed",
                    "user",
                    Some(signing_in.id.as_str()),
                    json!({ "reason": reason }),
                )
            };
            let method = match &factor {
                Factor::Passkey(assertion, webauthn) => {
                    match crate::routes::passkeys::check_second_factor(
                        conn,
                        webauthn,
                        &signing_in.id,
                        assertion,
                    )? {
                        Ok(_) => TwoFactorMethod::Passkey,
                        Err((reason, answer)) => {
                            failed(conn, reason)?;
                            return Ok(SecondStep::PasskeyRefused(answer));
                        }
                    }
                }
                Factor::Code(code, recovery) => {
                    match check_factor(conn, &sealer, &signing_in.id, code, *recovery)? {
                        Check::Accepted(method) => method,
                        Check::Unsealable => return Ok(SecondStep::Refused(Refusal::Unsealable)),
                        Check::Wrong => {
                            failed(conn, "wrong_code")?;
                            return Ok(SecondStep::Refused(Refusal::WrongCode));
                        }
                        Check::Replayed => {
                            failed(conn, "code_used_already")?;
                            return Ok(SecondStep::Refused(Refusal::UsedCode));
                        }
                    }
                }
            };
            // The code was used in this transaction: a challenge gone meanwhile undoes it.
            if !two_factor::use_challenge(conn, &presented)? {
                return Err(upstate_store::StoreError::Conflict(
                    "the sign-in challenge was used meanwhile".into(),
                ));
            }
            trail.record(
                conn,
                None,
                "auth.login_succeeded",
                "user",
                Some(signing_in.id.as_str()),
                json!({ "second_factor": method }),
            )?;
            Ok(SecondStep::SignedIn(new_refresh_token(
                conn,
                &signing_in.id,
                &seen,
            )?))
        })
        .await
        .map_err(|err| match err {
            ApiError::Conflict(_) => challenge_gone(),
            other => other,
        })?;
    let tokens = match outcome {
        SecondStep::SignedIn(tokens) => tokens,
        SecondStep::Refused(refusal) => return Err(refusal.at_sign_in()),
        SecondStep::PasskeyRefused(answer) => return Err(answer),
    };
    session_response(&state, StatusCode::OK, &user, tokens)
}
