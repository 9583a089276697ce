//! `/api/v1/account...`: a person's own account, signed in: their profile, their password and
//! their sessions. API keys have no account and are refused (403).

use crate::activity::Trail;
use crate::auth::rate_limit::Action;
use crate::auth::{Caller, password};
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use upstate_shared::dto::{
    AccountSession, AccountSessions, PasswordChange, ProfileUpdate, SessionsEnded,
};
use upstate_shared::valid::{ChangedPassword, ProfileChange};
use upstate_store::{audit, sessions, users};
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
    let user_id = caller.user()?.clone();
    let lookup = user_id.clone();
    let user = state.read(move |conn| users::get(conn, &lookup)).await?;
    state
        .limits
        .check(Action::Login, caller.ip.as_deref(), &user.email)?;
    if !password::verify(current, Some(user.password_hash.clone())).await? {
        return Err(ApiError::field("current_password", "is not your password"));
    }
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
