//! `/api/v1/orgs/{org}/monitors`: automated checks that drive a service's status (issue 17),
//! managed by editors, read by every member; and `/api/v1/heartbeats/{token}`, the URL a
//! heartbeat monitor's job calls.

use super::Paging;
use super::paths::{HeartbeatPath, MonitorPath};
use crate::activity::Activity;
use crate::auth::{Editor, OrgAccess, Viewer};
use crate::error::ApiError;
use crate::json::Json;
use crate::state::AppState;
use crate::views::{self, utc};
use actix_web::{HttpResponse, web};
use chrono::{DateTime, DurationRound, NaiveDateTime, TimeDelta, Utc};
use serde::Deserialize;
use serde_json::json;
use upstate_monitor::runner;
use upstate_shared::MonitorId;
use upstate_shared::dto::{
    ChartPoint, CreateMonitorRequest, IncidentTemplate, Monitor, MonitorChart, MonitorResult, Page,
    UpdateMonitorRequest,
};
use upstate_shared::monitor::{Check, MonitorState, Settings};
use upstate_store::monitors::{self, Checked, MonitorChanges, NewMonitor};

/// The most monitors one organization may have: each is traffic this server sends.
pub const MONITORS_PER_ORG: i64 = 1_000;

/// The member form of a stored monitor.
pub fn view(row: &monitors::Monitor, public_url: &str) -> Monitor {
    // Rows are written from a `Check` by this code; one that cannot be read back is a fault,
    // logged, and shown as an HTTP check of nothing rather than as another kind.
    let check: Check = serde_json::from_str(&row.definition).unwrap_or_else(|err| {
        tracing::error!(%err, monitor = %row.id, "a stored monitor cannot be read");
        Check::http("")
    });
    Monitor {
        id: row.id.clone(),
        service_id: row.service_id.clone(),
        name: row.name.clone(),
        check,
        settings: row.settings(),
        paused: row.paused,
        state: row.state,
        service_status: (!row.paused).then(|| row.state.service_status()),
        last_result: match (row.last_checked_at, &row.last_state) {
            (Some(at), Some(state)) => Some(MonitorResult {
                checked_at: utc(at),
                state: state.0,
                latency_ms: u32::try_from(row.last_latency_ms.unwrap_or(0)).unwrap_or(0),
                message: row.last_message.clone().unwrap_or_default(),
            }),
            _ => None,
        },
        next_check_at: (!row.paused).then(|| utc(row.next_run_at)),
        auto_incident: row
            .auto_incident
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok()),
        open_incident_id: row.open_incident_id.clone(),
        heartbeat_url: row
            .heartbeat_token
            .as_ref()
            .map(|token| format!("{public_url}/api/v1/heartbeats/{token}")),
        created_at: utc(row.created_at),
        updated_at: utc(row.updated_at),
    }
}

/// A stored result, as the API shows it (an up result's message says how fast it was).
fn result_view(row: &monitors::StoredResult) -> MonitorResult {
    let state = row.state();
    MonitorResult {
        checked_at: utc(row.checked_at),
        state,
        latency_ms: u32::try_from(row.latency_ms).unwrap_or(0),
        message: row
            .message
            .clone()
            .unwrap_or_else(|| format!("up in {} ms", row.latency_ms)),
    }
}

fn valid(result: Result<(), upstate_shared::FieldErrors>) -> Result<(), ApiError> {
    result.map_err(ApiError::validation)
}

/// Refuses a target the server may not reach (the webhook rule: private, loopback, link-local
/// and metadata addresses only with the operator's setting), resolving its name now; it is
/// checked again at every probe.
async fn check_target(check: &Check, state: &AppState) -> Result<(), ApiError> {
    let policy = state.settings.egress;
    let refused = match check {
        Check::Http(http) => upstate_egress::check_url(&http.url, &policy)
            .await
            .err()
            .map(|err| ("check.url", err.to_string())),
        Check::Tcp { host, port } => {
            let host = host.trim().trim_start_matches('[').trim_end_matches(']');
            upstate_egress::resolve(host, *port, &policy)
                .await
                .err()
                .map(|err| ("check.host", err.to_string()))
        }
        Check::Dns { .. } | Check::Heartbeat { .. } => None,
    };
    match refused {
        Some((field, why)) => Err(ApiError::field(field, why)),
        None => Ok(()),
    }
}

fn template_json(template: &IncidentTemplate) -> String {
    serde_json::to_string(template).unwrap_or_default()
}

fn heartbeat_token() -> String {
    crate::auth::tokens::random_token("hb_")
}

