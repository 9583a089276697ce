//! Passkeys (WebAuthn, issue 22, item 3): a person adds several under
//! `/api/v1/account/passkeys`, names and removes them, and signs in with one alone
//! (`/api/v1/auth/passkey`: a discoverable credential names its person) or uses one as the
//! second step after a password (`/api/v1/auth/login/two-factor`).
//!
//! The relying party is the host of `UPSTATE_PUBLIC_URL` and the only origin accepted is that
//! URL's: a passkey made here works only on this server's own address. (A public URL whose host
//! is an IP address has no passkeys: browsers refuse an IP address as a relying party.)
//!
//! Each ceremony's server half (the challenge and what it expects) is stored between its two
//! requests ([`upstate_store::passkeys::start_ceremony`]): any replica finishes it, once, within
//! [`CEREMONY_TTL`]. Adding a passkey needs the current password besides the session, and
//! sends the person a mail; every change is in the audit log.

use crate::activity::Trail;
use crate::auth::Caller;
use crate::auth::caller::client_ip;
use crate::auth::rate_limit::Action;
use crate::auth::tokens::hash_token;
use crate::config::Settings;
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::routes::auth::{new_refresh_token, seen, session_response};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use upstate_shared::UserId;
use upstate_shared::dto::{
    PasskeyAssertion, PasskeyCeremony, PasskeyCreate, PasskeyList, PasskeyRegistrationRequest,
    PasskeyRename, PasskeySecondFactorRequest, PasskeyView,
};
use upstate_shared::valid::PasskeyName;
use upstate_store::passkeys::{self as store, Purpose};
use upstate_store::{DbConnection, StoreResult, audit, two_factor, users};
use utoipa::IntoParams;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential, Url, Uuid, Webauthn,
    WebauthnBuilder,
};
use webauthn_rs_proto::ResidentKeyRequirement;

/// How long a ceremony (its options answered, its credential not yet back) is good for.
pub const CEREMONY_TTL: chrono::Duration = chrono::Duration::minutes(5);
/// The most passkeys a person keeps.
pub const MAX_PASSKEYS: usize = 20;

/// The relying party of this server: the host of `UPSTATE_PUBLIC_URL`, that URL the origin.
pub fn relying_party(settings: &Settings) -> Result<Webauthn, ApiError> {
    let unavailable = || {
        ApiError::Unavailable(
            "Passkeys need UPSTATE_PUBLIC_URL to name the server by a domain name (browsers refuse an IP address).".into(),
        )
    };
    let origin = Url::parse(&settings.public_url).map_err(|_| unavailable())?;
    let host = origin.domain().ok_or_else(unavailable)?.to_owned();
    WebauthnBuilder::new(&host, &origin)
        .and_then(|builder| builder.rp_name("Upstate").build())
        .map_err(|err| ApiError::Internal(format!("the WebAuthn relying party: {err}")))
}

/// The WebAuthn user handle of a person: their id, a UUID.
fn user_handle(user: &UserId) -> Result<Uuid, ApiError> {
    Uuid::parse_str(user.as_str())
        .map_err(|_| ApiError::Internal(format!("the user id {user} is not a UUID")))
}

fn to_text<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map_err(|err| ApiError::Internal(format!("serialising WebAuthn state: {err}")))
}

fn from_text<T: DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_str(text).ok()
}

fn utc(at: chrono::NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

fn view(passkey: &store::Passkey) -> PasskeyView {
    PasskeyView {
        id: passkey.id.clone(),
        name: passkey.name.clone(),
        created_at: utc(passkey.created_at),
        last_used_at: passkey.last_used_at.map(utc),
    }
}

fn ceremony_response(
    ceremony: String,
    expires_at: chrono::NaiveDateTime,
    options: &impl serde::Serialize,
) -> Result<HttpResponse, ApiError> {
    let options = serde_json::to_value(options)
        .map_err(|err| ApiError::Internal(format!("serialising WebAuthn options: {err}")))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasskeyCeremony {
            ceremony,
            expires_at: utc(expires_at),
            options,
        }))
}

/// A mail to the person about their passkeys, in the caller's transaction.
fn tell(
    conn: &mut DbConnection,
    user: &users::User,
    public_url: &str,
    subject: &str,
    what: &str,
) -> StoreResult<()> {
    Mail {
        to: user.email.clone(),
        subject: subject.to_owned(),
        text: format!(
            "Hello {},\n\n{what}\n\nIf it was not you, remove it from your account's page at \
             {public_url}/account, choose a new password at {public_url}/forgot-password, and \
             end your other sessions.\n",
            user.name
        ),
    }
    .queue(conn, None)?;
    Ok(())
}

