//! The maintenance scheduler inside `upstate serve`: starts windows at `scheduled_start` and
//! completes them at `scheduled_end` when `auto_transition` is on. It looks every second (and at
//! once when a window is created or moved), so a transition happens within about a second of
//! its time, also for windows whose time came while the server was down. Each transition claims
//! the window with a conditional update on its status: with several replicas on one PostgreSQL,
//! exactly one performs it.

use crate::activity::Activity;
use crate::error::ApiError;
use crate::state::AppState;
use std::time::Duration;
use upstate_shared::{EventKind, MaintenanceStatus, NotificationEvent};
use upstate_store::{StoreError, maintenances};

/// Runs until the server stops.
pub async fn run(state: AppState) {
    loop {
        if let Err(err) = tick(&state).await {
            tracing::warn!(%err, "the maintenance scheduler failed; trying again shortly");
        }
        let _ =
            tokio::time::timeout(Duration::from_secs(1), state.maintenance_wake.notified()).await;
    }
}

/// Performs every transition that is due; answers how many this replica performed.
pub async fn tick(state: &AppState) -> Result<usize, ApiError> {
    let due = state
        .read(|conn| maintenances::due(conn, upstate_store::now()))
        .await?;
    let mut performed = 0;
    for (org, id, to, due_at) in due {
        let act = Activity::system(org);
        let message = match to {
            MaintenanceStatus::InProgress => "The maintenance has started.",
            _ => "The maintenance is complete.",
        };
        let done = state
            .write_as(act, move |conn, act| {
                match maintenances::transition(conn, &act.org, &id, to, message, act.cause()) {
                    Ok((full, moved)) => {
                        let member = act.maintenance_changed(
                            conn,
                            EventKind::of_maintenance_move(to),
                            &full,
                            &moved,
                        )?;
                        if let Some(event) = NotificationEvent::of_maintenance_move(to) {
                            act.notify_maintenance(conn, event, &member)?;
                        }
                        act.audit(
                            conn,
                            "maintenance.auto_transition",
                            "maintenance",
                            id.as_str(),
                            serde_json::json!({ "status": to }),
                        )?;
                        Ok(true)
                    }
                    // Another replica (or a person) moved it first.
                    Err(StoreError::Stale(_)) | Err(StoreError::NotFound(_)) => Ok(false),
                    Err(other) => Err(other),
                }
            })
            .await?;
        if done {
            state
                .metrics
                .observe_scheduler_lag(upstate_store::now() - due_at);
            performed += 1;
        }
    }
    // Reminders, each claimed in the transaction that queues it: sent once, whatever the
    // replicas.
    let reminders = state
        .read(|conn| maintenances::reminders_due(conn, upstate_store::now()))
        .await?;
    for (org, id) in reminders {
        let act = Activity::system(org);
        state
            .write_as(act, move |conn, act| {
                if !maintenances::mark_reminded(conn, &id)? {
                    return Ok(());
                }
                let full = maintenances::get(conn, &act.org, &id)?;
                let names = crate::views::Names::of(conn, &[], std::slice::from_ref(&full))?;
                let window = crate::views::maintenance(&full, &names);
                act.notify_maintenance(conn, NotificationEvent::MaintenanceReminder, &window)
            })
            .await?;
        performed += 1;
    }
    Ok(performed)
}