/// When a monitor's first check is due: a heartbeat after its interval and grace, other kinds at
/// a random point of their first interval.
fn first_check(check: &Check, settings: &Settings, now: NaiveDateTime) -> NaiveDateTime {
    match check {
        Check::Heartbeat { grace_seconds } => {
            now + TimeDelta::seconds(
                i64::from(settings.interval_seconds) + i64::from(*grace_seconds),
            )
        }
        _ => runner::first_run(settings.interval_seconds, now),
    }
}

/// `GET /api/v1/orgs/{org}/monitors`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/monitors",
    tag = "monitors",
    operation_id = "monitors_list",
    params(("org" = String, Path, description = "The organization's slug"), Paging),
    responses((status = 200, description = "The org's monitors, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::Monitor>)),
)]
pub async fn list(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    paging: web::Query<Paging>,
) -> Result<HttpResponse, ApiError> {
    let limit = paging.limit()?;
    let cursor = paging.cursor::<MonitorId>()?;
    let org = access.org_id();
    let rows = state
        .read(move |conn| monitors::page(conn, &org, cursor.as_ref(), limit + 1))
        .await?;
    let (rows, next_cursor) = views::page_of(rows, limit, |row| row.id.to_string());
    let public_url = &state.settings.public_url;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.iter().map(|row| view(row, public_url)).collect(),
        next_cursor,
    }))
}

/// `POST /api/v1/orgs/{org}/monitors`
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/monitors",
    tag = "monitors",
    operation_id = "monitors_create",
    params(("org" = String, Path, description = "The organization's slug")),
    request_body = upstate_shared::dto::CreateMonitorRequest,
    responses(
        (status = 201, description = "The new monitor; its first check runs within its interval", body = upstate_shared::dto::Monitor),
        (status = 409, description = "The organization has as many monitors as it may", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn create(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    body: Json<CreateMonitorRequest>,
) -> Result<HttpResponse, ApiError> {
    let CreateMonitorRequest {
        service_id,
        name,
        check,
        settings,
        paused,
        auto_incident,
    } = body.into_inner();
    let settings = settings.unwrap_or_default();
    valid(upstate_monitor::validate_monitor(
        Some(&name),
        Some((&check, &settings)),
        auto_incident.as_ref(),
    ))?;
    check_target(&check, &state).await?;
    let act = Activity::of(&access.caller, access.org_id());
    let definition = serde_json::to_string(&check).unwrap_or_default();
    let token = matches!(check, Check::Heartbeat { .. }).then(heartbeat_token);
    let first_run_at = first_check(&check, &settings, upstate_store::now());
    let row = state
        .write_as(act, move |conn, act| {
            if monitors::count(conn, &act.org)? >= MONITORS_PER_ORG {
                return Err(upstate_store::StoreError::Conflict(format!(
                    "This organization has {MONITORS_PER_ORG} monitors, the most it may have."
                )));
            }
            let template = auto_incident.as_ref().map(template_json);
            let row = monitors::create(
                conn,
                &act.org,
                NewMonitor {
                    service_id: &service_id,
                    name: name.trim(),
                    kind: check.kind(),
                    definition: &definition,
                    settings,
                    paused,
                    auto_incident: template.as_deref(),
                    heartbeat_token: token.as_deref(),
                    first_run_at,
                },
            )?;
            act.audit(
                conn,
                "monitor.created",
                "monitor",
                row.id.as_str(),
                json!({ "name": row.name, "kind": row.kind }),
            )?;
            Ok(row)
        })
        .await?;
    state.monitor_wake.notify_one();
    Ok(HttpResponse::Created().json(view(&row, &state.settings.public_url)))
}

/// `GET /api/v1/orgs/{org}/monitors/{monitor_id}`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}",
    tag = "monitors",
    operation_id = "monitors_get",
    params(MonitorPath),
    responses((status = 200, description = "The monitor", body = upstate_shared::dto::Monitor)),
)]
pub async fn get(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().monitor_id;
    let org = access.org_id();
    let row = state
        .read(move |conn| monitors::get(conn, &org, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view(&row, &state.settings.public_url)))
}

