//! The public reads the bundle makes after the first paint (the rest came inline): a fresh
//! summary after a live event it cannot apply in place, the next page of history, an
//! incident's new timeline.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use upstate_shared::IncidentId;
use upstate_shared::dto::{Page, PublicIncident, PublicSummary, UptimeReport};

/// A public read: `None` when it fails (the server out of reach, a refusal, an answer that does
/// not read). The page keeps what it shows and the live channel tells it when to try again, so
/// a visitor is told nothing of it: no words to carry for it in the bundle.
async fn get<T: DeserializeOwned>(path: &str) -> Option<T> {
    // Revalidating whatever the browser cached: public answers allow 5 s of caching for CDNs,
    // and a live page that was told something changed must not be served the old copy.
    let response = Request::get(path)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    response.json().await.ok()
}

/// `GET /api/v1/public/{org}/summary`.
pub async fn summary(org: &str) -> Option<PublicSummary> {
    get(&format!("/api/v1/public/{org}/summary")).await
}

/// `GET /api/v1/public/{org}/uptime` (90 days).
pub async fn uptime(org: &str) -> Option<UptimeReport> {
    get(&format!("/api/v1/public/{org}/uptime?days=90")).await
}

/// `GET /api/v1/public/{org}/incidents`: the history, `limit` at a time, after `cursor`.
pub async fn history(org: &str, limit: u32, cursor: Option<&str>) -> Option<Page<PublicIncident>> {
    let after = cursor.map_or(String::new(), |c| format!("&cursor={c}"));
    get(&format!(
        "/api/v1/public/{org}/incidents?limit={limit}{after}"
    ))
    .await
}

/// `GET /api/v1/public/{org}/incidents/{id}`.
pub async fn incident(org: &str, id: &IncidentId) -> Option<PublicIncident> {
    get(&format!("/api/v1/public/{org}/incidents/{id}")).await
}
