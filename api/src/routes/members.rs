//! `/api/v1/orgs/{org}/members`: the team. Roles include the ones below; only owners touch the
//! owner role; an organization always keeps at least one owner.

use crate::auth::{Admin, OrgAccess, Principal, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{Page, UpdateMemberRequest};
use upstate_shared::{Role, UserId};
use upstate_store::{StoreError, audit, memberships, organizations};

fn last_owner() -> ApiError {
    ApiError::Conflict(
        "An organization keeps at least one owner: make someone else owner first.".into(),
    )
}

fn owners_only() -> ApiError {
    ApiError::Forbidden("Only an owner can give or take the owner role.".into())
}

fn no_such_member() -> ApiError {
    ApiError::NotFound("No such member.".into())
}

/// `GET /api/v1/orgs/{org}/members`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/members",
    tag = "team",
    operation_id = "members_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "The members", body = upstate_shared::dto::Page<upstate_shared::dto::Member>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let members = state
        .read(move |conn| memberships::members(conn, &org))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: members.iter().map(views::member).collect(),
        next_cursor: None,
    }))
}

/// `PATCH /api/v1/orgs/{org}/members/{user_id}`: change a member's role (admins).
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/members/{user_id}",
    tag = "team",
    operation_id = "members_update",
    params(
        ("org" = String, Path, description = "The organization's slug"),
        ("user_id" = String, Path, description = "The member's user id"),
    ),
    request_body = upstate_shared::dto::UpdateMemberRequest,
    responses((status = 200, description = "The member with the new role", body = upstate_shared::dto::Member)),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: Json<UpdateMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let target = UserId(path.into_inner().1);
    let new_role = body.role;
    let org = access.org_id();
    let caller_role = access.role;
    let actor = access.caller.actor();
    let ip = access.caller.ip.clone();
    let member = state
        .write(move |conn| {
            organizations::lock(conn, &org)?;
            let (membership, _) = memberships::member(conn, &org, &target)?;
            let old_role = membership.role;
            let touches_owner = old_role == Role::Owner || new_role == Role::Owner;
            if touches_owner && caller_role != Role::Owner {
                return Ok(Err(owners_only()));
            }
            if old_role == Role::Owner
                && new_role != Role::Owner
                && memberships::owner_count(conn, &org)? <= 1
            {
                return Ok(Err(last_owner()));
            }
            memberships::set_role(conn, &org, &target, new_role)?;
            audit::record(
                conn,
                audit::NewEntry {
                    org: Some(&org),
                    actor,
                    action: "member.role_changed",
                    target_type: "user",
                    target_id: Some(target.as_str()),
                    details: json!({ "from": old_role, "to": new_role }),
                    ip: ip.as_deref(),
                },
            )?;
            Ok(Ok(memberships::member(conn, &org, &target)?))
        })
        .await
        .map_err(|err| match err {
            ApiError::NotFound(_) => no_such_member(),
            other => other,
        })??;
    Ok(HttpResponse::Ok().json(views::member(&member)))
}

/// `DELETE /api/v1/orgs/{org}/members/{user_id}`: remove a member (admins), or leave (anyone).
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/members/{user_id}",
    tag = "team",
    operation_id = "members_remove",
    params(
        ("org" = String, Path, description = "The organization's slug"),
        ("user_id" = String, Path, description = "The member's user id"),
    ),
    responses((status = 204, description = "The member is removed (or left)")),
)]
pub async fn remove(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let target = UserId(path.into_inner().1);
    let leaving = matches!(&access.caller.principal, Principal::User(me) if *me == target);
    if !leaving && !access.role.at_least(Role::Admin) {
        return Err(ApiError::Forbidden(format!(
            "Removing members needs the admin role or higher; yours is {}.",
            access.role
        )));
    }
    let org = access.org_id();
    let caller_role = access.role;
    let actor = access.caller.actor();
    let ip = access.caller.ip.clone();
    state
        .write(move |conn| {
            organizations::lock(conn, &org)?;
            let (membership, _) = memberships::member(conn, &org, &target)?;
            if membership.role == Role::Owner {
                if !leaving && caller_role != Role::Owner {
                    return Ok(Err(owners_only()));
                }
                if memberships::owner_count(conn, &org)? <= 1 {
                    return Ok(Err(last_owner()));
                }
            }
            memberships::remove(conn, &org, &target)?;
            audit::record(
                conn,
                audit::NewEntry {
                    org: Some(&org),
                    actor,
                    action: if leaving {
                        "member.left"
                    } else {
                        "member.removed"
                    },
                    target_type: "user",
                    target_id: Some(target.as_str()),
                    details: json!({ "role": membership.role }),
                    ip: ip.as_deref(),
                },
            )?;
            Ok::<_, StoreError>(Ok(()))
        })
        .await
        .map_err(|err| match err {
            ApiError::NotFound(_) => no_such_member(),
            other => other,
        })??;
    Ok(HttpResponse::NoContent().finish())
}
