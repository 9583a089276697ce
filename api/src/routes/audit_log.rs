//! `GET /api/v1/orgs/{org}/audit-log`: who did what (admins), newest first, paged.

use super::Paging;
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use upstate_shared::dto::Page;
use upstate_store::audit;

#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/audit-log",
    tag = "audit-log",
    operation_id = "audit_log_list",
    params(
        ("org" = String, Path, description = "The organization's slug"),
        super::Paging,
    ),
    responses((status = 200, description = "Entries, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::AuditEntry>)),
)]
pub async fn list(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging.limit()?;
    let cursor = paging.cursor::<String>()?;
    let org = access.org_id();
    let entries = state
        .read(move |conn| audit::page(conn, &org, cursor.as_deref(), limit + 1))
        .await?;
    let (entries, next_cursor) = super::page_of(entries, limit, |e| e.id.clone());
    Ok(HttpResponse::Ok().json(Page {
        items: entries.into_iter().map(views::audit_entry).collect(),
        next_cursor,
    }))
}
