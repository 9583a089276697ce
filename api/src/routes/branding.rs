//! `/api/v1/orgs/{org}/branding`: the look of the org's public pages (accent colour, logo,
//! favicon, header links, footer, theme and custom CSS). Every member reads it; admins replace
//! it, and preview a draft first: the status page as the server would draw it with the draft,
//! changing nothing.

use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::public::page;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpResponse, web};
use serde_json::json;
use upstate_shared::EventKind;
use upstate_shared::dto::{Branding, BrandingPreview, BrandingSettings};
use upstate_shared::valid::BrandingEdit;
use upstate_store::organizations::{self, BrandingChanges};

/// The public pages' template when the web app is not built into this binary (API tests).
const BARE_TEMPLATE: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<title>Upstate</title>\n\
     <!--upstate:head-->\n<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\n</head>\n\
     <body><div id=\"app\"><!--upstate:body--></div></body>\n</html>\n";

/// `GET /api/v1/orgs/{org}/branding` (members)
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/branding",
    tag = "organizations",
    operation_id = "branding_get",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 200, description = "The org's branding, custom CSS included", body = BrandingSettings)),
)]
pub async fn get(access: OrgAccess<Viewer>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(views::branding(&access.org)))
}

/// `PUT /api/v1/orgs/{org}/branding` (admins): replaces the branding whole (an absent, null or
/// blank field clears it). The public pages are drawn again with it at once.
#[utoipa::path(
    put,
    path = "/api/v1/orgs/{org}/branding",
    tag = "organizations",
    operation_id = "branding_update",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = BrandingSettings,
    responses((status = 200, description = "The branding as saved", body = BrandingSettings)),
)]
pub async fn update(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<BrandingSettings>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let edit = BrandingEdit::try_from(&body).map_err(ApiError::validation)?;
    let changes = BrandingChanges {
        accent_color: edit.accent_color,
        logo_url: edit.logo_url,
        favicon_url: edit.favicon_url,
        support_url: edit.support_url,
        home_url: edit.home_url,
        footer_text: edit.footer_text,
        theme: edit.theme,
        custom_css: edit.custom_css,
    };
    let act = Activity::of(&access.caller, access.org_id());
    let org = state
        .write_as(act, move |conn, act| {
            let org = organizations::set_branding(conn, &act.org, changes)?;
            let page = views::org(&org);
            // The event redraws every public page of the org (their cache is dropped with it).
            let public = json!({ "name": page.name, "slug": page.slug, "branding": page.branding });
            act.event(conn, EventKind::PageUpdated, &public, &page)?;
            act.audit(
                conn,
                "org.branding_updated",
                "org",
                org.id.as_str(),
                json!({ "theme": org.theme, "custom_css_bytes": org.custom_css.as_ref().map_or(0, String::len) }),
            )?;
            Ok(org)
        })
        .await?;
    Ok(HttpResponse::Ok().json(views::branding(&org)))
}

/// `POST /api/v1/orgs/{org}/branding/preview` (admins): the status page as it would look with
/// the draft in the body, drawn as the public page is; nothing is saved. A draft that would be
/// refused is refused here the same way (422, each field's problem).
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/branding/preview",
    tag = "organizations",
    operation_id = "branding_preview",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = BrandingSettings,
    responses((status = 200, description = "The status page with the draft branding", body = BrandingPreview)),
)]
pub async fn preview(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<BrandingSettings>,
) -> Result<HttpResponse, ApiError> {
    let edit = BrandingEdit::try_from(&body.into_inner()).map_err(ApiError::validation)?;
    let (_, mut snapshot, _) = page::status_snapshot(&state, &access.org.slug, None).await?;
    snapshot.summary.page.branding = Branding {
        accent_color: edit.accent_color,
        logo_url: edit.logo_url,
        support_url: edit.support_url,
        favicon_url: edit.favicon_url,
        home_url: edit.home_url,
        footer_text: edit.footer_text,
        theme: edit.theme,
    };
    let template = page::template(&state).unwrap_or_else(|| BARE_TEMPLATE.to_owned());
    let html = page::status_html(&template, &snapshot, edit.custom_css.as_deref())?;
    Ok(HttpResponse::Ok().json(BrandingPreview { html }))
}
