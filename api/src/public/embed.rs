//! What a customer puts on their own site: `GET /status/{org}/embed.js`, a small script that
//! shows a banner while an incident is open or a maintenance is in progress (`embed.js` beside
//! this file, hand-written), and `GET /status/{org}/embed`, a compact view of the page for an
//! `<iframe>`, drawn by the server with no script at all.
//!
//! These two are the only answers other sites may load and frame (`crate::headers::Embeddable`):
//! every other answer stays `X-Frame-Options: DENY`, `frame-ancestors 'none'`. Both are held in
//! the public cache like the badges and feeds (ETag, 304, a 5-second lifetime, redrawn when
//! the org changes).

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use upstate_public_page::escape;
use upstate_shared::MaintenanceStatus;
use upstate_shared::dto::PublicSummary;

/// The embed script, as served (kept readable: it is small enough with its comments, and the
/// budget test holds it to 5 KB brotli-compressed).
pub const SCRIPT: &str = include_str!("embed.js");

/// `GET /status/{org}/embed.js`: the banner script; 404 for an org that does not exist (a typo
/// in the snippet shows in the browser's console, not as silence).
pub async fn script(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("embed.js:{slug}"), || async {
            let org = crate::public::org_of(&state, slug.clone()).await?;
            Rendered::of(
                org.id,
                "text/javascript; charset=utf-8",
                SCRIPT.as_bytes().to_vec(),
            )
        })
        .await?;
    let mut response = rendered.respond(&req);
    crate::headers::embeddable(&mut response);
    Ok(response)
}

/// `GET /status/{org}/embed`: the compact view, drawn from the cached summary.
pub async fn view(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    state.directory.listed(&slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("embed:{slug}"), || async {
            let summary = crate::public::summary::cached(&state, &slug).await?;
            let parsed: PublicSummary = serde_json::from_slice(&summary.json).map_err(|err| {
                ApiError::Internal(format!("reading the cached summary failed: {err}"))
            })?;
            Rendered::html(summary.org.clone(), compact_html(&parsed))
        })
        .await?;
    let mut response = rendered.respond(&req);
    crate::headers::embeddable(&mut response);
    Ok(response)
}

/// The compact view's styles: the status colours of the page (`web/style.css`), in a light and
/// a dark set, each at least 4.5:1 against its background (WCAG AA).
const STYLE: &str = "\
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;\
--none:#1a7f37;--minor:#9a6700;--major:#bc4c00;--critical:#cf222e;--maintenance:#0969da}\
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;\
--line:#3d444d;--none:#3fb950;--minor:#d29922;--major:#f0883e;--critical:#ff7b72;\
--maintenance:#58a6ff}}\
*{box-sizing:border-box}\
body{margin:0;padding:12px 14px;background:var(--bg);color:var(--fg);\
font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
h1{margin:0;font-size:15px}\
a{color:inherit}\
.state{margin:4px 0 0;font-weight:600}\
.state::before{content:'';display:inline-block;width:.7em;height:.7em;border-radius:50%;\
background:currentColor;margin-right:.45em}\
.none{color:var(--none)}.minor{color:var(--minor)}.major{color:var(--major)}\
.critical{color:var(--critical)}.maintenance{color:var(--maintenance)}\
ul{list-style:none;margin:8px 0 0;padding:0}\
li{padding:6px 0;border-top:1px solid var(--line)}\
li>span{display:block;color:var(--muted);font-size:13px}\
.more{margin:8px 0 0;font-size:13px}";

/// The compact view of a page: its name, its overall state in words and colour, its open
/// incidents and the maintenance in progress, each linking to the page (in a new tab: the
/// frame is someone else's site).
pub fn compact_html(summary: &PublicSummary) -> String {
    let page = &summary.page;
    let link = |href: &str, text: &str| {
        format!(
            "<a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>",
            escape(href),
            escape(text)
        )
    };
    let incidents = summary.incidents.iter().map(|incident| {
        format!(
            "<li class=\"incident\">{}<span>{} · <span class=\"{}\">{} impact</span></span></li>",
            link(
                &format!("{}/incidents/{}", page.url, incident.id),
                &incident.title
            ),
            incident.status.label(),
            incident.impact.as_str(),
            incident.impact.label(),
        )
    });
    let maintenance = summary
        .maintenances
        .iter()
        .filter(|window| window.status == MaintenanceStatus::InProgress)
        .map(|window| {
            format!(
                "<li class=\"maintenance\">{}<span>Maintenance in progress</span></li>",
                link(&page.url, &window.title)
            )
        });
    let items: String = incidents.chain(maintenance).collect();
    let list = if items.is_empty() {
        String::new()
    } else {
        format!("<ul>{items}</ul>")
    };
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{name} status</title>\
         <style>{STYLE}</style></head><body><main>\
         <h1>{title}</h1><p class=\"state {indicator}\" data-testid=\"state\">{state}</p>{list}\
         <p class=\"more\">{more}</p></main></body></html>",
        name = escape(&page.name),
        title = link(&page.url, &page.name),
        indicator = summary.status.indicator.as_str(),
        state = escape(&summary.status.description),
        more = link(&page.url, "View the full status page"),
    )
}
