//! `GET /status/{org}/history.rss` (RSS 2.0) and `…/history.atom` (Atom, RFC 4287): the page's
//! incidents and maintenance windows for feed readers, newest change first, one entry each with
//! its latest update. Written by the `rss` and `atom_syndication` crates, held in the public
//! cache like the summary (ETag, short lifetime, redrawn when the org changes).

use crate::error::ApiError;
use crate::public::cache::Rendered;
use crate::state::AppState;
use crate::views;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use upstate_public_page::escape;
use upstate_store::{Missing, StoreError, incidents, maintenances, organizations};

/// How many incidents, and how many maintenance windows, a feed holds (the newest).
const ENTRIES: i64 = 50;

/// One entry of a feed, whichever format writes it.
struct Entry {
    /// A stable, unique id: `urn:uuid:{id}`.
    id: String,
    title: String,
    link: String,
    /// HTML: the state in words, then the latest update's message.
    html: String,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
}

/// What both formats say: the page and its entries.
struct History {
    org: upstate_shared::OrgId,
    name: String,
    page_url: String,
    feed_url: String,
    updated: DateTime<Utc>,
    entries: Vec<Entry>,
}

/// Reads the org's incidents and maintenance windows.
async fn history(state: &AppState, slug: &str, suffix: &str) -> Result<History, ApiError> {
    let slug = slug.to_owned();
    let public_url = state.settings.public_url.clone();
    let (org, incidents, windows) = state
        .read(move |conn| {
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let incidents = incidents::page(conn, &org.id, incidents::State::Any, None, ENTRIES)?;
            let windows =
                maintenances::page(conn, &org.id, maintenances::State::Any, None, ENTRIES)?;
            Ok((org, incidents, windows))
        })
        .await?;
    // On the org's custom domain when it has one: what readers follow and subscribe to.
    let page_url = crate::public::page_url(&public_url, &org);
    let feed_url = format!("{page_url}/history.{suffix}");
    let mut entries: Vec<Entry> = incidents
        .iter()
        .map(|full| {
            let incident = views::public_incident(full);
            let latest = incident.updates.last();
            Entry {
                id: format!("urn:uuid:{}", incident.id),
                link: format!("{page_url}/incidents/{}", incident.id),
                html: format!(
                    "<p><strong>{}</strong> · {} impact</p>{}",
                    incident.status.label(),
                    incident.impact.label(),
                    latest.map_or("", |update| update.message_html.as_str())
                ),
                published: incident.created_at,
                updated: latest.map_or(incident.updated_at, |update| update.created_at),
                title: incident.title,
            }
        })
        .chain(windows.iter().map(|full| {
            let window = views::public_maintenance(full);
            let message = window
                .updates
                .last()
                .map_or(window.description_html.as_str(), |update| {
                    update.message_html.as_str()
                });
            Entry {
                id: format!("urn:uuid:{}", window.id),
                link: page_url.clone(),
                html: format!(
                    "<p><strong>Maintenance: {}</strong> · {} to {} (UTC)</p>{message}",
                    window.status.label(),
                    window.scheduled_start.format("%Y-%m-%d %H:%M"),
                    window.scheduled_end.format("%Y-%m-%d %H:%M"),
                ),
                published: views::utc(full.maintenance.created_at),
                updated: views::utc(full.maintenance.updated_at),
                title: format!("Maintenance: {}", window.title),
            }
        }))
        .collect();
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    let updated = entries
        .first()
        .map_or(views::utc(org.updated_at), |entry| entry.updated);
    Ok(History {
        org: org.id,
        name: org.name,
        page_url,
        feed_url,
        updated,
        entries,
    })
}

