//! Uptime per service and UTC day, from the status history: a day's worst status, its downtime
//! (a major outage counts fully, a partial outage at 30%), the incidents that touched it, and the
//! uptime percentage over the days with data. Days before a service existed have no data.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use std::collections::HashMap;
use upstate_shared::dto::{DayIncident, ServiceUptime, UptimeDay, UptimeReport};
use upstate_shared::{OrgId, ServiceId, ServiceStatus};
use upstate_store::{Missing, StoreError, incidents, organizations, services};

/// The most days a report covers.
pub const MAX_DAYS: u32 = 90;

/// Seconds of `status` that count as downtime, per second.
fn weight(status: ServiceStatus) -> f64 {
    match status {
        ServiceStatus::MajorOutage => 1.0,
        ServiceStatus::PartialOutage => 0.3,
        _ => 0.0,
    }
}

/// A service's statuses as spans: `(from, to, status)`, covering its life up to `now`.
fn spans(
    changes: &[(ServiceStatus, NaiveDateTime)],
    now: NaiveDateTime,
) -> Vec<(NaiveDateTime, NaiveDateTime, ServiceStatus)> {
    changes
        .iter()
        .enumerate()
        .map(|(i, (status, from))| {
            let to = changes.get(i + 1).map_or(now, |(_, next)| *next);
            (*from, to, *status)
        })
        .filter(|(from, to, _)| to > from)
        .collect()
}

/// The report for `days` days ending today, at `now`.
pub fn report(
    days: u32,
    now: NaiveDateTime,
    services: &[(ServiceId, NaiveDateTime)],
    changes: &[(ServiceId, ServiceStatus, NaiveDateTime)],
    touched_by: &[incidents::Touch],
) -> UptimeReport {
    let today = now.date();
    let first = today - Duration::days(i64::from(days) - 1);
    let mut by_service: HashMap<&ServiceId, Vec<(ServiceStatus, NaiveDateTime)>> = HashMap::new();
    for (service, status, at) in changes {
        by_service.entry(service).or_default().push((*status, *at));
    }
    let report_services = services
        .iter()
        .map(|(id, created_at)| {
            let spans = spans(by_service.get(id).map_or(&[][..], |c| c.as_slice()), now);
            let mut observed = 0.0;
            let mut downtime_total = 0.0;
            let day_list = (0..days)
                .map(|offset| {
                    let date: NaiveDate = first + Duration::days(i64::from(offset));
                    let start = date
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .max(*created_at);
                    let end = (date + Duration::days(1))
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default()
                        .min(now);
                    if end <= start {
                        return UptimeDay {
                            date,
                            worst_status: None,
                            downtime_seconds: 0,
                            incidents: Vec::new(),
                        };
                    }
                    let mut worst: Option<ServiceStatus> = None;
                    let mut downtime = 0.0;
                    for (from, to, status) in &spans {
                        let (a, b) = ((*from).max(start), (*to).min(end));
                        if b > a {
                            downtime +=
                                (b - a).num_milliseconds() as f64 / 1000.0 * weight(*status);
                            worst = Some(worst.map_or(*status, |w| w.worst(*status)));
                        }
                    }
                    observed += (end - start).num_milliseconds() as f64 / 1000.0;
                    downtime_total += downtime;
                    let incidents = touched_by
                        .iter()
                        .filter(|(_, _, service, opened, resolved)| {
                            service == id && *opened < end && resolved.is_none_or(|r| r >= start)
                        })
                        .map(|(incident, title, ..)| DayIncident {
                            id: incident.clone(),
                            title: title.clone(),
                        })
                        .collect();
                    UptimeDay {
                        date,
                        worst_status: Some(worst.unwrap_or(ServiceStatus::Operational)),
                        downtime_seconds: downtime.round() as u64,
                        incidents,
                    }
                })
                .collect();
            let uptime_percent = (observed > 0.0).then(|| {
                let percent = 100.0 * (1.0 - downtime_total / observed);
                (percent * 1000.0).round() / 1000.0
            });
            ServiceUptime {
                service_id: id.clone(),
                uptime_percent,
                days: day_list,
            }
        })
        .collect();
    UptimeReport {
        days,
        services: report_services,
    }
}

/// Reads what the report needs and builds it (with the org it is of).
pub async fn read(
    state: &AppState,
    slug: &str,
    days: u32,
) -> Result<(OrgId, UptimeReport), ApiError> {
    let slug = slug.to_owned();
    state
        .read(move |conn| {
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let org_id: OrgId = org.id;
            let now = Utc::now().naive_utc();
            let from = (now.date() - Duration::days(i64::from(days) - 1))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default();
            // A hidden service has no public uptime.
            let list: Vec<(ServiceId, NaiveDateTime)> = services::list(conn, &org_id)?
                .into_iter()
                .filter(|s| s.display != upstate_shared::ServiceDisplay::Hidden)
                .map(|s| (s.id, s.created_at))
                .collect();
            let changes = services::changes_for_uptime(conn, &org_id, from, now)?;
            let touched = incidents::overlapping(conn, &org_id, from, now)?;
            Ok((org_id, report(days, now, &list, &changes, &touched)))
        })
        .await
}

/// The report as the uptime endpoint answers it.
pub async fn compute(state: &AppState, slug: &str, days: u32) -> Result<Rendered, ApiError> {
    let (org, report) = read(state, slug, days).await?;
    Rendered::new(org, &report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
    }

    #[test]
    fn downtime_counts_major_fully_and_partial_at_thirty_percent() {
        use ServiceStatus::*;
        let s = || ServiceId("s".into());
        let services = vec![(s(), at(18, 12))];
        let changes = vec![
            (s(), Operational, at(18, 12)),
            (s(), MajorOutage, at(19, 10)),
            (s(), Operational, at(19, 12)),
            (s(), PartialOutage, at(20, 0)),
            (s(), DegradedPerformance, at(20, 10)),
            (s(), Operational, at(20, 11)),
        ];
        let report = report(5, at(21, 6), &services, &changes, &[]);
        let days = &report.services[0].days;
        let summary: Vec<_> = days
            .iter()
            .map(|d| (d.date.to_string(), d.worst_status, d.downtime_seconds))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("2026-11-17".to_string(), None, 0),
                ("2026-11-18".to_string(), Some(Operational), 0),
                ("2026-11-19".to_string(), Some(MajorOutage), 7200),
                ("2026-11-20".to_string(), Some(PartialOutage), 10800),
                ("2026-11-21".to_string(), Some(Operational), 0),
            ]
        );
        // Observed: 12 h + 24 h + 24 h + 6 h = 66 h; down 7200 + 10800 s = 5 h.
        let expected = ((100.0 * (1.0 - 18000.0 / (66.0 * 3600.0))) * 1000.0_f64).round() / 1000.0;
        assert_eq!(report.services[0].uptime_percent, Some(expected));
        assert_eq!(expected, 92.424);
    }
}
