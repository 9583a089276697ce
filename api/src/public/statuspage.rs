//! Atlassian Statuspage's public v2 JSON, for the tools that already read it (monitoring
//! dashboards, chat bots, browser extensions, widgets): `/status/{org}/api/v2/summary.json`,
//! `status.json`, `components.json`, `incidents.json`, `incidents/unresolved.json`,
//! `scheduled-maintenances.json`, `scheduled-maintenances/upcoming.json` and
//! `scheduled-maintenances/active.json`.
//!
//! Same field names, nesting, enum values and null conventions as Statuspage's documented format
//! (the JSON Schema in `docs/statuspage-v2.schema.json` is written from it). How Upstate's model
//! maps onto it:
//! - the org is the page (`time_zone` is `Etc/UTC`: Upstate keeps UTC and lets readers convert);
//! - a service group is a component with `"group": true` and its children's ids; a service is a
//!   component with the group's id in `group_id`;
//! - an incident's updates are `incident_updates`, newest first, their Markdown as `body`; an
//!   incident whose postmortem is published says `postmortem`, as Statuspage does;
//! - a maintenance window is a scheduled maintenance with impact `maintenance`; its description
//!   is its first update (`scheduled`, with the window's own id), as Statuspage keeps it; a
//!   cancelled window is left out (Statuspage has no such status: it deletes them).
//!
//! The documents are pure functions of the rows ([`Snapshot`]), served from the public cache
//! like the summary (ETag, 304, redrawn when the org changes) with
//! `Access-Control-Allow-Origin: *`. The same types read a Statuspage page's documents back for
//! `upstate import statuspage`.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use upstate_shared::{
    ImpactLevel, IncidentStatus, MaintenanceStatus, ServiceStatus, StatusIndicator,
};
use upstate_store::{Missing, StoreError, incidents, maintenances, organizations, services};

/// How many incidents `incidents.json` lists, and how many windows `scheduled-maintenances.json`
/// lists (the newest), as Statuspage does.
pub const HISTORY: i64 = 50;
/// At most this many open incidents, or current and upcoming windows, are listed.
const OPEN: i64 = 100;

/// `page`: which status page a document is of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspagePage)]
pub struct Page {
    pub id: String,
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub time_zone: Option<String>,
    pub updated_at: String,
}

/// `status`: the page's overall state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageStatus)]
pub struct Status {
    /// `none`, `minor`, `major`, `critical` or `maintenance`.
    pub indicator: String,
    pub description: String,
}

/// A component: a service, or a group of them (`group: true`, with its children's ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageComponent)]
pub struct Component {
    pub id: String,
    pub name: String,
    /// `operational`, `degraded_performance`, `partial_outage`, `major_outage` or
    /// `under_maintenance`.
    pub status: String,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub position: i64,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub showcase: bool,
    #[serde(default)]
    pub start_date: Option<String>,
    #[serde(default)]
    pub group_id: Option<String>,
    #[serde(default)]
    pub page_id: Option<String>,
    #[serde(default)]
    pub group: bool,
    #[serde(default)]
    pub only_show_if_degraded: bool,
    /// A group's children, by id (only on groups).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<String>>,
}

/// A component an update changed, as Statuspage records it (Upstate does not: always `null`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageAffectedComponent)]
pub struct AffectedComponent {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub old_status: Option<String>,
    #[serde(default)]
    pub new_status: Option<String>,
}

/// One entry of an incident's or a window's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageIncidentUpdate)]
pub struct IncidentUpdate {
    pub id: String,
    pub status: String,
    pub body: String,
    #[serde(default)]
    pub incident_id: Option<String>,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub display_at: Option<String>,
    #[serde(default)]
    pub affected_components: Option<Vec<AffectedComponent>>,
    #[serde(default)]
    pub deliver_notifications: bool,
    #[serde(default)]
    pub custom_tweet: Option<String>,
    #[serde(default)]
    pub tweet_id: Option<String>,
}