fn rss_of(history: &History) -> String {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::{ChannelBuilder, GuidBuilder, ItemBuilder};
    let items = history
        .entries
        .iter()
        .map(|entry| {
            ItemBuilder::default()
                .title(Some(entry.title.clone()))
                .link(Some(entry.link.clone()))
                .description(Some(entry.html.clone()))
                .guid(Some(
                    GuidBuilder::default()
                        .value(entry.id.clone())
                        .permalink(false)
                        .build(),
                ))
                .pub_date(Some(entry.updated.to_rfc2822()))
                .build()
        })
        .collect::<Vec<_>>();
    let mut self_link = Link::default();
    self_link.set_href(history.feed_url.clone());
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/rss+xml".to_owned()));
    let mut atom = AtomExtension::default();
    atom.set_links(vec![self_link]);
    let channel = ChannelBuilder::default()
        .title(format!("{} status", history.name))
        .link(history.page_url.clone())
        .description(format!(
            "Incidents and maintenance on {}'s status page",
            history.name
        ))
        .language(Some("en".to_owned()))
        .last_build_date(Some(history.updated.to_rfc2822()))
        .atom_ext(Some(atom))
        .items(items)
        .build();
    channel.to_string()
}

fn atom_of(history: &History) -> String {
    use atom_syndication::{Content, EntryBuilder, FeedBuilder, FixedDateTime, Link, Person, Text};
    let at = |time: DateTime<Utc>| -> FixedDateTime { time.fixed_offset() };
    let link = |href: &str, rel: &str, mime: Option<&str>| {
        let mut link = Link::default();
        link.set_href(href);
        link.set_rel(rel);
        link.set_mime_type(mime.map(str::to_owned));
        link
    };
    let author = Person {
        name: history.name.clone(),
        uri: Some(history.page_url.clone()),
        ..Person::default()
    };
    let entries = history
        .entries
        .iter()
        .map(|entry| {
            let mut content = Content::default();
            content.set_content_type(Some("html".to_owned()));
            content.set_value(Some(entry.html.clone()));
            EntryBuilder::default()
                .id(entry.id.clone())
                .title(Text::plain(entry.title.clone()))
                .links(vec![link(&entry.link, "alternate", Some("text/html"))])
                .published(Some(at(entry.published)))
                .updated(at(entry.updated))
                .content(Some(content))
                .build()
        })
        .collect::<Vec<_>>();
    FeedBuilder::default()
        .id(history.page_url.clone())
        .title(Text::plain(format!("{} status", history.name)))
        .subtitle(Some(Text::plain(format!(
            "Incidents and maintenance on {}'s status page",
            history.name
        ))))
        .updated(at(history.updated))
        .authors(vec![author])
        .links(vec![
            link(&history.page_url, "alternate", Some("text/html")),
            link(&history.feed_url, "self", Some("application/atom+xml")),
        ])
        .lang(Some("en".to_owned()))
        .entries(entries)
        .build()
        .to_string()
}

/// The feed of `slug` in one format, from the cache or computed once per change.
async fn feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    suffix: &'static str,
) -> Result<HttpResponse, ApiError> {
    state.directory.listed(&slug)?;
    let rendered = state
        .public
        .get_or_compute(&format!("feed:{suffix}:{slug}"), || async {
            let history = history(&state, &slug, suffix).await?;
            let (content_type, text) = match suffix {
                "rss" => ("application/rss+xml; charset=utf-8", rss_of(&history)),
                _ => ("application/atom+xml; charset=utf-8", atom_of(&history)),
            };
            Rendered::of(history.org, content_type, text.into_bytes())
        })
        .await?;
    Ok(rendered.respond(&req))
}

/// `GET /status/{org}/history.rss`
pub async fn rss(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    feed(req, state, org.into_inner(), "rss").await
}

/// `GET /status/{org}/history.atom`
pub async fn atom(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    feed(req, state, org.into_inner(), "atom").await
}

/// The `<link rel="alternate">` tags of a page of `slug`, so browsers and readers find its feeds.
pub fn head_links(name: &str, slug: &str) -> String {
    let title = escape(&format!("{name} status"));
    let slug = escape(slug);
    format!(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{title} (RSS)\" \
         href=\"/status/{slug}/history.rss\">\n  \
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"{title} (Atom)\" \
         href=\"/status/{slug}/history.atom\">\n  "
    )
}
