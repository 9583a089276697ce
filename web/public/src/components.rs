//! Pieces the public pages and the dashboard both show: a service status badge and one update
//! of an incident's timeline.

use crate::{i18n, time};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use upstate_shared::{IncidentStatus, ServiceStatus};

/// The CSS class of a status (its colour, always beside an icon and a word).
pub fn status_class(status: ServiceStatus) -> &'static str {
    match status {
        ServiceStatus::Operational => "status-operational",
        ServiceStatus::DegradedPerformance => "status-degraded",
        ServiceStatus::PartialOutage => "status-partial",
        ServiceStatus::MajorOutage => "status-major",
        ServiceStatus::UnderMaintenance => "status-maintenance",
    }
}

/// A status in an icon and a word: never colour alone.
#[component]
pub fn StatusBadge(status: ServiceStatus) -> impl IntoView {
    let icon = match status {
        ServiceStatus::Operational => "✓",
        ServiceStatus::DegradedPerformance => "!",
        ServiceStatus::PartialOutage => "!",
        ServiceStatus::MajorOutage => "✕",
        ServiceStatus::UnderMaintenance => "⚙",
    };
    view! {
        <span class=format!("status {}", status_class(status))>
            <span class="status-icon" aria-hidden="true">{icon}</span>
            <span class="status-word">{i18n::service_status(crate::locale(), status)}</span>
        </span>
    }
}

/// One update of an incident's timeline: its status, its message (rendered Markdown from the
/// server) and when it was posted, in the visitor's time.
#[component]
pub fn TimelineUpdate(
    status: IncidentStatus,
    message_html: String,
    at: DateTime<Utc>,
) -> impl IntoView {
    let locale = crate::locale();
    view! {
        <li class="update" data-testid="update">
            <p class="update-status"><strong>{i18n::incident_status(locale, status)}</strong></p>
            <div class="message" inner_html=message_html></div>
            <p class="meta"><time datetime=at.to_rfc3339() data-show="local">{time::local_in(locale, at)}</time></p>
        </li>
    }
}
