//! What every write records beside its change, in the same transaction: the audit-log entry
//! (always through [`Trail::record`]) and, for an org's writes, the realtime event (public and
//! member payloads, the org's next `seq`) through [`Activity`].

use crate::auth::{Caller, Principal};
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use upstate_shared::{EventKind, NotificationEvent, OrgId, ServiceId};
use upstate_store::effective::Cause;
use upstate_store::events::Event;
use upstate_store::{DbConnection, StoreResult, audit, events};

/// Who did something, and from where: what every audit-log entry records. Each entry is
/// written by [`Trail::record`]: an org's writes through their [`Activity`], and the writes of
/// a person's own account (sign-in, registration, resets) or of an org's creation directly.
#[derive(Debug, Clone)]
pub struct Trail {
    pub actor: audit::Actor,
    pub ip: Option<String>,
}

impl Trail {
    /// `actor`, acting from `ip`.
    pub fn new(actor: audit::Actor, ip: Option<&str>) -> Trail {
        Trail {
            actor,
            ip: ip.map(str::to_owned),
        }
    }

    /// The caller of a request.
    pub fn of(caller: &Caller) -> Trail {
        Trail::new(caller.actor(), caller.ip.as_deref())
    }

    /// Records an audit-log entry: about `org`, or (`None`) about the actor's own account.
    pub fn record(
        &self,
        conn: &mut DbConnection,
        org: Option<&OrgId>,
        action: &str,
        target_type: &str,
        target_id: Option<&str>,
        details: Value,
    ) -> StoreResult<()> {
        audit::record(
            conn,
            audit::NewEntry {
                org,
                actor: self.actor.clone(),
                action,
                target_type,
                target_id,
                details,
                ip: self.ip.as_deref(),
            },
        )
    }
}

/// Who acts on which org, from inside a write.
#[derive(Debug, Clone)]
pub struct Activity {
    pub org: OrgId,
    pub trail: Trail,
    cause: Cause,
    /// The events appended so far, published once the transaction commits.
    appended: Arc<Mutex<Vec<Event>>>,
    /// Whether a notification was queued (the worker is woken once the transaction commits).
    notified: Arc<std::sync::atomic::AtomicBool>,
}

impl Activity {
    /// A caller's activity in `org`.
    pub fn of(caller: &Caller, org: OrgId) -> Activity {
        let cause = match &caller.principal {
            Principal::User(user) => Cause {
                user: Some(user.clone()),
                ..Cause::default()
            },
            Principal::ApiKey { id, .. } => Cause {
                api_key: Some(id.clone()),
                ..Cause::default()
            },
        };
        Activity {
            org,
            trail: Trail::of(caller),
            cause,
            appended: Arc::default(),
            notified: Arc::default(),
        }
    }

    /// The server's own activity (the maintenance scheduler).
    pub fn system(org: OrgId) -> Activity {
        Activity {
            org,
            trail: Trail::new(audit::Actor::System, None),
            cause: Cause::default(),
            appended: Arc::default(),
            notified: Arc::default(),
        }
    }

