//! The public read path and real time: the cached public summary and uptime, the hub that
//! fans events out to WebSocket clients, and (on PostgreSQL) the listener that brings other
//! replicas' events in.

pub mod access;
pub mod badge;
pub mod cache;
pub mod custom_domain;
pub mod directory;
pub mod embed;
pub mod feed;
pub mod history;
pub mod hub;
pub mod language;
pub mod listener;
pub mod page;
pub mod sitemap;
pub mod sockets;
pub mod statuspage;
pub mod subscribe;
pub mod subscriptions;
pub mod summary;
pub mod uptime;
pub mod ws;

use crate::error::ApiError;
use crate::state::AppState;
use upstate_shared::dto::PublicIncident;
use upstate_shared::{IncidentId, OrgId};
use upstate_store::{Missing, StoreError, incidents, organizations};

/// One incident of `org` as visitors read it (the API's and the incident page's): a deleted one
/// is simply not there, a 404 like any other.
pub async fn incident(
    state: &AppState,
    org: OrgId,
    id: IncidentId,
) -> Result<PublicIncident, ApiError> {
    let full = state
        .read(move |conn| match incidents::get(conn, &org, &id) {
            Err(StoreError::Gone(what)) => Err(StoreError::NotFound(what)),
            other => other,
        })
        .await?;
    Ok(crate::views::public_incident(&full))
}

/// The address of an org's status page: its custom domain when it has one (the page is at
/// `/` there, over the scheme of the public URL, which is what a proxy in front serves), else
/// `{public URL}/status/{slug}`. What the page, its feeds and link previews call canonical.
pub fn page_url(public_url: &str, org: &organizations::Organization) -> String {
    match &org.custom_domain {
        Some(domain) => {
            let scheme = if public_url.starts_with("https://") {
                "https"
            } else {
                "http"
            };
            format!("{scheme}://{domain}")
        }
        None => format!("{public_url}/status/{}", org.slug),
    }
}

/// The org of a public path, or 404.
pub async fn org_of(
    state: &AppState,
    slug: String,
) -> Result<organizations::Organization, ApiError> {
    state.directory.listed(&slug)?;
    state
        .read(move |conn| {
            organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))
        })
        .await
}
