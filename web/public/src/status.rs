//! `/status/{org}`: an organization's status page, drawn from [`StatusState`]. The server draws
//! it once per change of the org (into the cached HTML, so the first paint needs no script);
//! in the browser, the bundle (`main.rs`) hydrates it from the same snapshot and keeps it live.

use crate::components::StatusBadge;
use crate::live::Connection;
use crate::time;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use upstate_shared::ServiceStatus;
use upstate_shared::dto::{
    Page, PublicIncident, PublicMaintenance, PublicService, PublicSummary, UptimeDay, UptimeReport,
};

/// How many past incidents the page shows at first (more on "Older incidents").
pub const HISTORY_PAGE: u32 = 10;

/// Everything the status page shows when it opens, inlined by the server into the HTML as
/// JSON (`<script id="upstate-status">`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusSnapshot {
    pub summary: PublicSummary,
    /// The last 90 days per service.
    pub uptime: UptimeReport,
    /// The first page of the incident history.
    pub history: Page<PublicIncident>,
}

/// The page's state: the snapshot, then whatever the live channel and the visitor change.
#[derive(Debug, Clone, Copy)]
pub struct StatusState {
    pub summary: RwSignal<PublicSummary>,
    pub uptime: RwSignal<UptimeReport>,
    pub history: RwSignal<Vec<PublicIncident>>,
    /// Where the next page of history starts, while there is one.
    pub older: RwSignal<Option<String>>,
    pub live: RwSignal<Connection>,
    /// What a screen reader is told of a change (a polite live region).
    pub announcement: RwSignal<String>,
}

impl StatusState {
    pub fn new(snapshot: StatusSnapshot) -> StatusState {
        StatusState {
            summary: RwSignal::new(snapshot.summary),
            uptime: RwSignal::new(snapshot.uptime),
            history: RwSignal::new(snapshot.history.items),
            older: RwSignal::new(snapshot.history.next_cursor),
            live: RwSignal::new(Connection::Connecting),
            announcement: RwSignal::new(String::new()),
        }
    }
}

