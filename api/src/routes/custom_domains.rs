//! `GET /api/v1/custom-domains/check?domain=`: whether a host name is an org's custom domain.
//! A reverse proxy that issues TLS certificates on demand asks this before it asks a CA for a
//! name (Caddy's `on_demand_tls { ask ... }`), so only the orgs' own names get certificates and
//! nobody can make it request certificates for names of their choosing (README, "Custom
//! domains"). Answered from memory: it is on the path of every first TLS handshake.

use crate::error::ApiError;
use crate::public::custom_domain;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use upstate_shared::dto::CustomDomain;
use upstate_shared::valid::host_name;

/// `?domain=`
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// The host name asked about (`status.example.com`).
    #[param(max_length = 253, example = "status.example.com")]
    pub domain: String,
}

#[utoipa::path(
    get,
    path = "/api/v1/custom-domains/check",
    tag = "public",
    operation_id = "custom_domains_check",
    params(CheckQuery),
    responses(
        (status = 200, description = "The name is an organization's custom domain: a certificate may be issued for it", body = upstate_shared::dto::CustomDomain),
        (status = 404, description = "No organization has this name", body = upstate_shared::ErrorBody),
    ),
)]
/// Whether `?domain=` belongs to an organization (for proxies that issue certificates on demand).
pub async fn check(
    state: web::Data<AppState>,
    query: web::Query<CheckQuery>,
) -> Result<HttpResponse, ApiError> {
    let domain = host_name(&query.domain)
        .map_err(|problem| ApiError::BadRequest(format!("`domain` {problem}.")))?;
    match custom_domain::owner_of(&state, &domain).await {
        Some(_) => Ok(HttpResponse::Ok().json(CustomDomain { domain })),
        None => Err(ApiError::NotFound(
            "No organization has this custom domain.".into(),
        )),
    }
}
