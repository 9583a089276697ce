//! `GET /api/v1/meta`: which server and version this is.

use crate::state::AppState;
use actix_web::{HttpResponse, web};
use upstate_shared::dto::ServerInfo;

#[utoipa::path(
    get,
    path = "/api/v1/meta",
    tag = "meta",
    operation_id = "meta_get",
    responses((status = 200, description = "Which server this is", body = upstate_shared::dto::ServerInfo)),
)]
pub async fn get(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(ServerInfo {
        name: "Upstate".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: state.db.engine().as_str().into(),
    })
}
