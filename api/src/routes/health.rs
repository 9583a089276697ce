//! `GET /healthz` (the process is up) and `GET /readyz` (and its database answers).

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{HttpResponse, web};
use upstate_shared::dto::Health;

/// 200 while the process serves requests.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Health {
            status: "ok".into(),
        })
}

/// 200 when the database answers, else 503 with the error body.
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.ping().await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(Health {
            status: "ok".into(),
        }))
}
