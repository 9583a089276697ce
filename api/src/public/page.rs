//! The public pages as HTML: `/status/{org}` and `/status/{org}/incidents/{id}`. Each is
//! `web/dist/public.html` with the page drawn in it by the server (the views of
//! `upstate-public-page`, the same ones its browser bundle draws), so the first paint is the
//! real page, for every visitor, with or without JavaScript, and for link previews and search
//! engines; the page's snapshot inline as JSON, from which the bundle takes over with no
//! second round trip; and the org's name and state in `<title>` and Open Graph tags.
//!
//! The status page is rendered once per change of the org and language and cached with the
//! summary; both pages speak the visitor's language (`crate::public::language`). On the org's
//! custom domain (`crate::public::custom_domain`) its links are made relative to `/`.

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::public::custom_domain::{on_custom_domain, within_domain};
use crate::public::language;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use upstate_public_page::history::{HistorySnapshot, month_name};
use upstate_public_page::incident::IncidentSnapshot;
use upstate_public_page::status::{HISTORY_PAGE, StatusSnapshot};
use upstate_public_page::{CATALOG_DATA_ID, INCIDENT_DATA_ID, STATUS_DATA_ID, escape, i18n};
use upstate_shared::dto::{Branding, Page, PublicSummary};
use upstate_shared::{IncidentId, Locale, OrgId, Theme};
use upstate_store::{incidents, organizations};

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

/// What of an org's branding goes into a page's document rather than its views: the theme (on
/// `<html>`), the favicon, and the custom CSS (checked by `upstate_shared::css`, so it cannot
/// end its element), last in the head so that its rules win.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look<'a> {
    pub theme: Theme,
    pub favicon_url: Option<&'a str>,
    pub custom_css: Option<&'a str>,
}

impl<'a> Look<'a> {
    /// The look of a page with `branding` and the org's `custom_css`.
    pub fn of(branding: &'a Branding, custom_css: Option<&'a str>) -> Look<'a> {
        Look {
            theme: branding.theme,
            favicon_url: branding.favicon_url.as_deref(),
            custom_css,
        }
    }

    /// `document` (a filled template) in this look.
    pub fn apply(&self, document: String) -> String {
        let mut document = document;
        if self.theme != Theme::Auto
            && let Some(start) = document.find("<html lang=\"")
            && let Some(end) = document[start..].find('>')
        {
            let at = start + end;
            document.insert_str(at, &format!(" data-theme=\"{}\"", self.theme.as_str()));
        }
        if let Some(icon) = self.favicon_url {
            document = document.replacen(
                FAVICON,
                &format!("<link rel=\"icon\" href=\"{}\">", escape(icon)),
                1,
            );
        }
        if let Some(css) = self.custom_css {
            document = document.replacen(
                "</head>",
                &format!("<style id=\"{CUSTOM_CSS_ID}\">\n{css}\n</style>\n</head>"),
                1,
            );
        }
        document
    }
}

/// Upstate's icon in the template, which an org's favicon replaces.
const FAVICON: &str = "<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">";
/// The id of the `<style>` holding an org's custom CSS.
pub const CUSTOM_CSS_ID: &str = "upstate-custom-css";

/// What a page says of itself to link previews and search engines.
pub(crate) struct Preview<'a> {
    title: &'a str,
    description: &'a str,
    /// Its address, when the server knows its public URL (empty when not).
    url: &'a str,
    /// `website` for a page that changes, `article` for one incident.
    kind: &'a str,
    /// The page's feeds (`<link rel="alternate">`).
    feeds: String,
}

/// How long a preview's description may be: what link previews show before they cut.
pub const DESCRIPTION_LENGTH: usize = 200;

