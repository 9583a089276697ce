//! Monitors inside `upstate serve`: what follows a check's result, in the transaction that
//! records it. The runner (`upstate_monitor::runner`) claims and runs the checks; a heartbeat's
//! call (`routes::monitors::heartbeat`) arrives here the same way.
//!
//! After each result: the anti-flap rule decides; the result and the decision are stored; when
//! the decided state changed, the service's status follows (unless an incident, a maintenance
//! window or a status set by hand holds it), and, unless a maintenance window covers the service,
//! the team's integrations hear of it (`monitor.failing`, `monitor.recovered`) and the monitor's
//! automatic incident opens (down) or resolves (up).

use crate::activity::Activity;
use crate::error::ApiError;
use crate::state::AppState;
use serde_json::json;
use upstate_monitor::runner::{self, Recorder};
use upstate_monitor::{Change, State};
use upstate_shared::dto::IncidentTemplate;
use upstate_shared::{
    EventKind, IncidentStatus, MonitorId, NotificationEvent, OrgId, ServiceStatus,
};
use upstate_store::monitors::{self, Checked, Monitor};
use upstate_store::{DbConnection, StoreError, StoreResult, incidents, maintenances};

/// The runner's recorder: the server's state, to write with.
pub struct ServerRecorder(pub AppState);

impl Recorder for ServerRecorder {
    async fn record(&self, monitor: Monitor, checked: Checked) {
        match record(&self.0, monitor.org_id.clone(), monitor.id.clone(), checked).await {
            Ok(()) => {}
            // Deleted or paused while its check ran.
            Err(ApiError::NotFound(_)) => {}
            Err(err) => {
                tracing::warn!(%err, monitor = %monitor.id, "a monitor's result was not recorded")
            }
        }
    }
}

/// Records one result of monitor `id` with everything that follows from it, in one transaction.
pub async fn record(
    state: &AppState,
    org: OrgId,
    id: MonitorId,
    checked: Checked,
) -> Result<(), ApiError> {
    state
        .metrics
        .observe_check(checked.state, checked.latency_ms);
    state
        .write_as(Activity::system(org), move |conn, act| {
            // Read again inside the transaction: the decision goes on from what is stored now.
            let monitor = monitors::get(conn, &act.org, &id)?;
            if monitor.paused {
                return Err(StoreError::NotFound(upstate_store::Missing::Monitor));
            }
            let (decided, change) = runner::decide(&monitor, checked.state);
            let moved = monitors::record(conn, &monitor, &checked, &decided)?;
            act.services_changed(conn, &moved)?;
            if let Some(change) = change {
                follow_change(conn, act, &monitor, change, &checked)?;
            }
            Ok(())
        })
        .await
}

fn follow_change(
    conn: &mut DbConnection,
    act: &Activity,
    monitor: &Monitor,
    change: Change,
    checked: &Checked,
) -> StoreResult<()> {
    let quiet = maintenances::covers_now(conn, &monitor.service_id)?;
    act.audit(
        conn,
        "monitor.state_changed",
        "monitor",
        monitor.id.as_str(),
        json!({
            "from": change.from,
            "to": change.to,
            "message": checked.message,
            "during_maintenance": quiet,
        }),
    )?;
    if quiet {
        return Ok(());
    }
    act.notify_monitor(conn, monitor, change, checked)?;
    let template = monitor
        .auto_incident
        .as_deref()
        .and_then(|json| serde_json::from_str::<IncidentTemplate>(json).ok());
    match (change.to, template, &monitor.open_incident_id) {
        (State::Down, Some(template), None) => open_incident(conn, act, monitor, &template),
        (State::Up, template, Some(incident)) => {
            let resolution =
                template.map_or_else(IncidentTemplate::default_resolution, |t| t.resolution);
            resolve_incident(conn, act, monitor, incident, &resolution)
        }
        _ => Ok(()),
    }
}

fn open_incident(
    conn: &mut DbConnection,
    act: &Activity,
    monitor: &Monitor,
    template: &IncidentTemplate,
) -> StoreResult<()> {
    let affected = [(monitor.service_id.clone(), ServiceStatus::MajorOutage)];
    let (full, moved) = incidents::create(
        conn,
        &act.org,
        incidents::NewIncident {
            title: &template.title,
            status: IncidentStatus::Investigating,
            impact: template.impact,
            message: &template.message,
            affected: &affected,
        },
        act.cause(),
    )?;
    let member = act.incident_changed(conn, EventKind::IncidentCreated, &full, &moved)?;
    act.notify_incident(conn, NotificationEvent::IncidentCreated, &member)?;
    monitors::set_open_incident(conn, &monitor.id, Some(&full.incident.id))?;
    act.audit(
        conn,
        "incident.created",
        "incident",
        full.incident.id.as_str(),
        json!({ "title": template.title, "impact": template.impact, "monitor": monitor.id }),
    )
}

fn resolve_incident(
    conn: &mut DbConnection,
    act: &Activity,
    monitor: &Monitor,
    incident: &upstate_shared::IncidentId,
    resolution: &str,
) -> StoreResult<()> {
    monitors::set_open_incident(conn, &monitor.id, None)?;
    let current = match incidents::get(conn, &act.org, incident) {
        Ok(current) => current,
        // Deleted by a person meanwhile: nothing to resolve.
        Err(StoreError::NotFound(_) | StoreError::Gone(_)) => return Ok(()),
        Err(other) => return Err(other),
    };
    if current.incident.resolved_at.is_some() {
        // A person resolved it already.
        return Ok(());
    }
    let (full, moved) = incidents::add_update(
        conn,
        &act.org,
        incident,
        IncidentStatus::Resolved,
        resolution,
        None,
        act.cause(),
    )?;
    let member = act.incident_changed(conn, EventKind::IncidentResolved, &full, &moved)?;
    act.notify_incident(conn, NotificationEvent::IncidentResolved, &member)?;
    act.audit(
        conn,
        "incident.resolved",
        "incident",
        incident.as_str(),
        json!({ "monitor": monitor.id }),
    )
}