/// An incident, or a scheduled maintenance (which adds `scheduled_for` and `scheduled_until`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageIncident)]
pub struct Incident {
    pub id: String,
    pub name: String,
    /// An incident's: `investigating`, `identified`, `monitoring`, `resolved` or `postmortem`;
    /// a maintenance's: `scheduled`, `in_progress`, `verifying` or `completed`.
    pub status: String,
    pub created_at: String,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub monitoring_at: Option<String>,
    #[serde(default)]
    pub resolved_at: Option<String>,
    /// `none`, `minor`, `major`, `critical`, or `maintenance` for a scheduled maintenance.
    pub impact: String,
    #[serde(default)]
    pub shortlink: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub page_id: Option<String>,
    #[serde(default)]
    pub incident_updates: Vec<IncidentUpdate>,
    #[serde(default)]
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_until: Option<String>,
}

/// `summary.json`: everything at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageSummary)]
pub struct Summary {
    pub page: Page,
    pub components: Vec<Component>,
    pub incidents: Vec<Incident>,
    pub scheduled_maintenances: Vec<Incident>,
    pub status: Status,
}

/// `status.json`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageStatusDocument)]
pub struct StatusDocument {
    pub page: Page,
    pub status: Status,
}

/// `components.json`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageComponents)]
pub struct Components {
    pub page: Page,
    pub components: Vec<Component>,
}

/// `incidents.json` and `incidents/unresolved.json`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageIncidents)]
pub struct Incidents {
    pub page: Page,
    pub incidents: Vec<Incident>,
}

/// `scheduled-maintenances.json`, `…/upcoming.json` and `…/active.json`
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = StatuspageScheduledMaintenances)]
pub struct ScheduledMaintenances {
    pub page: Page,
    pub scheduled_maintenances: Vec<Incident>,
}

/// The eight documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Summary,
    Status,
    Components,
    Incidents,
    UnresolvedIncidents,
    Maintenances,
    UpcomingMaintenances,
    ActiveMaintenances,
}

impl Document {
    /// Its path under `/api/v2/`.
    pub fn path(self) -> &'static str {
        match self {
            Document::Summary => "summary.json",
            Document::Status => "status.json",
            Document::Components => "components.json",
            Document::Incidents => "incidents.json",
            Document::UnresolvedIncidents => "incidents/unresolved.json",
            Document::Maintenances => "scheduled-maintenances.json",
            Document::UpcomingMaintenances => "scheduled-maintenances/upcoming.json",
            Document::ActiveMaintenances => "scheduled-maintenances/active.json",
        }
    }

    /// Whether it lists the page's history (the newest incidents or windows, whatever their
    /// state) rather than what is open now.
    fn is_history(self) -> bool {
        matches!(self, Document::Incidents | Document::Maintenances)
    }
}

/// What the documents are made of: the org, its groups and services, and the incidents and
/// windows a document lists (open ones, or the newest [`HISTORY`] of each).
pub struct Snapshot {
    pub org: organizations::Organization,
    /// The page's address (`https://status.example.com/status/acme`).
    pub page_url: String,
    pub groups: Vec<services::Group>,
    pub services: Vec<services::Service>,
    pub incidents: Vec<incidents::Full>,
    pub maintenances: Vec<maintenances::Full>,
}

/// Statuspage's timestamps: ISO 8601 with milliseconds, in UTC here.
fn at(time: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&time)
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Statuspage's words for the overall state.
pub fn indicator_description(indicator: StatusIndicator) -> &'static str {
    match indicator {
        StatusIndicator::None => "All Systems Operational",
        StatusIndicator::Minor => "Minor Service Outage",
        StatusIndicator::Major => "Partial System Outage",
        StatusIndicator::Critical => "Major System Outage",
        StatusIndicator::Maintenance => "Service Under Maintenance",
    }
}

impl Snapshot {
    fn page(&self) -> Page {
        let updated = self
            .services
            .iter()
            .map(|s| s.updated_at)
            .chain(self.groups.iter().map(|g| g.updated_at))
            .chain(self.incidents.iter().map(|i| i.incident.updated_at))
            .chain(self.maintenances.iter().map(|m| m.maintenance.updated_at))
            .fold(self.org.updated_at, NaiveDateTime::max);
        Page {
            id: self.org.id.to_string(),
            name: self.org.name.clone(),
            url: self.page_url.clone(),
            time_zone: Some("Etc/UTC".to_owned()),
            updated_at: at(updated),
        }
    }

