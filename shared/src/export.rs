//! The export document: everything of one organization in one JSON document, for moving it to
//! another server or engine (`upstate export`, `GET /api/v1/orgs/{org}/export`) and bringing it
//! back in (`upstate import upstate`). No password hashes, tokens, API keys or signing secrets:
//! what is left out, and why, is listed in `docs/export.md`.
//!
//! The document names its [`FORMAT`] and [`VERSION`]; a later Upstate reads the versions it
//! knows and refuses the others with a sentence saying which it read. Lists are in a stable
//! order (by position, then creation), times are RFC 3339 in UTC.

use crate::monitor::Settings as MonitorSettings;
use crate::{
    Channel, ImpactLevel, IncidentId, IncidentStatus, IncidentTemplateId, IncidentUpdateId,
    MaintenanceId, MaintenanceStatus, MaintenanceUpdateId, MonitorId, NotificationEvent, OrgId,
    Role, ServiceDisplay, ServiceGroupId, ServiceId, ServiceStatus, SubscriptionId,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The document's `format`.
pub const FORMAT: &str = "upstate.org-export";
/// The version this Upstate writes (and the newest it reads).
pub const VERSION: u32 = 1;

/// Just the header of a document, read first so that a document of another format or version is
/// refused with a sentence about that rather than about its first unknown field.
#[derive(Debug, Clone, Deserialize)]
pub struct Header {
    pub format: Option<String>,
    pub version: Option<u32>,
}

impl Header {
    /// `Ok` when this Upstate reads the document; else the sentence saying why not.
    pub fn check(&self) -> Result<(), String> {
        match (&self.format, self.version) {
            (Some(format), _) if format != FORMAT => Err(format!(
                "this is not an Upstate export: its format is `{format}`, not `{FORMAT}`"
            )),
            (None, _) => Err(format!(
                "this is not an Upstate export: it has no `format` (`{FORMAT}` expected)"
            )),
            (_, None) => Err("the export has no `version`".into()),
            (_, Some(version)) if version == 0 || version > VERSION => Err(format!(
                "the export is version {version}, and this Upstate reads versions 1 to {VERSION}: \
                 import it with a newer Upstate"
            )),
            _ => Ok(()),
        }
    }
}

/// One organization, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = OrgExport))]
#[serde(deny_unknown_fields)]
pub struct OrgExport {
    /// Always `upstate.org-export`.
    pub format: String,
    /// 1 for this Upstate.
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    /// The Upstate version that wrote it.
    pub generator: String,
    pub org: ExportedOrg,
    /// By position.
    pub groups: Vec<ExportedGroup>,
    /// By position.
    pub services: Vec<ExportedService>,
    /// Every change of a service's status, oldest first.
    pub status_changes: Vec<ExportedStatusChange>,
    /// Oldest first; deleted incidents are left out.
    pub incidents: Vec<ExportedIncident>,
    /// By scheduled start.
    pub maintenances: Vec<ExportedMaintenance>,
    /// People who subscribed on the public page, oldest first.
    pub subscribers: Vec<ExportedSubscriber>,
    /// The team's integrations, oldest first, without their addresses' paths or secrets: they
    /// are set up again on the new server.
    pub integrations: Vec<ExportedIntegration>,
    /// Oldest first; heartbeat tokens and header values are left out.
    pub monitors: Vec<ExportedMonitor>,
    /// Oldest first; email and role only.
    pub members: Vec<ExportedMember>,
    /// What was brought over from other products (so that importing them again there stays
    /// idempotent).
    pub imported_records: Vec<ExportedImportRecord>,
    /// Oldest first. (Added to version 1 after its first release: a document without it has
    /// none.)
    #[serde(default)]
    pub incident_templates: Vec<ExportedIncidentTemplate>,
    /// Who may see the status page (added to version 1 after its first release: a document
    /// without it is a public page). The password's hash never travels: a `password` page is
    /// imported as `members` until an admin sets a new password there.
    #[serde(default)]
    pub page_access: Option<ExportedPageAccess>,
}

/// Who may see the status page: the mode and the address ranges (never the password).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedPageAccess {
    pub mode: crate::PageAccessMode,
    /// Address ranges (CIDR) of an `addresses` page.
    #[serde(default)]
    pub ranges: Vec<String>,
}

