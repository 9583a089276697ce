//! `/api/v1/public/{org}/...`: what visitors of a status page read, with no credentials, and the
//! live channels (`/public/{org}/ws` for visitors, `/orgs/{org}/ws` for members).

use super::{Paging, page_of};
use crate::auth::{OrgAccess, Viewer};
use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::public::directory::Known;
use crate::public::hub::Audience;
use crate::public::sockets::Full;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use upstate_shared::dto::Page;
use upstate_shared::{IncidentId, OrgId};
use upstate_store::{Missing, StoreError, incidents, organizations};

fn no_page() -> ApiError {
    ApiError::NotFound("No status page here.".into())
}

/// 404 for a slug no org has, known from memory (see [`crate::public::directory`]), before
/// any cache or database work.
pub fn listed(state: &AppState, slug: &str) -> Result<(), ApiError> {
    if state.directory.is_missing(slug) {
        Err(no_page())
    } else {
        Ok(())
    }
}

/// The org of a public path, or 404.
async fn org_of(state: &AppState, slug: String) -> Result<organizations::Organization, ApiError> {
    listed(state, &slug)?;
    state
        .read(move |conn| {
            organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))
        })
        .await
}

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
    listed(&state, &slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("summary:{slug}"), || async {
            crate::public::summary::compute(&state, &slug)
                .await
                .map(|(rendered, _)| rendered)
        })
        .await?;
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
    listed(&state, &slug)?;
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
        let org_id: OrgId = org.org_id();
        let id = org_id.clone();
        let list = state
            .read(move |conn| incidents::history(conn, &id, from, to, cursor.as_deref(), limit + 1))
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
        ("org" = String, Path, description = "The organization's slug"),
        ("incident_id" = String, Path, description = "The incident id"),
    ),
    responses((status = 200, description = "The incident with its whole timeline", body = upstate_shared::dto::PublicIncident)),
)]
/// One incident with its whole timeline.
pub async fn incident(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let org = org_of(&state, slug).await?;
    let org_id = org.org_id();
    let full = state
        .read(
            move |conn| match incidents::get(conn, &org_id, &IncidentId(id)) {
                Err(StoreError::Gone(what)) => Err(StoreError::NotFound(what)),
                other => other,
            },
        )
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", crate::public::cache::CACHE_CONTROL))
        .json(views::public_incident(&full)))
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
    listed(&state, &slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("uptime:{days}:{slug}"), || {
            crate::public::uptime::compute(&state, &slug, days)
        })
        .await?;
    Ok(rendered.respond(&req))
}

#[utoipa::path(
    get,
    path = "/api/v1/public/{org}/ws",
    tag = "public",
    operation_id = "public_ws",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 101, description = "A WebSocket of the page's events: first `{\"type\": \"hello\", \"seq\": n}`, then each event in its public form")),
)]
/// The page's live events (WebSocket).
pub async fn public_ws(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    // From memory when the directory is in sync: a visitor's live channel needs no database
    // read once its org has subscribers here.
    let org = match state.directory.lookup(&org) {
        Known::Exists(id) => id,
        Known::Missing => return Err(no_page()),
        Known::Unsure => org_of(&state, org.into_inner()).await?.org_id(),
    };
    upgrade(&req, body, &state, org, Audience::Public, None).await
}

#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/ws",
    tag = "organizations",
    operation_id = "orgs_ws",
    params(("org" = String, Path, description = "The organization's slug")),
    responses((status = 101, description = "A WebSocket of the org's events in their member form. Closed with 4001 when the access token expires (reconnect with a fresh one) and with 4003 within a second of the access ending (logout, password reset, removal, a role change, the API key's revocation)")),
)]
/// The dashboard's live events (WebSocket), for members; closed when the credential ends.
pub async fn members_ws(
    access: OrgAccess<Viewer>,
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    // A browser sends cookies to a WebSocket of any page's making: only ours may use them.
    if let Some(origin) = req.headers().get("Origin").and_then(|o| o.to_str().ok()) {
        let host = req.connection_info().host().to_owned();
        let same = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            == Some(host.as_str())
            || origin == state.settings.public_url;
        if !same {
            return Err(ApiError::Forbidden(
                "This WebSocket is for the dashboard's own pages.".into(),
            ));
        }
    }
    let ended = crate::auth::lifetime::ended(
        state.get_ref().clone(),
        access.caller.clone(),
        access.org_id(),
        access.role,
    );
    upgrade(
        &req,
        body,
        &state,
        access.org_id(),
        Audience::Members,
        Some(ended),
    )
    .await
}

async fn upgrade(
    req: &HttpRequest,
    body: web::Payload,
    state: &AppState,
    org: OrgId,
    audience: Audience,
    ended: Option<crate::public::ws::Ended>,
) -> Result<HttpResponse, ApiError> {
    let mut handshake = actix_http::ws::handshake(req.head())
        .map_err(|err| ApiError::BadRequest(format!("Not a WebSocket upgrade: {err}")))?;
    let address = crate::auth::caller::client_addr(req, state).map_or_else(
        || "unknown".to_owned(),
        crate::auth::client_address::limit_key,
    );
    let slot = state
        .sockets
        .take(&address, state.settings.ws_caps)
        .map_err(|full| {
            ApiError::Busy(match full {
                Full::Server => {
                    "This server has as many live connections as it takes; try again shortly."
                        .into()
                }
                Full::Address => {
                    "Too many live connections from your address; close some and try again.".into()
                }
            })
        })?;
    // The hello's seq comes from the hub; only an org's first subscriber reads it, after
    // subscribing, so no event can fall between the two.
    let (events, known) = state.hub.subscribe(&org, audience);
    let seq = match known {
        Some(seq) => seq,
        None => {
            let id = org.clone();
            let seq = state
                .read(move |conn| upstate_store::events::current_seq(conn, &id))
                .await?
                .max(0) as u64;
            state.hub.observe(&org, seq);
            seq
        }
    };
    let frames = crate::public::ws::frames(body, events, seq, slot, ended);
    let response = handshake
        .message_body(actix_web::body::MessageBody::boxed(
            actix_web::body::BodyStream::new(frames),
        ))
        .map_err(|err| ApiError::Internal(format!("the WebSocket answer: {err}")))?;
    Ok(response.into())
}