/// `GET /api/v1/account/passkeys`
#[utoipa::path(
    get,
    path = "/api/v1/account/passkeys",
    tag = "account",
    operation_id = "passkeys_list",
    responses((status = 200, description = "The person's passkeys, oldest first", body = PasskeyList)),
)]
pub async fn list(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let passkeys = state.read(move |conn| store::of_user(conn, &user)).await?;
    Ok(HttpResponse::Ok().json(PasskeyList {
        items: passkeys.iter().map(view).collect(),
    }))
}

/// `POST /api/v1/account/passkey-registration`: starts adding a passkey, proven by the current
/// password. Answers the options for `navigator.credentials.create()` (a discoverable
/// credential, verified by the authenticator: a passkey signs in alone) and the ceremony to
/// finish with `POST /api/v1/account/passkeys`.
#[utoipa::path(
    post,
    path = "/api/v1/account/passkey-registration",
    tag = "account",
    operation_id = "passkeys_registration_start",
    request_body = PasskeyRegistrationRequest,
    responses(
        (status = 200, description = "The options for `navigator.credentials.create()` and the ceremony", body = PasskeyCeremony),
        (status = 409, description = "The person has the most passkeys a person keeps", body = upstate_shared::ErrorBody),
        (status = 422, description = "The password is wrong (field `password`)", body = upstate_shared::ErrorBody),
        (status = 503, description = "The server's public URL has no domain name: no passkeys", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn start_registration(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<PasskeyRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let webauthn = relying_party(&state.settings)?;
    let user =
        crate::routes::account::proven(&caller, &state, body.into_inner().password, "password")
            .await?;
    let handle = user_handle(&user.id)?;
    let lookup = user.id.clone();
    let existing = state
        .read(move |conn| store::of_user(conn, &lookup))
        .await?;
    if existing.len() >= MAX_PASSKEYS {
        return Err(ApiError::Conflict(format!(
            "An account keeps at most {MAX_PASSKEYS} passkeys: remove one first."
        )));
    }
    let exclude = existing
        .iter()
        .filter_map(|p| from_text::<Passkey>(&p.credential))
        .map(|p| p.cred_id().clone())
        .collect::<Vec<_>>();
    let (mut options, registration) = webauthn
        .start_passkey_registration(handle, &user.email, &user.name, Some(exclude))
        .map_err(|err| ApiError::Internal(format!("starting a passkey registration: {err}")))?;
    // A passkey signs in alone, without an email typed first: the authenticator keeps the
    // credential (a discoverable one, "resident key").
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
    }
    let saved = to_text(&registration)?;
    let expires_at = upstate_store::now() + CEREMONY_TTL;
    let ip = caller.ip.clone();
    let user_id = user.id.clone();
    let ceremony = state
        .write(move |conn| {
            let ceremony = store::start_ceremony(
                conn,
                Purpose::Registration,
                Some(&user_id),
                &saved,
                expires_at,
            )?;
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.passkey_registration_started",
                "user",
                Some(user_id.as_str()),
                json!({}),
            )?;
            Ok(ceremony)
        })
        .await?;
    ceremony_response(ceremony, expires_at, &options)
}

/// What a step of a ceremony in the database came to: done, or refused for a reason answered
/// after the transaction (so that what the refusal records is kept).
enum Step<T> {
    Done(T),
    Refused(Refusal),
}

impl<T> Step<T> {
    fn into_result(self) -> Result<T, Refusal> {
        match self {
            Step::Done(value) => Ok(value),
            Step::Refused(refusal) => Err(refusal),
        }
    }
}

/// Why a ceremony's credential was refused.
#[derive(Debug)]
enum Refusal {
    /// The ceremony is unknown, used, expired, of another purpose or another person.
    NoCeremony,
    /// The credential is not the answer to this ceremony (wrong challenge, origin, signature,
    /// a counter gone back, not a passkey of this person).
    Refused(String),
    /// The credential is someone's passkey already.
    Taken,
}

impl Refusal {
    fn on_account(self) -> ApiError {
        match self {
            Refusal::NoCeremony => ApiError::field(
                "ceremony",
                "is not a passkey registration in progress (it expired or was used): start again",
            ),
            Refusal::Refused(why) => ApiError::field(
                "credential",
                format!("is not an answer to this registration: {why}"),
            ),
            Refusal::Taken => ApiError::Conflict("This passkey is added already.".into()),
        }
    }

