//! `/api/v1/account...`: a person's own account, signed in: their profile, their address, their
//! password and their sessions. API keys have no account and are refused (403).

use crate::activity::Trail;
use crate::auth::caller::client_ip;
use crate::auth::rate_limit::Action;
use crate::auth::tokens::{EMAIL_CHANGE_PREFIX, hash_token, random_token};
use crate::auth::{Caller, password};
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use upstate_shared::dto::{
    AccountDeletion, AccountExport, AccountSession, AccountSessions, EmailChangeConfirm,
    EmailChangeRequest, PasswordChange, ProfileUpdate, SessionsEnded,
};
use upstate_shared::valid::{ChangedPassword, DeletionProof, EmailChange, ProfileChange};
use upstate_store::link_tokens::{self, Purpose};
use upstate_store::{audit, personal_data, sessions, users};
use utoipa::IntoParams;

/// `PATCH /api/v1/account`: changes the person's name.
#[utoipa::path(
    patch,
    path = "/api/v1/account",
    tag = "account",
    operation_id = "account_update",
    request_body = ProfileUpdate,
    responses((status = 200, description = "The account as it is now", body = upstate_shared::dto::User)),
)]
pub async fn update(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<ProfileUpdate>,
) -> Result<HttpResponse, ApiError> {
    let ProfileChange { name } =
        ProfileChange::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let user = caller.user()?.clone();
    let ip = caller.ip.clone();
    let updated = state
        .write(move |conn| {
            let before = users::get(conn, &user)?;
            let updated = users::set_name(conn, &user, &name)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.updated",
                "user",
                Some(user.as_str()),
                json!({ "name": { "from": before.name, "to": updated.name } }),
            )?;
            Ok(updated)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::user(&updated)))
}

/// The signed-in person, once `password` (the request's `field`) proves it is them. A wrong one
/// counts against the account's sign-in limit, as a wrong sign-in does, so a stolen session
/// cannot guess its way to the password.
pub(crate) async fn proven(
    caller: &Caller,
    state: &AppState,
    password: String,
    field: &str,
) -> Result<users::User, ApiError> {
    let id = caller.user()?.clone();
    let user = state.read(move |conn| users::get(conn, &id)).await?;
    state
        .limits
        .check(Action::Login, caller.ip.as_deref(), &user.email)?;
    if !password::verify(password, Some(user.password_hash.clone())).await? {
        return Err(ApiError::field(field, "is not your password"));
    }
    Ok(user)
}

/// `POST /api/v1/account/password`: a new password, proven by the current one. Every other
/// session ends (this one goes on), and the person is told by mail. A wrong current password
/// counts against the sign-in limit of the account, as a wrong sign-in does.
#[utoipa::path(
    post,
    path = "/api/v1/account/password",
    tag = "account",
    operation_id = "account_change_password",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; every other session has ended"),
        (status = 422, description = "The current password is wrong (field `current_password`), or the new one is too short or too long (field `new_password`)", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn change_password(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let ChangedPassword { current, new } =
        ChangedPassword::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let user = proven(&caller, &state, current, "current_password").await?;
    let user_id = user.id.clone();
    let hash = password::hash(new.expose().to_owned()).await?;
    let keep = caller.access.as_ref().map(|access| access.session.clone());
    let ip = caller.ip.clone();
    state
        .write(move |conn| {
            users::set_password(conn, &user_id, &hash)?;
            let ended = match &keep {
                Some(keep) => sessions::end_others(conn, &user_id, keep)?,
                None => sessions::revoke_all_of_user(conn, &user_id)?,
            };
            Trail::new(audit::Actor::User(user_id.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.password_changed",
                "user",
                Some(user_id.as_str()),
                json!({ "other_sessions_ended": ended }),
            )?;
            Mail {
                to: user.email.clone(),
                subject: "Your Upstate password was changed".into(),
                text: format!(
                    "Hello {},\n\nThe password of your Upstate account was just changed, and \
                     every other session of the account was signed out.\n\nIf it was not you, \
                     reset your password at once from the sign-in page, and tell your team's \
                     owner.\n",
                    user.name
                ),
            }
            .queue(conn, None)?;
            Ok(())
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::NoContent().finish())
}

/// `GET /api/v1/account/sessions`: the person's sessions that go on, the one used last first.
#[utoipa::path(
    get,
    path = "/api/v1/account/sessions",
    tag = "account",
    operation_id = "account_sessions",
    responses((status = 200, description = "The sessions that go on; `current` marks the one asking", body = AccountSessions)),
)]
pub async fn sessions(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let current = caller.access.as_ref().map(|access| access.session.clone());
    let live = state
        .read(move |conn| sessions::list_live(conn, &user))
        .await?;
    Ok(HttpResponse::Ok().json(AccountSessions {
        items: live
            .into_iter()
            .map(|session| AccountSession {
                current: current.as_deref() == Some(session.id.as_str()),
                id: session.id,
                created_at: views::utc(session.created_at),
                last_used_at: views::utc(session.last_used_at),
                client_address: session.client_address,
                user_agent: session.user_agent,
            })
            .collect(),
    }))
}

/// `.../account/sessions/{session}`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct SessionPath {
    /// The session's id
    pub session: String,
}

