//! `/api/v1/public/{org}/...`: what visitors of a status page read, with no credentials (the
//! live channels, `/public/{org}/ws` and the members' `/orgs/{org}/ws`, are in `ws.rs`).

use super::{Paging, page_of};
use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::public::org_of;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use upstate_shared::OrgId;
use upstate_shared::dto::Page;
use upstate_store::incidents;

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/summary",
    tag = "public",
    operation_id = "public_summary",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The page's state; carries an ETag and Cache-Control", body = upstate_shared::dto::PublicSummary),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
    ),
)]
/// The status page's state: overall status, services, open incidents, current and upcoming
/// maintenance. Served from memory; `If-None-Match` gets 304.
pub async fn summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let rendered = crate::public::summary::cached(&state, &slug).await?;
    Ok(rendered.respond(&req))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// Only incidents declared at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Only incidents declared before this time.
    pub to: Option<DateTime<Utc>>,
}

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/incidents",
    tag = "public",
    operation_id = "public_incidents",
    params(("org" = String, Path, description = "The organization's slug"), HistoryQuery, Paging),
    responses(
        (status = 200, description = "Incidents, resolved included, newest first; carries an ETag and Cache-Control", body = upstate_shared::dto::Page<upstate_shared::dto::PublicIncident>),
        (status = 304, description = "Not modified since the ETag given in If-None-Match"),
    ),
)]
/// The incident history, resolved included, newest first. Its first page, as the status page
/// asks for it, is served from memory like the summary; other pages are read each time.
pub async fn incidents(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    query: web::Query<HistoryQuery>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let limit = paging.limit()?;
    let cursor = paging.cursor()?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && to <= from
    {
        return Err(ApiError::BadRequest("`to` must be after `from`.".into()));
    }
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let first_page = query.from.is_none()
        && query.to.is_none()
        && cursor.is_none()
        && paging
            .limit
            .is_none_or(|asked| asked as i64 == super::DEFAULT_LIMIT);
    let compute = || async {
        let org = org_of(&state, slug.clone()).await?;
        let (from, to) = (
            query.from.map(|t| t.naive_utc()),
            query.to.map(|t| t.naive_utc()),
        );
        let org_id: OrgId = org.id.clone();
        let id = org_id.clone();
        let list = state
            .read(move |conn| incidents::history(conn, &id, from, to, cursor.as_ref(), limit + 1))
            .await?;
        let (list, next_cursor) = page_of(list, limit, |i| i.incident.id.clone());
        Rendered::new(
            org_id,
            &Page {
                items: list.iter().map(views::public_incident).collect(),
                next_cursor,
            },
        )
    };
    let rendered = if first_page {
        state
            .public
            .get_or_compute(&format!("incidents:{slug}"), compute)
            .await?
    } else {
        std::sync::Arc::new(compute().await?)
    };
    Ok(rendered.respond(&req))
}

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/incidents/{incident_id}",
    tag = "public",
    operation_id = "public_incident",
    params(
        super::paths::IncidentPath,
    ),
    responses((status = 200, description = "The incident with its whole timeline", body = upstate_shared::dto::PublicIncident)),
)]
/// One incident with its whole timeline.
pub async fn incident(
    state: web::Data<AppState>,
    path: web::Path<super::paths::IncidentPath>,
) -> Result<HttpResponse, ApiError> {
    let super::paths::IncidentPath { org, incident_id } = path.into_inner();
    let org = org_of(&state, org).await?;
    let incident = crate::public::incident(&state, org.id, incident_id).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", crate::public::cache::CACHE_CONTROL))
        .json(incident))
}

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/history",
    tag = "public",
    operation_id = "public_history",
    params(("org" = String, Path, description = "The organization's slug"), crate::public::history::MonthsQuery),
    responses(
        (status = 200, description = "Calendar months (UTC), newest first, each with its incidents and the maintenance held in it; `next_cursor` is the newest month of the older page, `null` past the first month that has anything", body = upstate_shared::dto::Page<upstate_shared::dto::HistoryMonth>),
    ),
)]
/// The page's history by month: what the history page (`/status/{org}/history`) shows.
/// Months with nothing in them are listed too; maintenance counts once it took place (in
/// progress or completed; not scheduled or cancelled). An unknown service is a 404.
pub async fn history(
    state: web::Data<AppState>,
    org: web::Path<String>,
    query: web::Query<crate::public::history::MonthsQuery>,
) -> Result<HttpResponse, ApiError> {
    let request = query.into_inner().request(org.into_inner())?;
    let read = crate::public::history::read(&state, request).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", crate::public::cache::CACHE_CONTROL))
        .json(read.months))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UptimeQuery {
    /// How many days, ending today (1 to 90, default 90).
    #[param(minimum = 1, maximum = 90)]
    pub days: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/uptime",
    tag = "public",
    operation_id = "public_uptime",
    params(("org" = String, Path, description = "The organization's slug"), UptimeQuery),
    responses((status = 200, description = "Per service and UTC day: worst status, downtime, incidents; uptime over the range", body = upstate_shared::dto::UptimeReport)),
)]
/// Uptime per service and day.
pub async fn uptime(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    query: web::Query<UptimeQuery>,
) -> Result<HttpResponse, ApiError> {
    let days = query.days.unwrap_or(crate::public::uptime::MAX_DAYS);
    if !(1..=crate::public::uptime::MAX_DAYS).contains(&days) {
        return Err(ApiError::BadRequest(
            "`days` must be between 1 and 90.".into(),
        ));
    }
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("uptime:{days}:{slug}"), || {
            crate::public::uptime::compute(&state, &slug, days)
        })
        .await?;
    Ok(rendered.respond(&req))
}