    fn at_sign_in(&self) -> ApiError {
        match self {
            Refusal::NoCeremony => ApiError::Unauthenticated(
                "This passkey sign-in is not valid: it expired or was used already; start again."
                    .into(),
            ),
            _ => ApiError::Unauthenticated("This passkey was not accepted.".into()),
        }
    }

    fn reason(&self) -> &'static str {
        match self {
            Refusal::NoCeremony => "no_ceremony",
            Refusal::Refused(_) => "passkey_refused",
            Refusal::Taken => "passkey_taken",
        }
    }
}

/// `POST /api/v1/account/passkeys`: finishes adding a passkey with the authenticator's answer
/// to the ceremony, and names it. The person gets a mail.
#[utoipa::path(
    post,
    path = "/api/v1/account/passkeys",
    tag = "account",
    operation_id = "passkeys_create",
    request_body = PasskeyCreate,
    responses(
        (status = 201, description = "The passkey is added", body = PasskeyView),
        (status = 409, description = "This credential is a passkey already", body = upstate_shared::ErrorBody),
        (status = 422, description = "The name is not valid, the ceremony is not one in progress, or the credential does not answer it", body = upstate_shared::ErrorBody),
        (status = 503, description = "The server's public URL has no domain name: no passkeys", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn create(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<PasskeyCreate>,
) -> Result<HttpResponse, ApiError> {
    let webauthn = relying_party(&state.settings)?;
    let user_id = caller.user()?.clone();
    let PasskeyCreate {
        ceremony,
        name,
        credential,
    } = body.into_inner();
    let PasskeyName(name) = PasskeyName::check(&name).map_err(ApiError::validation)?;
    let credential: Option<RegisterPublicKeyCredential> = serde_json::from_value(credential).ok();
    let ip = caller.ip.clone();
    let public_url = state.settings.public_url.clone();
    let outcome = state
        .write(move |conn| {
            let taken = store::take_ceremony(conn, &ceremony, Purpose::Registration)?;
            let Some(taken) = taken.filter(|c| c.user_id.as_ref() == Some(&user_id)) else {
                return Ok(Step::Refused(Refusal::NoCeremony));
            };
            let Some(registration) = from_text::<PasskeyRegistration>(&taken.state) else {
                return Ok(Step::Refused(Refusal::NoCeremony));
            };
            let Some(credential) = credential else {
                return Ok(Step::Refused(Refusal::Refused(
                    "it is not a WebAuthn credential".into(),
                )));
            };
            let passkey = match webauthn.finish_passkey_registration(&credential, &registration) {
                Ok(passkey) => passkey,
                Err(err) => return Ok(Step::Refused(Refusal::Refused(err.to_string()))),
            };
            let credential_id = URL_SAFE_NO_PAD.encode(passkey.cred_id());
            if store::by_credential_id(conn, &credential_id)?.is_some() {
                return Ok(Step::Refused(Refusal::Taken));
            }
            let Ok(saved) = serde_json::to_string(&passkey) else {
                return Ok(Step::Refused(Refusal::Refused("it cannot be kept".into())));
            };
            let stored = store::create(
                conn,
                store::NewPasskey {
                    user: &user_id,
                    name: &name,
                    credential_id: &credential_id,
                    credential: &saved,
                },
            )?;
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.passkey_added",
                "user",
                Some(user_id.as_str()),
                json!({ "passkey": stored.id, "name": stored.name }),
            )?;
            let user = users::get(conn, &user_id)?;
            tell(
                conn,
                &user,
                &public_url,
                "A passkey was added to your Upstate account",
                &format!(
                    "A passkey named \u{201c}{}\u{201d} was just added to your Upstate account: \
                     it signs in without your password.",
                    stored.name
                ),
            )?;
            Ok(Step::Done(stored))
        })
        .await?;
    let stored = outcome.into_result().map_err(Refusal::on_account)?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Created().json(view(&stored)))
}

/// `.../account/passkeys/{passkey}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct PasskeyPath {
    /// The passkey's id
    pub passkey: String,
}