/// `DELETE /api/v1/account/sessions/{session}`: ends one of the person's sessions: its refresh
/// token stops working at once, its access token is refused from the next request, and its live
/// connections close within a second.
#[utoipa::path(
    delete,
    path = "/api/v1/account/sessions/{session}",
    tag = "account",
    operation_id = "account_end_session",
    params(SessionPath),
    responses(
        (status = 204, description = "The session has ended"),
        (status = 404, description = "No session of the person's that goes on has this id", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn end_session(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let session = path.into_inner().session;
    let ip = caller.ip.clone();
    state
        .write(move |conn| {
            sessions::end(conn, &user, &session)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.session_ended",
                "user",
                Some(user.as_str()),
                json!({ "session": session }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/v1/account/sessions`: ends every session of the person but the one asking.
#[utoipa::path(
    delete,
    path = "/api/v1/account/sessions",
    tag = "account",
    operation_id = "account_end_other_sessions",
    responses((status = 200, description = "How many other sessions ended", body = SessionsEnded)),
)]
pub async fn end_other_sessions(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let keep = caller
        .access
        .as_ref()
        .map(|access| access.session.clone())
        .unwrap_or_default();
    let ip = caller.ip.clone();
    let ended = state
        .write(move |conn| {
            let ended = sessions::end_others(conn, &user, &keep)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.other_sessions_ended",
                "user",
                Some(user.as_str()),
                json!({ "ended": ended }),
            )?;
            Ok(ended)
        })
        .await?;
    Ok(HttpResponse::Ok().json(SessionsEnded {
        ended: u64::try_from(ended).unwrap_or(u64::MAX),
    }))
}

/// How long the link to confirm a new address works.
const EMAIL_CHANGE_TTL: chrono::Duration = chrono::Duration::days(1);

/// `POST /api/v1/account/email`: asks for a new address, proven by the password. A link goes to
/// the new address (the address changes only when it is followed) and a notice to the current
/// one. The answer is the same whether or not the new address has an account (that one is told
/// instead), so it tells nobody who has one.
#[utoipa::path(
    post,
    path = "/api/v1/account/email",
    tag = "account",
    operation_id = "account_change_email",
    request_body = EmailChangeRequest,
    responses(
        (status = 202, description = "A confirmation link went to the new address and a notice to the current one"),
        (status = 422, description = "The address is not valid or is the current one (field `email`), or the password is wrong (field `password`)", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn change_email(
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let EmailChange { email, password } =
        EmailChange::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let user = proven(&caller, &state, password, "password").await?;
    let new = email.as_str().to_owned();
    if new == user.email {
        return Err(ApiError::field("email", "is your address already"));
    }
    let token = random_token(EMAIL_CHANGE_PREFIX);
    let public_url = state.settings.public_url.clone();
    let ip = caller.ip.clone();
    state
        .write(move |conn| {
            let taken = users::find_by_email(conn, &new)?.is_some();
            let to_new = if taken {
                Mail {
                    to: new.clone(),
                    subject: "Someone tried to move an Upstate account to this address".into(),
                    text: "Hello,\n\nSomeone (maybe you) asked to move an Upstate account to this \
                           address, which has an account already, so nothing changed. To use \
                           this address for the other account, delete or rename this one first.\n"
                        .to_owned(),
                }
            } else {
                link_tokens::create_with_detail(
                    conn,
                    &user.id,
                    Purpose::EmailChange,
                    &hash_token(&token),
                    upstate_store::now() + EMAIL_CHANGE_TTL,
                    Some(&new),
                )?;
                Mail {
                    to: new.clone(),
                    subject: "Confirm your new email address for Upstate".into(),
                    text: format!(
                        "Hello {},\n\nConfirm that this address is yours, and it becomes the \
                         address of your Upstate account (within a day):\n\n\
                         {public_url}/account/email#{token}\n\n\
                         If you did not ask for this, ignore this message: nothing changes.\n",
                        user.name
                    ),
                }
            };
            to_new.queue(conn, None)?;
            Mail {
                to: user.email.clone(),
                subject: "A new email address was asked for your Upstate account".into(),
                text: format!(
                    "Hello {},\n\nSomeone signed in to your Upstate account asked to change its \
                     address to {new}. It changes only when the link sent there is followed.\n\n\
                     If it was not you, change your password now and end your other sessions \
                     (Account page).\n",
                    user.name
                ),
            }
            .queue(conn, None)?;
            Trail::new(audit::Actor::User(user.id.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.email_change_requested",
                "user",
                Some(user.id.as_str()),
                json!({ "to": new }),
            )
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .finish())
}

/// `POST /api/v1/account/email/confirm`: follows the link mailed to the new address, which
/// becomes the account's (and confirmed); the former address is told. Works once, within a day,
/// signed in or not (the link may be opened anywhere).
#[utoipa::path(
    post,
    path = "/api/v1/account/email/confirm",
    tag = "account",
    operation_id = "account_confirm_email",
    request_body = EmailChangeConfirm,
    responses(
        (status = 200, description = "The account with its new address", body = upstate_shared::dto::User),
        (status = 401, description = "The link is not valid: it expired or was used already", body = upstate_shared::ErrorBody),
        (status = 409, description = "Another account took the address meanwhile", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn confirm_email(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<EmailChangeConfirm>,
) -> Result<HttpResponse, ApiError> {
    let presented = hash_token(&body.into_inner().token);
    let ip = client_ip(&req, &state);
    // Guessing tokens is limited per address, as for the other links.
    state
        .limits
        .check(Action::LinkToken, ip.as_deref(), &presented)?;
    let changed = state
        .write(move |conn| {
            let Some((user, Some(new))) =
                link_tokens::consume_with_detail(conn, Purpose::EmailChange, &presented)?
            else {
                return Ok(None);
            };
            let before = users::get(conn, &user)?;
            let after = users::set_email(conn, &user, &new)?;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                None,
                "account.email_changed",
                "user",
                Some(user.as_str()),
                json!({ "from": before.email, "to": after.email }),
            )?;
            Mail {
                to: before.email.clone(),
                subject: "The email address of your Upstate account was changed".into(),
                text: format!(
                    "Hello {},\n\nThe address of your Upstate account is now {}; mail about the \
                     account goes there from now on.\n\nIf it was not you, reply to your team's \
                     owner at once.\n",
                    after.name, after.email
                ),
            }
            .queue(conn, None)?;
            Ok(Some(after))
        })
        .await?;
    let Some(user) = changed else {
        // As the other links (address confirmation, password reset): the token is the
        // credential, and it is not valid.
        return Err(ApiError::Unauthenticated(
            "This link is not valid: it expired or was used already.".into(),
        ));
    };
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Ok().json(views::user(&user)))
}

/// `DELETE /api/v1/account`: deletes the account of the person asking, proven by their password
/// or (two-factor on) a code. Refused while they are the last owner of an org, naming each.
/// Afterwards nothing personal remains (see `upstate_store::personal_data`); what they wrote
/// stays, by "a former member", and each of their orgs' audit logs records the deletion.
#[utoipa::path(
    delete,
    path = "/api/v1/account",
    tag = "account",
    operation_id = "account_delete",
    request_body = AccountDeletion,
    responses(
        (status = 204, description = "Deleted; the session cookies are cleared and every session has ended"),
        (status = 409, description = "The person is the last owner of an org (the message names each); or a code was given and two-factor sign-in is not on", body = upstate_shared::ErrorBody),
        (status = 422, description = "Neither a password nor a code, or both; or the password or the code is not right", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn delete(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    body: Json<AccountDeletion>,
) -> Result<HttpResponse, ApiError> {
    let proof = DeletionProof::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let id = caller.user()?.clone();
    let lookup = id.clone();
    let last = state
        .read(move |conn| personal_data::orgs_where_last_owner(conn, &lookup))
        .await?;
    if !last.is_empty() {
        let names: Vec<String> = last
            .iter()
            .map(|org| format!("{} ({})", org.name, org.slug))
            .collect();
        return Err(ApiError::Conflict(format!(
            "You are the last owner of {}: make someone else an owner, or delete the \
             organization, before deleting your account.",
            names.join(", ")
        )));
    }
    match proof {
        DeletionProof::Password(password) => {
            proven(&caller, &state, password, "password").await?;
            state.write(move |conn| erase(conn, &id)).await?;
        }
        DeletionProof::Code(code) => {
            super::two_factor::with_code(&req, &caller, &state, code, move |conn, user, _| {
                erase(conn, &user.id)
            })
            .await?;
        }
    }
    Ok(super::auth::signing_out(&state, actix_web::http::StatusCode::NO_CONTENT).finish())
}

/// Erases `user` and records it: once for the account, and once in each org they left, so its
/// admins see that a member deleted their account. No client address is kept with it.
fn erase(
    conn: &mut upstate_store::DbConnection,
    user: &upstate_shared::UserId,
) -> upstate_store::StoreResult<()> {
    let erased = personal_data::erase(conn, user)?;
    let trail = Trail::new(audit::Actor::User(user.clone()), None);
    for (org, role) in &erased.orgs_left {
        trail.record(
            conn,
            Some(org),
            "account.deleted",
            "user",
            Some(user.as_str()),
            json!({ "role": role }),
        )?;
    }
    trail.record(
        conn,
        None,
        "account.deleted",
        "user",
        Some(user.as_str()),
        json!({
            "orgs_left": erased.orgs_left.len(),
            "sessions_ended": erased.sessions_ended,
            "subscriptions_removed": erased.subscriptions_removed,
        }),
    )?;
    Ok(())
}

/// `GET /api/v1/account/export`: everything Upstate keeps about the person asking, as one JSON
/// document to download, and nothing about anyone else.
#[utoipa::path(
    get,
    path = "/api/v1/account/export",
    tag = "account",
    operation_id = "account_export",
    responses((status = 200, description = "The person's data (`Content-Disposition: attachment`)", body = AccountExport)),
)]
pub async fn export(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let id = caller.user()?.clone();
    let lookup = id.clone();
    let data = state
        .read(move |conn| personal_data::export(conn, &lookup))
        .await?;
    let exported_at = chrono::Utc::now();
    let document = views::account_export(&data, exported_at);
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"upstate-account-{}.json\"",
                exported_at.format("%Y-%m-%d")
            ),
        ))
        .json(document))
}
