//! The whole URL space in one place. Each resource's module has a `configure` that mounts its
//! handlers; this file says where.

use crate::error::ApiError;
use actix_web::web;

pub mod health;
pub mod meta;

/// Mounts every route of the server. Paths that match none fall to the web app
/// (see [`crate::spa::serve`]), except under `/api`, where they are a JSON 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(
            web::scope("/api")
                .service(
                    web::scope("/v1")
                        .configure(meta::configure)
                        .default_service(web::to(api_not_found)),
                )
                .default_service(web::to(api_not_found)),
        );
}

async fn api_not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound(
        "There is no API route at this path.".into(),
    ))
}