/// `PATCH /api/v1/orgs/{org}/monitors/{monitor_id}`
#[utoipa::path(
    patch,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}",
    tag = "monitors",
    operation_id = "monitors_update",
    params(MonitorPath),
    request_body = upstate_shared::dto::UpdateMonitorRequest,
    responses((status = 200, description = "The changed monitor", body = upstate_shared::dto::Monitor)),
)]
pub async fn update(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
    body: Json<UpdateMonitorRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().monitor_id;
    let org = access.org_id();
    let request = body.into_inner();
    let current = {
        let id = id.clone();
        state
            .read(move |conn| monitors::get(conn, &org, &id))
            .await?
    };
    let current_check: Check = serde_json::from_str(&current.definition)
        .map_err(|err| ApiError::Internal(format!("a stored monitor cannot be read: {err}")))?;
    let check = request.check.clone().unwrap_or(current_check.clone());
    let settings = request.settings.unwrap_or(current.settings());
    let checked = request.check.is_some() || request.settings.is_some();
    valid(upstate_monitor::validate_monitor(
        request.name.as_deref(),
        checked.then_some((&check, &settings)),
        request.auto_incident.as_ref().and_then(Option::as_ref),
    ))?;
    if request.check.is_some() {
        check_target(&check, &state).await?;
    }
    let now = upstate_store::now();
    let is_heartbeat = matches!(check, Check::Heartbeat { .. });
    let was_heartbeat = matches!(current_check, Check::Heartbeat { .. });
    let heartbeat_token = match (was_heartbeat, is_heartbeat) {
        (false, true) => Some(Some(heartbeat_token())),
        (true, false) => Some(None),
        _ => None,
    };
    let resumed = request.paused == Some(false) && current.paused;
    let rescheduled = request.check.is_some() || request.settings.is_some() || resumed;
    let changes = MonitorChanges {
        service_id: request.service_id.clone(),
        name: request.name.as_ref().map(|name| name.trim().to_owned()),
        definition: request.check.as_ref().map(|check| {
            (
                check.kind().to_owned(),
                serde_json::to_string(check).unwrap_or_default(),
            )
        }),
        settings: request.settings,
        paused: request.paused,
        auto_incident: request
            .auto_incident
            .as_ref()
            .map(|template| template.as_ref().map(template_json)),
        heartbeat_token,
        next_run_at: rescheduled.then(|| first_check(&check, &settings, now)),
    };
    let act = Activity::of(&access.caller, access.org_id());
    let row = state
        .write_as(act, move |conn, act| {
            let (row, moved) = monitors::update(conn, &act.org, &id, changes)?;
            act.services_changed(conn, &moved)?;
            act.audit(
                conn,
                "monitor.updated",
                "monitor",
                row.id.as_str(),
                serde_json::to_value(&request).unwrap_or_default(),
            )?;
            Ok(row)
        })
        .await?;
    state.monitor_wake.notify_one();
    Ok(HttpResponse::Ok().json(view(&row, &state.settings.public_url)))
}

/// `DELETE /api/v1/orgs/{org}/monitors/{monitor_id}`: its results go with it; its service
/// stops following it.
#[utoipa::path(
    delete,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}",
    tag = "monitors",
    operation_id = "monitors_delete",
    params(MonitorPath),
    responses((status = 204, description = "Deleted")),
)]
pub async fn delete(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().monitor_id;
    let act = Activity::of(&access.caller, access.org_id());
    state
        .write_as(act, move |conn, act| {
            let moved = monitors::delete(conn, &act.org, &id)?;
            act.services_changed(conn, &moved)?;
            act.audit(conn, "monitor.deleted", "monitor", id.as_str(), json!({}))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `?limit=` and `?cursor=` of a monitor's results: the cursor is the `checked_at` of the
/// previous page's last result.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsPaging {
    /// Page size, 1 to 100 (default 25).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page (a time, RFC 3339).
    pub cursor: Option<DateTime<Utc>>,
}

/// `GET /api/v1/orgs/{org}/monitors/{monitor_id}/results`: newest first, paged; kept for the
/// raw retention window (48 hours by default).
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}/results",
    tag = "monitors",
    operation_id = "monitors_results",
    params(MonitorPath, ResultsPaging),
    responses((status = 200, description = "Results, newest first", body = upstate_shared::dto::Page<upstate_shared::dto::MonitorResult>)),
)]
pub async fn results(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
    paging: web::Query<ResultsPaging>,
) -> Result<HttpResponse, ApiError> {
    let limit = Paging {
        limit: paging.limit,
        cursor: None,
    }
    .limit()?;
    let before = paging.cursor.map(|at| at.naive_utc());
    let id = path.into_inner().monitor_id;
    let org = access.org_id();
    let rows = state
        .read(move |conn| monitors::results(conn, &org, &id, before, limit + 1))
        .await?;
    let (rows, next_cursor) = views::page_of(rows, limit, |row| {
        utc(row.checked_at).to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    });
    Ok(HttpResponse::Ok().json(Page {
        items: rows.iter().map(result_view).collect(),
        next_cursor,
    }))
}

