//! `/api/v1/orgs/{org}/page-access`: who may see the org's status page, its API answers,
//! feeds, badge and live events (public, members only, a password, or address ranges; the
//! gate itself is `crate::public::access`). Admins read and set it; the password is written,
//! hashed, and never read back.

use crate::activity::Activity;
use crate::auth::{Admin, OrgAccess};
use crate::error::ApiError;
use crate::json::Json;
use crate::public::access::{Rule, check_edit};
use crate::state::AppState;
use crate::views::utc;
use actix_web::{HttpResponse, web};
use upstate_shared::PageAccessMode;
use upstate_shared::dto::{PageAccess, UpdatePageAccessRequest};
use upstate_store::page_access::{self, Change};

/// The admins' form of a stored setting (`None`: the page has always been public).
fn view(row: Option<&page_access::PageAccess>) -> PageAccess {
    match row {
        Some(row) => PageAccess {
            mode: row.mode,
            ranges: row.range_list(),
            has_password: row.password_hash.is_some(),
            updated_at: Some(utc(row.updated_at)),
        },
        None => PageAccess {
            mode: PageAccessMode::Public,
            ranges: Vec::new(),
            has_password: false,
            updated_at: None,
        },
    }
}

/// `GET /api/v1/orgs/{org}/page-access`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/page-access",
    tag = "organizations",
    operation_id = "page_access_get",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    responses((status = 200, description = "Who may see the status page (the password is never returned)", body = upstate_shared::dto::PageAccess)),
)]
pub async fn get(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let org = access.org_id();
    let row = state.read(move |conn| page_access::get(conn, &org)).await?;
    Ok(HttpResponse::Ok().json(view(row.as_ref())))
}

/// `PUT /api/v1/orgs/{org}/page-access`: the whole setting. It takes effect at once: the
/// next request is judged by it, and the page's open live connections are closed (visitors
/// still allowed reconnect at once).
#[utoipa::path(
    put,
    path = "/api/v1/orgs/{org}/page-access",
    tag = "organizations",
    operation_id = "page_access_put",
    params(
        ("org" = String, Path, description = "The organization's slug"),
    ),
    request_body = upstate_shared::dto::UpdatePageAccessRequest,
    responses((status = 200, description = "The setting as stored (the password is never returned)", body = upstate_shared::dto::PageAccess)),
)]
pub async fn put(
    access: OrgAccess<Admin>,
    state: web::Data<AppState>,
    body: Json<UpdatePageAccessRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let org = access.org_id();
    let current = {
        let org = org.clone();
        state.read(move |conn| page_access::get(conn, &org)).await?
    };
    let has_password = current
        .as_ref()
        .is_some_and(|row| row.password_hash.is_some());
    let edit = check_edit(&body, has_password).map_err(ApiError::validation)?;
    let hash = match edit.password {
        Some(password) => Some(crate::auth::password::hash(password).await?),
        None => None,
    };
    // What the audit log keeps: the setting, never the password (only that it changed).
    let details = serde_json::to_value(PageAccess {
        mode: edit.mode,
        ranges: edit.ranges.clone(),
        has_password: hash.is_some() || has_password,
        updated_at: None,
    })
    .unwrap_or_default();
    let password_changed = hash.is_some();
    let act = Activity::of(&access.caller, org.clone());
    let row = state
        .write_as(act, move |conn, act| {
            let row = page_access::set(
                conn,
                &act.org,
                Change {
                    mode: edit.mode,
                    ranges: &edit.ranges,
                    password_hash: hash.as_deref(),
                },
            )?;
            let mut details = details;
            details["password_changed"] = serde_json::Value::Bool(password_changed);
            act.audit(
                conn,
                "page_access.updated",
                "org",
                act.org.as_str(),
                details,
            )?;
            Ok(row)
        })
        .await?;
    state.directory.set_rule(&org, Rule::of(&row));
    // The page is drawn anew (with or without `noindex`), and its live visitors are judged
    // again when they reconnect.
    state.public.invalidate(&org);
    if row.mode != PageAccessMode::Public || current.is_some_and(|c| c.mode != row.mode) {
        state.hub.close_public(&org);
    }
    Ok(HttpResponse::Ok().json(view(Some(&row))))
}