    /// The overall state: the worst of the services and of the open incidents. (Read from the
    /// open incidents: only the summary's snapshot holds them all.)
    fn status(&self) -> Status {
        let indicator = StatusIndicator::overall(
            self.services.iter().map(|s| s.status),
            self.incidents
                .iter()
                .filter(|i| i.incident.status != IncidentStatus::Resolved)
                .map(|i| i.incident.impact),
        );
        Status {
            indicator: indicator.as_str().to_owned(),
            description: indicator_description(indicator).to_owned(),
        }
    }

    fn service(&self, service: &services::Service) -> Component {
        Component {
            id: service.id.to_string(),
            name: service.name.clone(),
            status: service.status.as_str().to_owned(),
            created_at: Some(at(service.created_at)),
            updated_at: Some(at(service.updated_at)),
            position: i64::from(service.position),
            description: Some(service.description.clone()).filter(|text| !text.is_empty()),
            showcase: true,
            start_date: Some(service.created_at.date().format("%Y-%m-%d").to_string()),
            group_id: service.group_id.as_ref().map(ToString::to_string),
            page_id: Some(self.org.id.to_string()),
            group: false,
            only_show_if_degraded: service.display
                == upstate_shared::ServiceDisplay::WhenNotOperational,
            components: None,
        }
    }

    fn group(&self, group: &services::Group) -> Component {
        let children: Vec<&services::Service> = self
            .services
            .iter()
            .filter(|s| s.group_id.as_ref() == Some(&group.id))
            .collect();
        let status = children
            .iter()
            .map(|s| s.status)
            .fold(ServiceStatus::Operational, ServiceStatus::worst);
        Component {
            id: group.id.to_string(),
            name: group.name.clone(),
            status: status.as_str().to_owned(),
            created_at: Some(at(group.created_at)),
            updated_at: Some(at(group.updated_at)),
            position: i64::from(group.position),
            description: None,
            showcase: false,
            start_date: None,
            group_id: None,
            page_id: Some(self.org.id.to_string()),
            group: true,
            only_show_if_degraded: false,
            components: Some(children.iter().map(|s| s.id.to_string()).collect()),
        }
    }

