//! The public summary of an org: the page, the overall state, groups, services, open incidents
//! and current or upcoming maintenance. Its cost does not grow with the org's history: it reads
//! only what is open or upcoming.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use crate::views;
use chrono::Duration;
use std::sync::Arc;
use upstate_shared::dto::{OverallStatus, PublicPage, PublicSummary};
use upstate_shared::{ServiceDisplay, StatusIndicator};
use upstate_store::{Missing, StoreError, incidents, maintenances, organizations, services};

/// Maintenance starting within this long is shown as upcoming.
pub const UPCOMING: Duration = Duration::days(7);

/// The summary of the org with `slug` as the summary endpoint answers it: from memory, computed
/// once per change. The caller has checked that the slug is listed.
pub async fn cached(state: &AppState, slug: &str) -> Result<Arc<Rendered>, ApiError> {
    state
        .public
        .get_or_compute(&format!("summary:{slug}"), || async {
            compute(state, slug).await.map(|(rendered, _)| rendered)
        })
        .await
}

/// Reads and builds the summary of the org with `slug`; 404 when there is none.
pub async fn compute(state: &AppState, slug: &str) -> Result<(Rendered, PublicSummary), ApiError> {
    let slug = slug.to_owned();
    let public_url = state.settings.public_url.clone();
    let (org_id, summary) = state
        .read(move |conn| {
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let org_id = org.id.clone();
            let groups = services::list_groups(conn, &org_id)?;
            let list = services::list(conn, &org_id)?;
            let open = incidents::page(conn, &org_id, incidents::State::Open, None, 100)?;
            let windows =
                maintenances::current_and_upcoming(conn, &org_id, upstate_store::now() + UPCOMING)?;
            // A hidden service is the team's own: it does not count towards the page's state
            // (what the page says must be what it shows, as on Statuspage). One shown only when
            // not operational counts: it is on the page exactly when it matters.
            let indicator = StatusIndicator::overall(
                list.iter()
                    .filter(|s| s.display != ServiceDisplay::Hidden)
                    .map(|s| s.status),
                open.iter().map(|i| i.incident.impact),
            );
            let updated_at = list
                .iter()
                .map(|s| s.updated_at)
                .chain(groups.iter().map(|g| g.updated_at))
                .chain(open.iter().map(|i| i.incident.updated_at))
                .chain(windows.iter().map(|m| m.maintenance.updated_at))
                .fold(org.updated_at, |latest, at| latest.max(at));
            Ok((
                org_id,
                PublicSummary {
                    page: PublicPage {
                        url: crate::public::page_url(&public_url, &org),
                        name: org.name.clone(),
                        slug: org.slug.clone(),
                        branding: views::org(&org).branding,
                        default_language: views::language(&org),
                        updated_at: views::utc(updated_at),
                    },
                    status: OverallStatus {
                        indicator,
                        description: indicator.description().to_owned(),
                    },
                    groups: groups.iter().map(views::public_group).collect(),
                    services: views::listed_services(&list),
                    incidents: open.iter().map(views::public_incident).collect(),
                    maintenances: windows.iter().map(views::public_maintenance).collect(),
                    seq: org.event_seq.max(0) as u64,
                },
            ))
        })
        .await?;
    let rendered = Rendered::new(org_id, &summary)?;
    Ok((rendered, summary))
}
