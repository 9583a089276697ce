//! `GET /api/v1/meta`: which server and version this is, and whether it is its first run (no
//! account yet); and `GET /robots.txt`, what search engines may index.

use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::atomic::Ordering;
use upstate_shared::dto::ServerInfo;
use upstate_store::users;

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
        first_run: !accounts_exist(&state).await,
    })
}

/// Whether the server has an account: asked of the database until the answer is yes (an
/// account is never "un-made" into a first run). When the database cannot say, yes: a start
/// page that offers to sign in is right either way.
async fn accounts_exist(state: &AppState) -> bool {
    if state.accounts_exist.load(Ordering::Relaxed) {
        return true;
    }
    let exist = state.read(users::any).await.unwrap_or(true);
    if exist {
        state.accounts_exist.store(true, Ordering::Relaxed);
    }
    exist
}

/// What crawlers may index: the status pages (public, and worth finding during an outage), not
/// the API, the dashboard or the links sent by email.
const ROBOTS: &str = "User-agent: *\n\
Allow: /status/\n\
Disallow: /api/\n\
Disallow: /dashboard\n\
Disallow: /invite\n\
Disallow: /login\n\
Disallow: /signup\n\
Disallow: /forgot-password\n\
Disallow: /reset-password\n\
Disallow: /verify-email\n";

/// `GET /robots.txt` (it answered the web app's HTML, which crawlers read as a broken file).
/// On an org's custom domain, which is that one status page, it names the page's sitemap
/// (`crate::public::sitemap`); the server's own host holds many pages, each with its own
/// sitemap at `/status/{org}/sitemap.xml`.
pub async fn robots_txt(req: HttpRequest) -> HttpResponse {
    let body = if crate::public::custom_domain::on_custom_domain(&req) {
        let info = req.connection_info();
        format!(
            "{ROBOTS}Sitemap: {}://{}/sitemap.xml\n",
            info.scheme(),
            info.host()
        )
    } else {
        ROBOTS.to_owned()
    };
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(body)
}
