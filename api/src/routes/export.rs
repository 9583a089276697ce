//! `GET /api/v1/orgs/{org}/export`: everything of the org as one JSON document, downloaded by an
//! admin from the dashboard's Settings (`upstate export` writes the same from the command line;
//! `upstate import upstate` reads it into another server or engine).

use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, web};

/// The export document of the org `slug`, as the route and the command write it.
pub fn document(
    conn: &mut upstate_store::DbConnection,
    slug: &str,
) -> upstate_store::StoreResult<upstate_shared::export::OrgExport> {
    let org = upstate_store::organizations::find_by_slug(conn, slug)?.ok_or(
        upstate_store::StoreError::NotFound(upstate_store::Missing::Organization),
    )?;
    upstate_store::export::export(
        conn,
        &org.id,
        concat!("upstate ", env!("CARGO_PKG_VERSION")),
    )
}

/// `GET /api/v1/orgs/{org}/export`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/export",
    tag = "organizations",
    operation_id = "orgs_export",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((
        status = 200,
        description = "The organization's export document (admins and owners), as an attachment \
                       `upstate-{slug}-{date}.json`: settings, groups, services and their status \
                       history, incidents, maintenance, subscribers, integrations and monitors \
                       without secrets, members by email and role. No password hashes, tokens, \
                       API keys or signing secrets.",
        body = upstate_shared::export::OrgExport,
        headers(("Content-Disposition" = String, description = "`attachment; filename=\"upstate-{slug}-{date}.json\"`")),
    )),
)]
pub async fn export(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slug = access.org.slug.clone();
    let doc = state.read(move |conn| document(conn, &slug)).await?;
    let filename = format!(
        "upstate-{}-{}.json",
        doc.org.slug,
        doc.exported_at.format("%Y-%m-%d")
    );
    Ok(HttpResponse::Ok()
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(filename)],
        })
        .json(doc))
}
