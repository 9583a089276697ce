//! The public reads the bundle makes after the first paint (the rest came inline): a fresh
//! summary after a live event it cannot apply in place, the next page of history, an
//! incident's new timeline.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use upstate_shared::IncidentId;
use upstate_shared::dto::{Page, PublicIncident, PublicSummary, UptimeReport};

/// Why a read failed, in words a visitor can read.
pub type Failed = String;

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failed> {
    // Revalidating whatever the browser cached: public answers allow 5 s of caching for CDNs,
    // and a live page that was told something changed must not be served the old copy.
    let response = Request::get(path)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|err| format!("The server could not be reached ({err})."))?;
    if !response.ok() {
        let body: Option<upstate_shared::ErrorBody> = response.json().await.ok();
        return Err(body.map_or_else(
            || format!("The server answered {}.", response.status()),
            |b| b.error.message,
        ));
    }
    response
        .json()
        .await
        .map_err(|err| format!("The answer could not be read ({err})."))
}

/// `GET /api/v1/public/{org}/summary`.
pub async fn summary(org: &str) -> Result<PublicSummary, Failed> {
    get(&format!("/api/v1/public/{org}/summary")).await
}

/// `GET /api/v1/public/{org}/uptime` (90 days).
pub async fn uptime(org: &str) -> Result<UptimeReport, Failed> {
    get(&format!("/api/v1/public/{org}/uptime?days=90")).await
}

/// `GET /api/v1/public/{org}/incidents`: the history, `limit` at a time, after `cursor`.
pub async fn history(
    org: &str,
    limit: u32,
    cursor: Option<&str>,
) -> Result<Page<PublicIncident>, Failed> {
    let after = cursor.map_or(String::new(), |c| format!("&cursor={c}"));
    get(&format!(
        "/api/v1/public/{org}/incidents?limit={limit}{after}"
    ))
    .await
}

/// `GET /api/v1/public/{org}/incidents/{id}`.
pub async fn incident(org: &str, id: &IncidentId) -> Result<PublicIncident, Failed> {
    get(&format!("/api/v1/public/{org}/incidents/{id}")).await
}
