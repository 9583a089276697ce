//! The public pages as HTML: `/status/{org}` and `/status/{org}/incidents/{id}`. Each is
//! `web/dist/public.html` with the page drawn in it by the server (the views of
//! `upstate-public-page`, the same ones its browser bundle draws), so the first paint is the
//! real page, for every visitor, with or without JavaScript, and for link previews and search
//! engines; the page's snapshot inline as JSON, from which the bundle takes over with no
//! second round trip; and the org's name and state in `<title>` and Open Graph tags.
//!
//! The status page is rendered once per change of the org and cached with the summary.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_public_page::incident::IncidentSnapshot;
use upstate_public_page::status::{HISTORY_PAGE, StatusSnapshot};
use upstate_public_page::{INCIDENT_DATA_ID, STATUS_DATA_ID, escape};
use upstate_shared::dto::{Page, PublicSummary};
use upstate_shared::{IncidentId, OrgId};
use upstate_store::{StoreError, incidents};

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

/// What goes into the template: the title, head additions (already HTML) and the body.
struct Filled<'a> {
    title: &'a str,
    head: String,
    body: String,
}

fn fill(template: &str, page: Filled<'_>) -> String {
    template
        .replacen(
            "<title>Upstate</title>",
            &format!("<title>{}</title>", escape(page.title)),
            1,
        )
        .replacen(HEAD_MARK, &page.head, 1)
        .replacen(BODY_MARK, &page.body, 1)
}

/// The snapshot as an inline data island the bundle reads.
fn data_island(id: &str, value: &impl serde::Serialize) -> Result<String, ApiError> {
    let json = serde_json::to_string(value)
        .map_err(|err| ApiError::Internal(format!("serializing a page's snapshot: {err}")))?;
    Ok(format!(
        "<script id=\"{id}\" type=\"application/json\">{}</script>",
        script_safe(&json)
    ))
}

/// Open Graph and description tags.
fn preview(title: &str, description: &str, url: &str) -> String {
    format!(
        "<meta name=\"description\" content=\"{description}\">\n  \
         <meta property=\"og:type\" content=\"website\">\n  \
         <meta property=\"og:title\" content=\"{title}\">\n  \
         <meta property=\"og:description\" content=\"{description}\">\n  \
         <meta property=\"og:url\" content=\"{url}\">\n  ",
        title = escape(title),
        description = escape(description),
        url = escape(url),
    )
}

/// The status page, ready to paint.
pub fn status_html(template: &str, snapshot: &StatusSnapshot) -> Result<String, ApiError> {
    let summary = &snapshot.summary;
    let title = upstate_public_page::status::title(summary);
    let head = preview(
        &format!("{} status", summary.page.name),
        &format!(
            "{}. Live status of {}.",
            summary.status.description, summary.page.name
        ),
        &summary.page.url,
    );
    // The snapshot after the page: what a visitor sees first arrives first.
    let body =
        upstate_public_page::render_status(snapshot) + &data_island(STATUS_DATA_ID, snapshot)?;
    Ok(fill(
        template,
        Filled {
            title: &title,
            head,
            body,
        },
    ))
}

/// An incident's page, ready to paint.
pub fn incident_html(template: &str, snapshot: &IncidentSnapshot) -> Result<String, ApiError> {
    let title = upstate_public_page::incident::title(snapshot);
    let url = format!("{}/incidents/{}", snapshot.page.url, snapshot.incident.id);
    let latest = snapshot
        .incident
        .updates
        .last()
        .map_or(String::new(), |u| format!(" · {}", u.status.label()));
    let head = preview(
        &snapshot.incident.title,
        &format!(
            "{} impact{latest}. An incident on {}'s status page.",
            snapshot.incident.impact.label(),
            snapshot.page.name
        ),
        &url,
    );
    let body =
        upstate_public_page::render_incident(snapshot) + &data_island(INCIDENT_DATA_ID, snapshot)?;
    Ok(fill(
        template,
        Filled {
            title: &title,
            head,
            body,
        },
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
    fill(
        template,
        Filled {
            title: heading,
            head: "<meta name=\"robots\" content=\"noindex\">\n  ".to_owned(),
            body,
        },
    )
}

fn html(status: StatusCode, page: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(page)
}

/// The template, when the web app was built into this binary.
fn template(state: &AppState) -> Option<String> {
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
    // An unknown slug is a 404 from memory: no cache entry, no database read.
    let page = match state.directory.listed(&slug) {
        Err(missing) => Err(missing),
        Ok(()) => {
            state
                .public
                .get_or_compute(&format!("page:{slug}"), || async {
                    let (org, snapshot) = status_snapshot(&state, &slug).await?;
                    Rendered::html(org, status_html(&template, &snapshot)?)
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
        let org_id = cached.org.clone();
        let full = state
            .read(
                move |conn| match incidents::get(conn, &org_id, &incident_id) {
                    Err(StoreError::Gone(what)) => Err(StoreError::NotFound(what)),
                    other => other,
                },
            )
            .await?;
        Ok::<_, ApiError>(IncidentSnapshot {
            page: summary.page,
            incident: crate::views::public_incident(&full),
            services: summary.services,
            seq: summary.seq,
        })
    };
    match found.await {
        Ok(snapshot) => Ok(html(StatusCode::OK, incident_html(&template, &snapshot)?)),
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
