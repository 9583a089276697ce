//! `GET /metrics` on the main listener: the Prometheus metrics ([`crate::metrics`]) for a
//! scraper that holds the metrics token.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};

/// Only with `UPSTATE_METRICS_TOKEN` set, and then only for `Authorization: Bearer <token>`
/// (compared in constant time): 401 otherwise. Without the setting, a 404 as for any path the
/// server does not have: the metrics are never public by default.
pub async fn scrape(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(token) = state.settings.metrics_token.as_deref() else {
        return Err(crate::metrics::not_found());
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or("");
    if !crate::metrics::same_secret(given, token) {
        return Err(ApiError::Unauthenticated(
            "The metrics need `Authorization: Bearer` with the metrics token.".into(),
        ));
    }
    crate::metrics::answer(&state).await
}
