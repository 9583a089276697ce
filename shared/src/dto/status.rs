//! What the status page says: services and their groups, incidents with their timeline, and
//! maintenance windows. Member forms (dashboard, integrators) and public forms (the status page,
//! its WebSocket) are separate types: the public ones carry nothing a visitor may not see.

use super::double_option;
use crate::dto::orgs::Actor;
use crate::ids::{
    IncidentId, IncidentUpdateId, MaintenanceId, MaintenanceUpdateId, ServiceGroupId, ServiceId,
};
use crate::status::{
    ImpactLevel, IncidentStatus, MaintenanceStatus, ServiceDisplay, ServiceStatus,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest name of a service or group.
pub const NAME_MAX: usize = 100;
/// Longest description.
pub const DESCRIPTION_MAX: usize = 2_000;
/// Longest incident or maintenance title.
pub const TITLE_MAX: usize = 200;
/// Longest update message (Markdown).
pub const MESSAGE_MAX: usize = 10_000;
/// Longest postmortem (Markdown).
pub const POSTMORTEM_MAX: usize = 50_000;
/// Most services one incident or maintenance may name.
pub const AFFECTED_MAX: usize = 100;

// ---- services and groups ----

/// A service, as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub description: String,
    /// What the public sees: the worst status that open incidents or active maintenance give
    /// it, else `manual_status`, unless that is `operational` and `monitor_status` says
    /// otherwise.
    pub status: ServiceStatus,
    /// The status set by hand, shown whenever nothing else holds the service.
    pub manual_status: ServiceStatus,
    /// What the service's running monitors ask for (the worst of them); null when none runs.
    #[serde(default)]
    pub monitor_status: Option<ServiceStatus>,
    /// How the public page shows it: `always`, `when_not_operational` (only while its status
    /// is not `operational`) or `hidden` (never; a hidden service does not count towards the
    /// page's overall state either).
    #[serde(default)]
    pub display: ServiceDisplay,
    pub group_id: Option<ServiceGroupId>,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A service, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicService {
    pub id: ServiceId,
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub group_id: Option<ServiceGroupId>,
    pub position: i32,
    /// `always`, or `when_not_operational`: the page lists the service only while its status
    /// is not `operational`. (A `hidden` service is never in a public answer.)
    #[serde(default)]
    pub display: ServiceDisplay,
}

impl PublicService {
    /// Whether the page lists it now.
    pub fn shown(&self) -> bool {
        self.display.shows(self.status)
    }
}

/// `POST /api/v1/orgs/{org}/services`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateServiceRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100,
            example = "API"
        )
    )]
    pub name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, example = "The public REST API")
    )]
    pub description: Option<String>,
    #[serde(default)]
    pub group_id: Option<ServiceGroupId>,
    /// Default `operational`.
    #[serde(default)]
    pub status: Option<ServiceStatus>,
    /// How the public page shows it; default `always`.
    #[serde(default)]
    pub display: Option<ServiceDisplay>,
}

/// `PATCH /api/v1/orgs/{org}/services/{service_id}`: any subset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateServiceRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100
        )
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    /// `null` takes the service out of its group.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub group_id: Option<Option<ServiceGroupId>>,
    /// The status set by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ServiceStatus>,
    /// How the public page shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<ServiceDisplay>,
}

/// `POST .../move`: puts the item at `position` (0 is first) and renumbers the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MoveRequest {
    /// 0 is first; past the end is last.
    #[serde(deserialize_with = "whole_u32")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = u64, minimum = 0, maximum = 4294967295_u64)
    )]
    pub position: u32,
}

/// A whole number from 0 to `u32::MAX`, also when written as `3.0`: JSON (and JSON Schema) know
/// no difference between the two.
fn whole_u32<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    let whole = match (number.as_u64(), number.as_f64()) {
        (Some(n), _) => Some(n),
        (None, Some(f)) if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) => {
            Some(f as u64)
        }
        _ => None,
    };
    whole.and_then(|n| u32::try_from(n).ok()).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "expected a whole number from 0 to {}, got {number}",
            u32::MAX
        ))
    })
}

/// What moved a service's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeSource {
    Manual,
    Incident,
    Maintenance,
    /// A monitor's decided state changed (`monitor_id` names it).
    Monitor,
}

/// One change of a service's (effective) status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub status: ServiceStatus,
    pub changed_at: DateTime<Utc>,
    pub changed_by: Actor,
    pub source: ChangeSource,
    pub incident_id: Option<IncidentId>,
    pub maintenance_id: Option<MaintenanceId>,
    #[serde(default)]
    pub monitor_id: Option<crate::MonitorId>,
}

/// A group of services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceGroup {
    pub id: ServiceGroupId,
    pub name: String,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A group, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicServiceGroup {
    pub id: ServiceGroupId,
    pub name: String,
    pub position: i32,
}

/// `POST /api/v1/orgs/{org}/service-groups` and its `PATCH`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 100,
            example = "Core"
        )
    )]
    pub name: String,
}

// ---- incidents ----

/// A service an incident affects, and the status it gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AffectedService {
    pub service_id: ServiceId,
    pub status: ServiceStatus,
}

/// One update of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentUpdate {
    pub id: IncidentUpdateId,
    pub status: IncidentStatus,
    /// Markdown, as written.
    pub message: String,
    /// The message rendered to HTML and sanitized: safe to insert in a page.
    pub message_html: String,
    pub created_at: DateTime<Utc>,
    pub author: Actor,
}

