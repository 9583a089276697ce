//! Monitors (issue 17): `/api/v1/orgs/{org}/monitors` and the heartbeat URL.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::monitor::{Check, MonitorState, Settings};
use crate::{ImpactLevel, IncidentId, MonitorId, ServiceId, ServiceStatus};

/// An automated check of a service: when its decided state changes, the service's status follows
/// (unless an incident, a maintenance window or a status set by hand holds it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Monitor {
    pub id: MonitorId,
    pub service_id: ServiceId,
    pub name: String,
    pub check: Check,
    pub settings: Settings,
    /// A paused monitor runs no check and holds no status.
    pub paused: bool,
    /// What the anti-flap rule decided from the results so far (`up` until results say
    /// otherwise).
    pub state: MonitorState,
    /// The service status this monitor asks for: `operational`, `degraded_performance` or
    /// `major_outage` (null while paused).
    pub service_status: Option<ServiceStatus>,
    /// The latest result, if the monitor ran yet.
    pub last_result: Option<MonitorResult>,
    /// When the next check is due (heartbeats: when silence turns into a failure).
    pub next_check_at: Option<DateTime<Utc>>,
    /// Opens an incident when the service goes down, and resolves it when it is back.
    pub auto_incident: Option<IncidentTemplate>,
    /// The incident this monitor opened and has not resolved yet.
    pub open_incident_id: Option<IncidentId>,
    /// Heartbeat monitors: the URL the job calls (`GET`, `HEAD` or `POST`), a secret.
    pub heartbeat_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The incident a monitor opens when its service goes down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentTemplate {
    /// The incident's title, e.g. "API unavailable".
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: String,
    /// Its first update (Markdown); the check's message is added below it.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub message: String,
    pub impact: ImpactLevel,
    /// The update that resolves it when the service is back (Markdown).
    #[serde(default = "IncidentTemplate::default_resolution")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub resolution: String,
}

impl IncidentTemplate {
    pub fn default_resolution() -> String {
        "The service is back: our checks pass again.".to_owned()
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonitorResult {
    pub checked_at: DateTime<Utc>,
    pub state: MonitorState,
    /// How long the check took.
    pub latency_ms: u32,
    /// What was seen ("HTTP 503 (expected 200-299)"); never a credential.
    pub message: String,
}

/// `POST /api/v1/orgs/{org}/monitors`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateMonitorRequest {
    pub service_id: ServiceId,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    pub check: Check,
    /// Every minute, 10 s to answer, down after 3 failures, up after 2 successes, unless said
    /// otherwise.
    #[serde(default)]
    pub settings: Option<Settings>,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub auto_incident: Option<IncidentTemplate>,
}

/// `PATCH /api/v1/orgs/{org}/monitors/{id}`: absent fields stay as they are; `auto_incident:
/// null` turns automatic incidents off. A changed check or settings starts the run of results
/// over.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateMonitorRequest {
    #[serde(default)]
    pub service_id: Option<ServiceId>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    #[serde(default)]
    pub check: Option<Check>,
    #[serde(default)]
    pub settings: Option<Settings>,
    #[serde(default)]
    pub paused: Option<bool>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "super::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<IncidentTemplate>))]
    pub auto_incident: Option<Option<IncidentTemplate>>,
}

/// `GET /api/v1/orgs/{org}/monitors/{id}/chart?range=24h|7d|30d`: response times and uptime
/// over a range, in buckets (5 minutes over 24 h, an hour over 7 and 30 days).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonitorChart {
    /// `24h`, `7d` or `30d`.
    pub range: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Checks that were up or degraded, in percent of all checks in the range; null without
    /// any check.
    pub uptime_percent: Option<f64>,
    /// The buckets that hold checks, oldest first.
    pub points: Vec<ChartPoint>,
}

/// One bucket of a [`MonitorChart`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChartPoint {
    /// The bucket's start.
    pub at: DateTime<Utc>,
    /// The mean response time of its checks.
    pub latency_ms_avg: u32,
    pub latency_ms_max: u32,
    pub up: u32,
    pub degraded: u32,
    pub down: u32,
}

/// `/api/v1/heartbeats/{token}`: the call was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartbeatReceived {
    pub received_at: DateTime<Utc>,
    /// A paused monitor's calls are received and ignored.
    pub paused: bool,
}
