//! `/api/v1/orgs/{org}/maintenances`: schedule windows, move them through their states by hand
//! (an update with a status), and let the scheduler start and complete them on time.

use super::page_of;
use crate::activity::Activity;
use crate::auth::{Editor, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{
    CreateMaintenanceRequest, CreateMaintenanceUpdateRequest, Page, UpdateMaintenanceRequest,
};
use upstate_shared::valid::{MaintenanceEdit, NewMaintenance, NewMaintenanceUpdate};
use upstate_shared::{EventKind, NotificationEvent};
use upstate_store::maintenances;

/// `GET /api/v1/orgs/{org}/maintenances?state=upcoming|active|past`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/maintenances",
    tag = "maintenance",
    operation_id = "maintenances_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
        super::MaintenancesFilter,
        super::Paging,
    ),
    responses((status = 200, description = "Maintenance windows", body = upstate_shared::dto::Page<upstate_shared::dto::Maintenance>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    query: web::Query<super::MaintenancesFilter>,
    paging: web::Query<super::Paging>,
) -> Result<HttpResponse, ApiError> {
    let which = match query.state {
        None => maintenances::State::Any,
        Some(super::MaintenancesState::Upcoming) => maintenances::State::Upcoming,
        Some(super::MaintenancesState::Active) => maintenances::State::Active,
        Some(super::MaintenancesState::Past) => maintenances::State::Past,
    };
    let limit = paging.limit()?;
    let cursor = paging.cursor()?;
    let org = access.org_id();
    let (list, names) = state
        .read(move |conn| {
            let list = maintenances::page(conn, &org, which, cursor.as_ref(), limit + 1)?;
            let names = views::Names::of(conn, &[], &list)?;
            Ok((list, names))
        })
        .await?;
    let (list, next_cursor) = page_of(list, limit, |m| m.maintenance.id.clone());
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(|m| views::maintenance(m, &names)).collect(),
        next_cursor,
    }))
}

/// `POST /api/v1/orgs/{org}/maintenances`: schedules a window.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/maintenances",
    tag = "maintenance",
    operation_id = "maintenances_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateMaintenanceRequest,
    responses((status = 201, description = "The scheduled window", body = upstate_shared::dto::Maintenance)),
)]
pub async fn create(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    body: Json<CreateMaintenanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewMaintenance {
        title,
        description: text,
        scheduled_start,
        scheduled_end,
        service_ids,
        auto_transition,
        notify,
    } = NewMaintenance::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let maintenance = state
        .write_as(act, move |conn, act| {
            let full = maintenances::create(
                conn,
                &act.org,
                maintenances::NewMaintenance {
                    title: &title,
                    description: &text,
                    scheduled_start: scheduled_start.naive_utc(),
                    scheduled_end: scheduled_end.naive_utc(),
                    auto_transition,
                    service_ids: &service_ids,
                },
                act.cause(),
            )?;
            let member =
                act.maintenance_changed(conn, EventKind::MaintenanceCreated, &full, &[])?;
            if notify {
                act.notify_maintenance(conn, NotificationEvent::MaintenanceScheduled, &member)?;
            }
            act.audit(
                conn,
                "maintenance.created",
                "maintenance",
                full.maintenance.id.as_str(),
                json!({ "title": title }),
            )?;
            Ok(member)
        })
        .await?;
    state.maintenance_wake.notify_one();
    Ok(HttpResponse::Created().json(maintenance))
}

/// `GET /api/v1/orgs/{org}/maintenances/{maintenance_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/maintenances/{maintenance_id}",
    tag = "maintenance",
    operation_id = "maintenances_get",
    params(
        super::paths::MaintenancePath,
    ),
    responses((status = 200, description = "The window with its updates", body = upstate_shared::dto::Maintenance)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MaintenancePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().maintenance_id;
    let org = access.org_id();
    let maintenance = state
        .read(move |conn| {
            let full = maintenances::get(conn, &org, &id)?;
            let names = views::Names::of(conn, &[], std::slice::from_ref(&full))?;
            Ok(views::maintenance(&full, &names))
        })
        .await?;
    Ok(HttpResponse::Ok().json(maintenance))
}