/// The template with the page in it: its language, its title, its preview tags (or none, with
/// `noindex`), and its body.
pub(crate) fn fill(
    template: &str,
    locale: Locale,
    title: &str,
    preview: Option<Preview<'_>>,
    body: &str,
) -> String {
    let head = match preview {
        Some(Preview {
            title,
            description,
            url,
            kind,
            feeds,
        }) => {
            let og_url = if url.is_empty() {
                String::new()
            } else {
                format!(
                    "<meta property=\"og:url\" content=\"{}\">\n  \
                     <link rel=\"canonical\" href=\"{0}\">\n  ",
                    escape(url)
                )
            };
            format!(
                "{feeds}<meta name=\"description\" content=\"{description}\">\n  \
                 <meta property=\"og:type\" content=\"{kind}\">\n  \
                 <meta property=\"og:title\" content=\"{title}\">\n  \
                 <meta property=\"og:description\" content=\"{description}\">\n  \
                 {og_url}<meta name=\"twitter:card\" content=\"summary\">\n  \
                 <meta name=\"twitter:title\" content=\"{title}\">\n  \
                 <meta name=\"twitter:description\" content=\"{description}\">\n  ",
                title = escape(title),
                description = escape(description),
                kind = escape(kind),
            )
        }
        None => "<meta name=\"robots\" content=\"noindex\">\n  ".to_owned(),
    };
    template
        .replacen(
            "<html lang=\"en\">",
            &format!("<html lang=\"{}\">", locale.tag()),
            1,
        )
        .replacen(
            "<title>Upstate</title>",
            &format!("<title>{}</title>", escape(title)),
            1,
        )
        .replacen(HEAD_MARK, &head, 1)
        .replacen(BODY_MARK, body, 1)
}

/// The page drawn by the server, then its snapshot as an inline data island the bundle reads
/// (after the page: what a visitor sees first arrives first), and the messages of its language.
fn with_snapshot(
    page: String,
    id: &str,
    snapshot: &impl serde::Serialize,
    locale: Locale,
) -> Result<String, ApiError> {
    let page = format!(
        "{page}<script id=\"{id}\" type=\"application/json\">{}</script>",
        island(snapshot)?
    );
    with_messages(page, locale)
}

/// The page drawn by the server, then the messages of its language as an inline data island:
/// the bundle carries none of its own.
fn with_messages(page: String, locale: Locale) -> Result<String, ApiError> {
    Ok(format!(
        "{page}<script id=\"{CATALOG_DATA_ID}\" type=\"application/json\">{}</script>",
        island(i18n::for_the_browser(locale))?
    ))
}

/// `value` as JSON safe inside `<script>`.
fn island(value: &(impl serde::Serialize + ?Sized)) -> Result<String, ApiError> {
    serde_json::to_string(value)
        .map(|json| script_safe(&json))
        .map_err(|err| ApiError::Internal(format!("serializing a page's snapshot: {err}")))
}

/// The status page, ready to paint, with the org's custom CSS.
pub fn status_html(
    template: &str,
    snapshot: &StatusSnapshot,
    custom_css: Option<&str>,
) -> Result<String, ApiError> {
    let summary = &snapshot.summary;
    let locale = snapshot.locale;
    let state = i18n::indicator(locale, summary.status.indicator);
    let description = i18n::text_with(
        locale,
        "status-page-description",
        &[
            ("state", (&state).into()),
            ("page", (&summary.page.name).into()),
        ],
    );
    let preview = Preview {
        title: &format!("{} status", summary.page.name),
        description: &description,
        url: &summary.page.url,
        kind: "website",
        feeds: crate::public::feed::head_links(&summary.page.name, &summary.page.slug),
    };
    let body = with_snapshot(
        upstate_public_page::render_status(snapshot),
        STATUS_DATA_ID,
        &snapshot.to_inline(),
        locale,
    )?;
    let look = Look::of(&summary.page.branding, custom_css);
    Ok(look.apply(fill(
        template,
        locale,
        &upstate_public_page::status::title(locale, summary),
        Some(preview),
        &body,
    )))
}

