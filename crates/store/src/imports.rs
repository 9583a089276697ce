//! Bringing a page over from another status page product: its groups, its services with their
//! current status, its incident history with each incident's updates, and its maintenance
//! windows, at their own times.
//!
//! Idempotent: each imported record is remembered by its source (`statuspage:{page id}`) and its
//! id there (`imported_records`), so importing the same page again creates nothing twice. A
//! service imported before takes the status it has now; groups and incidents imported before are
//! left as they are (someone may have edited them since). Nothing is notified: this is history.

use crate::effective::{self, Cause};
use crate::schema::{
    imported_records, incident_services, incident_updates, incidents, maintenance_services,
    maintenance_updates, maintenances,
};
use crate::{DbConnection, StoreResult, services as service_rows};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use upstate_shared::{
    ImpactLevel, IncidentId, IncidentStatus, IncidentUpdateId, MaintenanceId, MaintenanceStatus,
    MaintenanceUpdateId, OrgId, ServiceGroupId, ServiceId, ServiceStatus,
};

/// A group to import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its id at the source.
    pub external_id: String,
    pub name: String,
}

/// A service to import, with its status now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub external_id: String,
    pub name: String,
    pub description: String,
    /// Its group's id at the source.
    pub group: Option<String>,
    pub status: ServiceStatus,
    /// When the public page lists it (a source's "only show if degraded").
    pub display: upstate_shared::ServiceDisplay,
}

/// One update of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub status: IncidentStatus,
    pub message: String,
    pub at: NaiveDateTime,
}

/// An incident to import, as it stands at the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub external_id: String,
    pub title: String,
    pub status: IncidentStatus,
    pub impact: ImpactLevel,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub resolved_at: Option<NaiveDateTime>,
    /// Oldest first; at least one.
    pub updates: Vec<Update>,
    /// The services it affects (their ids at the source) and the status it puts each in.
    pub affected: Vec<(String, ServiceStatus)>,
}

/// One update of a maintenance window's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceUpdate {
    pub status: MaintenanceStatus,
    pub message: String,
    pub at: NaiveDateTime,
}

/// A maintenance window to import, as it stands at the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Maintenance {
    pub external_id: String,
    pub title: String,
    pub description: String,
    pub status: MaintenanceStatus,
    pub scheduled_start: NaiveDateTime,
    pub scheduled_end: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    /// The services it covers (their ids at the source).
    pub services: Vec<String>,
    /// Oldest first.
    pub updates: Vec<MaintenanceUpdate>,
}

/// What one import brings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// Where it comes from: `statuspage:{page id}`.
    pub source: String,
    pub groups: Vec<Group>,
    pub services: Vec<Service>,
    pub incidents: Vec<Incident>,
    pub maintenances: Vec<Maintenance>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The groups, services and incidents it created.
    pub groups: Vec<ServiceGroupId>,
    pub services: Vec<ServiceId>,
    pub incidents: Vec<IncidentId>,
    /// Services imported before whose status it brought up to date.
    pub services_updated: usize,
    /// Incidents imported before, left as they are.
    pub incidents_skipped: usize,
    pub maintenances: Vec<MaintenanceId>,
    /// Maintenance windows imported before, left as they are.
    pub maintenances_skipped: usize,
    /// Services whose effective status moved (for the live page).
    pub moved: Vec<ServiceId>,
}

const GROUP: &str = "group";
const SERVICE: &str = "service";
const INCIDENT: &str = "incident";
const MAINTENANCE: &str = "maintenance";

/// The local id of the record of `kind` imported from `source` as `external_id`, if any.
fn imported(
    conn: &mut DbConnection,
    org: &OrgId,
    source: &str,
    kind: &str,
    external_id: &str,
) -> StoreResult<Option<String>> {
    Ok(imported_records::table
        .filter(imported_records::org_id.eq(org))
        .filter(imported_records::source.eq(source))
        .filter(imported_records::kind.eq(kind))
        .filter(imported_records::external_id.eq(external_id))
        .select(imported_records::local_id)
        .first(conn)
        .optional()?)
}

