//! `/api/v1/orgs/{org}/invitations` and `/api/v1/invitations/accept`: joining a team by
//! email. The token travels only in the email (and in the answer to the admin who created it).

use crate::auth::tokens::{self, INVITATION_PREFIX, hash_token, random_token};
use crate::auth::{Admin, Caller, OrgAccess};
use crate::error::{ApiError, Problems};
use crate::json::Json;
use crate::mail::Email as Mail;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{AcceptedInvitation, CreateInvitationRequest, Page};
use upstate_shared::input::Email;
use upstate_shared::{InvitationId, Role};
use upstate_store::{audit, invitations, memberships, organizations, users};

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
    let mut problems = Problems::default();
    let Some(email) = problems.take("email", Email::parse(&body.email)) else {
        return Err(problems.into_error());
    };
    let role = body.role;
    if role == Role::Owner && access.role != Role::Owner {
        return Err(ApiError::Forbidden(
            "Only an owner can invite an owner.".into(),
        ));
    }
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
            let org_id = org.org_id();
            if let Some(existing) = users::find_by_email(conn, email.as_str())?
                && memberships::role_of(conn, &org_id, &existing.user_id())?.is_some()
            {
                return Ok(Err(ApiError::Conflict(format!("{email} is already a member."))));
            }
            let invited_by = inviter.user().ok();
            let invitation = invitations::create(
                conn,
                &org_id,
                email.as_str(),
                role,
                &hash_token(&token),
                invited_by,
                upstate_store::now() + tokens::INVITATION_TTL,
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
            audit::record(
                conn,
                audit::NewEntry {
                    org: Some(&org_id),
                    actor: inviter.actor(),
                    action: "invitation.created",
                    target_type: "invitation",
                    target_id: Some(&invitation.id),
                    details: json!({ "email": invitation.email, "role": role }),
                    ip: inviter.ip.as_deref(),
                },
            )?;
            Ok(Ok(invitation))
        })
        .await??;
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
        ("org" = String, Path, description = "The organization's slug"),
        ("invitation_id" = String, Path, description = "The invitation id"),
    ),
    responses((status = 204, description = "The invitation no longer works")),
)]
pub async fn revoke(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let id = InvitationId(path.into_inner().1);
    let org = access.org_id();
    let caller = access.caller.clone();
    state
        .write(move |conn| {
            let invitation = invitations::revoke(conn, &org, &id)?;
            audit::record(
                conn,
                audit::NewEntry {
                    org: Some(&org),
                    actor: caller.actor(),
                    action: "invitation.revoked",
                    target_type: "invitation",
                    target_id: Some(&invitation.id),
                    details: json!({ "email": invitation.email }),
                    ip: caller.ip.as_deref(),
                },
            )
        })
        .await
        .map_err(|err| match err {
            ApiError::NotFound(_) => ApiError::NotFound("No such pending invitation.".into()),
            other => other,
        })?;
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
            let Some(invitation) = invitations::find_acceptable(conn, &presented)? else {
                return Ok(Err(ApiError::NotFound(
                    "This invitation is not valid: it expired, was revoked or was used already."
                        .into(),
                )));
            };
            let person = users::get(conn, &user)?;
            if person.email != invitation.email {
                return Ok(Err(ApiError::Forbidden(
                    "This invitation was sent to another email address; sign in with that one."
                        .into(),
                )));
            }
            let org_id = upstate_shared::OrgId(invitation.org_id.clone());
            if memberships::role_of(conn, &org_id, &user)?.is_some() {
                return Ok(Err(ApiError::Conflict(
                    "You are already a member of this organization.".into(),
                )));
            }
            memberships::add(conn, &org_id, &user, invitation.role)?;
            invitations::mark_accepted(conn, &invitation.id, &user)?;
            audit::record(
                conn,
                audit::NewEntry {
                    org: Some(&org_id),
                    actor: audit::Actor::User(user.clone()),
                    action: "invitation.accepted",
                    target_type: "invitation",
                    target_id: Some(&invitation.id),
                    details: json!({ "email": invitation.email, "role": invitation.role }),
                    ip: ip.as_deref(),
                },
            )?;
            Ok(Ok((organizations::get(conn, &org_id)?, invitation.role)))
        })
        .await??;
    Ok(HttpResponse::Ok().json(AcceptedInvitation {
        org: views::org(&org),
        role,
    }))
}