    /// Every group and service: the page's top level in order (groups and ungrouped services),
    /// each group followed by its services.
    fn components(&self) -> Vec<Component> {
        enum Top<'a> {
            Group(&'a services::Group),
            Service(&'a services::Service),
        }
        let mut top: Vec<(i32, u8, Top)> = self
            .groups
            .iter()
            .map(|g| (g.position, 0, Top::Group(g)))
            .chain(
                self.services
                    .iter()
                    .filter(|s| s.group_id.is_none())
                    .map(|s| (s.position, 1, Top::Service(s))),
            )
            .collect();
        top.sort_by_key(|(position, kind, _)| (*position, *kind));
        let mut list = Vec::with_capacity(self.groups.len() + self.services.len());
        for (_, _, entry) in top {
            match entry {
                Top::Service(service) => list.push(self.service(service)),
                Top::Group(group) => {
                    list.push(self.group(group));
                    list.extend(
                        self.services
                            .iter()
                            .filter(|s| s.group_id.as_ref() == Some(&group.id))
                            .map(|s| self.service(s)),
                    );
                }
            }
        }
        list
    }

    fn services_by_id(&self) -> HashMap<&str, &services::Service> {
        self.services.iter().map(|s| (s.id.as_str(), s)).collect()
    }

    fn incident(
        &self,
        full: &incidents::Full,
        by_id: &HashMap<&str, &services::Service>,
    ) -> Incident {
        let i = &full.incident;
        let status = if i.status == IncidentStatus::Resolved && i.postmortem.is_some() {
            "postmortem"
        } else {
            i.status.as_str()
        };
        let monitoring_at = full
            .updates
            .iter()
            .find(|u| u.status == IncidentStatus::Monitoring)
            .map(|u| at(u.created_at));
        Incident {
            id: i.id.to_string(),
            name: i.title.clone(),
            status: status.to_owned(),
            created_at: at(i.created_at),
            updated_at: Some(at(i.updated_at)),
            monitoring_at,
            resolved_at: i.resolved_at.map(at),
            impact: i.impact.as_str().to_owned(),
            shortlink: Some(format!("{}/incidents/{}", self.page_url, i.id)),
            started_at: Some(at(i.created_at)),
            page_id: Some(self.org.id.to_string()),
            incident_updates: full
                .updates
                .iter()
                .rev()
                .map(|u| IncidentUpdate {
                    id: u.id.to_string(),
                    status: u.status.as_str().to_owned(),
                    body: u.message.clone(),
                    incident_id: Some(i.id.to_string()),
                    created_at: at(u.created_at),
                    updated_at: Some(at(u.created_at)),
                    display_at: Some(at(u.created_at)),
                    affected_components: None,
                    deliver_notifications: true,
                    custom_tweet: None,
                    tweet_id: None,
                })
                .collect(),
            components: full
                .affected
                .iter()
                .filter_map(|(id, _)| by_id.get(id.as_str()))
                .map(|service| self.service(service))
                .collect(),
            scheduled_for: None,
            scheduled_until: None,
        }
    }

    /// A window as a scheduled maintenance; `None` for a cancelled one.
    fn maintenance(
        &self,
        full: &maintenances::Full,
        by_id: &HashMap<&str, &services::Service>,
    ) -> Option<Incident> {
        let m = &full.maintenance;
        let status = match m.status {
            MaintenanceStatus::Scheduled => "scheduled",
            MaintenanceStatus::InProgress => "in_progress",
            MaintenanceStatus::Completed => "completed",
            MaintenanceStatus::Cancelled => return None,
        };
        let update = |id: String, status: MaintenanceStatus, body: &str, time| IncidentUpdate {
            id,
            status: match status {
                MaintenanceStatus::InProgress => "in_progress",
                MaintenanceStatus::Completed => "completed",
                _ => "scheduled",
            }
            .to_owned(),
            body: body.to_owned(),
            incident_id: Some(m.id.to_string()),
            created_at: at(time),
            updated_at: Some(at(time)),
            display_at: Some(at(time)),
            affected_components: None,
            deliver_notifications: true,
            custom_tweet: None,
            tweet_id: None,
        };
        let described = (!m.description.trim().is_empty()).then(|| {
            update(
                m.id.to_string(),
                MaintenanceStatus::Scheduled,
                &m.description,
                m.created_at,
            )
        });
        let mut updates: Vec<IncidentUpdate> = described
            .into_iter()
            .chain(
                full.updates
                    .iter()
                    .map(|u| update(u.id.to_string(), u.status, &u.message, u.created_at)),
            )
            .collect();
        updates.reverse();
        Some(Incident {
            id: m.id.to_string(),
            name: m.title.clone(),
            status: status.to_owned(),
            created_at: at(m.created_at),
            updated_at: Some(at(m.updated_at)),
            monitoring_at: None,
            resolved_at: m.ended_at.filter(|_| status == "completed").map(at),
            impact: "maintenance".to_owned(),
            shortlink: Some(self.page_url.clone()),
            started_at: Some(at(m.started_at.unwrap_or(m.scheduled_start))),
            page_id: Some(self.org.id.to_string()),
            incident_updates: updates,
            components: full
                .service_ids
                .iter()
                .filter_map(|id| by_id.get(id.as_str()))
                .map(|service| self.service(service))
                .collect(),
            scheduled_for: Some(at(m.scheduled_start)),
            scheduled_until: Some(at(m.scheduled_end)),
        })
    }

    fn incidents(&self, open_only: bool) -> Vec<Incident> {
        let by_id = self.services_by_id();
        self.incidents
            .iter()
            .filter(|i| !open_only || i.incident.status != IncidentStatus::Resolved)
            .map(|full| self.incident(full, &by_id))
            .collect()
    }

    fn maintenances(&self, wanted: &[MaintenanceStatus]) -> Vec<Incident> {
        let by_id = self.services_by_id();
        self.maintenances
            .iter()
            .filter(|m| wanted.contains(&m.maintenance.status))
            .filter_map(|full| self.maintenance(full, &by_id))
            .collect()
    }

    /// `document` as JSON.
    pub fn render(&self, document: Document) -> serde_json::Value {
        use MaintenanceStatus as S;
        let page = self.page();
        let value = match document {
            Document::Summary => serde_json::to_value(Summary {
                page,
                components: self.components(),
                incidents: self.incidents(true),
                scheduled_maintenances: self.maintenances(&[S::Scheduled, S::InProgress]),
                status: self.status(),
            }),
            Document::Status => serde_json::to_value(StatusDocument {
                page,
                status: self.status(),
            }),
            Document::Components => serde_json::to_value(Components {
                page,
                components: self.components(),
            }),
            Document::Incidents | Document::UnresolvedIncidents => {
                serde_json::to_value(Incidents {
                    page,
                    incidents: self.incidents(document == Document::UnresolvedIncidents),
                })
            }
            Document::Maintenances => serde_json::to_value(ScheduledMaintenances {
                page,
                scheduled_maintenances: self.maintenances(S::ALL),
            }),
            Document::UpcomingMaintenances => serde_json::to_value(ScheduledMaintenances {
                page,
                scheduled_maintenances: self.maintenances(&[S::Scheduled]),
            }),
            Document::ActiveMaintenances => serde_json::to_value(ScheduledMaintenances {
                page,
                scheduled_maintenances: self.maintenances(&[S::InProgress]),
            }),
        };
        value.unwrap_or_default()
    }
}

/// Reads what `document` of the org with `slug` is made of.
async fn snapshot(state: &AppState, slug: &str, document: Document) -> Result<Snapshot, ApiError> {
    let slug = slug.to_owned();
    let public_url = state.settings.public_url.clone();
    state
        .read(move |conn| {
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let groups = services::list_groups(conn, &org.id)?;
            // A hidden service is left out of every document; one shown only when not
            // operational is listed with `only_show_if_degraded`, as Statuspage does.
            let services: Vec<services::Service> = services::list(conn, &org.id)?
                .into_iter()
                .filter(|s| s.display != upstate_shared::ServiceDisplay::Hidden)
                .collect();
            let (incidents, maintenances) = if document.is_history() {
                (
                    incidents::page(conn, &org.id, incidents::State::Any, None, HISTORY)?,
                    maintenances::page(conn, &org.id, maintenances::State::Any, None, HISTORY)?,
                )
            } else {
                let mut windows =
                    maintenances::page(conn, &org.id, maintenances::State::Active, None, OPEN)?;
                windows.extend(maintenances::page(
                    conn,
                    &org.id,
                    maintenances::State::Upcoming,
                    None,
                    OPEN,
                )?);
                (
                    incidents::page(conn, &org.id, incidents::State::Open, None, OPEN)?,
                    windows,
                )
            };
            Ok(Snapshot {
                page_url: crate::public::page_url(&public_url, &org),
                org,
                groups,
                services,
                incidents,
                maintenances,
            })
        })
        .await
}

/// `document` of the org with `slug`, from the cache or made once per change, readable by
/// scripts of any site.
async fn serve(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    document: Document,
) -> Result<HttpResponse, ApiError> {
    state.directory.listed(&slug)?;
    let rendered = state
        .public
        .get_or_compute(
            &format!("statuspage:{}:{slug}", document.path()),
            || async {
                let snapshot = snapshot(&state, &slug, document).await?;
                Rendered::new(snapshot.org.id.clone(), &snapshot.render(document))
            },
        )
        .await?;
    let mut response = rendered.respond(&req);
    crate::headers::readable_anywhere(&mut response);
    Ok(response)
}

/// `GET /status/{org}/api/v2/summary.json`: the page, its components, unresolved incidents, current and upcoming maintenance, and its overall state.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/summary.json",
    tag = "statuspage",
    operation_id = "statuspage_summary",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The page, its components, unresolved incidents, current and upcoming maintenance, and its overall state", body = Summary),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn summary(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::Summary).await
}