    /// The events appended (for publishing after the commit).
    pub fn take_events(&self) -> Vec<Event> {
        std::mem::take(&mut *self.appended.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Whether a notification was queued (once the transaction commits, wake the worker).
    pub fn notified(&self) -> bool {
        self.notified.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// What status changes are recorded as caused by.
    pub fn cause(&self) -> &Cause {
        &self.cause
    }

    /// Appends the org's next event with the resource's public and member forms.
    pub fn event(
        &self,
        conn: &mut DbConnection,
        kind: EventKind,
        public: &impl Serialize,
        member: &impl Serialize,
    ) -> StoreResult<()> {
        let public = serde_json::to_value(public).unwrap_or(Value::Null);
        let member = serde_json::to_value(member).unwrap_or(Value::Null);
        let event = events::append(conn, &self.org, kind, &public, Some(&member))?;
        self.appended
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event);
        Ok(())
    }

    /// Records an audit-log entry.
    pub fn audit(
        &self,
        conn: &mut DbConnection,
        action: &str,
        target_type: &str,
        target_id: &str,
        details: Value,
    ) -> StoreResult<()> {
        self.trail.record(
            conn,
            Some(&self.org),
            action,
            target_type,
            Some(target_id),
            details,
        )
    }
}

impl Activity {
    /// Announces the incident (as `kind`) and the services it moved; answers its member form.
    pub fn incident_changed(
        &self,
        conn: &mut DbConnection,
        kind: EventKind,
        full: &upstate_store::incidents::Full,
        moved: &[ServiceId],
    ) -> StoreResult<upstate_shared::dto::Incident> {
        let names = crate::views::Names::of(conn, std::slice::from_ref(full), &[])?;
        let member = crate::views::incident(full, &names);
        self.event(conn, kind, &crate::views::public_incident(full), &member)?;
        self.services_changed(conn, moved)?;
        Ok(member)
    }

    /// Queues the notification of `event` about an incident (its latest update) for the page's
    /// subscribers and integrations, in this transaction: the worker fans it out once it is
    /// committed. Its links are paths; the worker makes them absolute.
    pub fn notify_incident(
        &self,
        conn: &mut DbConnection,
        event: NotificationEvent,
        incident: &upstate_shared::dto::Incident,
    ) -> StoreResult<()> {
        let org = upstate_store::organizations::get(conn, &self.org)?;
        let services: Vec<ServiceId> = incident
            .affected
            .iter()
            .map(|a| a.service_id.clone())
            .collect();
        let latest = incident.updates.last();
        let notice = upstate_notify::Notice {
            event,
            org_slug: org.slug.clone(),
            page_name: org.name.clone(),
            page_url: format!("/status/{}", org.slug),
            link: format!("/status/{}/incidents/{}", org.slug, incident.id),
            subject_id: incident.id.to_string(),
            title: incident.title.clone(),
            status: incident.status.label().to_owned(),
            incident_status: Some(incident.status),
            maintenance_status: None,
            impact: Some(incident.impact),
            message: latest.map(|u| u.message.clone()).unwrap_or_default(),
            message_html: latest.map(|u| u.message_html.clone()).unwrap_or_default(),
            services: upstate_store::services::names(conn, &self.org, &services)?,
            window: None,
            at: latest.map_or(incident.updated_at, |u| u.created_at),
        };
        self.queue_notice(conn, event, incident.id.as_str(), &services, &notice)
    }

    /// Queues the notification of `event` about a maintenance window, as
    /// [`Activity::notify_incident`] does for incidents.
    pub fn notify_maintenance(
        &self,
        conn: &mut DbConnection,
        event: NotificationEvent,
        window: &upstate_shared::dto::Maintenance,
    ) -> StoreResult<()> {
        let org = upstate_store::organizations::get(conn, &self.org)?;
        let latest = window.updates.last();
        let (message, message_html) = match latest {
            Some(update) => (update.message.clone(), update.message_html.clone()),
            None => (window.description.clone(), window.description_html.clone()),
        };
        let notice = upstate_notify::Notice {
            event,
            org_slug: org.slug.clone(),
            page_name: org.name.clone(),
            page_url: format!("/status/{}", org.slug),
            link: format!("/status/{}", org.slug),
            subject_id: window.id.to_string(),
            title: window.title.clone(),
            status: window.status.label().to_owned(),
            incident_status: None,
            maintenance_status: Some(window.status),
            impact: None,
            message,
            message_html,
            services: upstate_store::services::names(conn, &self.org, &window.service_ids)?,
            window: Some((window.scheduled_start, window.scheduled_end)),
            at: upstate_store::now().and_utc(),
        };
        self.queue_notice(
            conn,
            event,
            window.id.as_str(),
            &window.service_ids,
            &notice,
        )
    }

    /// Queues the team's alert about a monitor's decided state changing (`monitor.failing` or
    /// `monitor.recovered`; integrations only, never the page's subscribers). Its link is the
    /// dashboard's Monitors page; its message what the check saw.
    pub fn notify_monitor(
        &self,
        conn: &mut DbConnection,
        monitor: &upstate_store::monitors::Monitor,
        change: upstate_monitor::Change,
        checked: &upstate_store::monitors::Checked,
    ) -> StoreResult<()> {
        use upstate_monitor::State;
        let org = upstate_store::organizations::get(conn, &self.org)?;
        let (event, impact) = match change.to {
            State::Up => (NotificationEvent::MonitorRecovered, None),
            State::Degraded => (
                NotificationEvent::MonitorFailing,
                Some(upstate_shared::ImpactLevel::Minor),
            ),
            State::Down => (
                NotificationEvent::MonitorFailing,
                Some(upstate_shared::ImpactLevel::Critical),
            ),
        };
        let services = std::slice::from_ref(&monitor.service_id);
        let notice = upstate_notify::Notice {
            event,
            org_slug: org.slug.clone(),
            page_name: org.name.clone(),
            page_url: format!("/status/{}", org.slug),
            link: format!("/dashboard/{}/monitors", org.slug),
            subject_id: monitor.id.to_string(),
            title: monitor.name.clone(),
            status: match change.to {
                State::Up => "Up",
                State::Degraded => "Degraded",
                State::Down => "Down",
            }
            .to_owned(),
            incident_status: None,
            maintenance_status: None,
            impact,
            message: checked.message.clone(),
            message_html: format!("<p>{}</p>", upstate_notify::escape_html(&checked.message)),
            services: upstate_store::services::names(conn, &self.org, services)?,
            window: None,
            at: checked.at.and_utc(),
        };
        self.queue_notice(conn, event, monitor.id.as_str(), services, &notice)
    }

    fn queue_notice(
        &self,
        conn: &mut DbConnection,
        event: NotificationEvent,
        subject: &str,
        services: &[ServiceId],
        notice: &upstate_notify::Notice,
    ) -> StoreResult<()> {
        let notice = serde_json::to_value(notice).unwrap_or(Value::Null);
        upstate_store::notifications::queue(conn, &self.org, event, subject, services, &notice)?;
        self.notified
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Announces the maintenance window (as `kind`) and the services it moved; answers its
    /// member form.
    pub fn maintenance_changed(
        &self,
        conn: &mut DbConnection,
        kind: EventKind,
        full: &upstate_store::maintenances::Full,
        moved: &[ServiceId],
    ) -> StoreResult<upstate_shared::dto::Maintenance> {
        let names = crate::views::Names::of(conn, &[], std::slice::from_ref(full))?;
        let member = crate::views::maintenance(full, &names);
        self.event(conn, kind, &crate::views::public_maintenance(full), &member)?;
        self.services_changed(conn, moved)?;
        Ok(member)
    }

    /// Announces the current state of services whose status or place changed.
    pub fn services_changed(&self, conn: &mut DbConnection, ids: &[ServiceId]) -> StoreResult<()> {
        for id in ids {
            let service = upstate_store::services::get(conn, &self.org, id)?;
            self.event(
                conn,
                EventKind::ServiceUpdated,
                &crate::views::public_service_event(&service),
                &crate::views::service(&service),
            )?;
        }
        Ok(())
    }
}
