//! `/api/v1/orgs/{org}/members`: the team. The team's rules (only owners touch the owner role;
//! an organization always keeps at least one owner) are the store's (`memberships::change_role`,
//! `memberships::leave`, `TeamRule`).

use crate::activity::Trail;
use crate::auth::{Admin, OrgAccess, Principal, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::Role;
use upstate_shared::dto::{Page, UpdateMemberRequest};
use upstate_store::memberships::{self, Leaving};

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
    let (members, with_two_factor) = state
        .read(move |conn| {
            let members = memberships::members(conn, &org)?;
            let ids: Vec<_> = members.iter().map(|(m, _)| m.user_id.clone()).collect();
            let with = upstate_store::two_factor::of_users_with_second_factor(conn, &ids)?;
            Ok((members, with))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: members
            .iter()
            .map(|row| views::member(row, with_two_factor.contains(&row.0.user_id)))
            .collect(),
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
        super::paths::MemberPath,
    ),
    request_body = upstate_shared::dto::UpdateMemberRequest,
    responses((status = 200, description = "The member with the new role", body = upstate_shared::dto::Member)),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MemberPath>,
    body: Json<UpdateMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let target = path.into_inner().user_id;
    let new_role = body.role;
    let org = access.org_id();
    let caller_role = access.role;
    let trail = Trail::of(&access.caller);
    let member = state
        .write(move |conn| {
            let old_role = memberships::change_role(conn, &org, &target, new_role, caller_role)?;
            trail.record(
                conn,
                Some(&org),
                "member.role_changed",
                "user",
                Some(target.as_str()),
                json!({ "from": old_role, "to": new_role }),
            )?;
            let two_factor = upstate_store::two_factor::has_second_factor(conn, &target)?;
            Ok((memberships::member(conn, &org, &target)?, two_factor))
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::member(&member.0, member.1)))
}

/// `DELETE /api/v1/orgs/{org}/members/{user_id}`: remove a member (admins), or leave (anyone).
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/members/{user_id}",
    tag = "team",
    operation_id = "members_remove",
    params(
        super::paths::MemberPath,
    ),
    responses((status = 204, description = "The member is removed (or left)")),
)]
pub async fn remove(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MemberPath>,
) -> Result<HttpResponse, ApiError> {
    let target = path.into_inner().user_id;
    let leaving = matches!(&access.caller.principal, Principal::User(me) if *me == target);
    if !leaving && !access.role.at_least(Role::Admin) {
        return Err(ApiError::Forbidden(format!(
            "Removing members needs the admin role or higher; yours is {}.",
            access.role
        )));
    }
    let org = access.org_id();
    let caller_role = access.role;
    let trail = Trail::of(&access.caller);
    state
        .write(move |conn| {
            let how = if leaving {
                Leaving::Themself
            } else {
                Leaving::RemovedBy(caller_role)
            };
            let role = memberships::leave(conn, &org, &target, how)?;
            let action = if leaving {
                "member.left"
            } else {
                "member.removed"
            };
            trail.record(
                conn,
                Some(&org),
                action,
                "user",
                Some(target.as_str()),
                json!({ "role": role }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