/// `GET /status/{org}/api/v2/status.json`: the page's overall state.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/status.json",
    tag = "statuspage",
    operation_id = "statuspage_status",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The page's overall state", body = StatusDocument),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn status(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::Status).await
}

/// `GET /status/{org}/api/v2/components.json`: every component (service) and component group.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/components.json",
    tag = "statuspage",
    operation_id = "statuspage_components",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "Every component (service) and component group", body = Components),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn components(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::Components).await
}

/// `GET /status/{org}/api/v2/incidents.json`: the 50 newest incidents, resolved or not.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/incidents.json",
    tag = "statuspage",
    operation_id = "statuspage_incidents",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The 50 newest incidents, resolved or not", body = Incidents),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn incidents(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::Incidents).await
}

/// `GET /status/{org}/api/v2/incidents/unresolved.json`: the incidents not yet resolved.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/incidents/unresolved.json",
    tag = "statuspage",
    operation_id = "statuspage_unresolved_incidents",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The incidents not yet resolved", body = Incidents),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn unresolved_incidents(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::UnresolvedIncidents).await
}

/// `GET /status/{org}/api/v2/scheduled-maintenances.json`: the 50 newest maintenance windows.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/scheduled-maintenances.json",
    tag = "statuspage",
    operation_id = "statuspage_maintenances",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The 50 newest maintenance windows", body = ScheduledMaintenances),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn maintenances(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::Maintenances).await
}

