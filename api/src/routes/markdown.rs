//! `POST /api/v1/orgs/{org}/markdown`: the preview beside every Markdown field of the dashboard.
//! It renders with the very function that publishes (`upstate_markdown::to_html`), so what the
//! editor previews is what visitors will read. Nothing is stored.

use crate::auth::{Editor, OrgAccess};
use crate::error::ApiError;
use crate::json::Json;
use actix_web::HttpResponse;
use upstate_shared::dto::{MarkdownPreview, MarkdownPreviewRequest};
use upstate_shared::valid::MarkdownSource;

#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/markdown",
    tag = "incidents",
    operation_id = "markdown_preview",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = upstate_shared::dto::MarkdownPreviewRequest,
    responses((status = 200, description = "The sanitized HTML a published message would carry", body = upstate_shared::dto::MarkdownPreview)),
)]
pub async fn preview(
    _access: OrgAccess<Editor>,
    body: Json<MarkdownPreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let MarkdownSource(markdown) =
        MarkdownSource::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let html = actix_web::web::block(move || upstate_markdown::to_html(&markdown))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok().json(MarkdownPreview { html }))
}
