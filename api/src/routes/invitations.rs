//! `/api/v1/orgs/{org}/invitations` and `/api/v1/invitations/accept`: joining a team by
//! email. The token travels only in the email (and in the answer to the admin who created it).

use crate::activity::Trail;
use crate::auth::tokens::{self, INVITATION_PREFIX, hash_token, random_token};
use crate::auth::{Admin, Caller, OrgAccess};
use crate::error::ApiError;
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{AcceptedInvitation, CreateInvitationRequest, Page};
use upstate_shared::valid::Invite;
use upstate_store::{audit, invitations, organizations, users};

/// `GET /api/v1/orgs/{org}/invitations`: the pending ones.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/invitations",
    tag = "team",
    operation_id = "invitations_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "Pending invitations", body = upstate_shared::dto::Page<upstate_shared::dto::Invitation>)),
)]
pub async fn list(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let pending = state
        .read(move |conn| invitations::pending(conn, &org))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: pending.iter().map(|i| views::invitation(i, None)).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/invitations`: emails an invitation with a role (admins; the owner
/// role only by owners).
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/invitations",
    tag = "team",
    operation_id = "invitations_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateInvitationRequest,
    responses((status = 201, description = "The invitation, with its accept_url (shown only here)", body = upstate_shared::dto::Invitation)),
)]
pub async fn create(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<CreateInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let Invite { email, role } =
        Invite::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let inviter_role = access.role;
    // Each invitation sends a mail: limited per address and per org here, per inviting person
    // in the store.
    state.limits.check(
        crate::auth::rate_limit::Action::Invite,
        access.caller.ip.as_deref(),
        access.org.id.as_str(),
    )?;
    let token = random_token(INVITATION_PREFIX);
    // The token rides in the fragment: browsers send it to no server, so it lands in no log.
    let accept_url = format!("{}/invite#{token}", state.settings.public_url);
    let org = access.org.clone();
    let inviter = access.caller.clone();
    let link = accept_url.clone();
    let invitation = state
        .write(move |conn| {
            let org_id = org.id.clone();
            let invited_by = inviter.user().ok();
            let invitation = invitations::create(
                conn,
                &org_id,
                invitations::NewInvitation {
                    email: email.as_str(),
                    role,
                    by: inviter_role,
                    invited_by,
                    token_hash: &hash_token(&token),
                    expires_at: upstate_store::now() + tokens::INVITATION_TTL,
                },
            )?;
            let mail = Mail {
                to: email.to_string(),
                subject: format!("You are invited to {} on Upstate", org.name),
                text: format!(
                    "You are invited to join {} on Upstate as {role}.\n\nAccept within 7 days:\n\n{link}\n",
                    org.name
                ),
            };
            // No mail on behalf of an address nobody has confirmed: the invitation is made,
            // and its link (in the answer) can be shared by hand until the inviter verifies.
            // A person's mails are counted across orgs and replicas (429 beyond, and then
            // nothing of this request is kept); an API key's fall under the org's limit.
            match invited_by {
                Some(user) if users::get(conn, user)?.is_verified() => {
                    mail.queue_on_behalf(conn, Some(&org_id), user)?;
                }
                Some(_) => {}
                None => {
                    mail.queue(conn, Some(&org_id))?;
                }
            }
            Trail::new(inviter.actor(), inviter.ip.as_deref()).record(conn, Some(&org_id), "invitation.created", "invitation", Some(invitation.id.as_str()), json!({ "email": invitation.email, "role": role }))?;
            Ok(invitation)
        })
        .await?;
    state.outbox_wake.notify_one();
    Ok(HttpResponse::Created().json(views::invitation(&invitation, Some(accept_url))))
}

/// `DELETE /api/v1/orgs/{org}/invitations/{invitation_id}`: revokes a pending invitation.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/invitations/{invitation_id}",
    tag = "team",
    operation_id = "invitations_revoke",
    params(
        super::paths::InvitationPath,
    ),
    responses((status = 204, description = "The invitation no longer works")),
)]
pub async fn revoke(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::InvitationPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().invitation_id;
    let org = access.org_id();
    let caller = access.caller.clone();
    state
        .write(move |conn| {
            let invitation = invitations::revoke(conn, &org, &id)?;
            Trail::new(caller.actor(), caller.ip.as_deref()).record(
                conn,
                Some(&org),
                "invitation.revoked",
                "invitation",
                Some(invitation.id.as_str()),
                json!({ "email": invitation.email }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/invitations/accept`: the signed-in person whose email was invited joins. The
/// token travels in the body, never in a URL.
#[utoipa::path(
    post,
    path = "/api/v1/invitations/accept",
    tag = "team",
    operation_id = "invitations_accept",
    request_body = upstate_shared::dto::AcceptInvitationRequest,
    responses((status = 200, description = "The caller joined the organization", body = upstate_shared::dto::AcceptedInvitation)),
)]
pub async fn accept(
    caller: Caller,
    state: web::Data<AppState>,
    body: crate::json::Json<upstate_shared::dto::AcceptInvitationRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = caller.user()?.clone();
    let presented = hash_token(&body.token);
    let ip = caller.ip.clone();
    let (org, role) = state
        .write(move |conn| {
            let invitation = invitations::accept(conn, &presented, &user)?;
            let org_id = &invitation.org_id;
            Trail::new(audit::Actor::User(user.clone()), ip.as_deref()).record(
                conn,
                Some(org_id),
                "invitation.accepted",
                "invitation",
                Some(invitation.id.as_str()),
                json!({ "email": invitation.email, "role": invitation.role }),
            )?;
            Ok((organizations::get(conn, org_id)?, invitation.role))
        })
        .await?;
    Ok(HttpResponse::Ok().json(AcceptedInvitation {
        org: views::org(&org),
        role,
    }))
}
