//! `/api/v1/orgs/{org}/incidents`: declare, update, edit, resolve and delete incidents. Each
//! write moves the affected services' statuses by the effective status rule and announces the
//! incident and the services that moved.

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
    CreateIncidentRequest, CreateIncidentUpdateRequest, Page, UpdateIncidentRequest,
};
use upstate_shared::valid::{IncidentEdit, NewIncident, NewIncidentUpdate};
use upstate_shared::{EventKind, IncidentStatus, NotificationEvent};
use upstate_store::{StoreError, incidents};

/// `GET /api/v1/orgs/{org}/incidents?state=open|resolved`: newest first, paged.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/incidents",
    tag = "incidents",
    operation_id = "incidents_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
        super::IncidentsFilter,
        super::Paging,
    ),
    responses((status = 200, description = "Incidents, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::Incident>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    query: web::Query<super::IncidentsFilter>,
    paging: web::Query<super::Paging>,
) -> Result<HttpResponse, ApiError> {
    let which = match query.state {
        None => incidents::State::Any,
        Some(super::IncidentsState::Open) => incidents::State::Open,
        Some(super::IncidentsState::Resolved) => incidents::State::Resolved,
    };
    let limit = paging.limit()?;
    let cursor = paging.cursor()?;
    let org = access.org_id();
    let (list, names) = state
        .read(move |conn| {
            let list = incidents::page(conn, &org, which, cursor.as_ref(), limit + 1)?;
            let names = views::Names::of(conn, &list, &[])?;
            Ok((list, names))
        })
        .await?;
    let (list, next_cursor) = page_of(list, limit, |i| i.incident.id.clone());
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(|i| views::incident(i, &names)).collect(),
        next_cursor,
    }))
}

/// `POST /api/v1/orgs/{org}/incidents`: declares an incident with its first update.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/incidents",
    tag = "incidents",
    operation_id = "incidents_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateIncidentRequest,
    responses((status = 201, description = "The declared incident", body = upstate_shared::dto::Incident)),
)]
pub async fn create(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    body: Json<CreateIncidentRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewIncident {
        title,
        status,
        impact,
        message,
        affected,
        notify,
    } = NewIncident::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let incident = state
        .write_as(act, move |conn, act| {
            let (full, moved) = incidents::create(
                conn,
                &act.org,
                incidents::NewIncident {
                    title: &title,
                    status,
                    impact,
                    message: &message,
                    affected: &affected,
                },
                act.cause(),
            )?;
            let member = act.incident_changed(conn, EventKind::IncidentCreated, &full, &moved)?;
            if notify {
                act.notify_incident(conn, NotificationEvent::IncidentCreated, &member)?;
            }
            act.audit(
                conn,
                "incident.created",
                "incident",
                full.incident.id.as_str(),
                json!({ "title": title, "impact": impact }),
            )?;
            Ok(member)
        })
        .await?;
    Ok(HttpResponse::Created().json(incident))
}

/// `GET /api/v1/orgs/{org}/incidents/{incident_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/incidents/{incident_id}",
    tag = "incidents",
    operation_id = "incidents_get",
    params(
        super::paths::IncidentPath,
    ),
    responses((status = 200, description = "The incident with its timeline", body = upstate_shared::dto::Incident)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::IncidentPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().incident_id;
    let org = access.org_id();
    let incident = state
        .read(move |conn| {
            let full = match incidents::get(conn, &org, &id) {
                Err(StoreError::Gone(what)) => return Err(StoreError::NotFound(what)),
                other => other?,
            };
            let names = views::Names::of(conn, std::slice::from_ref(&full), &[])?;
            Ok(views::incident(&full, &names))
        })
        .await?;
    Ok(HttpResponse::Ok().json(incident))
}