/// The organization and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedOrg {
    pub id: OrgId,
    pub name: String,
    pub slug: String,
    pub branding: crate::dto::Branding,
    /// The public pages' custom CSS, checked again on import. (Added to version 1 after its
    /// first release: a document without it has none.)
    #[serde(default)]
    pub custom_css: Option<String>,
    pub custom_domain: Option<String>,
    /// Minutes before a maintenance window that subscribers are reminded (0: never).
    pub reminder_minutes: i32,
    /// The language of the public page for visitors whose browser asks for none of its own.
    #[serde(default)]
    pub default_language: crate::Locale,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedGroup {
    pub id: ServiceGroupId,
    pub name: String,
    pub position: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedService {
    pub id: ServiceId,
    pub group_id: Option<ServiceGroupId>,
    pub name: String,
    pub description: String,
    pub position: i32,
    /// What the page shows now.
    pub status: ServiceStatus,
    /// The status set by hand (what remains when incidents and maintenance end).
    pub manual_status: ServiceStatus,
    /// What its monitors ask for, if one runs.
    pub monitor_status: Option<ServiceStatus>,
    /// How the public page shows it (`always` in a document written before it existed).
    #[serde(default)]
    pub display: ServiceDisplay,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedStatusChange {
    pub id: String,
    pub service_id: ServiceId,
    pub status: ServiceStatus,
    /// What moved it: `manual`, `incident`, `maintenance`, `monitor`, ...
    pub source: String,
    /// The member who did, by email (people are matched by email on the new server).
    pub changed_by: Option<String>,
    pub incident_id: Option<IncidentId>,
    pub maintenance_id: Option<MaintenanceId>,
    pub monitor_id: Option<MonitorId>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedIncident {
    pub id: IncidentId,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    /// Markdown.
    pub postmortem: Option<String>,
    /// Who declared it, by email.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Oldest first.
    pub updates: Vec<ExportedIncidentUpdate>,
    /// By service id.
    pub affected: Vec<ExportedAffected>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedIncidentUpdate {
    pub id: IncidentUpdateId,
    pub status: IncidentStatus,
    /// Markdown.
    pub message: String,
    /// Its author, by email.
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An incident template: what to declare, by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedIncidentTemplate {
    pub id: IncidentTemplateId,
    pub name: String,
    pub title: String,
    pub impact: ImpactLevel,
    pub status: IncidentStatus,
    /// Markdown.
    pub message: String,
    /// By service id.
    pub affected: Vec<ExportedAffected>,
    /// Who saved it, by email.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedAffected {
    pub service_id: ServiceId,
    pub status: ServiceStatus,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedMaintenance {
    pub id: MaintenanceId,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: DateTime<Utc>,
    pub scheduled_end: DateTime<Utc>,
    pub auto_transition: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    /// When its subscribers were reminded of it, if they were.
    pub reminded_at: Option<DateTime<Utc>>,
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// By id.
    pub service_ids: Vec<ServiceId>,
    /// Oldest first.
    pub updates: Vec<ExportedMaintenanceUpdate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedMaintenanceUpdate {
    pub id: MaintenanceUpdateId,
    pub status: MaintenanceStatus,
    pub message: String,
    pub author: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Someone who subscribed by email on the public page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedSubscriber {
    pub id: SubscriptionId,
    pub channel: Channel,
    /// The email address; for a webhook subscriber only its origin (`https://example.com`),
    /// since a webhook's address may hold a credential. Webhook subscribers are not imported.
    pub target: String,
    pub contact_email: Option<String>,
    /// Only these services; empty: all.
    pub service_ids: Vec<ServiceId>,
    pub created_at: DateTime<Utc>,
    /// `null`: not confirmed yet (it hears nothing until it is).
    pub confirmed_at: Option<DateTime<Utc>>,
    pub confirmation_sent_at: Option<DateTime<Utc>>,
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    /// The language its mails speak. Absent in documents from before subscribers had one: they
    /// are imported speaking the page's default language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::Locale>,
}

/// A team integration, described so that an admin can set it up again: its URL's origin only
/// (chat webhook URLs carry their credential in the path), never its signing secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedIntegration {
    pub id: SubscriptionId,
    pub name: Option<String>,
    pub channel: Channel,
    /// `https://hooks.slack.com`: the origin of its URL.
    pub url_origin: String,
    pub contact_email: Option<String>,
    /// `null`: every event.
    pub events: Option<Vec<NotificationEvent>>,
    pub service_ids: Vec<ServiceId>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// A monitor's definition (its results are not exported).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedMonitor {
    pub id: MonitorId,
    pub service_id: ServiceId,
    pub name: String,
    /// The check (`crate::monitor::Check` as JSON), every HTTP header's value replaced by an
    /// empty string: header values are often credentials.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub check: serde_json::Value,
    /// The names of the headers whose values were left out; a monitor with any is imported
    /// paused, to be completed by hand.
    pub redacted_headers: Vec<String>,
    pub settings: MonitorSettings,
    pub paused: bool,
    /// What the anti-flap rule last decided.
    pub state: crate::monitor::MonitorState,
    /// The incident it opened and will resolve when it recovers, if any.
    pub open_incident_id: Option<IncidentId>,
    /// The incident it opens when failing, as JSON (`null`: none).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub auto_incident: Option<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedMember {
    pub email: String,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedImportRecord {
    pub source: String,
    pub kind: String,
    pub external_id: String,
    pub local_id: String,
    pub imported_at: DateTime<Utc>,
}

impl OrgExport {
    /// Every reference inside the document points at something the document holds (a service
    /// of an incident, a group of a service, ...), and no id is there twice; else the first
    /// problem, as a sentence.
    pub fn check_references(&self) -> Result<(), String> {
        fn unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), String> {
            let mut seen = HashSet::new();
            for id in ids {
                if !seen.insert(id) {
                    return Err(format!("the export lists {what} `{id}` twice"));
                }
            }
            Ok(())
        }
        unique("group", self.groups.iter().map(|g| g.id.as_str()))?;
        unique("service", self.services.iter().map(|s| s.id.as_str()))?;
        unique("incident", self.incidents.iter().map(|i| i.id.as_str()))?;
        unique(
            "maintenance",
            self.maintenances.iter().map(|m| m.id.as_str()),
        )?;
        unique("subscriber", self.subscribers.iter().map(|s| s.id.as_str()))?;
        unique("monitor", self.monitors.iter().map(|m| m.id.as_str()))?;
        unique(
            "incident template",
            self.incident_templates.iter().map(|t| t.id.as_str()),
        )?;
        unique(
            "status change",
            self.status_changes.iter().map(|c| c.id.as_str()),
        )?;
        unique(
            "incident update",
            self.incidents
                .iter()
                .flat_map(|i| i.updates.iter().map(|u| u.id.as_str())),
        )?;
        unique(
            "maintenance update",
            self.maintenances
                .iter()
                .flat_map(|m| m.updates.iter().map(|u| u.id.as_str())),
        )?;

        let groups: HashSet<&str> = self.groups.iter().map(|g| g.id.as_str()).collect();
        let services: HashSet<&str> = self.services.iter().map(|s| s.id.as_str()).collect();
        let service = |owner: String, id: &ServiceId| {
            if services.contains(id.as_str()) {
                Ok(())
            } else {
                Err(format!(
                    "{owner} refers to service `{id}`, which the export does not hold"
                ))
            }
        };
        for s in &self.services {
            if let Some(group) = &s.group_id
                && !groups.contains(group.as_str())
            {
                return Err(format!(
                    "service `{}` refers to group `{group}`, which the export does not hold",
                    s.id
                ));
            }
        }
        // A change's incident, maintenance or monitor may be gone (deleted incidents are not
        // exported): the change stays in the history without it.
        for change in &self.status_changes {
            service(format!("status change `{}`", change.id), &change.service_id)?;
        }
        for incident in &self.incidents {
            if incident.updates.is_empty() {
                return Err(format!("incident `{}` has no updates", incident.id));
            }
            for affected in &incident.affected {
                service(format!("incident `{}`", incident.id), &affected.service_id)?;
            }
        }
        for template in &self.incident_templates {
            for affected in &template.affected {
                service(
                    format!("incident template `{}`", template.id),
                    &affected.service_id,
                )?;
            }
        }
        for window in &self.maintenances {
            for id in &window.service_ids {
                service(format!("maintenance `{}`", window.id), id)?;
            }
        }
        for subscriber in &self.subscribers {
            for id in &subscriber.service_ids {
                service(format!("subscriber `{}`", subscriber.id), id)?;
            }
        }
        for integration in &self.integrations {
            for id in &integration.service_ids {
                service(format!("integration `{}`", integration.id), id)?;
            }
        }
        for monitor in &self.monitors {
            service(format!("monitor `{}`", monitor.id), &monitor.service_id)?;
        }
        Ok(())
    }
}
