//! `/status/{org}` as HTML: the web app's `index.html` with the org's current summary inline (the
//! same cached answer as the summary endpoint, so the app renders with no second round trip), the
//! org's name and state in `<title>` and Open Graph tags, and a plain-HTML rendering of the
//! banner, services and open incidents in `<noscript>`, for visitors without JavaScript, link
//! previews and search engines.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use upstate_shared::dto::PublicSummary;

/// Where the page's head additions go (a comment in `web/index.html`).
pub const HEAD_MARK: &str = "<!--upstate:head-->";
/// Where the no-JavaScript rendering goes.
pub const NOSCRIPT_MARK: &str = "<!--upstate:noscript-->";

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that is safe inside `<script>`: no `<`, `>` or `&` that could close the element.
fn script_safe(json: &[u8]) -> String {
    String::from_utf8_lossy(json)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The index page with the summary in it.
pub fn render(template: &str, summary: &PublicSummary, json: &[u8]) -> String {
    let name = escape(&summary.page.name);
    let state = escape(&summary.status.description);
    let title = format!("{state} · {name} status");
    let head = format!(
        "<meta name=\"description\" content=\"{state}. Live status of {name}.\">\n  \
         <meta property=\"og:type\" content=\"website\">\n  \
         <meta property=\"og:title\" content=\"{name} status\">\n  \
         <meta property=\"og:description\" content=\"{state}\">\n  \
         <meta property=\"og:url\" content=\"{url}\">\n  \
         <script id=\"upstate-summary\" type=\"application/json\">{data}</script>",
        url = escape(&summary.page.url),
        data = script_safe(json),
    );
    let mut body = format!(
        "<noscript><div class=\"page static-page\"><header class=\"masthead\"><h1>{name}</h1></header>\
         <p class=\"banner banner-{indicator}\">{state}</p>",
        indicator = summary.status.indicator.as_str(),
    );
    if !summary.incidents.is_empty() {
        body.push_str("<h2>Open incidents</h2><ul>");
        for incident in &summary.incidents {
            body.push_str(&format!(
                "<li><strong>{}</strong> ({}, {} impact)</li>",
                escape(&incident.title),
                incident.status,
                incident.impact
            ));
        }
        body.push_str("</ul>");
    }
    if !summary.maintenances.is_empty() {
        body.push_str("<h2>Maintenance</h2><ul>");
        for window in &summary.maintenances {
            body.push_str(&format!(
                "<li><strong>{}</strong>: {} to {} (UTC)</li>",
                escape(&window.title),
                window.scheduled_start.format("%Y-%m-%d %H:%M"),
                window.scheduled_end.format("%Y-%m-%d %H:%M")
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str("<h2>Services</h2><ul>");
    for service in &summary.services {
        body.push_str(&format!(
            "<li>{}: {}</li>",
            escape(&service.name),
            service.status.label()
        ));
    }
    body.push_str("</ul></div></noscript>");
    template
        .replacen(
            "<title>Upstate</title>",
            &format!("<title>{title}</title>"),
            1,
        )
        .replacen(HEAD_MARK, &head, 1)
        .replacen(NOSCRIPT_MARK, &body, 1)
}

/// `GET /status/{org}`: the status page, ready to paint.
pub async fn status_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    let Some(template) = state.assets.get("index.html") else {
        return crate::spa::serve(req, state).await;
    };
    // An unknown slug is a 404 from memory: no cache entry, no database read.
    let page = match state.directory.listed(&slug) {
        Err(missing) => Err(missing),
        Ok(()) => {
            state
                .public
                .get_or_compute(&format!("page:{slug}"), || async {
                    let (rendered, summary) =
                        crate::public::summary::compute(&state, &slug).await?;
                    let html = render(
                        &String::from_utf8_lossy(&template.bytes),
                        &summary,
                        &rendered.json,
                    );
                    Rendered::html(rendered.org.clone(), html)
                })
                .await
        }
    };
    match page {
        Ok(page) => Ok(page.respond(&req)),
        // An unknown org: the app shows its "no status page here", with a 404 for robots.
        Err(ApiError::NotFound(_)) => {
            let mut response = crate::spa::serve(req, state).await?;
            *response.status_mut() = actix_web::http::StatusCode::NOT_FOUND;
            Ok(response)
        }
        Err(other) => Err(other),
    }
}