/// `POST /api/v1/orgs/{org}/incidents/{incident_id}/updates`: the next update of the timeline.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/incidents/{incident_id}/updates",
    tag = "incidents",
    operation_id = "incidents_add_update",
    params(
        super::paths::IncidentPath,
    ),
    request_body = upstate_shared::dto::CreateIncidentUpdateRequest,
    responses((status = 201, description = "The posted update", body = upstate_shared::dto::IncidentUpdate)),
)]
pub async fn add_update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::IncidentPath>,
    body: Json<CreateIncidentUpdateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().incident_id;
    let NewIncidentUpdate {
        status,
        message,
        affected,
        notify,
    } = NewIncidentUpdate::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let incident = state
        .write_as(act, move |conn, act| {
            let (full, moved) = incidents::add_update(
                conn,
                &act.org,
                &id,
                status,
                &message,
                affected.as_deref(),
                act.cause(),
            )?;
            let kind = if status == IncidentStatus::Resolved {
                EventKind::IncidentResolved
            } else {
                EventKind::IncidentUpdated
            };
            let member = act.incident_changed(conn, kind, &full, &moved)?;
            if notify {
                let event = if status == IncidentStatus::Resolved {
                    NotificationEvent::IncidentResolved
                } else {
                    NotificationEvent::IncidentUpdated
                };
                act.notify_incident(conn, event, &member)?;
            }
            act.audit(
                conn,
                "incident.update_posted",
                "incident",
                id.as_str(),
                json!({ "status": status }),
            )?;
            Ok(member)
        })
        .await?;
    let update = incident
        .updates
        .last()
        .cloned()
        .ok_or_else(|| ApiError::Internal("an update was posted but not found".into()))?;
    Ok(HttpResponse::Created().json(update))
}

/// `PATCH /api/v1/orgs/{org}/incidents/{incident_id}`: title, impact, postmortem.
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/incidents/{incident_id}",
    tag = "incidents",
    operation_id = "incidents_update",
    params(
        super::paths::IncidentPath,
    ),
    request_body = upstate_shared::dto::UpdateIncidentRequest,
    responses((status = 200, description = "The edited incident", body = upstate_shared::dto::Incident)),
)]
pub async fn update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::IncidentPath>,
    body: Json<UpdateIncidentRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().incident_id;
    let body = body.into_inner();
    let IncidentEdit {
        title,
        impact,
        postmortem,
    } = IncidentEdit::try_from(&body).map_err(ApiError::validation)?;
    let changes = incidents::Changes {
        title,
        impact: impact.map(|impact| impact.as_str().to_owned()),
        postmortem,
        ..incidents::Changes::default()
    };
    let act = Activity::of(&access.caller, access.org_id());
    let incident = state
        .write_as(act, move |conn, act| {
            let full = incidents::update(conn, &act.org, &id, changes)?;
            let member = act.incident_changed(conn, EventKind::IncidentUpdated, &full, &[])?;
            act.audit(
                conn,
                "incident.edited",
                "incident",
                id.as_str(),
                serde_json::to_value(&body).unwrap_or_default(),
            )?;
            Ok(member)
        })
        .await?;
    Ok(HttpResponse::Ok().json(incident))
}

/// `DELETE /api/v1/orgs/{org}/incidents/{incident_id}`: its services return to what remains.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/incidents/{incident_id}",
    tag = "incidents",
    operation_id = "incidents_delete",
    params(
        super::paths::IncidentPath,
    ),
    responses((status = 204, description = "The incident is gone; its services return to what remains")),
)]
pub async fn delete(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<super::paths::IncidentPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().incident_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let full = incidents::get(conn, &act.org, &id)?;
            let moved = incidents::delete(conn, &act.org, &id, act.cause())?;
            let gone = json!({ "id": id });
            act.event(conn, EventKind::IncidentDeleted, &gone, &gone)?;
            act.services_changed(conn, &moved)?;
            act.audit(
                conn,
                "incident.deleted",
                "incident",
                id.as_str(),
                json!({ "title": full.incident.title }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