/// `GET /status/{org}/api/v2/scheduled-maintenances/upcoming.json`: the maintenance windows yet to start.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/scheduled-maintenances/upcoming.json",
    tag = "statuspage",
    operation_id = "statuspage_upcoming_maintenances",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The maintenance windows yet to start", body = ScheduledMaintenances),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn upcoming_maintenances(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::UpcomingMaintenances).await
}

/// `GET /status/{org}/api/v2/scheduled-maintenances/active.json`: the maintenance windows in progress.
#[utoipa::path(
    get,
    path = "/status/{org}/api/v2/scheduled-maintenances/active.json",
    tag = "statuspage",
    operation_id = "statuspage_active_maintenances",
    params(("org" = String, Path, description = "The organization's slug")),
    responses(
        (status = 200, description = "The maintenance windows in progress", body = ScheduledMaintenances),
        (status = 304, description = "Not changed since the ETag in `If-None-Match`"),
    ),
)]
pub async fn active_maintenances(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    serve(req, state, org.into_inner(), Document::ActiveMaintenances).await
}

// Reading a Statuspage page back: `upstate import statuspage` and the dashboard's upload.

/// A Statuspage time (ISO 8601 with an offset) in UTC.
fn time_of(text: &str) -> Option<NaiveDateTime> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.naive_utc())
}

/// What an incident says about a service it affects, when its updates do not say: its impact.
fn status_of_impact(impact: ImpactLevel) -> ServiceStatus {
    match impact {
        ImpactLevel::None | ImpactLevel::Minor => ServiceStatus::DegradedPerformance,
        ImpactLevel::Major => ServiceStatus::PartialOutage,
        ImpactLevel::Critical => ServiceStatus::MajorOutage,
    }
}

/// Statuspage's incident statuses as Upstate's: a `postmortem` is resolved.
fn incident_status(text: &str) -> Result<IncidentStatus, String> {
    match text {
        "postmortem" => Ok(IncidentStatus::Resolved),
        other => other
            .parse()
            .map_err(|err: upstate_shared::ParseEnumError| err.to_string()),
    }
}