/// `PATCH /api/v1/account/passkeys/{passkey}`: renames one of the person's passkeys.
#[utoipa::path(
    patch,
    path = "/api/v1/account/passkeys/{passkey}",
    tag = "account",
    operation_id = "passkeys_rename",
    params(PasskeyPath),
    request_body = PasskeyRename,
    responses(
        (status = 200, description = "Renamed", body = PasskeyView),
        (status = 404, description = "No passkey of the person's has this id", body = upstate_shared::ErrorBody),
        (status = 422, description = "The name is not valid", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn rename(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<PasskeyPath>,
    body: Json<PasskeyRename>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let id = path.into_inner().passkey;
    let PasskeyName(name) = PasskeyName::check(&body.name).map_err(ApiError::validation)?;
    let ip = caller.ip.clone();
    let renamed = state
        .write(move |conn| {
            let before = store::get(conn, &user, &id)?;
            let renamed = store::rename(conn, &user, &id, &name)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.passkey_renamed",
                "user",
                Some(user.as_str()),
                json!({ "passkey": id, "from": before.name, "to": renamed.name }),
            )?;
            Ok(renamed)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(&renamed)))
}

/// `DELETE /api/v1/account/passkeys/{passkey}`: removes one of the person's passkeys; it signs
/// in no more. The person gets a mail.
#[utoipa::path(
    delete,
    path = "/api/v1/account/passkeys/{passkey}",
    tag = "account",
    operation_id = "passkeys_delete",
    params(PasskeyPath),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No passkey of the person's has this id", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn delete(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<PasskeyPath>,
) -> Result<HttpResponse, ApiError> {
    let user_id = caller.user()?.clone();
    let id = path.into_inner().passkey;
    let ip = caller.ip.clone();
    let public_url = state.settings.public_url.clone();
    state
        .write(move |conn| {
            let removed = store::delete(conn, &user_id, &id)?;
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.passkey_removed",
                "user",
                Some(user_id.as_str()),
                json!({ "passkey": removed.id, "name": removed.name }),
            )?;
            let user = users::get(conn, &user_id)?;
            tell(
                conn,
                &user,
                &public_url,
                "A passkey was removed from your Upstate account",
                &format!(
                    "The passkey named \u{201c}{}\u{201d} was just removed from your Upstate \
                     account: it signs in no more.",
                    removed.name
                ),
            )
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::NoContent().finish())
}

/// A passkey that answered a sign-in ceremony, with its person.
struct Verified {
    passkey: store::Passkey,
}

/// Checks `credential` against the ceremony `ceremony` of `purpose` (taking it: a ceremony is
/// tried once), and for a second factor that the ceremony is `expected`'s. A passkey accepted
/// has its credential updated (signature counter, backup state) and its last use recorded.
/// In the caller's transaction.
fn verify_assertion(
    conn: &mut DbConnection,
    webauthn: &Webauthn,
    ceremony: &str,
    purpose: Purpose,
    credential: Option<&PublicKeyCredential>,
    expected: Option<&UserId>,
) -> StoreResult<Step<Verified>> {
    let Some(taken) = store::take_ceremony(conn, ceremony, purpose)? else {
        return Ok(Step::Refused(Refusal::NoCeremony));
    };
    if taken.user_id.as_ref() != expected {
        return Ok(Step::Refused(Refusal::NoCeremony));
    }
    let Some(credential) = credential else {
        return Ok(Step::Refused(Refusal::Refused(
            "it is not a WebAuthn credential".into(),
        )));
    };
    let credential_id = URL_SAFE_NO_PAD.encode(credential.get_credential_id());
    let Some(row) = store::by_credential_id(conn, &credential_id)? else {
        return Ok(Step::Refused(Refusal::Refused("no such passkey".into())));
    };
    if expected.is_some_and(|user| *user != row.user_id) {
        return Ok(Step::Refused(Refusal::Refused(
            "not a passkey of this person".into(),
        )));
    }
    let Some(mut passkey) = from_text::<Passkey>(&row.credential) else {
        return Ok(Step::Refused(Refusal::Refused(
            "the stored passkey does not read".into(),
        )));
    };
    let result = match purpose {
        Purpose::SignIn => {
            let Some(state) = from_text::<DiscoverableAuthentication>(&taken.state) else {
                return Ok(Step::Refused(Refusal::NoCeremony));
            };
            // The authenticator names its person: it must be the passkey's.
            match webauthn.identify_discoverable_authentication(credential) {
                Ok((handle, _)) if handle.to_string() == row.user_id.as_str() => {}
                _ => {
                    return Ok(Step::Refused(Refusal::Refused(
                        "the passkey names another person".into(),
                    )));
                }
            }
            webauthn.finish_discoverable_authentication(
                credential,
                state,
                &[DiscoverableKey::from(&passkey)],
            )
        }
        Purpose::SecondFactor => {
            let Some(state) = from_text::<PasskeyAuthentication>(&taken.state) else {
                return Ok(Step::Refused(Refusal::NoCeremony));
            };
            webauthn.finish_passkey_authentication(credential, &state)
        }
        Purpose::Registration => return Ok(Step::Refused(Refusal::NoCeremony)),
    };
    let result = match result {
        Ok(result) => result,
        Err(err) => return Ok(Step::Refused(Refusal::Refused(err.to_string()))),
    };
    if result.cred_id() != passkey.cred_id() {
        return Ok(Step::Refused(Refusal::Refused(
            "another credential answered".into(),
        )));
    }
    passkey.update_credential(&result);
    let Ok(saved) = serde_json::to_string(&passkey) else {
        return Ok(Step::Refused(Refusal::Refused(
            "the passkey cannot be kept".into(),
        )));
    };
    store::record_use(conn, &row.id, &saved)?;
    Ok(Step::Done(Verified { passkey: row }))
}

