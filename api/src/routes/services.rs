//! `/api/v1/orgs/{org}/services`: the catalogue of the status page (its groups:
//! `service_groups.rs`).

use super::{Paging, page_of};
use crate::activity::Activity;
use crate::auth::{Editor, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{CreateServiceRequest, MoveRequest, Page, UpdateServiceRequest};
use upstate_shared::valid::{NewService, ServiceEdit};
use upstate_shared::{EventKind, ServiceId};
use upstate_store::services;

/// `GET /api/v1/orgs/{org}/services`: all, in order.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/services",
    tag = "services",
    operation_id = "services_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "All services, in order", body = upstate_shared::dto::Page<upstate_shared::dto::Service>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let list = state.read(move |conn| services::list(conn, &org)).await?;
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(views::service).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/services`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/services",
    tag = "services",
    operation_id = "services_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateServiceRequest,
    responses((status = 201, description = "The new service, last in order", body = upstate_shared::dto::Service)),
)]
pub async fn create(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    body: Json<CreateServiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewService {
        name,
        description,
        group_id,
        status,
        display,
    } = NewService::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let service = state
        .write_as(act, move |conn, act| {
            let service = services::create(
                conn,
                &act.org,
                services::NewService {
                    name: &name,
                    description: &description,
                    group: group_id.as_ref(),
                    status,
                    display,
                },
                act.cause(),
            )?;
            act.event(
                conn,
                EventKind::ServiceCreated,
                &views::public_service_event(&service),
                &views::service(&service),
            )?;
            act.audit(
                conn,
                "service.created",
                "service",
                service.id.as_str(),
                json!({ "name": service.name, "status": status }),
            )?;
            Ok(service)
        })
        .await?;
    Ok(HttpResponse::Created().json(views::service(&service)))
}

/// `GET /api/v1/orgs/{org}/services/{service_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/services/{service_id}",
    tag = "services",
    operation_id = "services_get",
    params(
        super::paths::ServicePath,
    ),
    responses((status = 200, description = "The service", body = upstate_shared::dto::Service)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ServicePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().service_id;
    let org = access.org_id();
    let service = state
        .read(move |conn| services::get(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(views::service(&service)))
}

/// `PATCH /api/v1/orgs/{org}/services/{service_id}`: name, description, group, status by hand.
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/services/{service_id}",
    tag = "services",
    operation_id = "services_update",
    params(
        super::paths::ServicePath,
    ),
    request_body = upstate_shared::dto::UpdateServiceRequest,
    responses((status = 200, description = "The updated service", body = upstate_shared::dto::Service)),
)]
pub async fn update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ServicePath>,
    body: Json<UpdateServiceRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().service_id;
    let body = body.into_inner();
    let edit = ServiceEdit::try_from(&body).map_err(ApiError::validation)?;
    let changes = services::ServiceChanges {
        name: edit.name,
        description: edit.description,
        group_id: edit.group_id,
        display: edit.display.map(upstate_store::text::DbText),
        ..Default::default()
    };
    let status = edit.status;
    let act = Activity::of(&access.caller, access.org_id());
    let service = state
        .write_as(act, move |conn, act| {
            services::update(conn, &act.org, &id, changes)?;
            if let Some(status) = status {
                services::set_manual_status(conn, &act.org, &id, status, act.cause())?;
            }
            let service = services::get(conn, &act.org, &id)?;
            act.event(
                conn,
                EventKind::ServiceUpdated,
                &views::public_service_event(&service),
                &views::service(&service),
            )?;
            act.audit(
                conn,
                "service.updated",
                "service",
                service.id.as_str(),
                serde_json::to_value(&body).unwrap_or_default(),
            )?;
            Ok(service)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::service(&service)))
}

/// `DELETE /api/v1/orgs/{org}/services/{service_id}`
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/services/{service_id}",
    tag = "services",
    operation_id = "services_delete",
    params(
        super::paths::ServicePath,
    ),
    responses((status = 204, description = "The service is gone")),
)]
pub async fn delete(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ServicePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().service_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let service = services::get(conn, &act.org, &id)?;
            services::delete(conn, &act.org, &id)?;
            let gone = json!({ "id": service.id });
            act.event(conn, EventKind::ServiceDeleted, &gone, &gone)?;
            act.audit(
                conn,
                "service.deleted",
                "service",
                service.id.as_str(),
                json!({ "name": service.name }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/v1/orgs/{org}/services/{service_id}/move`: to `position`, renumbering the rest.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/services/{service_id}/move",
    tag = "services",
    operation_id = "services_move_to",
    params(
        super::paths::ServicePath,
    ),
    request_body = upstate_shared::dto::MoveRequest,
    responses((status = 200, description = "All services in their new order", body = upstate_shared::dto::Page<upstate_shared::dto::Service>)),
)]
pub async fn move_to(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ServicePath>,
    body: Json<MoveRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().service_id;
    let position = body.position as usize;
    let act = Activity::of(&access.caller, access.org_id());
    let list = state
        .write_as(act, move |conn, act| {
            let before = services::list(conn, &act.org)?;
            services::move_to(conn, &act.org, &id, position)?;
            let after = services::list(conn, &act.org)?;
            let moved: Vec<ServiceId> = after
                .iter()
                .filter(|s| {
                    before
                        .iter()
                        .any(|b| b.id == s.id && b.position != s.position)
                })
                .map(|s| s.id.clone())
                .collect();
            act.services_changed(conn, &moved)?;
            act.audit(
                conn,
                "service.moved",
                "service",
                id.as_str(),
                json!({ "position": position }),
            )?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(views::service).collect(),
        next_cursor: None,
    }))
}

/// `GET /api/v1/orgs/{org}/services/{service_id}/history`: newest first, paged.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/services/{service_id}/history",
    tag = "services",
    operation_id = "services_history",
    params(
        super::paths::ServicePath,
        super::Paging,
    ),
    responses((status = 200, description = "Status changes, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::StatusChange>)),
)]
pub async fn history(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::ServicePath>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().service_id;
    let limit = paging.limit()?;
    let cursor = paging.cursor::<String>()?;
    let org = access.org_id();
    let (changes, names) = state
        .read(move |conn| {
            let changes = services::history(conn, &org, &id, cursor.as_deref(), limit + 1)?;
            let users = changes
                .iter()
                .filter_map(|c| c.changed_by_user_id.clone())
                .collect();
            let keys = changes
                .iter()
                .filter_map(|c| c.changed_by_api_key_id.clone())
                .collect();
            Ok((changes, views::Names::load(conn, users, keys)?))
        })
        .await?;
    let (changes, next_cursor) = page_of(changes, limit, |c| c.id.clone());
    Ok(HttpResponse::Ok().json(Page {
        items: changes
            .iter()
            .map(|c| views::status_change(c, &names))
            .collect(),
        next_cursor,
    }))
}