/// An incident's page, ready to paint, with the org's custom CSS.
pub fn incident_html(
    template: &str,
    snapshot: &IncidentSnapshot,
    custom_css: Option<&str>,
) -> Result<String, ApiError> {
    let incident = &snapshot.incident;
    let locale = snapshot.locale;
    let description = incident_description(snapshot);
    let preview = Preview {
        title: &format!("{} · {} status", incident.title, snapshot.page.name),
        description: &description,
        url: &format!("{}/incidents/{}", snapshot.page.url, incident.id),
        kind: "article",
        feeds: crate::public::feed::head_links(&snapshot.page.name, &snapshot.page.slug),
    };
    let body = with_snapshot(
        upstate_public_page::render_incident(snapshot),
        INCIDENT_DATA_ID,
        snapshot,
        locale,
    )?;
    let look = Look::of(&snapshot.page.branding, custom_css);
    Ok(look.apply(fill(
        template,
        locale,
        &upstate_public_page::incident::title(snapshot),
        Some(preview),
        &body,
    )))
}

/// What a link to an incident says under its title: its latest update in plain words (its
/// status, then its message, cut to [`DESCRIPTION_LENGTH`]), else its impact.
pub fn incident_description(snapshot: &IncidentSnapshot) -> String {
    let incident = &snapshot.incident;
    let locale = snapshot.locale;
    match incident.updates.last() {
        Some(update) => {
            let status = format!("{}: ", i18n::incident_status(locale, update.status));
            let room = DESCRIPTION_LENGTH.saturating_sub(status.chars().count());
            format!(
                "{status}{}",
                upstate_markdown::to_plain_text(&update.message_html, room)
            )
        }
        None => {
            let impact = i18n::impact(locale, incident.impact);
            let status = i18n::incident_status(locale, incident.status);
            i18n::text_with(
                locale,
                "incident-page-description",
                &[
                    ("impact", (&impact).into()),
                    ("status", (&status).into()),
                    ("page", (&snapshot.page.name).into()),
                ],
            )
        }
    }
}

/// A page of the history, ready to paint.
pub fn history_html(template: &str, snapshot: &HistorySnapshot) -> Result<String, ApiError> {
    let page = &snapshot.page;
    let count: usize = snapshot
        .months
        .items
        .iter()
        .map(|m| m.incidents.len())
        .sum();
    let locale = snapshot.locale;
    let span = match (snapshot.months.items.first(), snapshot.months.items.last()) {
        (Some(newest), Some(oldest)) if newest.month != oldest.month => {
            let first = month_name(locale, &oldest.month);
            let last = month_name(locale, &newest.month);
            i18n::text_with(
                locale,
                "history-span",
                &[("first", (&first).into()), ("last", (&last).into())],
            )
        }
        (Some(only), _) => month_name(locale, &only.month),
        _ => String::new(),
    };
    let description = i18n::text_with(
        locale,
        "history-description",
        &[
            ("page", (&page.name).into()),
            ("count", i64::try_from(count).unwrap_or(i64::MAX).into()),
            ("span", (&span).into()),
        ],
    );
    let newest_page = snapshot.newer.is_none() && snapshot.service.is_none();
    // The newest page, unfiltered, is the one to link to; the others say where they are.
    let url = if newest_page {
        format!("{}/history", page.url)
    } else {
        String::new()
    };
    let preview = Preview {
        title: &upstate_public_page::history::title(snapshot),
        description: &description,
        url: &url,
        kind: "website",
        feeds: crate::public::feed::head_links(&page.name, &page.slug),
    };
    // The bundle only says the page's times the visitor's way: it needs no snapshot.
    let body = with_messages(upstate_public_page::render_history(snapshot), locale)?;
    Ok(fill(
        template,
        locale,
        &upstate_public_page::history::title(snapshot),
        Some(preview),
        &body,
    ))
}

