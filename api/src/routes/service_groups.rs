//! `/api/v1/orgs/{org}/service-groups`: the groups the status page shows its services in.

use crate::activity::Activity;
use crate::auth::{Editor, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::EventKind;
use upstate_shared::dto::{GroupRequest, MoveRequest, Page};
use upstate_shared::valid::GroupName;
use upstate_store::services;

/// `GET /api/v1/orgs/{org}/service-groups`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/service-groups",
    tag = "service-groups",
    operation_id = "services_list_groups",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "All groups, in order", body = upstate_shared::dto::Page<upstate_shared::dto::ServiceGroup>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let list = state
        .read(move |conn| services::list_groups(conn, &org))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(views::group).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/service-groups`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/service-groups",
    tag = "service-groups",
    operation_id = "services_create_group",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::GroupRequest,
    responses((status = 201, description = "The new group, last in order", body = upstate_shared::dto::ServiceGroup)),
)]
pub async fn create(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    body: Json<GroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let GroupName(name) = GroupName::try_from(&*body).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let group = state
        .write_as(act, move |conn, act| {
            let group = services::create_group(conn, &act.org, &name)?;
            act.event(
                conn,
                EventKind::ServiceGroupCreated,
                &views::public_group(&group),
                &views::group(&group),
            )?;
            act.audit(
                conn,
                "service_group.created",
                "service_group",
                group.id.as_str(),
                json!({ "name": group.name }),
            )?;
            Ok(group)
        })
        .await?;
    Ok(HttpResponse::Created().json(views::group(&group)))
}

/// `GET /api/v1/orgs/{org}/service-groups/{group_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/service-groups/{group_id}",
    tag = "service-groups",
    operation_id = "services_get_group",
    params(
        super::paths::GroupPath,
    ),
    responses((status = 200, description = "The group", body = upstate_shared::dto::ServiceGroup)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::GroupPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().group_id;
    let org = access.org_id();
    let group = state
        .read(move |conn| services::get_group(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(views::group(&group)))
}

/// `PATCH /api/v1/orgs/{org}/service-groups/{group_id}`: renames it.
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/service-groups/{group_id}",
    tag = "service-groups",
    operation_id = "services_update_group",
    params(
        super::paths::GroupPath,
    ),
    request_body = upstate_shared::dto::GroupRequest,
    responses((status = 200, description = "The renamed group", body = upstate_shared::dto::ServiceGroup)),
)]
pub async fn update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::GroupPath>,
    body: Json<GroupRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().group_id;
    let GroupName(name) = GroupName::try_from(&*body).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let group = state
        .write_as(act, move |conn, act| {
            let group = services::rename_group(conn, &act.org, &id, &name)?;
            act.event(
                conn,
                EventKind::ServiceGroupUpdated,
                &views::public_group(&group),
                &views::group(&group),
            )?;
            act.audit(
                conn,
                "service_group.updated",
                "service_group",
                group.id.as_str(),
                json!({ "name": group.name }),
            )?;
            Ok(group)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::group(&group)))
}

/// `DELETE /api/v1/orgs/{org}/service-groups/{group_id}`: its services stay, ungrouped.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/service-groups/{group_id}",
    tag = "service-groups",
    operation_id = "services_delete_group",
    params(
        super::paths::GroupPath,
    ),
    responses((status = 204, description = "The group is gone; its services stay, ungrouped")),
)]
pub async fn delete(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::GroupPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().group_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let group = services::get_group(conn, &act.org, &id)?;
            let ungrouped = services::delete_group(conn, &act.org, &id)?;
            let gone = json!({ "id": group.id });
            act.event(conn, EventKind::ServiceGroupDeleted, &gone, &gone)?;
            act.services_changed(conn, &ungrouped)?;
            act.audit(
                conn,
                "service_group.deleted",
                "service_group",
                group.id.as_str(),
                json!({ "name": group.name }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/orgs/{org}/service-groups/{group_id}/move`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/service-groups/{group_id}/move",
    tag = "service-groups",
    operation_id = "services_move_group",
    params(
        super::paths::GroupPath,
    ),
    request_body = upstate_shared::dto::MoveRequest,
    responses((status = 200, description = "All groups in their new order", body = upstate_shared::dto::Page<upstate_shared::dto::ServiceGroup>)),
)]
pub async fn move_to(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::GroupPath>,
    body: Json<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().group_id;
    let position = body.position as usize;
    let act = Activity::of(&access.caller, access.org_id());
    let list = state
        .write_as(act, move |conn, act| {
            let before = services::list_groups(conn, &act.org)?;
            services::move_group(conn, &act.org, &id, position)?;
            let after = services::list_groups(conn, &act.org)?;
            for group in after.iter().filter(|g| {
                before
                    .iter()
                    .any(|b| b.id == g.id && b.position != g.position)
            }) {
                act.event(
                    conn,
                    EventKind::ServiceGroupUpdated,
                    &views::public_group(group),
                    &views::group(group),
                )?;
            }
            act.audit(
                conn,
                "service_group.moved",
                "service_group",
                id.as_str(),
                json!({ "position": position }),
            )?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(views::group).collect(),
        next_cursor: None,
    }))
}
