//! `/status/{org}`: an organization's status page, drawn from [`StatusState`]. The server draws
//! it once per change of the org (into the cached HTML, so the first paint needs no script);
//! in the browser, the bundle (`main.rs`) hydrates it from the same snapshot and keeps it live.

use crate::components::{BrandFooter, BrandLinks, StatusBadge};
use crate::i18n;
use crate::live::Connection;
use crate::time;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use upstate_shared::dto::{
    Page, PublicIncident, PublicMaintenance, PublicService, PublicSummary, UptimeDay, UptimeReport,
};
use upstate_shared::{Locale, ServiceId, ServiceStatus};

/// How many past incidents the page shows at first (more on "Older incidents").
pub const HISTORY_PAGE: u32 = 10;

/// Everything the status page shows when it opens. The server draws the page from it, and
/// inlines it into the HTML as JSON (`<script id="upstate-status">`) for the bundle, without
/// the uptime's days ([`StatusSnapshot::to_inline`]): their bars are in the HTML already, and
/// the bundle takes them as drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    pub summary: PublicSummary,
    /// The last 90 days per service.
    pub uptime: UptimeReport,
    /// The first page of the incident history.
    pub history: Page<PublicIncident>,
    /// The language the page is drawn in.
    #[serde(default)]
    pub locale: Locale,
}

/// The page's state: the snapshot, then whatever the live channel and the visitor change.
#[derive(Debug, Clone, Copy)]
pub struct StatusState {
    pub summary: RwSignal<PublicSummary>,
    /// Each service's uptime; a service without days keeps its bars as [`Self::drawn`].
    pub uptime: RwSignal<UptimeReport>,
    /// The bars the server drew, per service, as the bundle found them when it took over.
    pub drawn: StoredValue<Vec<(ServiceId, String)>>,
    pub history: RwSignal<Vec<PublicIncident>>,
    /// Where the next page of history starts, while there is one.
    pub older: RwSignal<Option<String>>,
    pub live: RwSignal<Connection>,
    /// What a screen reader is told of a change (a polite live region).
    pub announcement: RwSignal<String>,
}

impl StatusSnapshot {
    /// The snapshot as the page inlines it: the uptime keeps each service's percentage but not
    /// its days, which are most of the snapshot's weight (ninety per service) and which the
    /// bundle would parse for nothing.
    pub fn to_inline(&self) -> StatusSnapshot {
        let mut inline = self.clone();
        for service in &mut inline.uptime.services {
            service.days = Vec::new();
        }
        inline
    }
}

impl StatusState {
    pub fn new(snapshot: StatusSnapshot) -> StatusState {
        StatusState {
            summary: RwSignal::new(snapshot.summary),
            uptime: RwSignal::new(snapshot.uptime),
            drawn: StoredValue::new(Vec::new()),
            history: RwSignal::new(snapshot.history.items),
            older: RwSignal::new(snapshot.history.next_cursor),
            live: RwSignal::new(Connection::Connecting),
            announcement: RwSignal::new(String::new()),
        }
    }
}

/// The tab's title: the state first, so a visitor sees it in a row of tabs.
pub fn title(locale: Locale, summary: &PublicSummary) -> String {
    let state = i18n::indicator(locale, summary.indicator());
    i18n::text_with(
        locale,
        "status-page-title",
        &[
            ("state", (&state).into()),
            ("page", (&summary.page.name).into()),
        ],
    )
}

/// The status page. `on_older` loads the next page of history.
#[component]
pub fn StatusPage(state: StatusState, on_older: Callback<()>) -> impl IntoView {
    view! {
        <div class="page status-page">
            <div class="sr-only" aria-live="polite" role="status">{move || state.announcement.get()}</div>
            <main>
                {move || view! { <Current summary=state.summary.get() state=state/> }}
                <History state=state on_older=on_older/>
            </main>
            {move || view! { <BrandFooter branding=state.summary.with(|s| s.page.branding.clone())/> }}
        </div>
    }
}