fn remember(
    conn: &mut DbConnection,
    org: &OrgId,
    source: &str,
    kind: &str,
    external_id: &str,
    local_id: &str,
) -> StoreResult<()> {
    diesel::insert_into(imported_records::table)
        .values((
            imported_records::org_id.eq(org),
            imported_records::source.eq(source),
            imported_records::kind.eq(kind),
            imported_records::external_id.eq(external_id),
            imported_records::local_id.eq(local_id),
            imported_records::imported_at.eq(crate::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Imports `import` into `org`, in the caller's transaction.
pub fn import(
    conn: &mut DbConnection,
    org: &OrgId,
    import: &Import,
    cause: &Cause,
) -> StoreResult<Imported> {
    let source = import.source.as_str();
    let mut done = Imported::default();

    let mut groups = std::collections::HashMap::new();
    for group in &import.groups {
        let id = match imported(conn, org, source, GROUP, &group.external_id)? {
            Some(id) => ServiceGroupId(id),
            None => {
                let created = service_rows::create_group(conn, org, &group.name)?;
                remember(conn, org, source, GROUP, &group.external_id, &created.id.0)?;
                done.groups.push(created.id.clone());
                created.id
            }
        };
        groups.insert(group.external_id.as_str(), id);
    }

    // A service an open incident puts in a status at least as bad as its own is in that status
    // because of the incident: it keeps `operational` as its own status, so that resolving the
    // incident here brings it back.
    let explained = |service: &Service| {
        import.incidents.iter().any(|incident| {
            incident.status != IncidentStatus::Resolved
                && incident.affected.iter().any(|(id, status)| {
                    *id == service.external_id && status.severity() >= service.status.severity()
                })
        })
    };
    let mut service_ids = std::collections::HashMap::new();
    for service in &import.services {
        let own = if explained(service) {
            ServiceStatus::Operational
        } else {
            service.status
        };
        let id = match imported(conn, org, source, SERVICE, &service.external_id)? {
            Some(id) => {
                let id = ServiceId(id);
                match service_rows::set_manual_status(conn, org, &id, own, cause) {
                    Ok(_) => done.services_updated += 1,
                    // Deleted since: nothing to bring up to date.
                    Err(crate::StoreError::NotFound(_)) => {}
                    Err(err) => return Err(err),
                }
                id
            }
            None => {
                let group = service.group.as_deref().and_then(|g| groups.get(g));
                let created = service_rows::create(
                    conn,
                    org,
                    service_rows::NewService {
                        name: &service.name,
                        description: &service.description,
                        group,
                        status: own,
                        display: service.display,
                    },
                    cause,
                )?;
                remember(
                    conn,
                    org,
                    source,
                    SERVICE,
                    &service.external_id,
                    &created.id.0,
                )?;
                done.services.push(created.id.clone());
                created.id
            }
        };
        service_ids.insert(service.external_id.as_str(), id);
    }

    let mut touched = Vec::new();
    for incident in &import.incidents {
        if imported(conn, org, source, INCIDENT, &incident.external_id)?.is_some() {
            done.incidents_skipped += 1;
            continue;
        }
        let id = IncidentId(crate::new_id());
        diesel::insert_into(incidents::table)
            .values((
                incidents::id.eq(&id),
                incidents::org_id.eq(org),
                incidents::title.eq(&incident.title),
                incidents::status.eq(incident.status.as_str()),
                incidents::impact.eq(incident.impact.as_str()),
                incidents::created_by.eq(&cause.user),
                incidents::created_at.eq(incident.created_at),
                incidents::updated_at.eq(incident.updated_at),
                incidents::resolved_at.eq(incident.resolved_at),
            ))
            .execute(conn)?;
        for update in &incident.updates {
            diesel::insert_into(incident_updates::table)
                .values((
                    incident_updates::id.eq(IncidentUpdateId(crate::new_id())),
                    incident_updates::org_id.eq(org),
                    incident_updates::incident_id.eq(&id),
                    incident_updates::status.eq(update.status.as_str()),
                    incident_updates::message.eq(&update.message),
                    incident_updates::message_html.eq(upstate_markdown::to_html(&update.message)),
                    incident_updates::author_user_id.eq(&cause.user),
                    incident_updates::author_api_key_id.eq(&cause.api_key),
                    incident_updates::created_at.eq(update.at),
                ))
                .execute(conn)?;
        }
        let mut affected: Vec<(&ServiceId, ServiceStatus)> = incident
            .affected
            .iter()
            .filter_map(|(external, status)| {
                service_ids.get(external.as_str()).map(|id| (id, *status))
            })
            .collect();
        affected.sort_by(|a, b| a.0.cmp(b.0));
        affected.dedup_by(|a, b| a.0 == b.0);
        for (service, status) in &affected {
            diesel::insert_into(incident_services::table)
                .values((
                    incident_services::incident_id.eq(&id),
                    incident_services::service_id.eq(*service),
                    incident_services::org_id.eq(org),
                    incident_services::status.eq(status.as_str()),
                ))
                .execute(conn)?;
        }
        if incident.status != IncidentStatus::Resolved {
            touched.extend(affected.iter().map(|(service, _)| (*service).clone()));
        }
        remember(conn, org, source, INCIDENT, &incident.external_id, &id.0)?;
        done.incidents.push(id);
    }
    let now = crate::now();
    for window in &import.maintenances {
        if imported(conn, org, source, MAINTENANCE, &window.external_id)?.is_some() {
            done.maintenances_skipped += 1;
            continue;
        }
        let id = MaintenanceId(crate::new_id());
        diesel::insert_into(maintenances::table)
            .values((
                maintenances::id.eq(&id),
                maintenances::org_id.eq(org),
                maintenances::title.eq(&window.title),
                maintenances::description.eq(&window.description),
                maintenances::description_html.eq(upstate_markdown::to_html(&window.description)),
                maintenances::status.eq(window.status.as_str()),
                maintenances::scheduled_start.eq(window.scheduled_start),
                maintenances::scheduled_end.eq(window.scheduled_end),
                // The scheduler starts and ends a window still ahead, as for any other; one
                // whose time has passed stays as the source left it (moving it now would
                // announce a maintenance that is long over).
                maintenances::auto_transition.eq(window.scheduled_end > now),
                maintenances::started_at.eq(window.started_at),
                maintenances::ended_at.eq(window.ended_at),
                maintenances::created_by.eq(&cause.user),
                maintenances::created_at.eq(window.created_at),
                maintenances::updated_at.eq(window.updated_at),
            ))
            .execute(conn)?;
        let mut covered: Vec<&ServiceId> = window
            .services
            .iter()
            .filter_map(|external| service_ids.get(external.as_str()))
            .collect();
        covered.sort();
        covered.dedup();
        for service in &covered {
            diesel::insert_into(maintenance_services::table)
                .values((
                    maintenance_services::maintenance_id.eq(&id),
                    maintenance_services::service_id.eq(*service),
                    maintenance_services::org_id.eq(org),
                ))
                .execute(conn)?;
        }
        for update in &window.updates {
            diesel::insert_into(maintenance_updates::table)
                .values((
                    maintenance_updates::id.eq(MaintenanceUpdateId(crate::new_id())),
                    maintenance_updates::org_id.eq(org),
                    maintenance_updates::maintenance_id.eq(&id),
                    maintenance_updates::status.eq(update.status.as_str()),
                    maintenance_updates::message.eq(&update.message),
                    maintenance_updates::message_html
                        .eq(upstate_markdown::to_html(&update.message)),
                    maintenance_updates::author_user_id.eq(&cause.user),
                    maintenance_updates::author_api_key_id.eq(&cause.api_key),
                    maintenance_updates::created_at.eq(update.at),
                ))
                .execute(conn)?;
        }
        if window.status == MaintenanceStatus::InProgress {
            touched.extend(covered.iter().map(|service| (*service).clone()));
        }
        remember(conn, org, source, MAINTENANCE, &window.external_id, &id.0)?;
        done.maintenances.push(id);
    }
    touched.sort();
    touched.dedup();
    done.moved = effective::recompute(conn, org, &touched, cause)?;
    Ok(done)
}