/// A page that is not there: said in words, with a way back, as a 404.
fn missing_html(template: &str, locale: Locale, heading: &str, text: &str) -> String {
    let body = format!(
        "<div class=\"page\"><main class=\"empty-state\"><h1>{heading}</h1><p>{text}</p>\
         <p><a href=\"/\">{start}</a></p></main></div>",
        heading = escape(heading),
        text = escape(text),
        start = escape(&i18n::text(locale, "go-to-start")),
    );
    fill(template, locale, heading, None, &body)
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

/// Everything the status page shows when it opens, and the org's custom CSS.
pub(crate) async fn status_snapshot(
    state: &AppState,
    slug: &str,
    asked: Option<Locale>,
) -> Result<(OrgId, StatusSnapshot, Option<String>), ApiError> {
    let (rendered, summary) = crate::public::summary::compute(state, slug).await?;
    let (_, uptime) =
        crate::public::uptime::read(state, slug, crate::public::uptime::MAX_DAYS).await?;
    let org = rendered.org.clone();
    let org_id = org.clone();
    let limit = i64::from(HISTORY_PAGE);
    let (list, custom_css) = state
        .read(move |conn| {
            let list = incidents::history(conn, &org_id, None, None, None, limit + 1)?;
            Ok((list, organizations::get(conn, &org_id)?.custom_css))
        })
        .await?;
    let (list, next_cursor) = crate::views::page_of(list, limit, |i| i.incident.id.clone());
    let locale = asked.unwrap_or(summary.page.default_language);
    let snapshot = StatusSnapshot {
        locale,
        summary,
        uptime,
        history: Page {
            items: list.iter().map(crate::views::public_incident).collect(),
            next_cursor,
        },
    };
    Ok((org, snapshot, custom_css))
}

/// The answer to a page asked for with `?lang=` (`language::remember`): back to the page at
/// `below` `/status/{slug}` (on the org's custom domain, below `/`), the choice remembered.
fn chosen(
    req: &HttpRequest,
    state: &AppState,
    choice: &language::Choice,
    slug: &str,
    below: &str,
) -> Option<HttpResponse> {
    let tag = choice.lang.as_deref()?;
    let here = match (on_custom_domain(req), below) {
        (true, "") => "/".to_owned(),
        (true, below) => below.to_owned(),
        (false, below) => format!("/status/{slug}{below}"),
    };
    Some(language::remember(&here, tag, state.settings.is_https()))
}

/// The language a page is drawn in: the visitor's (by choice or browser), or the org's
/// default, which the rendering reads from the org (`None` in the cache key).
fn language_key(asked: Option<Locale>) -> &'static str {
    asked.map_or("default", Locale::tag)
}

/// `GET /status/{org}`: the status page, ready to paint, in the visitor's language.
pub async fn status_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    choice: web::Query<language::Choice>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    let Some(template) = template(&state) else {
        return crate::spa::serve(req, state).await;
    };
    // On the org's custom domain its links stay there: drawn so once per change, kept apart.
    let on_domain = on_custom_domain(&req);
    if let Some(answer) = chosen(&req, &state, &choice, &slug, "") {
        return Ok(answer);
    }
    let asked = language::asked(&req);
    let key = if on_domain {
        format!("page@domain:{slug}:{}", language_key(asked))
    } else {
        format!("page:{slug}:{}", language_key(asked))
    };
    // An unknown slug is a 404 from memory: no cache entry, no database read.
    let page = match state.directory.listed(&slug) {
        Err(missing) => Err(missing),
        Ok(()) => {
            state
                .public
                .get_or_compute(&key, || async {
                    let (org, snapshot, css) = status_snapshot(&state, &slug, asked).await?;
                    let html = private_noindex(
                        &state,
                        &org,
                        status_html(&template, &snapshot, css.as_deref())?,
                    );
                    if on_domain {
                        Rendered::html(org, within_domain(&html, &slug))
                    } else {
                        Rendered::html(org, html)
                    }
                })
                .await
        }
    };
    let locale = asked.unwrap_or_default();
    match page {
        Ok(page) => {
            let mut answer = page.respond(&req);
            // In the org's default language, `<html lang>` alone says which.
            language::mark(&mut answer, asked);
            Ok(answer)
        }
        Err(ApiError::NotFound(_)) => Ok(missing(
            &template,
            locale,
            "missing-page-heading",
            &i18n::text_with(locale, "missing-page-text", &[("slug", (&slug).into())]),
        )),
        Err(other) => Err(other),
    }
}

