//! The realtime envelope: the text frames the WebSocket endpoints send.
//! The first frame is `{"type": "hello", "seq": <current>}`; then each event of the org as
//! `{"type": "<kind>", "seq": <n>, "at": "<time>", "data": {...}}`, `seq` growing by one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a frame announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    #[serde(rename = "hello")]
    Hello,
    #[serde(rename = "service.created")]
    ServiceCreated,
    #[serde(rename = "service.updated")]
    ServiceUpdated,
    #[serde(rename = "service.deleted")]
    ServiceDeleted,
    #[serde(rename = "service_group.created")]
    ServiceGroupCreated,
    #[serde(rename = "service_group.updated")]
    ServiceGroupUpdated,
    #[serde(rename = "service_group.deleted")]
    ServiceGroupDeleted,
    #[serde(rename = "incident.created")]
    IncidentCreated,
    #[serde(rename = "incident.updated")]
    IncidentUpdated,
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    #[serde(rename = "incident.deleted")]
    IncidentDeleted,
    #[serde(rename = "maintenance.created")]
    MaintenanceCreated,
    #[serde(rename = "maintenance.updated")]
    MaintenanceUpdated,
    #[serde(rename = "maintenance.started")]
    MaintenanceStarted,
    #[serde(rename = "maintenance.completed")]
    MaintenanceCompleted,
    #[serde(rename = "maintenance.cancelled")]
    MaintenanceCancelled,
    #[serde(rename = "maintenance.deleted")]
    MaintenanceDeleted,
    #[serde(rename = "page.updated")]
    PageUpdated,
}

impl EventKind {
    /// The event that announces a maintenance window's move to `to`.
    pub fn of_maintenance_move(to: crate::MaintenanceStatus) -> EventKind {
        use crate::MaintenanceStatus as S;
        match to {
            S::Scheduled => EventKind::MaintenanceUpdated,
            S::InProgress => EventKind::MaintenanceStarted,
            S::Completed => EventKind::MaintenanceCompleted,
            S::Cancelled => EventKind::MaintenanceCancelled,
        }
    }
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: &'static [EventKind] = &[
        EventKind::Hello,
        EventKind::ServiceCreated,
        EventKind::ServiceUpdated,
        EventKind::ServiceDeleted,
        EventKind::ServiceGroupCreated,
        EventKind::ServiceGroupUpdated,
        EventKind::ServiceGroupDeleted,
        EventKind::IncidentCreated,
        EventKind::IncidentUpdated,
        EventKind::IncidentResolved,
        EventKind::IncidentDeleted,
        EventKind::MaintenanceCreated,
        EventKind::MaintenanceUpdated,
        EventKind::MaintenanceStarted,
        EventKind::MaintenanceCompleted,
        EventKind::MaintenanceCancelled,
        EventKind::MaintenanceDeleted,
        EventKind::PageUpdated,
    ];

    /// The kind's name as in the `type` field (and the `events.event_type` column).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Hello => "hello",
            EventKind::ServiceCreated => "service.created",
            EventKind::ServiceUpdated => "service.updated",
            EventKind::ServiceDeleted => "service.deleted",
            EventKind::ServiceGroupCreated => "service_group.created",
            EventKind::ServiceGroupUpdated => "service_group.updated",
            EventKind::ServiceGroupDeleted => "service_group.deleted",
            EventKind::IncidentCreated => "incident.created",
            EventKind::IncidentUpdated => "incident.updated",
            EventKind::IncidentResolved => "incident.resolved",
            EventKind::IncidentDeleted => "incident.deleted",
            EventKind::MaintenanceCreated => "maintenance.created",
            EventKind::MaintenanceUpdated => "maintenance.updated",
            EventKind::MaintenanceStarted => "maintenance.started",
            EventKind::MaintenanceCompleted => "maintenance.completed",
            EventKind::MaintenanceCancelled => "maintenance.cancelled",
            EventKind::MaintenanceDeleted => "maintenance.deleted",
            EventKind::PageUpdated => "page.updated",
        }
    }
}

impl std::str::FromStr for EventKind {
    type Err = crate::ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| crate::ParseEnumError {
                kind: "event type",
                value: s.to_owned(),
                expected: &[],
            })
    }
}

/// One server-to-client frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerFrame {
    #[serde(rename = "type")]
    pub kind: EventKind,
    /// The org's event sequence number: the current one in `hello`, the event's own otherwise.
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
    /// The resource the event is about, in the public (or member) form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

impl ServerFrame {
    /// The first frame of every connection.
    pub fn hello(seq: u64) -> Self {
        Self {
            kind: EventKind::Hello,
            seq,
            at: None,
            data: None,
        }
    }

