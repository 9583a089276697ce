//! The public pages as HTML: `/status/{org}` and `/status/{org}/incidents/{id}`. Each is
//! `web/dist/public.html` with the page drawn in it by the server (the views of
//! `upstate-public-page`, the same ones its browser bundle draws), so the first paint is the
//! real page, for every visitor, with or without JavaScript, and for link previews and search
//! engines; the page's snapshot inline as JSON, from which the bundle takes over with no
//! second round trip; and the org's name and state in `<title>` and Open Graph tags.
//!
//! The status page is rendered once per change of the org and cached with the summary. On the
//! org's custom domain (`crate::public::custom_domain`) its links are made relative to `/`.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::public::custom_domain::{on_custom_domain, within_domain};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_public_page::incident::IncidentSnapshot;
use upstate_public_page::status::{HISTORY_PAGE, StatusSnapshot};
use upstate_public_page::{INCIDENT_DATA_ID, STATUS_DATA_ID, escape};
use upstate_shared::dto::{Page, PublicSummary};
use upstate_shared::{IncidentId, OrgId};
use upstate_store::incidents;

/// The template of the public pages, built by `scripts/build-web.sh`.
pub const TEMPLATE: &str = "public.html";
/// Where a page's head additions go (a comment in `web/public/index.html`).
pub const HEAD_MARK: &str = "<!--upstate:head-->";
/// Where the page itself goes.
pub const BODY_MARK: &str = "<!--upstate:body-->";

/// JSON that is safe inside `<script>`: no `<`, `>` or `&` that could close the element.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// What a page says of itself to link previews and search engines.
pub(crate) struct Preview<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    /// The page's feeds (`<link rel="alternate">`).
    feeds: String,
}

/// The template with the page in it: its title, its preview tags (or none, with `noindex`),
/// and its body.
pub(crate) fn fill(
    template: &str,
    title: &str,
    preview: Option<Preview<'_>>,
    body: &str,
) -> String {
    let head = match preview {
        Some(Preview {
            title,
            description,
            url,
            feeds,
        }) => format!(
            "{feeds}<meta name=\"description\" content=\"{description}\">\n  \
             <meta property=\"og:type\" content=\"website\">\n  \
             <meta property=\"og:title\" content=\"{title}\">\n  \
             <meta property=\"og:description\" content=\"{description}\">\n  \
             <meta property=\"og:url\" content=\"{url}\">\n  ",
            title = escape(title),
            description = escape(description),
            url = escape(url),
        ),
        None => "<meta name=\"robots\" content=\"noindex\">\n  ".to_owned(),
    };
    template
        .replacen(
            "<title>Upstate</title>",
            &format!("<title>{}</title>", escape(title)),
            1,
        )
        .replacen(HEAD_MARK, &head, 1)
        .replacen(BODY_MARK, body, 1)
}

/// The page drawn by the server, then its snapshot as an inline data island the bundle reads
/// (after the page: what a visitor sees first arrives first).
fn with_snapshot(
    page: String,
    id: &str,
    snapshot: &impl serde::Serialize,
) -> Result<String, ApiError> {
    let json = serde_json::to_string(snapshot)
        .map_err(|err| ApiError::Internal(format!("serializing a page's snapshot: {err}")))?;
    Ok(format!(
        "{page}<script id=\"{id}\" type=\"application/json\">{}</script>",
        script_safe(&json)
    ))
}

/// The status page, ready to paint.
pub fn status_html(template: &str, snapshot: &StatusSnapshot) -> Result<String, ApiError> {
    let summary = &snapshot.summary;
    let description = format!(
        "{}. Live status of {}.",
        summary.status.description, summary.page.name
    );
    let preview = Preview {
        title: &format!("{} status", summary.page.name),
        description: &description,
        url: &summary.page.url,
        feeds: crate::public::feed::head_links(&summary.page.name, &summary.page.slug),
    };
    let body = with_snapshot(
        upstate_public_page::render_status(snapshot),
        STATUS_DATA_ID,
        &snapshot.to_inline(),
    )?;
    Ok(fill(
        template,
        &upstate_public_page::status::title(summary),
        Some(preview),
        &body,
    ))
}

/// An incident's page, ready to paint.
pub fn incident_html(template: &str, snapshot: &IncidentSnapshot) -> Result<String, ApiError> {
    let incident = &snapshot.incident;
    let latest = incident
        .updates
        .last()
        .map_or(String::new(), |u| format!(" · {}", u.status.label()));
    let description = format!(
        "{} impact{latest}. An incident on {}'s status page.",
        incident.impact.label(),
        snapshot.page.name
    );
    let preview = Preview {
        title: &incident.title,
        description: &description,
        url: &format!("{}/incidents/{}", snapshot.page.url, incident.id),
        feeds: crate::public::feed::head_links(&snapshot.page.name, &snapshot.page.slug),
    };
    let body = with_snapshot(
        upstate_public_page::render_incident(snapshot),
        INCIDENT_DATA_ID,
        snapshot,
    )?;
    Ok(fill(
        template,
        &upstate_public_page::incident::title(snapshot),
        Some(preview),
        &body,
    ))
}