/// `POST /api/v1/auth/passkey/options`: starts a sign-in with a passkey alone. Answers the
/// options for `navigator.credentials.get()` (no credentials listed: the authenticator offers
/// the passkeys it keeps for this site) and the ceremony to finish with
/// `POST /api/v1/auth/passkey`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/passkey/options",
    tag = "auth",
    operation_id = "auth_passkey_options",
    responses(
        (status = 200, description = "The options for `navigator.credentials.get()` and the ceremony", body = PasskeyCeremony),
        (status = 503, description = "The server's public URL has no domain name: no passkeys", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn sign_in_options(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let webauthn = relying_party(&state.settings)?;
    let ip = client_ip(&req, &state);
    // Counted per client address (there is no account yet to count against).
    state.limits.check(
        Action::Login,
        ip.as_deref(),
        &format!(
            "passkey sign-in from {}",
            ip.as_deref().unwrap_or("unknown")
        ),
    )?;
    let (mut options, authentication) = webauthn
        .start_discoverable_authentication()
        .map_err(|err| ApiError::Internal(format!("starting a passkey sign-in: {err}")))?;
    // A button asks (a modal dialog), not the browser's autofill: no conditional mediation.
    options.mediation = None;
    let saved = to_text(&authentication)?;
    let expires_at = upstate_store::now() + CEREMONY_TTL;
    let ceremony = state
        .write(move |conn| store::start_ceremony(conn, Purpose::SignIn, None, &saved, expires_at))
        .await?;
    ceremony_response(ceremony, expires_at, &options)
}

/// `POST /api/v1/auth/passkey`: signs in with a passkey alone, finishing the ceremony of
/// `POST /api/v1/auth/passkey/options`. A passkey verifies its person itself (a PIN, a
/// fingerprint): no password and no second step.
#[utoipa::path(
    post,
    path = "/api/v1/auth/passkey",
    tag = "auth",
    operation_id = "auth_passkey",
    request_body = PasskeyAssertion,
    responses(
        (status = 200, description = "Signed in; the session cookies are set", body = upstate_shared::dto::Session),
        (status = 401, description = "The ceremony expired or was used, or the passkey was not accepted", body = upstate_shared::ErrorBody),
        (status = 503, description = "The server's public URL has no domain name: no passkeys", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasskeyAssertion>,
) -> Result<HttpResponse, ApiError> {
    let webauthn = relying_party(&state.settings)?;
    let PasskeyAssertion {
        ceremony,
        credential,
    } = body.into_inner();
    let credential: Option<PublicKeyCredential> = serde_json::from_value(credential).ok();
    let ip = client_ip(&req, &state);
    // Counted per address and per passkey, as passwords are per address and per account.
    let counted = credential.as_ref().map_or_else(
        || "no passkey".to_owned(),
        |c| format!("passkey {}", URL_SAFE_NO_PAD.encode(c.get_credential_id())),
    );
    state
        .limits
        .check(Action::Login, ip.as_deref(), &hash_token(&counted))?;
    let seen = seen(&req, &state);
    let outcome = state
        .write(move |conn| {
            let verified = verify_assertion(
                conn,
                &webauthn,
                &ceremony,
                Purpose::SignIn,
                credential.as_ref(),
                None,
            )?;
            // A deleted account keeps its row (erased) but signs in no more, whatever passkey
            // is left of it.
            let verified = match verified {
                Step::Done(verified)
                    if users::get(conn, &verified.passkey.user_id)?
                        .erased_at
                        .is_some() =>
                {
                    Step::Refused(Refusal::Refused("the account was deleted".into()))
                }
                other => other,
            };
            let Verified { passkey } = match verified {
                Step::Done(verified) => verified,
                Step::Refused(refusal) => {
                    Trail::new(audit::Actor::System, ip.as_deref()).record(
                        conn,
                        None,
                        "auth.login_failed",
                        "user",
                        None,
                        json!({ "method": "passkey", "reason": refusal.reason() }),
                    )?;
                    return Ok(Step::Refused(refusal));
                }
            };
            let user = users::get(conn, &passkey.user_id)?;
            Trail::new(audit::Actor::User(user.id.clone()), ip.as_deref()).record(
                conn,
                None,
                "auth.login_succeeded",
                "user",
                Some(user.id.as_str()),
                json!({ "method": "passkey", "passkey": passkey.id }),
            )?;
            let tokens = new_refresh_token(conn, &user.id, &seen)?;
            Ok(Step::Done((user, tokens)))
        })
        .await?;
    let (user, tokens) = outcome
        .into_result()
        .map_err(|refusal| refusal.at_sign_in())?;
    session_response(&state, StatusCode::OK, &user, tokens)
}

/// `POST /api/v1/auth/login/two-factor/passkey-options`: for the second step of a sign-in whose
/// password was right, the options for `navigator.credentials.get()` listing the person's
/// passkeys. Finish with `POST /api/v1/auth/login/two-factor` and `passkey`.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/two-factor/passkey-options",
    tag = "auth",
    operation_id = "auth_login_two_factor_passkey_options",
    request_body = PasskeySecondFactorRequest,
    responses(
        (status = 200, description = "The options for `navigator.credentials.get()` and the ceremony", body = PasskeyCeremony),
        (status = 401, description = "The challenge expired or was used", body = upstate_shared::ErrorBody),
        (status = 409, description = "The person has no passkey", body = upstate_shared::ErrorBody),
        (status = 503, description = "The server's public URL has no domain name: no passkeys", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn second_factor_options(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<PasskeySecondFactorRequest>,
) -> Result<HttpResponse, ApiError> {
    let webauthn = relying_party(&state.settings)?;
    let ip = client_ip(&req, &state);
    let presented = hash_token(&body.challenge);
    let lookup = presented.clone();
    let found = state
        .read(move |conn| {
            let Some(user) = two_factor::challenge_user(conn, &lookup)? else {
                return Ok(None);
            };
            Ok(Some((user.clone(), store::of_user(conn, &user)?)))
        })
        .await?;
    let Some((user, rows)) = found else {
        state
            .limits
            .check(Action::LinkToken, ip.as_deref(), &presented)?;
        return Err(super::two_factor::challenge_gone());
    };
    let passkeys: Vec<Passkey> = rows
        .iter()
        .filter_map(|row| from_text(&row.credential))
        .collect();
    if passkeys.is_empty() {
        return Err(ApiError::Conflict(
            "This account has no passkey: use a code.".into(),
        ));
    }
    let (options, authentication) = webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|err| ApiError::Internal(format!("starting a passkey check: {err}")))?;
    let saved = to_text(&authentication)?;
    let expires_at = upstate_store::now() + CEREMONY_TTL;
    let ceremony = state
        .write(move |conn| {
            store::start_ceremony(conn, Purpose::SecondFactor, Some(&user), &saved, expires_at)
        })
        .await?;
    ceremony_response(ceremony, expires_at, &options)
}

/// The second step of a sign-in with a passkey, for `POST /api/v1/auth/login/two-factor`:
/// checks the passkey's answer for `user`, in the caller's transaction. `Err` says why it was
/// refused (for the audit log) with the answer to give.
pub(crate) fn check_second_factor(
    conn: &mut DbConnection,
    webauthn: &Webauthn,
    user: &UserId,
    assertion: &PasskeyAssertion,
) -> StoreResult<Result<String, (&'static str, ApiError)>> {
    let credential: Option<PublicKeyCredential> =
        serde_json::from_value(assertion.credential.clone()).ok();
    Ok(
        match verify_assertion(
            conn,
            webauthn,
            &assertion.ceremony,
            Purpose::SecondFactor,
            credential.as_ref(),
            Some(user),
        )? {
            Step::Done(Verified { passkey }) => Ok(passkey.id),
            Step::Refused(refusal) => Err((refusal.reason(), refusal.at_sign_in())),
        },
    )
}