/// The import a page's `summary.json` and (optionally) `incidents.json` make: its groups, its
/// services with their status now, its incidents (those of both, once each, the later copy
/// winning) with their updates, and the maintenance the summary lists (upcoming and in
/// progress). Every problem is named (`incident 4dtnnnnxnhn9: …`); there is no import while
/// there is one.
pub fn import_of(
    summary: &Summary,
    history: Option<&Incidents>,
) -> Result<upstate_store::imports::Import, Vec<String>> {
    use upstate_shared::dto::{DESCRIPTION_MAX, MESSAGE_MAX, NAME_MAX, TITLE_MAX};
    use upstate_store::imports::{
        Group, Import, Incident as Imported, Maintenance, MaintenanceUpdate, Service, Update,
    };
    let mut problems = Vec::new();
    let mut problem = |what: String| {
        if problems.len() < 20 {
            problems.push(what);
        }
    };
    if let Some(history) = history
        && history.page.id != summary.page.id
    {
        problem(format!(
            "the incidents are of page {}, the summary of page {}",
            history.page.id, summary.page.id
        ));
    }

    let mut components: Vec<&Component> = summary.components.iter().collect();
    let group_position = |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            summary
                .components
                .iter()
                .find(|c| c.group && &c.id == id)
                .map(|c| c.position)
        })
    };
    // The page's order: groups and ungrouped services by position, each group's by position.
    components.sort_by_key(|c| {
        (
            group_position(&c.group_id).unwrap_or(c.position),
            c.group_id.is_some(),
            c.position,
        )
    });
    let mut groups = Vec::new();
    let mut services = Vec::new();
    for component in components {
        let name = match upstate_shared::input::name(&component.name, NAME_MAX) {
            Ok(name) => name,
            Err(why) => {
                problem(format!("component {}: the name {why}", component.id));
                continue;
            }
        };
        if component.group {
            groups.push(Group {
                external_id: component.id.clone(),
                name,
            });
            continue;
        }
        let status = match component.status.parse::<ServiceStatus>() {
            Ok(status) => status,
            Err(err) => {
                problem(format!("component {}: {err}", component.id));
                continue;
            }
        };
        let description = component.description.clone().unwrap_or_default();
        if description.chars().count() > DESCRIPTION_MAX {
            problem(format!(
                "component {}: the description must be at most {DESCRIPTION_MAX} characters",
                component.id
            ));
        }
        services.push(Service {
            external_id: component.id.clone(),
            name,
            description: description.trim().to_owned(),
            group: component.group_id.clone(),
            status,
            // Statuspage's "only show if degraded" is Upstate's "shown when not operational".
            display: if component.only_show_if_degraded {
                upstate_shared::ServiceDisplay::WhenNotOperational
            } else {
                upstate_shared::ServiceDisplay::Always
            },
        });
    }

    // Each incident once: the copy updated last.
    let later = |a: &Incident, b: &Incident| {
        let at = |i: &Incident| i.updated_at.as_deref().and_then(time_of);
        at(a) > at(b)
    };
    let mut listed: Vec<&Incident> = Vec::new();
    for incident in summary
        .incidents
        .iter()
        .chain(history.into_iter().flat_map(|h| h.incidents.iter()))
    {
        match listed.iter_mut().find(|seen| seen.id == incident.id) {
            Some(seen) if later(incident, seen) => *seen = incident,
            Some(_) => {}
            None => listed.push(incident),
        }
    }
    let mut incidents = Vec::new();
    for incident in listed {
        let named = |what: &str| format!("incident {}: {what}", incident.id);
        let status = incident_status(&incident.status);
        let impact = match incident.impact.as_str() {
            // Scheduled maintenance listed as an incident: it affected nothing unplanned.
            "maintenance" => Ok(ImpactLevel::None),
            other => other
                .parse::<ImpactLevel>()
                .map_err(|err: upstate_shared::ParseEnumError| err.to_string()),
        };
        let title = upstate_shared::input::name(&incident.name, TITLE_MAX);
        let created_at = time_of(&incident.created_at);
        let (status, impact, title, created_at) = match (status, impact, title, created_at) {
            (Ok(status), Ok(impact), Ok(title), Some(created_at)) => {
                (status, impact, title, created_at)
            }
            (status, impact, title, created_at) => {
                for err in [
                    status.err(),
                    impact.err(),
                    title.err().map(|w| format!("the name {w}")),
                ]
                .into_iter()
                .flatten()
                {
                    problem(named(&err));
                }
                if created_at.is_none() {
                    problem(named("`created_at` is not an ISO 8601 time"));
                }
                continue;
            }
        };
        let mut updates = Vec::new();
        for update in &incident.incident_updates {
            let (Ok(update_status), Some(at)) =
                (incident_status(&update.status), time_of(&update.created_at))
            else {
                problem(named(&format!(
                    "update {} has an unknown status or time",
                    update.id
                )));
                continue;
            };
            // Statuspage allows an update without words; Upstate's say at least their status.
            let message = if update.body.trim().is_empty() {
                update_status.label().to_owned()
            } else {
                update.body.clone()
            };
            if message.chars().count() > MESSAGE_MAX {
                problem(named(&format!(
                    "update {} is over {MESSAGE_MAX} characters",
                    update.id
                )));
                continue;
            }
            updates.push(Update {
                status: update_status,
                message,
                at,
            });
        }
        updates.sort_by_key(|update| update.at);
        if updates.is_empty() {
            updates.push(Update {
                status,
                message: status.label().to_owned(),
                at: created_at,
            });
        }
        let updated_at = incident
            .updated_at
            .as_deref()
            .and_then(time_of)
            .unwrap_or(created_at);
        let resolved_at = (status == IncidentStatus::Resolved).then(|| {
            incident
                .resolved_at
                .as_deref()
                .and_then(time_of)
                .unwrap_or(updated_at)
        });
        // Each affected service: while the incident is open, in the status the page shows it
        // in now (`operational` once it recovered, as while monitoring); once resolved, in the
        // worst status an update gave it, else in the status it is listed with (when not
        // operational), else in what the incident's impact says.
        let affected = incident
            .components
            .iter()
            .filter(|component| !component.group)
            .map(|component| {
                let listed = component.status.parse::<ServiceStatus>().ok();
                let from_updates = incident
                    .incident_updates
                    .iter()
                    .flat_map(|u| u.affected_components.iter().flatten())
                    .filter(|a| a.code == component.id)
                    .filter_map(|a| a.new_status.as_deref()?.parse::<ServiceStatus>().ok())
                    .filter(|s| *s != ServiceStatus::Operational)
                    .reduce(ServiceStatus::worst);
                let status = match (status, listed) {
                    (IncidentStatus::Resolved, _) | (_, None) => from_updates
                        .or(listed.filter(|s| *s != ServiceStatus::Operational))
                        .unwrap_or_else(|| status_of_impact(impact)),
                    (_, Some(now)) => now,
                };
                (component.id.clone(), status)
            })
            .collect();
        incidents.push(Imported {
            external_id: incident.id.clone(),
            title,
            status,
            impact,
            created_at,
            updated_at,
            resolved_at,
            updates,
            affected,
        });
    }
    // Oldest first, as they happened.
    incidents.sort_by_key(|incident| incident.created_at);

    // Statuspage keeps a window's description as its first update: it is the description here.
    let mut maintenances = Vec::new();
    for window in &summary.scheduled_maintenances {
        let named = |what: &str| format!("scheduled maintenance {}: {what}", window.id);
        let status_of = |text: &str| match text {
            "scheduled" => Some(MaintenanceStatus::Scheduled),
            "in_progress" | "verifying" => Some(MaintenanceStatus::InProgress),
            "completed" => Some(MaintenanceStatus::Completed),
            _ => None,
        };
        let times = (
            window.scheduled_for.as_deref().and_then(time_of),
            window.scheduled_until.as_deref().and_then(time_of),
            time_of(&window.created_at),
        );
        let (Some(status), (Some(start), Some(end), Some(created_at))) =
            (status_of(&window.status), times)
        else {
            problem(named(
                "its status is unknown, or a time is missing (`scheduled_for`, `scheduled_until`)",
            ));
            continue;
        };
        if end <= start {
            problem(named("it ends before it starts"));
            continue;
        }
        let title = match upstate_shared::input::name(&window.name, TITLE_MAX) {
            Ok(title) => title,
            Err(why) => {
                problem(named(&format!("the name {why}")));
                continue;
            }
        };
        let mut updates: Vec<MaintenanceUpdate> = window
            .incident_updates
            .iter()
            .filter_map(|update| {
                Some(MaintenanceUpdate {
                    status: status_of(&update.status)?,
                    message: update.body.clone(),
                    at: time_of(&update.created_at)?,
                })
            })
            .collect();
        updates.sort_by_key(|update| update.at);
        let description = if updates.is_empty() {
            String::new()
        } else {
            updates.remove(0).message
        };
        if description.chars().count() > DESCRIPTION_MAX {
            problem(named(&format!(
                "the description must be at most {DESCRIPTION_MAX} characters"
            )));
            continue;
        }
        for update in &mut updates {
            if update.message.trim().is_empty() {
                update.message = update.status.label().to_owned();
            }
        }
        let updated_at = window
            .updated_at
            .as_deref()
            .and_then(time_of)
            .unwrap_or(created_at);
        maintenances.push(Maintenance {
            external_id: window.id.clone(),
            title,
            description,
            status,
            scheduled_start: start,
            scheduled_end: end,
            created_at,
            updated_at,
            started_at: (status != MaintenanceStatus::Scheduled).then(|| {
                window
                    .started_at
                    .as_deref()
                    .and_then(time_of)
                    .unwrap_or(start)
            }),
            ended_at: (status == MaintenanceStatus::Completed).then(|| {
                window
                    .resolved_at
                    .as_deref()
                    .and_then(time_of)
                    .unwrap_or(end)
            }),
            services: window
                .components
                .iter()
                .filter(|component| !component.group)
                .map(|component| component.id.clone())
                .collect(),
            updates,
        });
    }
    if problems.is_empty() {
        Ok(Import {
            source: format!("statuspage:{}", summary.page.id),
            groups,
            services,
            incidents,
            maintenances,
        })
    } else {
        Err(problems)
    }
}
