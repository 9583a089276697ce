//! The notice: what happened on a status page, with everything each format needs to tell it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use upstate_shared::{ImpactLevel, IncidentStatus, MaintenanceStatus};

use crate::text::one_line;

/// What happened: the event types subscribers and webhook endpoints choose from (`shared`'s, as
/// the API names them).
pub use upstate_shared::NotificationEvent as Event;

/// What happened, ready to tell: one incident or maintenance change of one organization's
/// status page. The store writes it to the outbox as JSON in the transaction of the change; every
/// format (email, chat, webhook) is made from it alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// What happened.
    pub event: Event,
    /// The organization's slug (`acme`).
    pub org_slug: String,
    /// The organization's name, as its status page shows it (`Acme`).
    pub page_name: String,
    /// The absolute URL of the status page.
    pub page_url: String,
    /// The absolute URL of the incident's page (for maintenance, the status page's).
    pub link: String,
    /// The incident's or maintenance window's id.
    pub subject_id: String,
    /// The incident's or window's title.
    pub title: String,
    /// The status in the words people use ("Identified", "In progress").
    pub status: String,
    /// An incident's status as the API names it, so that a mail says it in its subscriber's
    /// language (absent in notices queued before mails had languages: they say `status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_status: Option<IncidentStatus>,
    /// A maintenance window's status, likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_status: Option<MaintenanceStatus>,
    /// An incident's impact, which sets the colour; none for maintenance.
    pub impact: Option<ImpactLevel>,
    /// The latest update's text: Markdown, as its author wrote it.
    pub message: String,
    /// The same text as sanitized HTML, safe to put in a page or a mail as it is.
    pub message_html: String,
    /// The names of the affected services (none: the notice says nothing about services).
    pub services: Vec<String>,
    /// A maintenance window's scheduled start and end.
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// How a notice looks: which colour family every format gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Over: resolved, completed. Green.
    Resolved,
    /// Planned work. Blue.
    Maintenance,
    /// An incident, by its impact: grey, yellow, orange, red.
    Incident(ImpactLevel),
}

impl Tone {
    /// The colour as `#rrggbb`: the status page's own status colours (its dark theme's, which
    /// stand out on light and dark chat backgrounds alike).
    pub(crate) fn hex(self) -> &'static str {
        match self {
            Tone::Resolved => "#3fb950",
            Tone::Maintenance => "#4493f8",
            Tone::Incident(ImpactLevel::None) => "#9198a1",
            Tone::Incident(ImpactLevel::Minor) => "#d29922",
            Tone::Incident(ImpactLevel::Major) => "#db6d28",
            Tone::Incident(ImpactLevel::Critical) => "#f85149",
        }
    }

    /// The colour as a number (`0xrrggbb`), as Discord takes it.
    pub(crate) fn number(self) -> u32 {
        u32::from_str_radix(self.hex().trim_start_matches('#'), 16).unwrap_or(0)
    }

    /// The nearest of an Adaptive Card's named text colours (cards have no arbitrary colours).
    /// Major and critical impacts are both `attention` (red): the card has no orange.
    pub(crate) fn adaptive_card_color(self) -> &'static str {
        match self {
            Tone::Resolved => "good",
            Tone::Maintenance => "accent",
            Tone::Incident(ImpactLevel::None) => "default",
            Tone::Incident(ImpactLevel::Minor) => "warning",
            Tone::Incident(ImpactLevel::Major | ImpactLevel::Critical) => "attention",
        }
    }
}

impl Notice {
    /// The colour family of this notice: resolved and completed are green, other maintenance
    /// blue, incidents by impact.
    pub(crate) fn tone(&self) -> Tone {
        match self.event {
            Event::IncidentResolved | Event::MaintenanceCompleted | Event::MonitorRecovered => {
                Tone::Resolved
            }
            event if event.is_maintenance() => Tone::Maintenance,
            _ => Tone::Incident(self.impact.unwrap_or(ImpactLevel::None)),
        }
    }