#[component]
fn Current(summary: PublicSummary, state: StatusState) -> impl IntoView {
    let accent = summary
        .page
        .branding
        .accent_color
        .clone()
        .unwrap_or_default();
    let style = (!accent.is_empty()).then(|| format!("--accent: {accent}"));
    let logo = summary.page.branding.logo_url.clone();
    let name = summary.page.name.clone();
    let indicator = summary.status.indicator;
    let groups = summary.groups.clone();
    // Those shown only when not operational come and go with their status.
    let services: Vec<PublicService> = summary
        .services
        .iter()
        .filter(|s| s.shown())
        .cloned()
        .collect();
    let ungrouped: Vec<PublicService> = services
        .iter()
        .filter(|s| {
            s.group_id
                .as_ref()
                .is_none_or(|g| !groups.iter().any(|x| &x.id == g))
        })
        .cloned()
        .collect();
    let slug = summary.page.slug.clone();
    let live = state.live;
    let locale = crate::locale();
    let branding = summary.page.branding.clone();
    view! {
        <div style=style>
            <header class="masthead status-header">
                {logo.map(|src| view! { <img class="logo" src=src alt=format!("{name} logo") height="32"/> })}
                <h1>{summary.page.name.clone()}</h1>
                <BrandLinks branding=branding.clone()/>
                <SubscribeDialog slug=slug.clone()/>
                <span class="live" data-live=move || live.get().as_str()>{move || live.get().label(locale)}</span>
            </header>
            <p class=format!("banner banner-{}", indicator.as_str()) data-testid="banner">
                {i18n::indicator(locale, summary.indicator())}
            </p>
            <Incidents incidents=summary.incidents.clone() slug=slug/>
            <Maintenances windows=summary.maintenances.clone() services=services.clone()/>
            <section aria-labelledby="services-title">
                <h2 id="services-title">{i18n::text(locale, "services-heading")}</h2>
                {(!ungrouped.is_empty()).then(|| view! { <ServiceList services=ungrouped.clone() state=state/> })}
                {groups.iter().filter_map(|group| {
                    let members: Vec<PublicService> = services.iter().filter(|s| s.group_id.as_ref() == Some(&group.id)).cloned().collect();
                    if members.is_empty() {
                        return None;
                    }
                    let worst = members.iter().map(|s| s.status).fold(ServiceStatus::Operational, ServiceStatus::worst);
                    Some(view! {
                        <details class="group" open>
                            <summary><span class="group-name">{group.name.clone()}</span> <StatusBadge status=worst/></summary>
                            <ServiceList services=members state=state/>
                        </details>
                    })
                }).collect_view()}
            </section>
            <LanguageMenu/>
        </div>
    }
}

/// "Subscribe to updates": a button opening a popover with the email form, which posts to the
/// subscribe page (so it works without JavaScript, where the browser knows popovers, and the
/// page's link works everywhere); services and webhooks are chosen on that page.
#[component]
fn SubscribeDialog(slug: String) -> impl IntoView {
    let page = format!("/status/{slug}/subscribe");
    let locale = crate::locale();
    view! {
        <button type="button" class="subscribe" popovertarget="subscribe" data-testid="subscribe">{i18n::text(locale, "subscribe-open")}</button>
        <div id="subscribe" popover="auto" class="subscribe-dialog" role="dialog" aria-labelledby="subscribe-title">
            <h2 id="subscribe-title">{i18n::text(locale, "subscribe-heading")}</h2>
            <p>{i18n::text(locale, "subscribe-intro")}</p>
            <form method="post" action=page.clone()>
                <label for="subscribe-email">{i18n::text(locale, "subscribe-email")}</label>
                <input id="subscribe-email" name="email" type="email" autocomplete="email" required/>
                // The language of the subscriber's mails: the page's.
                <input type="hidden" name="language" value=locale.tag()/>
                <button type="submit" class="primary">{i18n::text(locale, "subscribe-submit")}</button>
                <button type="button" popovertarget="subscribe" popovertargetaction="hide">{i18n::text(locale, "subscribe-cancel")}</button>
            </form>
            <p class="meta"><a href=page>{i18n::text(locale, "subscribe-more")}</a></p>
        </div>
    }
}

#[component]
fn Incidents(incidents: Vec<PublicIncident>, slug: String) -> impl IntoView {
    let locale = crate::locale();
    (!incidents.is_empty()).then(|| view! {
        <section aria-labelledby="incidents-title">
            <h2 id="incidents-title">{i18n::text(locale, "open-incidents-heading")}</h2>
            {incidents.into_iter().map(|incident| {
                let latest = incident.updates.last().cloned();
                view! {
                    <article class=format!("incident impact-{}", incident.impact.as_str()) data-testid="open-incident">
                        <h3><a href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</a></h3>
                        <p class="meta">{incident_meta(locale, &incident)}</p>
                        {latest.map(|update| view! {
                            <div class="update">
                                <div class="message" inner_html=update.message_html.clone()></div>
                                <p class="meta"><time datetime=update.created_at.to_rfc3339() data-show="posted">{time::posted(locale, update.created_at)}</time></p>
                            </div>
                        })}
                    </article>
                }
            }).collect_view()}
        </section>
    })
}