/// An incident, as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    pub affected: Vec<AffectedService>,
    /// Oldest first.
    pub updates: Vec<IncidentUpdate>,
    pub postmortem: Option<String>,
    pub postmortem_html: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// One update, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicIncidentUpdate {
    pub id: IncidentUpdateId,
    pub status: IncidentStatus,
    pub message_html: String,
    pub created_at: DateTime<Utc>,
}

/// An incident, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicIncident {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    pub affected: Vec<AffectedService>,
    pub updates: Vec<PublicIncidentUpdate>,
    pub postmortem_html: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// `POST /api/v1/orgs/{org}/incidents`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateIncidentRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200,
            example = "Elevated API error rates"
        )
    )]
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    /// The first update's message (Markdown).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 10000,
            example = "We are investigating **elevated error rates** on the API."
        )
    )]
    pub message: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub affected: Vec<AffectedService>,
    /// Tell the page's subscribers and integrations (default: yes).
    #[serde(default = "super::yes")]
    pub notify: bool,
}

/// `POST /api/v1/orgs/{org}/incidents/{incident_id}/updates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateIncidentUpdateRequest {
    pub status: IncidentStatus,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, example = "A fix is rolling out.")
    )]
    pub message: String,
    /// When present, replaces the affected services and their statuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub affected: Option<Vec<AffectedService>>,
    /// Tell the page's subscribers and integrations (default: yes).
    #[serde(default = "super::yes")]
    pub notify: bool,
}

/// `PATCH /api/v1/orgs/{org}/incidents/{incident_id}`: any subset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateIncidentRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200
        )
    )]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<ImpactLevel>,
    /// Markdown, on resolved incidents only; `null` removes it.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 50000))]
    pub postmortem: Option<Option<String>>,
}

// ---- maintenance ----

/// One update of a maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenanceUpdate {
    pub id: MaintenanceUpdateId,
    pub status: MaintenanceStatus,
    pub message: String,
    pub message_html: String,
    pub created_at: DateTime<Utc>,
    pub author: Actor,
}

/// A maintenance window, as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Maintenance {
    pub id: MaintenanceId,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    pub auto_transition: bool,
    pub service_ids: Vec<ServiceId>,
    pub updates: Vec<MaintenanceUpdate>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One maintenance update, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicMaintenanceUpdate {
    pub id: MaintenanceUpdateId,
    pub status: MaintenanceStatus,
    pub message_html: String,
    pub created_at: DateTime<Utc>,
}

/// A maintenance window, as the status page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicMaintenance {
    pub id: MaintenanceId,
    pub title: String,
    pub description_html: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    pub service_ids: Vec<ServiceId>,
    pub updates: Vec<PublicMaintenanceUpdate>,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
}

fn yes() -> bool {
    true
}

/// `POST /api/v1/orgs/{org}/maintenances`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateMaintenanceRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200,
            example = "Database upgrade"
        )
    )]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: String,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub service_ids: Vec<ServiceId>,
    /// Start and complete on time without anyone acting (default true).
    #[serde(default = "yes")]
    pub auto_transition: bool,
    /// Tell the page's subscribers and integrations (default: yes).
    #[serde(default = "super::yes")]
    pub notify: bool,
}

/// `PATCH /api/v1/orgs/{org}/maintenances/{maintenance_id}`: any subset, while not finished.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMaintenanceRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$",
            max_length = 200
        )
    )]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_start: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_end: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub service_ids: Option<Vec<ServiceId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_transition: Option<bool>,
}

/// `POST /api/v1/orgs/{org}/maintenances/{maintenance_id}/updates`: a message, and a move to
/// `status` (`in_progress` starts it, `completed` completes it, `cancelled` cancels it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateMaintenanceUpdateRequest {
    pub status: MaintenanceStatus,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 10000, example = "Starting now.")
    )]
    pub message: String,
    /// Tell the page's subscribers and integrations when the window starts or completes
    /// (default: yes).
    #[serde(default = "super::yes")]
    pub notify: bool,
}

// ---- Markdown preview ----

/// `POST /api/v1/orgs/{org}/markdown`: a message or postmortem as it would be published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkdownPreviewRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 50000, example = "We are **on it**.")
    )]
    pub markdown: String,
}

/// The Markdown rendered and sanitized exactly as a published update's `message_html`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkdownPreview {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "<p>We are <strong>on it</strong>.</p>\n")
    )]
    pub html: String,
}

/// `POST /api/v1/orgs/{org}/imports/statuspage`: a Statuspage page to bring over, as its public
/// v2 documents (what `https://status.example.com/api/v2/summary.json` and `…/incidents.json`
/// answer) or as the page's address, from which the server fetches them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatuspageImportRequest {
    /// The page's `summary.json` (its components, with their status now, and its unresolved
    /// incidents).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub summary: Option<serde_json::Value>,
    /// The page's `incidents.json` (its 50 newest incidents): optional.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub incidents: Option<serde_json::Value>,
    /// Instead of the documents: the page's address (`https://status.example.com`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "https://status.example.com"))]
    pub url: Option<String>,
}

/// What an import from Statuspage did. Importing the same page again creates nothing twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatuspageImport {
    pub groups_created: u64,
    pub services_created: u64,
    /// Services imported before, brought to the status they have on the page now.
    pub services_updated: u64,
    pub incidents_created: u64,
    /// Incidents imported before, left as they are.
    pub incidents_skipped: u64,
    /// The maintenance the page lists (upcoming and in progress).
    pub maintenances_created: u64,
    /// Maintenance windows imported before, left as they are.
    pub maintenances_skipped: u64,
}
