//! `/status/{org}/history`: the incidents and maintenance of past months, newest month first,
//! a few months a page with links to newer and older pages back to the first month that has
//! anything, and a filter by service. Plain links and a plain form, so it works the same with or
//! without the bundle; drawn by the server like the incident page, and hydrated.

use crate::status::LanguageMenu;
use crate::{i18n, time};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use upstate_shared::dto::{HistoryMonth, Page, PublicPage, PublicService};
use upstate_shared::{Locale, ServiceId};

/// How many months a page of the history shows.
pub const MONTHS_PER_PAGE: u32 = 3;

/// What the history page shows (drawn by the server; the bundle does not redraw it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistorySnapshot {
    pub page: PublicPage,
    /// The org's services, for the filter and to name the affected ones.
    pub services: Vec<PublicService>,
    /// The service the history is filtered by.
    pub service: Option<ServiceId>,
    /// The months of this page, newest first; `next_cursor` is the first month of the older page.
    pub months: Page<HistoryMonth>,
    /// The first month of the newer page, when this is not the newest.
    pub newer: Option<String>,
    /// The language the page is drawn in.
    #[serde(default)]
    pub locale: Locale,
}

/// The tab's title.
pub fn title(snapshot: &HistorySnapshot) -> String {
    i18n::text_with(
        snapshot.locale,
        "history-page-title",
        &[("page", (&snapshot.page.name).into())],
    )
}

/// A month in words, "November 2026", "2026年11月", from `YYYY-MM`.
pub fn month_name(locale: Locale, month: &str) -> String {
    // By hand: chrono's parsing would weigh on the bundle.
    let first = month.split_once('-').and_then(|(year, month)| {
        NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
    });
    match first {
        Some(first) => {
            use chrono::Datelike;
            i18n::month(locale, first.year(), first.month())
        }
        None => month.to_owned(),
    }
}

/// The address of a page of the history.
pub fn href(slug: &str, cursor: Option<&str>, service: Option<&ServiceId>) -> String {
    let mut query = Vec::new();
    if let Some(service) = service {
        query.push(format!("service={service}"));
    }
    if let Some(cursor) = cursor {
        query.push(format!("cursor={cursor}"));
    }
    if query.is_empty() {
        format!("/status/{slug}/history")
    } else {
        format!("/status/{slug}/history?{}", query.join("&"))
    }
}

/// One line of a month: an incident or a maintenance window, by when it began.
enum Entry {
    Incident {
        href: String,
        title: String,
        meta: String,
        at: DateTime<Utc>,
    },
    Maintenance {
        title: String,
        meta: String,
        at: DateTime<Utc>,
    },
}

impl Entry {
    fn at(&self) -> DateTime<Utc> {
        match self {
            Entry::Incident { at, .. } | Entry::Maintenance { at, .. } => *at,
        }
    }
}

/// The history page.
#[component]
pub fn HistoryPage(snapshot: HistorySnapshot) -> impl IntoView {
    let HistorySnapshot {
        page,
        services,
        service,
        months,
        newer,
        locale,
    } = snapshot;
    let slug = page.slug.clone();
    let older = months.next_cursor.clone();
    let options = services
        .iter()
        .map(|s| {
            let selected = service.as_ref() == Some(&s.id);
            view! { <option value=s.id.to_string() selected=selected>{s.name.clone()}</option> }
        })
        .collect_view();
    let filtered_by = service
        .as_ref()
        .and_then(|id| services.iter().find(|s| &s.id == id))
        .map(|s| s.name.clone());
    let month_views = months
        .items
        .into_iter()
        .map(|month| {
            let mut entries: Vec<Entry> = month
                .incidents
                .iter()
                .map(|i| Entry::Incident {
                    href: format!("/status/{slug}/incidents/{}", i.id),
                    title: i.title.clone(),
                    meta: format!(" · {}", crate::status::incident_meta(locale, i)),
                    at: i.created_at,
                })
                .chain(month.maintenances.iter().map(|m| Entry::Maintenance {
                    title: m.title.clone(),
                    meta: format!(
                        " · {}",
                        i18n::text_with(
                            locale,
                            "history-maintenance-meta",
                            &[("status", (&i18n::maintenance_status(locale, m.status)).into())],
                        )
                    ),
                    at: m.scheduled_start,
                }))
                .collect();
            entries.sort_by_key(|e| std::cmp::Reverse(e.at()));
            let heading_id = format!("month-{}", month.month);
            let labelled_by = heading_id.clone();
            let body = if entries.is_empty() {
                view! { <p class="muted">{i18n::text(locale, "history-empty-month")}</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {entries.into_iter().map(|entry| match entry {
                            Entry::Incident { href, title, meta, at } => view! {
                                <li class="history-entry" data-kind="incident">
                                    <a href=href>{title}</a>
                                    <span class="meta">{meta}" · "<time datetime=at.to_rfc3339() data-show="local">{time::local_in(locale, at)}</time></span>
                                </li>
                            }.into_any(),
                            Entry::Maintenance { title, meta, at } => view! {
                                <li class="history-entry" data-kind="maintenance">
                                    <span>{title}</span>
                                    <span class="meta">{meta}" · "<time datetime=at.to_rfc3339() data-show="local">{time::local_in(locale, at)}</time></span>
                                </li>
                            }.into_any(),
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <section class="history-month" aria-labelledby=labelled_by>
                    <h2 id=heading_id>{month_name(locale, &month.month)}</h2>
                    {body}
                </section>
            }
        })
        .collect_view();
    let newer_link = newer.map(|cursor| {
        view! { <a rel="prev" href=href(&slug, Some(&cursor), service.as_ref())>{i18n::text(locale, "history-newer")}</a> }
    });
    let older_link = older.map(|cursor| {
        view! { <a rel="next" href=href(&slug, Some(&cursor), service.as_ref())>{i18n::text(locale, "history-older")}</a> }
    });
    view! {
        <div class="page history-page">
            <p><a href=format!("/status/{slug}")>{i18n::text_with(locale, "back-to-status", &[("page", (&page.name).into())])}</a></p>
            <main>
                <header class="masthead">
                    <h1>{i18n::text(locale, "history-heading")}</h1>
                    <p class="meta">{match filtered_by {
                        Some(name) => format!("{} · {name}", page.name),
                        None => page.name.clone(),
                    }}</p>
                </header>
                <form class="history-filter" method="get" action=format!("/status/{slug}/history")>
                    <label for="history-service">{i18n::text(locale, "history-service")}</label>
                    <select id="history-service" name="service">
                        <option value="" selected=service.is_none()>{i18n::text(locale, "history-all-services")}</option>
                        {options}
                    </select>
                    <button type="submit">{i18n::text(locale, "history-show")}</button>
                </form>
                {month_views}
                <nav class="pager" aria-label=i18n::text(locale, "history-pages-label")>
                    {newer_link}
                    {older_link}
                </nav>
            </main>
            <LanguageMenu/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_named_in_words() {
        assert_eq!(month_name(Locale::En, "2026-11"), "November 2026");
        assert_eq!(month_name(Locale::De, "2025-03"), "März 2025");
    }

    #[test]
    fn a_page_of_history_keeps_its_filter() {
        let api = ServiceId::from("s1".to_owned());
        assert_eq!(href("acme", None, None), "/status/acme/history");
        assert_eq!(
            href("acme", Some("2026-05"), Some(&api)),
            "/status/acme/history?service=s1&cursor=2026-05"
        );
    }
}