    /// An event frame.
    pub fn event(kind: EventKind, seq: u64, at: DateTime<Utc>, data: serde_json::Value) -> Self {
        Self {
            kind,
            seq,
            at: Some(at),
            data: Some(data),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn hello_frame_is_type_and_seq_only() {
        assert_eq!(
            serde_json::to_value(ServerFrame::hello(41)).unwrap(),
            json!({"type": "hello", "seq": 41})
        );
    }

    #[test]
    fn event_frame_round_trips() {
        let at = Utc.with_ymd_and_hms(2026, 11, 22, 1, 2, 3).unwrap();
        let frame = ServerFrame::event(
            EventKind::ServiceUpdated,
            42,
            at,
            json!({"id": "s1", "status": "major_outage"}),
        );
        let value = serde_json::to_value(&frame).unwrap();
        assert_eq!(
            value,
            json!({"type": "service.updated", "seq": 42, "at": "2026-11-22T01:02:03Z",
                   "data": {"id": "s1", "status": "major_outage"}})
        );
        assert_eq!(serde_json::from_value::<ServerFrame>(value).unwrap(), frame);
    }

    #[test]
    fn kind_text_matches_its_serde_name_and_parses_back() {
        assert_eq!(EventKind::ALL.len(), 18);
        for kind in EventKind::ALL.iter().copied() {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(kind.as_str().parse::<EventKind>().unwrap(), kind);
        }
        assert!("service.exploded".parse::<EventKind>().is_err());
    }
}

/// What subscribers are told about: an incident created, updated or resolved; a maintenance
/// window scheduled, about to start, started or completed. On the wire (a webhook's `type`, an
/// integration's choice of events) as `incident.created` and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NotificationEvent {
    #[serde(rename = "incident.created")]
    IncidentCreated,
    #[serde(rename = "incident.updated")]
    IncidentUpdated,
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    #[serde(rename = "maintenance.scheduled")]
    MaintenanceScheduled,
    #[serde(rename = "maintenance.reminder")]
    MaintenanceReminder,
    #[serde(rename = "maintenance.started")]
    MaintenanceStarted,
    #[serde(rename = "maintenance.completed")]
    MaintenanceCompleted,
    /// A monitor decided its service is degraded or down (for the team only).
    #[serde(rename = "monitor.failing")]
    MonitorFailing,
    /// A monitor decided its service is up again (for the team only).
    #[serde(rename = "monitor.recovered")]
    MonitorRecovered,
}

impl NotificationEvent {
    /// Every event, in the order a dashboard lists them.
    pub const ALL: &'static [NotificationEvent] = &[
        NotificationEvent::IncidentCreated,
        NotificationEvent::IncidentUpdated,
        NotificationEvent::IncidentResolved,
        NotificationEvent::MaintenanceScheduled,
        NotificationEvent::MaintenanceReminder,
        NotificationEvent::MaintenanceStarted,
        NotificationEvent::MaintenanceCompleted,
        NotificationEvent::MonitorFailing,
        NotificationEvent::MonitorRecovered,
    ];

    /// The event's name, as on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationEvent::IncidentCreated => "incident.created",
            NotificationEvent::IncidentUpdated => "incident.updated",
            NotificationEvent::IncidentResolved => "incident.resolved",
            NotificationEvent::MaintenanceScheduled => "maintenance.scheduled",
            NotificationEvent::MaintenanceReminder => "maintenance.reminder",
            NotificationEvent::MaintenanceStarted => "maintenance.started",
            NotificationEvent::MaintenanceCompleted => "maintenance.completed",
            NotificationEvent::MonitorFailing => "monitor.failing",
            NotificationEvent::MonitorRecovered => "monitor.recovered",
        }
    }

    /// Every event's name, in the order of [`Self::ALL`].
    pub const TEXTS: &'static [&'static str] = &[
        "incident.created",
        "incident.updated",
        "incident.resolved",
        "maintenance.scheduled",
        "maintenance.reminder",
        "maintenance.started",
        "maintenance.completed",
        "monitor.failing",
        "monitor.recovered",
    ];

    /// The words a person reads ("Maintenance started").
    pub fn label(self) -> &'static str {
        match self {
            NotificationEvent::IncidentCreated => "New incident",
            NotificationEvent::IncidentUpdated => "Incident updated",
            NotificationEvent::IncidentResolved => "Incident resolved",
            NotificationEvent::MaintenanceScheduled => "Maintenance scheduled",
            NotificationEvent::MaintenanceReminder => "Upcoming maintenance",
            NotificationEvent::MaintenanceStarted => "Maintenance started",
            NotificationEvent::MaintenanceCompleted => "Maintenance completed",
            NotificationEvent::MonitorFailing => "Monitor failing",
            NotificationEvent::MonitorRecovered => "Monitor recovered",
        }
    }

    /// What a maintenance window moving to `to` tells subscribers: its start or its completion
    /// (a cancelled window tells nobody; it never started).
    pub fn of_maintenance_move(to: crate::MaintenanceStatus) -> Option<NotificationEvent> {
        match to {
            crate::MaintenanceStatus::InProgress => Some(NotificationEvent::MaintenanceStarted),
            crate::MaintenanceStatus::Completed => Some(NotificationEvent::MaintenanceCompleted),
            crate::MaintenanceStatus::Scheduled | crate::MaintenanceStatus::Cancelled => None,
        }
    }

    /// Whether only the team hears it (integrations, never the page's subscribers): a monitor's
    /// alerts are about what the team watches, not what the page says.
    pub fn is_team_only(self) -> bool {
        matches!(
            self,
            NotificationEvent::MonitorFailing | NotificationEvent::MonitorRecovered
        )
    }

    /// Whether the event is about a maintenance window (else an incident or a monitor).
    pub fn is_maintenance(self) -> bool {
        matches!(
            self,
            NotificationEvent::MaintenanceScheduled
                | NotificationEvent::MaintenanceReminder
                | NotificationEvent::MaintenanceStarted
                | NotificationEvent::MaintenanceCompleted
        )
    }
}

impl std::fmt::Display for NotificationEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for NotificationEvent {
    type Err = crate::status::ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NotificationEvent::ALL
            .iter()
            .copied()
            .find(|event| event.as_str() == s)
            .ok_or_else(|| crate::status::ParseEnumError {
                kind: "event type",
                value: s.to_owned(),
                expected: NotificationEvent::TEXTS,
            })
    }
}