/// The tab's title: the state first, so a visitor sees it in a row of tabs.
pub fn title(summary: &PublicSummary) -> String {
    format!(
        "{} · {} status",
        summary.status.description, summary.page.name
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
    let services = summary.services.clone();
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
    view! {
        <div style=style>
            <header class="masthead status-header">
                {logo.map(|src| view! { <img class="logo" src=src alt=format!("{name} logo") height="32"/> })}
                <h1>{summary.page.name.clone()}</h1>
                <span class="live" data-live=move || live.get().as_str()>{move || live.get().label()}</span>
            </header>
            <p class=format!("banner banner-{}", indicator.as_str()) data-testid="banner">
                {summary.status.description.clone()}
            </p>
            <Incidents incidents=summary.incidents.clone() slug=slug/>
            <Maintenances windows=summary.maintenances.clone() services=services.clone()/>
            <section aria-labelledby="services-title">
                <h2 id="services-title">"Services"</h2>
                {(!ungrouped.is_empty()).then(|| view! { <ServiceList services=ungrouped.clone() uptime=state.uptime/> })}
                {groups.iter().map(|group| {
                    let members: Vec<PublicService> = services.iter().filter(|s| s.group_id.as_ref() == Some(&group.id)).cloned().collect();
                    let worst = members.iter().map(|s| s.status).fold(ServiceStatus::Operational, ServiceStatus::worst);
                    view! {
                        <details class="group" open>
                            <summary><span class="group-name">{group.name.clone()}</span> <StatusBadge status=worst/></summary>
                            <ServiceList services=members uptime=state.uptime/>
                        </details>
                    }
                }).collect_view()}
            </section>
        </div>
    }
}

#[component]
fn Incidents(incidents: Vec<PublicIncident>, slug: String) -> impl IntoView {
    (!incidents.is_empty()).then(|| view! {
        <section aria-labelledby="incidents-title">
            <h2 id="incidents-title">"Open incidents"</h2>
            {incidents.into_iter().map(|incident| {
                let latest = incident.updates.last().cloned();
                view! {
                    <article class=format!("incident impact-{}", incident.impact.as_str()) data-testid="open-incident">
                        <h3><a href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</a></h3>
                        <p class="meta">{format!("{} impact · {}", incident.impact.label(), incident.status.label())}</p>
                        {latest.map(|update| view! {
                            <div class="update">
                                <div class="message" inner_html=update.message_html.clone()></div>
                                <p class="meta"><time datetime=update.created_at.to_rfc3339() data-show="posted">{time::posted(update.created_at)}</time></p>
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
    (!windows.is_empty()).then(|| view! {
        <section aria-labelledby="maintenance-title">
            <h2 id="maintenance-title">"Maintenance"</h2>
            {windows.into_iter().map(|window| {
                let names: Vec<String> = window.service_ids.iter()
                    .filter_map(|id| services.iter().find(|s| &s.id == id).map(|s| s.name.clone()))
                    .collect();
                view! {
                    <article class="maintenance">
                        <h3>{window.title.clone()}</h3>
                        <p class="meta">
                            {window.status.label()}
                            " · "
                            <time datetime=window.scheduled_start.to_rfc3339() data-show="local">{time::local(window.scheduled_start)}</time>
                            " – "
                            <time datetime=window.scheduled_end.to_rfc3339() data-show="local">{time::local(window.scheduled_end)}</time>
                        </p>
                        {(!names.is_empty()).then(|| view! { <p class="meta">{format!("Affects {}", names.join(", "))}</p> })}
                        <div class="message" inner_html=window.description_html.clone()></div>
                    </article>
                }
            }).collect_view()}
        </section>
    })
}

#[component]
fn ServiceList(services: Vec<PublicService>, uptime: RwSignal<UptimeReport>) -> impl IntoView {
    view! {
        <ul class="services">
            {services.into_iter().map(|service| {
                let id = service.id.clone();
                view! {
                    <li class="service" data-testid="service">
                        <div class="service-line">
                            <span class="service-name">{service.name.clone()}</span>
                            <StatusBadge status=service.status/>
                        </div>
                        {move || uptime.with(|report| {
                            report.services.iter().find(|s| s.service_id == id).map(|s| view! {
                                <UptimeBar days=s.days.clone() percent=s.uptime_percent/>
                            })
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Set while the bundle hydrates the page the server drew: its bars are there already, and
/// hydration keeps them as they are, so they are not written out again (thousands of them).
pub static HYDRATING: AtomicBool = AtomicBool::new(false);

#[component]
fn UptimeBar(days: Vec<UptimeDay>, percent: Option<f64>) -> impl IntoView {
    let bars = if HYDRATING.load(Ordering::Relaxed) {
        String::new()
    } else {
        bars_html(&days)
    };
    view! {
        <div class="uptime">
            <div class="bars" role="list" aria-label="Uptime over the last 90 days" inner_html=bars></div>
            <p class="uptime-percent">{percent.map_or("No data yet".to_owned(), |p| format!("{p:.2}% uptime"))}</p>
        </div>
    }
}

/// One bar per day, as HTML: a page of fifty services has thousands of bars, which the
/// browser's own parser creates far faster than one call from wasm per element and attribute.
pub fn bars_html(days: &[UptimeDay]) -> String {
    let mut html = String::with_capacity(days.len() * 110);
    for day in days {
        let (class, word) = match day.worst_status {
            None => ("bar bar-none", "No data"),
            Some(status) => (
                match status {
                    ServiceStatus::Operational => "bar status-operational",
                    ServiceStatus::DegradedPerformance => "bar status-degraded",
                    ServiceStatus::PartialOutage => "bar status-partial",
                    ServiceStatus::MajorOutage => "bar status-major",
                    ServiceStatus::UnderMaintenance => "bar status-maintenance",
                },
                status.label(),
            ),
        };
        let mut text = format!("{}: {word}", time::day(day.date));
        let down = day.downtime_seconds;
        if down > 0 {
            text.push_str(&format!(
                ", {} h {} min down",
                down / 3600,
                (down % 3600) / 60
            ));
        }
        for incident in &day.incidents {
            text.push_str("; ");
            text.push_str(&incident.title);
        }
        html.push_str(&format!(
            "<span class=\"{class}\" role=\"listitem\" tabindex=\"0\" aria-label=\"{}\"></span>",
            crate::escape(&text)
        ));
    }
    html
}

#[component]
fn History(state: StatusState, on_older: Callback<()>) -> impl IntoView {
    let slug = move || state.summary.with(|s| s.page.slug.clone());
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">"Past incidents"</h2>
            {move || {
                let list = state.history.get();
                if list.is_empty() {
                    return view! { <p class="muted">"No incidents reported."</p> }.into_any();
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
                        <h3>{time::day(day)}</h3>
                        <ul>
                            {group.into_iter().map(|incident| view! {
                                <li>
                                    <a href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</a>
                                    <span class="meta">{format!(" · {}", incident.status.label())}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                }).collect_view().into_any()
            }}
            <Show when=move || state.older.with(Option::is_some)>
                <button class="more" on:click=move |_| on_older.run(())>"Older incidents"</button>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use upstate_shared::IncidentId;
    use upstate_shared::dto::DayIncident;

    #[test]
    fn a_bar_says_its_day_its_state_and_its_incidents_in_words_escaped() {
        let day = UptimeDay {
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            worst_status: Some(ServiceStatus::MajorOutage),
            downtime_seconds: 5_400,
            incidents: vec![DayIncident {
                id: IncidentId("i".into()),
                title: "\"><script>alert(1)</script> & more".into(),
            }],
        };
        let quiet = UptimeDay {
            worst_status: None,
            downtime_seconds: 0,
            incidents: Vec::new(),
            ..day.clone()
        };
        assert_eq!(
            bars_html(&[day, quiet]),
            "<span class=\"bar status-major\" role=\"listitem\" tabindex=\"0\" aria-label=\"3 \
             November 2026: Major outage, 1 h 30 min down; &quot;&gt;&lt;script&gt;alert(1)&lt;\
             /script&gt; &amp; more\"></span><span class=\"bar bar-none\" role=\"listitem\" \
             tabindex=\"0\" aria-label=\"3 November 2026: No data\"></span>"
        );
    }
}