/// The 404 page of `heading` (a message id) in `locale`.
fn missing(template: &str, locale: Locale, heading: &str, text: &str) -> HttpResponse {
    let mut answer = html(
        StatusCode::NOT_FOUND,
        missing_html(template, locale, &i18n::text(locale, heading), text),
    );
    language::mark(&mut answer, Some(locale));
    answer
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
    choice: web::Query<language::Choice>,
) -> Result<HttpResponse, ApiError> {
    let IncidentPagePath { org, incident_id } = path.into_inner();
    let Some(template) = template(&state) else {
        return crate::spa::serve(req, state).await;
    };
    if let Some(answer) = chosen(
        &req,
        &state,
        &choice,
        &org,
        &format!("/incidents/{incident_id}"),
    ) {
        return Ok(answer);
    }
    let asked = language::asked(&req);
    let found = async {
        state.directory.listed(&org)?;
        // The page's name and services, from the summary in memory.
        let cached = crate::public::summary::cached(&state, &org).await?;
        let summary: PublicSummary = serde_json::from_slice(&cached.json)
            .map_err(|err| ApiError::Internal(format!("reading a cached summary: {err}")))?;
        let incident = crate::public::incident(&state, cached.org.clone(), incident_id).await?;
        let org_id = cached.org.clone();
        let css = state
            .read(move |conn| Ok(organizations::get(conn, &org_id)?.custom_css))
            .await?;
        let snapshot = IncidentSnapshot {
            locale: asked.unwrap_or(summary.page.default_language),
            page: summary.page,
            incident,
            services: summary.services,
            seq: summary.seq,
        };
        Ok::<_, ApiError>((cached.org.clone(), snapshot, css))
    };
    match found.await {
        Ok((org_id, snapshot, css)) => {
            let page = private_noindex(
                &state,
                &org_id,
                incident_html(&template, &snapshot, css.as_deref())?,
            );
            let mut answer = if on_custom_domain(&req) {
                html(StatusCode::OK, within_domain(&page, &org))
            } else {
                html(StatusCode::OK, page)
            };
            language::mark(&mut answer, Some(snapshot.locale));
            Ok(answer)
        }
        Err(ApiError::NotFound(_)) => {
            let locale = asked.unwrap_or_default();
            Ok(missing(
                &template,
                locale,
                "missing-incident-heading",
                &i18n::text(locale, "missing-incident-text"),
            ))
        }
        Err(other) => Err(other),
    }
}

/// `GET /status/{org}/history`: the incidents and maintenance of past months, a few months a
/// page (`?cursor=YYYY-MM`, the newest month shown), filtered by `?service=`, ready to paint.
pub async fn history_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    query: web::Query<crate::public::history::MonthsQuery>,
    choice: web::Query<language::Choice>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    let Some(template) = template(&state) else {
        return crate::spa::serve(req, state).await;
    };
    if let Some(answer) = chosen(&req, &state, &choice, &slug, "/history") {
        return Ok(answer);
    }
    let asked = language::asked(&req);
    let query = query.into_inner();
    let service = query
        .service
        .clone()
        .filter(|s| !s.is_empty())
        .map(upstate_shared::ServiceId::from);
    let found = async {
        let request = query.request(slug.clone())?;
        let read = crate::public::history::read(&state, request).await?;
        Ok::<_, ApiError>(HistorySnapshot {
            locale: asked.unwrap_or(read.page.default_language),
            page: read.page,
            services: read.services,
            service,
            months: read.months,
            newer: read.newer,
        })
    };
    match found.await {
        Ok(snapshot) => {
            let page = history_html(&template, &snapshot)?;
            let mut answer = if on_custom_domain(&req) {
                html(StatusCode::OK, within_domain(&page, &slug))
            } else {
                html(StatusCode::OK, page)
            };
            language::mark(&mut answer, Some(snapshot.locale));
            Ok(answer)
        }
        Err(ApiError::NotFound(_)) => {
            let locale = asked.unwrap_or_default();
            Ok(missing(
                &template,
                locale,
                "missing-page-heading",
                &i18n::text_with(locale, "missing-page-text", &[("slug", (&slug).into())]),
            ))
        }
        Err(ApiError::BadRequest(message)) => {
            let locale = asked.unwrap_or_default();
            let heading = i18n::text(locale, "missing-history-heading");
            Ok(html(
                StatusCode::BAD_REQUEST,
                missing_html(&template, locale, &heading, &message),
            ))
        }
        Err(other) => Err(other),
    }
}