#[component]
fn Maintenances(windows: Vec<PublicMaintenance>, services: Vec<PublicService>) -> impl IntoView {
    let locale = crate::locale();
    (!windows.is_empty()).then(|| view! {
        <section aria-labelledby="maintenance-title">
            <h2 id="maintenance-title">{i18n::text(locale, "maintenance-heading")}</h2>
            {windows.into_iter().map(|window| {
                let names: Vec<String> = window.service_ids.iter()
                    .filter_map(|id| services.iter().find(|s| &s.id == id).map(|s| s.name.clone()))
                    .collect();
                view! {
                    <article class="maintenance">
                        <h3>{window.title.clone()}</h3>
                        <p class="meta">
                            {i18n::maintenance_status(locale, window.status)}
                            " · "
                            <time datetime=window.scheduled_start.to_rfc3339() data-show="local">{time::local_in(locale, window.scheduled_start)}</time>
                            " – "
                            <time datetime=window.scheduled_end.to_rfc3339() data-show="local">{time::local_in(locale, window.scheduled_end)}</time>
                        </p>
                        {(!names.is_empty()).then(|| view! { <p class="meta">{i18n::text_with(locale, "maintenance-affects", &[("services", (&names.join(", ")).into())])}</p> })}
                        <div class="message" inner_html=window.description_html.clone()></div>
                    </article>
                }
            }).collect_view()}
        </section>
    })
}

