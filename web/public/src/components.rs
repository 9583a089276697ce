//! Pieces the public pages and the dashboard both show: a service status badge and one update
//! of an incident's timeline.

use crate::{i18n, time};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use upstate_shared::dto::Branding;
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

/// The org's own links in a page's header, as its branding names them: its home page and
/// where to get help.
#[component]
pub fn BrandLinks(branding: Branding) -> impl IntoView {
    let Branding {
        home_url,
        support_url,
        ..
    } = branding;
    let locale = crate::locale();
    (home_url.is_some() || support_url.is_some()).then(|| {
        view! {
            <nav class="brand-links" aria-label=i18n::text(locale, "brand-links-label")>
                {home_url.map(|url| view! { <a href=url rel="external" data-testid="home-link">{i18n::text(locale, "home-link")}</a> })}
                {support_url.map(|url| view! { <a href=url rel="external" data-testid="support-link">{i18n::text(locale, "support-link")}</a> })}
            </nav>
        }
    })
}

/// The org's footer line, in plain text.
#[component]
pub fn BrandFooter(branding: Branding) -> impl IntoView {
    branding.footer_text.map(|text| {
        view! { <footer class="footer brand-footer" data-testid="brand-footer"><p>{text}</p></footer> }
    })
}
