//! The public read path: what a status page's visitors (and their browsers, CDNs and link
//! previews) get, with no credentials. Only public forms: no emails, no authors, no internals.

use crate::dto::Branding;
use crate::dto::status::{PublicIncident, PublicMaintenance, PublicService, PublicServiceGroup};
use crate::ids::{IncidentId, ServiceId};
use crate::locale::Locale;
use crate::status::{ImpactLevel, ServiceDisplay, ServiceStatus, StatusIndicator};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The page itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicPage {
    pub name: String,
    pub slug: String,
    /// The page's address.
    pub url: String,
    pub branding: Branding,
    /// The language the page speaks to a visitor whose browser asks for none of its languages.
    #[serde(default)]
    pub default_language: Locale,
    /// When anything on the page last changed.
    pub updated_at: DateTime<Utc>,
}

/// The overall state in one word and one sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverallStatus {
    pub indicator: StatusIndicator,
    /// e.g. "All systems operational".
    pub description: String,
}

/// `GET /api/v1/public/{org}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSummary {
    pub page: PublicPage,
    pub status: OverallStatus,
    pub groups: Vec<PublicServiceGroup>,
    pub services: Vec<PublicService>,
    /// Open incidents with their updates, newest first.
    pub incidents: Vec<PublicIncident>,
    /// Maintenance in progress, and scheduled to start within 7 days.
    pub maintenances: Vec<PublicMaintenance>,
    /// The org's event `seq` this summary includes: a live client applies only later events.
    pub seq: u64,
}

impl PublicSummary {
    /// The overall indicator of this page as it stands ([`StatusIndicator::overall`]): what the
    /// web app shows after applying live events in place.
    pub fn indicator(&self) -> StatusIndicator {
        StatusIndicator::overall(
            self.services
                .iter()
                .filter(|s| s.display != ServiceDisplay::Hidden)
                .map(|s| s.status),
            self.incidents.iter().map(|i| i.impact),
        )
    }
}

impl StatusIndicator {
    /// The sentence of the banner.
    pub fn description(self) -> &'static str {
        match self {
            StatusIndicator::None => "All systems operational",
            StatusIndicator::Minor => "Minor service disruption",
            StatusIndicator::Major => "Partial system outage",
            StatusIndicator::Critical => "Major system outage",
            StatusIndicator::Maintenance => "Scheduled maintenance in progress",
        }
    }

    fn rank(self) -> u8 {
        match self {
            StatusIndicator::None => 0,
            StatusIndicator::Maintenance => 1,
            StatusIndicator::Minor => 2,
            StatusIndicator::Major => 3,
            StatusIndicator::Critical => 4,
        }
    }

    /// The worse of two indicators.
    pub fn worst(self, other: StatusIndicator) -> StatusIndicator {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// What one open incident's impact says about the whole page.
    pub fn of_impact(impact: ImpactLevel) -> StatusIndicator {
        match impact {
            ImpactLevel::None => StatusIndicator::None,
            ImpactLevel::Minor => StatusIndicator::Minor,
            ImpactLevel::Major => StatusIndicator::Major,
            ImpactLevel::Critical => StatusIndicator::Critical,
        }
    }

    /// The page's overall indicator: the worst that its services' statuses and its open
    /// incidents' impacts say. The one rule the server's summary and the web app's live page
    /// both use.
    pub fn overall(
        services: impl IntoIterator<Item = ServiceStatus>,
        open_incidents: impl IntoIterator<Item = ImpactLevel>,
    ) -> StatusIndicator {
        services
            .into_iter()
            .map(StatusIndicator::of_service)
            .chain(open_incidents.into_iter().map(StatusIndicator::of_impact))
            .fold(StatusIndicator::None, StatusIndicator::worst)
    }

    /// What one service's status says about the whole page.
    pub fn of_service(status: ServiceStatus) -> StatusIndicator {
        match status {
            ServiceStatus::Operational => StatusIndicator::None,
            ServiceStatus::UnderMaintenance => StatusIndicator::Maintenance,
            ServiceStatus::DegradedPerformance => StatusIndicator::Minor,
            ServiceStatus::PartialOutage => StatusIndicator::Major,
            ServiceStatus::MajorOutage => StatusIndicator::Critical,
        }
    }
}

/// An incident named on a day of the uptime bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayIncident {
    pub id: IncidentId,
    pub title: String,
}

/// One UTC day of a service's uptime bar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UptimeDay {
    pub date: NaiveDate,
    /// The worst status of the day; `null` before the service existed (no data).
    pub worst_status: Option<ServiceStatus>,
    /// A major outage counts fully, a partial outage at 30%.
    pub downtime_seconds: u64,
    pub incidents: Vec<DayIncident>,
}

/// One service's uptime over the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceUptime {
    pub service_id: ServiceId,
    /// Over the days with data; `null` when there are none.
    pub uptime_percent: Option<f64>,
    /// Oldest first, the last one being today.
    pub days: Vec<UptimeDay>,
}

/// `GET /api/v1/public/{org}/uptime?days=N`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UptimeReport {
    pub days: u32,
    pub services: Vec<ServiceUptime>,
}

/// One calendar month (UTC) of a status page's history: `GET /api/v1/public/{org}/history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryMonth {
    /// The month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(example = "2026-11"))]
    pub month: String,
    /// The incidents declared in the month, newest first.
    pub incidents: Vec<PublicIncident>,
    /// The maintenance windows that took place (in progress or completed) and were scheduled
    /// to start in the month, latest first.
    pub maintenances: Vec<PublicMaintenance>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overall_indicator_is_the_worst_of_services_and_open_incidents() {
        use ImpactLevel as I;
        use ServiceStatus as S;
        assert_eq!(StatusIndicator::overall([], []), StatusIndicator::None);
        assert_eq!(
            StatusIndicator::overall([S::Operational, S::Operational], []),
            StatusIndicator::None
        );
        assert_eq!(
            StatusIndicator::overall([S::Operational, S::UnderMaintenance], []),
            StatusIndicator::Maintenance
        );
        // An outage outranks maintenance; a minor incident outranks neither.
        assert_eq!(
            StatusIndicator::overall([S::UnderMaintenance, S::PartialOutage], [I::Minor]),
            StatusIndicator::Major
        );
        assert_eq!(
            StatusIndicator::overall([S::Operational], [I::None, I::Critical]),
            StatusIndicator::Critical
        );
        assert_eq!(
            StatusIndicator::overall([S::DegradedPerformance], [I::None]),
            StatusIndicator::Minor
        );
    }
}