#[component]
fn ServiceList(services: Vec<PublicService>, state: StatusState) -> impl IntoView {
    view! {
        <ul class="services">
            {services.into_iter().map(|service| {
                let id = service.id.clone();
                view! {
                    <li class="service" data-testid="service">
                        <div class="service-line">
                            <span class="service-name">{service.name.clone()}</span>
                            <About id=service.id.clone() name=service.name.clone() description=service.description.clone()/>
                            <StatusBadge status=service.status/>
                        </div>
                        {move || state.uptime.with(|report| {
                            report.services.iter().find(|s| s.service_id == id).map(|s| {
                                // While the bundle takes the page over, `drawn` is still empty
                                // and the bars stay as the server drew them.
                                let bars = if s.days.is_empty() {
                                    state.drawn.with_value(|drawn| drawn.iter().find(|(s, _)| *s == id).map(|(_, bars)| bars.clone())).unwrap_or_default()
                                } else {
                                    bars_html(crate::locale(), &s.days)
                                };
                                view! { <UptimeBar service=id.clone() bars=bars percent=s.uptime_percent/> }
                            })
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// A service's description as a tooltip: a button that keyboard users reach with Tab and that
/// screen readers announce with the description (`aria-describedby`); the text shows on hover
/// (of the button or the text itself, so a pointer can move onto it) and on focus, and Escape
/// puts it away until the next hover or focus (WCAG 1.4.13; the bundle's `dismissible_tips`).
/// Nothing when the service has no description.
#[component]
fn About(id: ServiceId, name: String, description: String) -> impl IntoView {
    let tip = format!("about-{id}");
    let label = i18n::text_with(
        crate::locale(),
        "about-service",
        &[("service", (&name).into())],
    );
    (!description.trim().is_empty()).then(|| {
        view! {
            <span class="about">
                <button type="button" class="about-button" aria-label=label aria-describedby=tip.clone()>"?"</button>
                <span class="tooltip" role="tooltip" id=tip>{description}</span>
            </span>
        }
    })
}

#[component]
fn UptimeBar(service: ServiceId, bars: String, percent: Option<f64>) -> impl IntoView {
    let locale = crate::locale();
    let percent = match percent {
        Some(p) => {
            let p = i18n::number(locale, p, 2);
            i18n::text_with(locale, "uptime-percent", &[("percent", (&p).into())])
        }
        None => i18n::text(locale, "uptime-no-data"),
    };
    view! {
        <div class="uptime">
            <div class="bars" role="list" aria-label=i18n::text(locale, "uptime-bars-label") data-service=service.to_string() inner_html=bars></div>
            <p class="uptime-percent">{percent}</p>
        </div>
    }
}

/// The bars of a service's days, as HTML. A quiet stretch (the same state every day, no
/// downtime, no incident) is one bar spanning its days, drawn as day ticks by the stylesheet,
/// with one label and one keyboard stop; a day with downtime or an incident is a bar of its own
/// that names them. A page of fifty services is then hundreds of elements, not thousands, and a
/// keyboard or screen reader user hears stretches, not ninety days one by one. The browser's own
/// parser creates them from this one string; the server and the bundle draw the same.
pub fn bars_html(locale: Locale, days: &[UptimeDay]) -> String {
    let quiet = |day: &UptimeDay| day.downtime_seconds == 0 && day.incidents.is_empty();
    let mut html = String::with_capacity(days.len() * 40);
    let mut first = 0;
    while first < days.len() {
        let day = &days[first];
        let mut last = first;
        if quiet(day) {
            while days
                .get(last + 1)
                .is_some_and(|next| quiet(next) && next.worst_status == day.worst_status)
            {
                last += 1;
            }
        }
        bar(locale, &mut html, &days[first..=last], first, days.len());
        first = last + 1;
    }
    html
}

/// One bar for `run` (days of the same state), which starts at column `at` of `columns`.
fn bar(locale: Locale, html: &mut String, run: &[UptimeDay], at: usize, columns: usize) {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return;
    };
    let (class, word) = match first.worst_status {
        None => ("bar-none", i18n::text(locale, "uptime-day-no-data")),
        Some(status) => (
            match status {
                ServiceStatus::Operational => "status-operational",
                ServiceStatus::DegradedPerformance => "status-degraded",
                ServiceStatus::PartialOutage => "status-partial",
                ServiceStatus::MajorOutage => "status-major",
                ServiceStatus::UnderMaintenance => "status-maintenance",
            },
            i18n::service_status(locale, status),
        ),
    };
    let count = run.len();
    let first_day = i18n::day(locale, first.date);
    let mut text = if count == 1 {
        i18n::text_with(
            locale,
            "uptime-bar-day",
            &[("day", (&first_day).into()), ("status", (&word).into())],
        )
    } else {
        let last_day = i18n::day(locale, last.date);
        i18n::text_with(
            locale,
            "uptime-bar-days",
            &[
                ("first", (&first_day).into()),
                ("last", (&last_day).into()),
                ("status", (&word).into()),
                ("count", i64::try_from(count).unwrap_or(i64::MAX).into()),
            ],
        )
    };
    let down = i64::try_from(first.downtime_seconds).unwrap_or(i64::MAX);
    if down > 0 {
        text.push_str(&i18n::text_with(
            locale,
            "uptime-bar-down",
            &[
                ("hours", (down / 3600).into()),
                ("minutes", ((down % 3600) / 60).into()),
            ],
        ));
    }
    for incident in &first.incidents {
        text.push_str("; ");
        text.push_str(&incident.title);
    }
    // Its label shows above it, kept inside the row near either end.
    let near_end = columns.saturating_sub(12);
    let edge = if at < 12 && at + count < near_end {
        " bar-left"
    } else if at >= 12 && at + count >= near_end {
        " bar-right"
    } else {
        ""
    };
    let span = if count > 1 {
        format!(" style=\"grid-column:span {count};--days:{count}\"")
    } else {
        String::new()
    };
    html.push_str(&format!(
        "<span class=\"bar {class}{edge}\"{span} role=\"listitem\" tabindex=\"0\" aria-label=\"{}\"></span>",
        crate::escape(&text)
    ));
}

#[component]
fn History(state: StatusState, on_older: Callback<()>) -> impl IntoView {
    let slug = move || state.summary.with(|s| s.page.slug.clone());
    let locale = crate::locale();
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">{i18n::text(locale, "past-incidents-heading")}</h2>
            {move || {
                let list = state.history.get();
                if list.is_empty() {
                    return view! { <p class="muted">{i18n::text(locale, "no-incidents")}</p> }.into_any();
                }
                let slug = slug();
                let mut days: Vec<(chrono::NaiveDate, Vec<PublicIncident>)> = Vec::new();
                for incident in list {
                    let day = incident.created_at.date_naive();
                    match days.last_mut() {
                        Some((d, group)) if *d == day => group.push(incident),
                        _ => days.push((day, vec![incident])),
                    }
                }
                days.into_iter().map(|(day, group)| view! {
                    <div class="history-day">
                        <h3>{i18n::day(locale, day)}</h3>
                        <ul>
                            {group.into_iter().map(|incident| view! {
                                <li>
                                    <a href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</a>
                                    <span class="meta">{format!(" · {}", i18n::incident_status(locale, incident.status))}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                }).collect_view().into_any()
            }}
            <Show when=move || state.older.with(Option::is_some)>
                <button class="more" on:click=move |_| on_older.run(())>{i18n::text(locale, "older-incidents")}</button>
            </Show>
            <p class="more"><a href=move || format!("/status/{}/history", slug())>{i18n::text(locale, "history-link")}</a></p>
        </section>
    }
}

/// The line under an incident's title: "Major impact · Investigating".
pub fn incident_meta(locale: Locale, incident: &PublicIncident) -> String {
    let impact = i18n::impact(locale, incident.impact);
    let status = i18n::incident_status(locale, incident.status);
    i18n::text_with(
        locale,
        "incident-meta",
        &[("impact", (&impact).into()), ("status", (&status).into())],
    )
}

/// The page's languages, each a link in its own language (`?lang=`: the server remembers the
/// choice in a cookie and answers with the page in it), the current one marked.
#[component]
pub fn LanguageMenu() -> impl IntoView {
    let current = crate::locale();
    view! {
            <nav class="languages" aria-label=i18n::text(current, "language-label")>
                <ul>
                    {Locale::ALL.into_iter().map(|locale| {
                        let here = locale == current;
                        view! {
                            <li>
                                <a href=format!("?lang={}", locale.tag()) lang=locale.tag() hreflang=locale.tag()
                                    aria-current=here.then_some("true") data-testid="language">
                                    {locale.native_name()}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upstate_shared::IncidentId;
    use upstate_shared::dto::DayIncident;

    fn day(date: u32, status: Option<ServiceStatus>) -> UptimeDay {
        UptimeDay {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, date).unwrap(),
            worst_status: status,
            downtime_seconds: 0,
            incidents: Vec::new(),
        }
    }

    #[test]
    fn a_bar_says_its_day_its_state_and_its_incidents_in_words_escaped() {
        let bad = UptimeDay {
            downtime_seconds: 5_400,
            incidents: vec![DayIncident {
                id: IncidentId("i".into()),
                title: "\"><script>alert(1)</script> & more".into(),
            }],
            ..day(3, Some(ServiceStatus::MajorOutage))
        };
        assert_eq!(
            bars_html(Locale::En, &[bad]),
            "<span class=\"bar status-major\" role=\"listitem\" tabindex=\"0\" \
             aria-label=\"3 November 2026: Major outage, 1 h 30 min down; &quot;&gt;&lt;script\
             &gt;alert(1)&lt;/script&gt; &amp; more\"></span>"
        );
    }

    #[test]
    fn quiet_days_of_one_state_are_one_bar_and_a_day_with_an_incident_its_own() {
        use ServiceStatus::{MajorOutage, Operational};
        let mut days: Vec<UptimeDay> = (1..=3).map(|d| day(d, None)).collect();
        days.extend((4..=20).map(|d| day(d, Some(Operational))));
        days.push(UptimeDay {
            downtime_seconds: 600,
            ..day(21, Some(MajorOutage))
        });
        days.extend((22..=30).map(|d| day(d, Some(Operational))));
        let html = bars_html(Locale::En, &days);
        let labels: Vec<&str> = html
            .split("aria-label=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(
            labels,
            [
                "1 November 2026 to 3 November 2026: No data, 3 days",
                "4 November 2026 to 20 November 2026: Operational, 17 days",
                "21 November 2026: Major outage, 0 h 10 min down",
                "22 November 2026 to 30 November 2026: Operational, 9 days",
            ]
        );
        assert_eq!(html.matches("<span").count(), 4);
        assert!(
            html.contains("style=\"grid-column:span 17;--days:17\""),
            "{html}"
        );
        // The bars fill the row's columns, one per day.
        let spanned: usize = html
            .split("<span")
            .skip(1)
            .map(|bar| {
                bar.split("span ")
                    .nth(1)
                    .and_then(|n| n.split(';').next())
                    .map_or(1, |n| n.parse::<usize>().unwrap())
            })
            .sum();
        assert_eq!(spanned, days.len());
    }
}