    /// The notice's colour as `#rrggbb`, the one every format uses: resolved and completed
    /// green, maintenance blue, incidents by impact (none grey, minor yellow, major orange,
    /// critical red).
    pub fn color(&self) -> &'static str {
        self.tone().hex()
    }

    /// The notice in one line, without the page's name: "Identified: Elevated API errors",
    /// "Maintenance started: Database upgrade".
    pub fn headline(&self) -> String {
        let what = if self.event.is_maintenance() {
            self.event.label()
        } else {
            self.status.as_str()
        };
        format!("{}: {}", one_line(what), one_line(&self.title))
    }

    /// The line a mailbox or a chat notification shows: "[Acme] Identified: Elevated API
    /// errors".
    pub fn summary(&self) -> String {
        format!("[{}] {}", one_line(&self.page_name), self.headline())
    }

    /// "Major impact", for incidents with an impact.
    pub(crate) fn impact_text(&self) -> Option<String> {
        self.impact
            .filter(|_| !self.event.is_maintenance())
            .map(|impact| format!("{} impact", impact.label()))
    }

    /// The status, and the impact if any: "Identified · Major impact".
    pub(crate) fn status_line(&self) -> String {
        match self.impact_text() {
            Some(impact) => format!("{} · {impact}", one_line(&self.status)),
            None => one_line(&self.status),
        }
    }

    /// The affected services as one comma-separated line, if any.
    pub(crate) fn services_text(&self) -> Option<String> {
        (!self.services.is_empty()).then(|| {
            self.services
                .iter()
                .map(|s| one_line(s))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// A maintenance window in UTC: "Tue 4 Mar 2025, 14:00–16:00 UTC", or with both dates when
    /// it spans midnight.
    pub(crate) fn window_text(&self) -> Option<String> {
        let (start, end) = self.window?;
        const DAY: &str = "%a %-d %b %Y";
        Some(if start.date_naive() == end.date_naive() {
            format!(
                "{}, {}–{} UTC",
                start.format(DAY),
                start.format("%H:%M"),
                end.format("%H:%M")
            )
        } else {
            format!(
                "{} UTC – {} UTC",
                start.format("%a %-d %b %Y %H:%M"),
                end.format("%a %-d %b %Y %H:%M")
            )
        })
    }

    /// The notice the "send a test message" button sends: grey, about no incident, saying it is
    /// a test from Upstate for this page.
    pub fn test(page_name: &str, page_url: &str, at: DateTime<Utc>) -> Notice {
        Notice {
            event: Event::IncidentUpdated,
            org_slug: String::new(),
            page_name: page_name.to_owned(),
            page_url: page_url.to_owned(),
            link: page_url.to_owned(),
            subject_id: "test".to_owned(),
            title: "Test message from Upstate".to_owned(),
            status: "Test".to_owned(),
            incident_status: None,
            maintenance_status: None,
            impact: None,
            message: format!(
                "This is a test message from Upstate for {}'s status page. If you can read it, \
                 its notifications will arrive here.",
                one_line(page_name)
            ),
            message_html: format!(
                "<p>This is a test message from Upstate for {}'s status page. If you can read \
                 it, its notifications will arrive here.</p>",
                crate::text::escape_html(&one_line(page_name))
            ),
            services: Vec::new(),
            window: None,
            at,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    /// An incident update of Acme's page, as the formats' tests start from.
    pub(crate) fn incident() -> Notice {
        Notice {
            event: Event::IncidentUpdated,
            org_slug: "acme".into(),
            page_name: "Acme".into(),
            page_url: "https://status.example.com/acme".into(),
            link: "https://status.example.com/acme/incidents/inc_123".into(),
            subject_id: "inc_123".into(),
            title: "Elevated API errors".into(),
            status: "Identified".into(),
            incident_status: Some(IncidentStatus::Identified),
            maintenance_status: None,
            impact: Some(ImpactLevel::Major),
            message: "We found the **cause** and are rolling back.".into(),
            message_html: "<p>We found the <strong>cause</strong> and are rolling back.</p>".into(),
            services: vec!["API".into(), "Dashboard".into()],
            window: None,
            at: Utc.with_ymd_and_hms(2025, 3, 4, 14, 5, 0).unwrap(),
        }
    }

    /// A maintenance window of Acme's page that has just started.
    pub(crate) fn maintenance() -> Notice {
        Notice {
            event: Event::MaintenanceStarted,
            title: "Database upgrade".into(),
            status: "In progress".into(),
            incident_status: None,
            maintenance_status: Some(MaintenanceStatus::InProgress),
            impact: None,
            link: "https://status.example.com/acme".into(),
            subject_id: "mnt_9".into(),
            message: "The upgrade has begun.".into(),
            message_html: "<p>The upgrade has begun.</p>".into(),
            services: vec!["Database".into()],
            window: Some((
                Utc.with_ymd_and_hms(2025, 3, 4, 14, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2025, 3, 4, 16, 0, 0).unwrap(),
            )),
            ..incident()
        }
    }

    #[test]
    fn events_round_trip_through_json_and_text() {
        assert_eq!(Event::ALL.len(), Event::TEXTS.len());
        for (event, text) in Event::ALL.iter().zip(Event::TEXTS) {
            assert_eq!(event.as_str(), *text);
            assert_eq!(serde_json::to_string(event).unwrap(), format!("\"{text}\""));
            assert_eq!(
                serde_json::from_str::<Event>(&format!("\"{text}\"")).unwrap(),
                *event
            );
            assert_eq!(text.parse::<Event>().unwrap(), *event);
            assert!(event.label().chars().next().unwrap().is_uppercase());
        }
        let err = "incident.deleted".parse::<Event>().unwrap_err();
        assert!(err.to_string().contains("maintenance.completed"), "{err}");
    }

    #[test]
    fn a_notice_survives_the_outbox() {
        for notice in [incident(), maintenance()] {
            let json = serde_json::to_string(&notice).unwrap();
            assert_eq!(serde_json::from_str::<Notice>(&json).unwrap(), notice);
        }
        let json = serde_json::to_value(incident()).unwrap();
        assert_eq!(json["event"], "incident.updated");
        assert_eq!(json["impact"], "major");
    }

    #[test]
    fn colours_follow_the_event_and_the_impact() {
        let with = |event, impact| Notice {
            event,
            impact,
            ..incident()
        };
        use Event::*;
        use ImpactLevel as I;
        assert_eq!(with(IncidentResolved, Some(I::Critical)).color(), "#3fb950");
        assert_eq!(with(MaintenanceCompleted, None).color(), "#3fb950");
        assert_eq!(with(MaintenanceScheduled, None).color(), "#4493f8");
        assert_eq!(with(MaintenanceStarted, None).color(), "#4493f8");
        assert_eq!(with(IncidentCreated, None).color(), "#9198a1");
        assert_eq!(with(IncidentCreated, Some(I::None)).color(), "#9198a1");
        assert_eq!(with(IncidentUpdated, Some(I::Minor)).color(), "#d29922");
        assert_eq!(with(IncidentUpdated, Some(I::Major)).color(), "#db6d28");
        assert_eq!(with(IncidentCreated, Some(I::Critical)).color(), "#f85149");
        for event in Event::ALL {
            for impact in I::ALL {
                let color = with(*event, Some(*impact)).color();
                assert!(
                    color.len() == 7
                        && color.starts_with('#')
                        && color[1..]
                            .chars()
                            .all(|c| c.is_ascii_hexdigit() && !c.is_uppercase()),
                    "{color}"
                );
            }
        }
    }

    #[test]
    fn headlines_say_the_status_of_incidents_and_the_event_of_maintenance() {
        assert_eq!(
            incident().summary(),
            "[Acme] Identified: Elevated API errors"
        );
        assert_eq!(
            maintenance().summary(),
            "[Acme] Maintenance started: Database upgrade"
        );
        let sneaky = Notice {
            title: "Outage\r\nBcc: everyone@example.com".into(),
            ..incident()
        };
        assert!(!sneaky.summary().contains('\n'));
    }

    #[test]
    fn windows_read_in_utc() {
        assert_eq!(
            maintenance().window_text().unwrap(),
            "Tue 4 Mar 2025, 14:00–16:00 UTC"
        );
        let overnight = Notice {
            window: Some((
                Utc.with_ymd_and_hms(2025, 3, 4, 22, 0, 0).unwrap(),
                Utc.with_ymd_and_hms(2025, 3, 5, 2, 30, 0).unwrap(),
            )),
            ..maintenance()
        };
        assert_eq!(
            overnight.window_text().unwrap(),
            "Tue 4 Mar 2025 22:00 UTC – Wed 5 Mar 2025 02:30 UTC"
        );
        assert_eq!(incident().window_text(), None);
    }
}