/// `?range=` of a chart.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChartQuery {
    /// `24h` (5-minute buckets, the default), `7d` or `30d` (hourly buckets).
    #[param(pattern = "^(24h|7d|30d)$")]
    pub range: Option<String>,
}

/// `GET /api/v1/orgs/{org}/monitors/{monitor_id}/chart`
#[utoipa::path(
    get,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}/chart",
    tag = "monitors",
    operation_id = "monitors_chart",
    params(MonitorPath, ChartQuery),
    responses((status = 200, description = "Response times and uptime over the range", body = upstate_shared::dto::MonitorChart)),
)]
pub async fn chart(
    access: OrgAccess<Viewer>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
    query: web::Query<ChartQuery>,
) -> Result<HttpResponse, ApiError> {
    let range = query.range.clone().unwrap_or_else(|| "24h".to_owned());
    let span = match range.as_str() {
        "24h" => TimeDelta::hours(24),
        "7d" => TimeDelta::days(7),
        "30d" => TimeDelta::days(30),
        _ => {
            return Err(ApiError::BadRequest(
                "`range` must be 24h, 7d or 30d.".into(),
            ));
        }
    };
    let id = path.into_inner().monitor_id;
    let org = access.org_id();
    let now = upstate_store::now();
    let from = now - span;
    let points = state
        .read(move |conn| {
            monitors::get(conn, &org, &id)?;
            if span <= TimeDelta::hours(24) {
                let results = monitors::results_since(conn, &id, from)?;
                Ok(buckets(&results, TimeDelta::minutes(5)))
            } else {
                let start = from.duration_trunc(TimeDelta::hours(1)).unwrap_or(from);
                let hours = monitors::hours_since(conn, &id, start)?;
                Ok(hours.iter().map(hour_point).collect())
            }
        })
        .await?;
    Ok(HttpResponse::Ok().json(MonitorChart {
        range,
        from: utc(from),
        to: utc(now),
        uptime_percent: uptime(&points),
        points,
    }))
}

/// Results summed in buckets of `size`, oldest first; buckets without results are left out.
fn buckets(results: &[monitors::StoredResult], size: TimeDelta) -> Vec<ChartPoint> {
    let mut points: Vec<(NaiveDateTime, ChartPoint, u64)> = Vec::new();
    for result in results {
        let start = result
            .checked_at
            .duration_trunc(size)
            .unwrap_or(result.checked_at);
        if points.last().is_none_or(|(at, _, _)| *at != start) {
            points.push((
                start,
                ChartPoint {
                    at: utc(start),
                    latency_ms_avg: 0,
                    latency_ms_max: 0,
                    up: 0,
                    degraded: 0,
                    down: 0,
                },
                0,
            ));
        }
        if let Some((_, point, sum)) = points.last_mut() {
            let latency = u32::try_from(result.latency_ms).unwrap_or(0);
            match result.state() {
                MonitorState::Up => point.up += 1,
                MonitorState::Degraded => point.degraded += 1,
                MonitorState::Down => point.down += 1,
            }
            *sum += u64::from(latency);
            point.latency_ms_max = point.latency_ms_max.max(latency);
            let count = u64::from(point.up + point.degraded + point.down);
            point.latency_ms_avg = u32::try_from(*sum / count.max(1)).unwrap_or(u32::MAX);
        }
    }
    points.into_iter().map(|(_, point, _)| point).collect()
}

fn hour_point(hour: &monitors::Hour) -> ChartPoint {
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    let checks = i64::from(hour.up) + i64::from(hour.degraded) + i64::from(hour.down);
    ChartPoint {
        at: utc(hour.hour),
        latency_ms_avg: u32::try_from(hour.latency_ms_sum / checks.max(1)).unwrap_or(u32::MAX),
        latency_ms_max: count(hour.latency_ms_max),
        up: count(hour.up),
        degraded: count(hour.degraded),
        down: count(hour.down),
    }
}

/// Checks that were up or degraded, in percent of all; none without checks.
fn uptime(points: &[ChartPoint]) -> Option<f64> {
    let (answered, all) = points.iter().fold((0u64, 0u64), |(answered, all), p| {
        (
            answered + u64::from(p.up + p.degraded),
            all + u64::from(p.up + p.degraded + p.down),
        )
    });
    (all > 0).then(|| answered as f64 * 100.0 / all as f64)
}

