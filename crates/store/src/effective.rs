//! The effective status rule (API.md): a service shows the worst status that any open incident
//! or active maintenance gives it; when nothing holds it, the status set by hand, unless that is
//! `operational` and a running monitor asks for worse (docs/monitors.md): a person's call and an
//! incident win over a monitor. Every change of the effective status lands once in the service's
//! history, with what caused it.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{
    incident_services, incidents, maintenance_services, maintenances, service_status_changes,
    services,
};
use crate::text::DbText;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use upstate_shared::{
    ApiKeyId, IncidentId, MaintenanceId, MaintenanceStatus, MonitorId, OrgId, ServiceId,
    ServiceStatus, UserId,
};

/// What is changing statuses: recorded with each history entry.
#[derive(Debug, Clone, Default)]
pub struct Cause {
    pub user: Option<UserId>,
    pub api_key: Option<ApiKeyId>,
    pub incident: Option<IncidentId>,
    pub maintenance: Option<MaintenanceId>,
    pub monitor: Option<MonitorId>,
}

impl Cause {
    fn source(&self) -> &'static str {
        if self.incident.is_some() {
            "incident"
        } else if self.maintenance.is_some() {
            "maintenance"
        } else if self.monitor.is_some() {
            "monitor"
        } else {
            "manual"
        }
    }
}

/// Adds a history entry for `service`.
pub fn record_change(
    conn: &mut DbConnection,
    org: &OrgId,
    service: &ServiceId,
    status: ServiceStatus,
    cause: &Cause,
    at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(service_status_changes::table)
        .values((
            service_status_changes::id.eq(crate::new_id()),
            service_status_changes::org_id.eq(org),
            service_status_changes::service_id.eq(service),
            service_status_changes::status.eq(status.as_str()),
            service_status_changes::source.eq(cause.source()),
            service_status_changes::changed_by_user_id.eq(&cause.user),
            service_status_changes::changed_by_api_key_id.eq(&cause.api_key),
            service_status_changes::incident_id.eq(&cause.incident),
            service_status_changes::maintenance_id.eq(&cause.maintenance),
            service_status_changes::monitor_id.eq(&cause.monitor),
            service_status_changes::changed_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A service's status when no incident or maintenance holds it: the status set by hand, unless
/// that is `operational` and its monitors ask for another.
pub fn unheld(manual: ServiceStatus, monitors: Option<ServiceStatus>) -> ServiceStatus {
    match (manual, monitors) {
        (ServiceStatus::Operational, Some(monitors)) => monitors,
        (manual, _) => manual,
    }
}

/// Recomputes the effective status of `service_ids` (of `org`); stores and records each one that
/// changed, and answers those ids.
pub fn recompute(
    conn: &mut DbConnection,
    org: &OrgId,
    service_ids: &[ServiceId],
    cause: &Cause,
) -> StoreResult<Vec<ServiceId>> {
    if service_ids.is_empty() {
        return Ok(Vec::new());
    }
    type Row = (
        ServiceId,
        DbText<ServiceStatus>,
        DbText<ServiceStatus>,
        Option<DbText<ServiceStatus>>,
    );
    let current: Vec<Row> = services::table
        .filter(services::org_id.eq(org))
        .filter(services::id.eq_any(service_ids))
        .select((
            services::id,
            services::status,
            services::manual_status,
            services::monitor_status,
        ))
        .load(conn)?;
    // What open incidents and active maintenance give each service.
    let mut held: HashMap<ServiceId, ServiceStatus> = HashMap::new();
    let from_incidents: Vec<(ServiceId, DbText<ServiceStatus>)> = incident_services::table
        .inner_join(incidents::table)
        .filter(incident_services::service_id.eq_any(service_ids))
        .filter(incidents::resolved_at.is_null())
        .filter(incidents::deleted_at.is_null())
        .select((incident_services::service_id, incident_services::status))
        .load(conn)?;
    let from_maintenance: Vec<ServiceId> = maintenance_services::table
        .inner_join(maintenances::table)
        .filter(maintenance_services::service_id.eq_any(service_ids))
        .filter(maintenances::status.eq(MaintenanceStatus::InProgress.as_str()))
        .select(maintenance_services::service_id)
        .load(conn)?;
    let holders = from_incidents
        .into_iter()
        .map(|(id, status)| (id, status.0))
        .chain(
            from_maintenance
                .into_iter()
                .map(|id| (id, ServiceStatus::UnderMaintenance)),
        );
    for (id, status) in holders {
        held.entry(id)
            .and_modify(|worst| *worst = worst.worst(status))
            .or_insert(status);
    }
    let now = crate::now();
    let mut changed = Vec::new();
    for (id, status, manual, monitors) in current {
        let effective = held
            .get(&id)
            .copied()
            .unwrap_or_else(|| unheld(manual.0, monitors.map(|m| m.0)));
        if effective != status.0 {
            diesel::update(services::table.find(&id))
                .set((
                    services::status.eq(effective.as_str()),
                    services::updated_at.eq(now),
                ))
                .execute(conn)?;
            record_change(conn, org, &id, effective, cause, now)?;
            changed.push(id);
        }
    }
    Ok(changed)
}