/// `PATCH /api/v1/orgs/{org}/maintenances/{maintenance_id}`: while it is not over.
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/maintenances/{maintenance_id}",
    tag = "maintenance",
    operation_id = "maintenances_update",
    params(
        super::paths::MaintenancePath,
    ),
    request_body = upstate_shared::dto::UpdateMaintenanceRequest,
    responses((status = 200, description = "The changed window", body = upstate_shared::dto::Maintenance)),
)]
pub async fn update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MaintenancePath>,
    body: Json<UpdateMaintenanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().maintenance_id;
    let body = body.into_inner();
    let MaintenanceEdit {
        title,
        description,
        scheduled_start,
        scheduled_end,
        service_ids: services,
        auto_transition,
    } = MaintenanceEdit::try_from(&body).map_err(ApiError::validation)?;
    let changes = maintenances::Changes {
        title,
        description,
        scheduled_start: scheduled_start.map(|t| t.naive_utc()),
        scheduled_end: scheduled_end.map(|t| t.naive_utc()),
        auto_transition,
        ..maintenances::Changes::default()
    };
    let act = Activity::of(&access.caller, access.org_id());
    let maintenance = state
        .write_as(act, move |conn, act| {
            let (full, moved) = maintenances::update(
                conn,
                &act.org,
                &id,
                changes,
                services.as_deref(),
                act.cause(),
            )?;
            let member =
                act.maintenance_changed(conn, EventKind::MaintenanceUpdated, &full, &moved)?;
            act.audit(
                conn,
                "maintenance.edited",
                "maintenance",
                id.as_str(),
                serde_json::to_value(&body).unwrap_or_default(),
            )?;
            Ok(member)
        })
        .await?;
    state.maintenance_wake.notify_one();
    Ok(HttpResponse::Ok().json(maintenance))
}

/// `POST /api/v1/orgs/{org}/maintenances/{maintenance_id}/updates`: a message, moving the
/// window to `status` (`in_progress` starts it, `completed` ends it, `cancelled` calls it off).
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/maintenances/{maintenance_id}/updates",
    tag = "maintenance",
    operation_id = "maintenances_add_update",
    params(
        super::paths::MaintenancePath,
    ),
    request_body = upstate_shared::dto::CreateMaintenanceUpdateRequest,
    responses((status = 201, description = "The posted update", body = upstate_shared::dto::MaintenanceUpdate)),
)]
pub async fn add_update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MaintenancePath>,
    body: Json<CreateMaintenanceUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().maintenance_id;
    let body = body.into_inner();
    let NewMaintenanceUpdate {
        status: to,
        message: text,
        notify,
    } = NewMaintenanceUpdate::try_from(&body).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let maintenance = state
        .write_as(act, move |conn, act| {
            let current = maintenances::get(conn, &act.org, &id)?;
            let (full, moved) = if current.maintenance.status == to {
                // Same status: a message only.
                maintenances::add_message(
                    conn,
                    &act.org,
                    &id,
                    to,
                    &text,
                    act.cause(),
                    upstate_store::now(),
                )?;
                (maintenances::get(conn, &act.org, &id)?, Vec::new())
            } else {
                maintenances::transition(conn, &act.org, &id, to, &text, act.cause())?
            };
            let kind = if current.maintenance.status == to {
                EventKind::MaintenanceUpdated
            } else {
                EventKind::of_maintenance_move(to)
            };
            let member = act.maintenance_changed(conn, kind, &full, &moved)?;
            if let Some(event) = NotificationEvent::of_maintenance_move(to)
                && notify
                && current.maintenance.status != to
            {
                act.notify_maintenance(conn, event, &member)?;
            }
            act.audit(
                conn,
                "maintenance.update_posted",
                "maintenance",
                id.as_str(),
                json!({ "status": to }),
            )?;
            Ok(member)
        })
        .await?;
    let update = maintenance
        .updates
        .last()
        .cloned()
        .ok_or_else(|| ApiError::Internal("an update was posted but not found".into()))?;
    Ok(HttpResponse::Created().json(update))
}

/// `DELETE /api/v1/orgs/{org}/maintenances/{maintenance_id}`
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/maintenances/{maintenance_id}",
    tag = "maintenance",
    operation_id = "maintenances_delete",
    params(
        super::paths::MaintenancePath,
    ),
    responses((status = 204, description = "The window is gone; its services return to what remains")),
)]
pub async fn delete(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::MaintenancePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().maintenance_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let full = maintenances::get(conn, &act.org, &id)?;
            let moved = maintenances::delete(conn, &act.org, &id, act.cause())?;
            let gone = json!({ "id": id });
            act.event(conn, EventKind::MaintenanceDeleted, &gone, &gone)?;
            act.services_changed(conn, &moved)?;
            act.audit(
                conn,
                "maintenance.deleted",
                "maintenance",
                id.as_str(),
                json!({ "title": full.maintenance.title }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