/// `POST /api/v1/orgs/{org}/monitors/{monitor_id}/test`: runs the check now and answers what it
/// saw; the result is not recorded and decides nothing.
#[utoipa::path(
    post,
    path = "/api/v1/orgs/{org}/monitors/{monitor_id}/test",
    tag = "monitors",
    operation_id = "monitors_test",
    params(MonitorPath),
    responses(
        (status = 200, description = "What the check saw", body = upstate_shared::dto::MonitorResult),
        (status = 409, description = "A heartbeat is tested by calling its URL", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn test(
    access: OrgAccess<Editor>,
    state: web::Data<AppState>,
    path: web::Path<MonitorPath>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner().monitor_id;
    let org = access.org_id();
    let row = state
        .read(move |conn| monitors::get(conn, &org, &id))
        .await?;
    let check: Check = serde_json::from_str(&row.definition)
        .map_err(|err| ApiError::Internal(format!("a stored monitor cannot be read: {err}")))?;
    if !check.is_probed() {
        return Err(ApiError::Conflict(
            "A heartbeat monitor is tested by calling its URL.".into(),
        ));
    }
    let prober = upstate_monitor::Prober::new(state.settings.egress, &state.settings.monitor_roots)
        .map_err(|err| ApiError::Internal(format!("a monitor's HTTP client: {err}")))?;
    let checked = runner::check(&row, row.next_run_at, &prober).await;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(MonitorResult {
            checked_at: utc(checked.at),
            state: checked.state,
            latency_ms: checked.latency_ms,
            message: checked.message,
        }))
}

/// `GET|HEAD|POST /api/v1/heartbeats/{token}`: a heartbeat monitor's job says it ran. No
/// credentials: the token is the secret. A paused monitor's calls are answered and ignored.
#[utoipa::path(
    post,
    path = "/api/v1/heartbeats/{token}",
    tag = "monitors",
    operation_id = "heartbeats_post",
    params(HeartbeatPath),
    responses(
        (status = 200, description = "Received", body = upstate_shared::dto::HeartbeatReceived),
        (status = 404, description = "No monitor has this URL", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn heartbeat_post(
    state: web::Data<AppState>,
    path: web::Path<HeartbeatPath>,
) -> Result<HttpResponse, ApiError> {
    heartbeat(state, path).await
}

/// `GET /api/v1/heartbeats/{token}`: as `POST`, for jobs that can only fetch a URL.
#[utoipa::path(
    get,
    path = "/api/v1/heartbeats/{token}",
    tag = "monitors",
    operation_id = "heartbeats_get",
    params(HeartbeatPath),
    responses(
        (status = 200, description = "Received", body = upstate_shared::dto::HeartbeatReceived),
        (status = 404, description = "No monitor has this URL", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn heartbeat_get(
    state: web::Data<AppState>,
    path: web::Path<HeartbeatPath>,
) -> Result<HttpResponse, ApiError> {
    heartbeat(state, path).await
}

/// `HEAD /api/v1/heartbeats/{token}`: as `POST`, answered without a body.
#[utoipa::path(
    head,
    path = "/api/v1/heartbeats/{token}",
    tag = "monitors",
    operation_id = "heartbeats_head",
    params(HeartbeatPath),
    responses(
        (status = 200, description = "Received"),
        (status = 404, description = "No monitor has this URL", body = upstate_shared::ErrorBody),
    ),
)]
pub async fn heartbeat_head(
    state: web::Data<AppState>,
    path: web::Path<HeartbeatPath>,
) -> Result<HttpResponse, ApiError> {
    heartbeat(state, path).await
}

async fn heartbeat(
    state: web::Data<AppState>,
    path: web::Path<HeartbeatPath>,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner().token;
    let row = state
        .read(move |conn| monitors::by_heartbeat_token(conn, &token))
        .await?;
    let now = upstate_store::now();
    if !row.paused {
        let grace = match serde_json::from_str::<Check>(&row.definition) {
            Ok(Check::Heartbeat { grace_seconds }) => grace_seconds,
            _ => 0,
        };
        let deadline = runner::heartbeat_deadline(&row, grace, now);
        let id = row.id.clone();
        state
            .write(move |conn| monitors::heartbeat_received(conn, &id, deadline))
            .await?;
        crate::monitors::record(
            &state,
            row.org_id.clone(),
            row.id.clone(),
            Checked {
                at: now,
                state: MonitorState::Up,
                latency_ms: 0,
                message: "the job called".into(),
            },
        )
        .await?;
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(upstate_shared::dto::HeartbeatReceived {
            received_at: utc(now),
            paused: row.paused,
        }))
}
