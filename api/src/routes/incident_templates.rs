//! `/api/v1/orgs/{org}/incident-templates`: the incidents a team declares again and again, kept
//! by name. Admins (and owners) save, change and delete them; every member reads them, and
//! editors declare from one with the ordinary `POST .../incidents` (the dashboard fills its form
//! from the template).

use super::paths::IncidentTemplatePath;
use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views::utc;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::dto::{
    CreateIncidentTemplateRequest, Page, SavedIncidentTemplate, TEMPLATES_PER_ORG,
    UpdateIncidentTemplateRequest,
};
use upstate_shared::valid::{IncidentTemplateEdit, NewIncidentTemplate};
use upstate_store::StoreError;
use upstate_store::incident_templates::{self, NewTemplate, Template, TemplateChanges};

/// The member form of a stored template.
fn view(row: &Template) -> SavedIncidentTemplate {
    SavedIncidentTemplate {
        id: row.id.clone(),
        name: row.name.clone(),
        title: row.title.clone(),
        impact: row.impact,
        status: row.status,
        message: row.message.clone(),
        affected: row.affected.clone(),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
        created_by: row.created_by.clone(),
    }
}

/// `GET /api/v1/orgs/{org}/incident-templates`: all of them (at most 100), by name.
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/incident-templates",
    tag = "incident-templates",
    operation_id = "incident_templates_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "All the org's templates, by name (an org keeps at most 100, so one page)", body = upstate_shared::dto::Page<upstate_shared::dto::SavedIncidentTemplate>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let list = state
        .read(move |conn| incident_templates::list(conn, &org))
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: list.iter().map(view).collect(),
        next_cursor: None,
    }))
}

/// `POST /api/v1/orgs/{org}/incident-templates`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/incident-templates",
    tag = "incident-templates",
    operation_id = "incident_templates_create",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::CreateIncidentTemplateRequest,
    responses(
        (status = 201, description = "The saved template", body = upstate_shared::dto::SavedIncidentTemplate),
        (status = 409, description = "The name is taken, or the organization has as many templates as it may", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn create(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<CreateIncidentTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let NewIncidentTemplate {
        name,
        title,
        impact,
        status,
        message,
        affected,
    } = NewIncidentTemplate::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let act = Activity::of(&access.caller, access.org_id());
    let row = state
        .write_as(act, move |conn, act| {
            if incident_templates::count(conn, &act.org)? >= TEMPLATES_PER_ORG as i64 {
                return Err(StoreError::Stale(format!(
                    "This organization has {TEMPLATES_PER_ORG} incident templates, the most it may have; delete one first."
                )));
            }
            let row = incident_templates::create(
                conn,
                &act.org,
                NewTemplate {
                    name: &name,
                    title: &title,
                    impact,
                    status,
                    message: &message,
                    affected: &affected,
                    created_by: act.cause().user.as_ref(),
                },
            )?;
            act.audit(
                conn,
                "incident_template.created",
                "incident_template",
                row.id.as_str(),
                json!({ "name": row.name, "title": row.title }),
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created().json(view(&row)))
}

/// `GET /api/v1/orgs/{org}/incident-templates/{template_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/incident-templates/{template_id}",
    tag = "incident-templates",
    operation_id = "incident_templates_get",
    params(IncidentTemplatePath),
    responses((status = 200, description = "The template; services deleted since it was saved are left out", body = upstate_shared::dto::SavedIncidentTemplate)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<IncidentTemplatePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().template_id;
    let org = access.org_id();
    let row = state
        .read(move |conn| incident_templates::get(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view(&row)))
}

/// `PATCH /api/v1/orgs/{org}/incident-templates/{template_id}`
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/incident-templates/{template_id}",
    tag = "incident-templates",
    operation_id = "incident_templates_update",
    params(IncidentTemplatePath),
    request_body = upstate_shared::dto::UpdateIncidentTemplateRequest,
    responses(
        (status = 200, description = "The changed template", body = upstate_shared::dto::SavedIncidentTemplate),
        (status = 409, description = "The name is taken", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IncidentTemplatePath>,
    body: Json<UpdateIncidentTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().template_id;
    let IncidentTemplateEdit {
        name,
        title,
        impact,
        status,
        message,
        affected,
    } = IncidentTemplateEdit::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let changes = TemplateChanges {
        name,
        title,
        impact,
        status,
        message,
        affected,
    };
    let act = Activity::of(&access.caller, access.org_id());
    let row = state
        .write_as(act, move |conn, act| {
            let row = incident_templates::update(conn, &act.org, &id, changes)?;
            act.audit(
                conn,
                "incident_template.updated",
                "incident_template",
                row.id.as_str(),
                json!({ "name": row.name, "title": row.title }),
            )?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view(&row)))
}

/// `DELETE /api/v1/orgs/{org}/incident-templates/{template_id}`
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/incident-templates/{template_id}",
    tag = "incident-templates",
    operation_id = "incident_templates_delete",
    params(IncidentTemplatePath),
    responses((status = 204, description = "The template is gone; incidents declared from it stay")),
)]
pub async fn delete(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    path: web::Path<IncidentTemplatePath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().template_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let row = incident_templates::get(conn, &act.org, &id)?;
            incident_templates::delete(conn, &act.org, &id)?;
            act.audit(
                conn,
                "incident_template.deleted",
                "incident_template",
                row.id.as_str(),
                json!({ "name": row.name }),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