/// A page that is not there: said in words, with a way back, as a 404.
fn missing_html(template: &str, heading: &str, text: &str) -> String {
    let body = format!(
        "<div class=\"page\"><main class=\"empty-state\"><h1>{heading}</h1><p>{text}</p>\
         <p><a href=\"/\">Go to the start page</a></p></main></div>",
        heading = escape(heading),
        text = escape(text),
    );
    fill(template, heading, None, &body)
}

/// A private page (`crate::public::access`) tells search engines not to index it, in its
/// `<head>` as well as in its headers.
fn private_noindex(state: &AppState, org: &OrgId, page: String) -> String {
    if state.directory.rule(org).is_some() {
        page.replacen(
            "<head>",
            "<head>\n  <meta name=\"robots\" content=\"noindex\">",
            1,
        )
    } else {
        page
    }
}

pub(crate) fn html(status: StatusCode, page: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(page)
}

/// The template, when the web app was built into this binary.
pub(crate) fn template(state: &AppState) -> Option<String> {
    state
        .assets
        .get(TEMPLATE)
        .map(|asset| String::from_utf8_lossy(&asset.bytes).into_owned())
}

/// Everything the status page shows when it opens.
async fn status_snapshot(
    state: &AppState,
    slug: &str,
) -> Result<(OrgId, StatusSnapshot), ApiError> {
    let (rendered, summary) = crate::public::summary::compute(state, slug).await?;
    let (_, uptime) =
        crate::public::uptime::read(state, slug, crate::public::uptime::MAX_DAYS).await?;
    let org = rendered.org.clone();
    let org_id = org.clone();
    let limit = i64::from(HISTORY_PAGE);
    let list = state
        .read(move |conn| incidents::history(conn, &org_id, None, None, None, limit + 1))
        .await?;
    let (list, next_cursor) = crate::views::page_of(list, limit, |i| i.incident.id.clone());
    let snapshot = StatusSnapshot {
        summary,
        uptime,
        history: Page {
            items: list.iter().map(crate::views::public_incident).collect(),
            next_cursor,
        },
    };
    Ok((org, snapshot))
}

/// `GET /status/{org}`: the status page, ready to paint.
pub async fn status_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    let Some(template) = template(&state) else {
        return crate::spa::serve(req, state).await;
    };
    // On the org's custom domain its links stay there: drawn so once per change, kept apart.
    let on_domain = on_custom_domain(&req);
    let key = if on_domain {
        format!("page@domain:{slug}")
    } else {
        format!("page:{slug}")
    };
    // An unknown slug is a 404 from memory: no cache entry, no database read.
    let page = match state.directory.listed(&slug) {
        Err(missing) => Err(missing),
        Ok(()) => {
            state
                .public
                .get_or_compute(&key, || async {
                    let (org, snapshot) = status_snapshot(&state, &slug).await?;
                    let html = private_noindex(&state, &org, status_html(&template, &snapshot)?);
                    if on_domain {
                        Rendered::html(org, within_domain(&html, &slug))
                    } else {
                        Rendered::html(org, html)
                    }
                })
                .await
        }
    };
    match page {
        Ok(page) => Ok(page.respond(&req)),
        Err(ApiError::NotFound(_)) => Ok(html(
            StatusCode::NOT_FOUND,
            missing_html(
                &template,
                "No status page here",
                &format!("There is no organization called “{slug}”."),
            ),
        )),
        Err(other) => Err(other),
    }
}

/// `/status/{org}/incidents/{incident_id}`
#[derive(Debug, Deserialize)]
pub struct IncidentPagePath {
    pub org: String,
    pub incident_id: IncidentId,
}

/// `GET /status/{org}/incidents/{incident_id}`: an incident's page, ready to paint.
pub async fn incident_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<IncidentPagePath>,
) -> Result<HttpResponse, ApiError> {
    let IncidentPagePath { org, incident_id } = path.into_inner();
    let Some(template) = template(&state) else {
        return crate::spa::serve(req, state).await;
    };
    let found = async {
        state.directory.listed(&org)?;
        // The page's name and services, from the summary in memory.
        let cached = crate::public::summary::cached(&state, &org).await?;
        let summary: PublicSummary = serde_json::from_slice(&cached.json)
            .map_err(|err| ApiError::Internal(format!("reading a cached summary: {err}")))?;
        let incident = crate::public::incident(&state, cached.org.clone(), incident_id).await?;
        Ok::<_, ApiError>((
            cached.org.clone(),
            IncidentSnapshot {
                page: summary.page,
                incident,
                services: summary.services,
                seq: summary.seq,
            },
        ))
    };
    match found.await {
        Ok((org_id, snapshot)) => {
            let page = private_noindex(&state, &org_id, incident_html(&template, &snapshot)?);
            if on_custom_domain(&req) {
                Ok(html(StatusCode::OK, within_domain(&page, &org)))
            } else {
                Ok(html(StatusCode::OK, page))
            }
        }
        Err(ApiError::NotFound(_)) => Ok(html(
            StatusCode::NOT_FOUND,
            missing_html(
                &template,
                "No such incident",
                "This status page has no incident at this address.",
            ),
        )),
        Err(other) => Err(other),
    }
}
