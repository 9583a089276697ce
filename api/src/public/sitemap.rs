//! `GET /status/{org}/sitemap.xml` (`/sitemap.xml` on the org's custom domain): the page's
//! public addresses for search engines, in the sitemaps.org format: the status page, each page
//! of the history by month, and every incident's page with when it last changed.
//!
//! [`entries`] alone decides which pages are listed: a check of whether a page is public at all
//! belongs there, once.

use crate::error::ApiError;
use crate::public::custom_domain::on_custom_domain;
use crate::public::history::{month_of, month_text};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Months, NaiveDateTime};
use upstate_public_page::escape;
use upstate_public_page::history::MONTHS_PER_PAGE;
use upstate_store::{Missing, StoreError, incidents, maintenances, organizations};

/// The most addresses one sitemap may hold (sitemaps.org).
pub const MAX_URLS: i64 = 50_000;

/// One address of the sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub loc: String,
    pub lastmod: Option<NaiveDateTime>,
}

/// The public pages of the org with `slug`, as addresses below its status page's: on its custom
/// domain (`on_domain`), the domain's root, as the pages name themselves there; elsewhere
/// `{public URL}/status/{slug}` (a sitemap lists addresses of its own host only).
pub async fn entries(
    state: &AppState,
    slug: &str,
    on_domain: bool,
) -> Result<Vec<Entry>, ApiError> {
    state.directory.listed(slug)?;
    let slug = slug.to_owned();
    let public_url = state.settings.public_url.clone();
    state
        .read(move |conn| {
            let org = organizations::find_by_slug(conn, &slug)?
                .ok_or(StoreError::NotFound(Missing::StatusPage))?;
            let base = if on_domain {
                crate::public::page_url(&public_url, &org)
            } else {
                format!("{public_url}/status/{slug}")
            };
            let changed = incidents::last_changes(conn, &org.id, MAX_URLS - 100)?;
            let latest = changed
                .first()
                .map_or(org.updated_at, |(_, at)| org.updated_at.max(*at));
            let mut list = vec![Entry {
                loc: base.clone(),
                lastmod: Some(latest),
            }];
            // The history's pages, as its links go: the newest first, then a page every few
            // months back to the first month that has anything.
            let current = month_of(upstate_store::now());
            let first = [
                incidents::first_declared(conn, &org.id, None)?,
                maintenances::first_held(conn, &org.id, None)?,
            ]
            .into_iter()
            .flatten()
            .min()
            .map_or(current, month_of);
            list.push(Entry {
                loc: format!("{base}/history"),
                lastmod: None,
            });
            let mut month = current - Months::new(MONTHS_PER_PAGE);
            while month >= first && list.len() < 100 {
                list.push(Entry {
                    loc: format!("{base}/history?cursor={}", month_text(month)),
                    lastmod: None,
                });
                month = month - Months::new(MONTHS_PER_PAGE);
            }
            list.extend(changed.into_iter().map(|(id, at)| Entry {
                loc: format!("{base}/incidents/{id}"),
                lastmod: Some(at),
            }));
            Ok(list)
        })
        .await
}

/// The entries as a sitemaps.org `<urlset>`.
pub fn to_xml(entries: &[Entry]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for entry in entries {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape(&entry.loc));
        xml.push_str("</loc>");
        if let Some(at) = entry.lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(
                &at.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `GET /status/{org}/sitemap.xml`.
pub async fn sitemap(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = org.into_inner();
    let list = entries(&state, &slug, on_custom_domain(&req)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .insert_header(("Cache-Control", crate::public::cache::CACHE_CONTROL))
        .body(to_xml(&list)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_is_a_urlset_with_escaped_addresses() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .map(|t| t.naive_utc())
            .unwrap_or_default();
        let xml = to_xml(&[
            Entry {
                loc: "https://x.test/status/acme/history?service=a&cursor=2026-05".into(),
                lastmod: None,
            },
            Entry {
                loc: "https://x.test/status/acme".into(),
                lastmod: Some(at),
            },
        ]);
        let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let locs: Vec<&str> = root
            .descendants()
            .filter(|n| n.has_tag_name("loc"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(
            locs,
            [
                "https://x.test/status/acme/history?service=a&cursor=2026-05",
                "https://x.test/status/acme"
            ]
        );
        assert!(xml.contains("<lastmod>2023-11-14T22:13:20Z</lastmod>"));
    }
}
