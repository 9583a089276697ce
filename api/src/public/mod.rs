//! The public read path and real time: the cached public summary and uptime, the hub that
//! fans events out to WebSocket clients, and (on PostgreSQL) the listener that brings other
//! replicas' events in.

pub mod cache;
pub mod directory;
pub mod hub;
pub mod listener;
pub mod page;
pub mod sockets;
pub mod summary;
pub mod uptime;
pub mod ws;

use crate::error::ApiError;
use crate::state::AppState;
use upstate_shared::dto::PublicIncident;
use upstate_shared::{IncidentId, OrgId};
use upstate_store::{StoreError, incidents};

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
