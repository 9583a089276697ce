//! `/status/{org}`: an organization's public status page, live. It starts from the summary
//! inlined in the HTML (or fetches it), follows the public WebSocket, applies service changes in
//! place, and refetches the summary on other events, after a `seq` gap, or after reconnecting.

use crate::api;
use crate::components::StatusBadge;
use crate::live::{self, Connection};
use crate::time;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use upstate_shared::dto::{
    PublicIncident, PublicMaintenance, PublicService, PublicSummary, UptimeDay, UptimeReport,
};
use upstate_shared::{ErrorCode, EventKind, ServiceStatus};

/// The summary the server put in the page, when it is this org's.
fn inlined(slug: &str) -> Option<PublicSummary> {
    let element = web_sys::window()?
        .document()?
        .get_element_by_id("upstate-summary")?;
    let summary: PublicSummary = serde_json::from_str(&element.text_content()?).ok()?;
    // Used once: after a client-side navigation it would be stale.
    element.remove();
    (summary.page.slug == slug).then_some(summary)
}

#[component]
pub fn StatusPage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("org").unwrap_or_default();
    let summary: RwSignal<Option<PublicSummary>> = RwSignal::new(inlined(&slug));
    let problem: RwSignal<Option<api::ApiError>> = RwSignal::new(None);
    let live = RwSignal::new(Connection::Connecting);
    let announcement = RwSignal::new(String::new());
    let last_seq = StoredValue::new(summary.get_untracked().map_or(0, |s| s.seq));

    let refetch = {
        let slug = slug.clone();
        move || {
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                match api::public_summary(&slug).await {
                    Ok(fresh) => {
                        if let Some(old) = summary.get_untracked() {
                            for incident in fresh
                                .incidents
                                .iter()
                                .filter(|i| !old.incidents.iter().any(|o| o.id == i.id))
                            {
                                announcement.set(format!("New incident: {}", incident.title));
                            }
                        }
                        last_seq.set_value(last_seq.get_value().max(fresh.seq));
                        summary.set(Some(fresh));
                        problem.set(None);
                    }
                    Err(err) => problem.set(Some(err)),
                }
            });
        }
    };
    if summary.get_untracked().is_none() {
        refetch();
    }

    // Live: apply each event in order; resync after a gap or a reconnect.
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        on_cleanup(move || stop.store(true, Ordering::Relaxed));
    }
    let on_frame = {
        let refetch = refetch.clone();
        move |frame: upstate_shared::ServerFrame| {
            let seq = frame.seq;
            if frame.kind == EventKind::Hello {
                if summary.get_untracked().is_none_or(|s| s.seq != seq) {
                    refetch();
                }
                last_seq.set_value(seq);
                return;
            }
            let last = last_seq.get_value();
            if seq <= last {
                return;
            }
            last_seq.set_value(seq);
            let in_order = seq == last + 1;
            let service = (frame.kind == EventKind::ServiceUpdated)
                .then(|| {
                    frame
                        .data
                        .clone()
                        .and_then(|d| serde_json::from_value::<PublicService>(d).ok())
                })
                .flatten();
            match service {
                Some(service) if in_order && summary.with_untracked(|s| s.is_some()) => {
                    summary.update(|s| {
                        if let Some(s) = s {
                            if let Some(slot) = s.services.iter_mut().find(|x| x.id == service.id) {
                                *slot = service.clone();
                            } else {
                                s.services.push(service.clone());
                            }
                            s.seq = seq;
                            s.status.indicator = s.indicator();
                            s.status.description = s.status.indicator.description().to_owned();
                        }
                    });
                    announcement.set(format!(
                        "{} is now {}",
                        service.name,
                        service.status.label()
                    ));
                }
                _ => refetch(),
            }
        }
    };
    live::follow(format!("/api/v1/public/{slug}/ws"), live, stop, on_frame);

    // The tab says the state. The first time, a performance mark tells when the summary reached
    // the page (effects run after the view is in the DOM): `just bench` reads it.
    let painted = StoredValue::new(false);
    Effect::new(move |_| {
        if let Some(s) = summary.get() {
            let title = format!("{} · {} status", s.status.description, s.page.name);
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&title);
            }
            if !painted.get_value() {
                painted.set_value(true);
                if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
                    let _ = performance.mark("upstate:summary-painted");
                }
            }
        }
    });

    let uptime_slug = slug.clone();
    let uptime = LocalResource::new(move || {
        let slug = uptime_slug.clone();
        async move { api::public_uptime(&slug, 90).await }
    });

    let page_slug = slug.clone();
    view! {
        <div class="page status-page">
            <div class="sr-only" aria-live="polite" role="status">{move || announcement.get()}</div>
            {move || match (summary.get(), problem.get()) {
                (Some(s), _) => view! {
                    <Loaded summary=s live=live uptime=uptime slug=page_slug.clone()/>
                }.into_any(),
                (None, Some(err)) if err.code() == ErrorCode::NotFound => view! {
                    <main class="empty-state">
                        <h1>"No status page here"</h1>
                        <p>{format!("There is no organization called “{}”.", page_slug)}</p>
                        <A href="/">"Go to the start page"</A>
                    </main>
                }.into_any(),
                (None, Some(err)) => {
                    let retry = refetch.clone();
                    view! {
                        <main class="empty-state" role="alert">
                            <h1>"The status could not be loaded"</h1>
                            <p>{err.message().to_owned()}</p>
                            <button on:click=move |_| retry()>"Try again"</button>
                        </main>
                    }.into_any()
                }
                (None, None) => view! { <p class="muted" aria-busy="true">"Loading the status…"</p> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Loaded(
    summary: PublicSummary,
    live: RwSignal<Connection>,
    uptime: LocalResource<Result<UptimeReport, api::ApiError>>,
    slug: String,
) -> impl IntoView {
    let accent = summary
        .page
        .branding
        .accent_color
        .clone()
        .unwrap_or_default();
    let style = if accent.is_empty() {
        String::new()
    } else {
        format!("--accent: {accent}")
    };
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
    view! {
        <div style=style>
            <header class="masthead status-header">
                {logo.map(|src| view! { <img class="logo" src=src alt=format!("{name} logo") height="32"/> })}
                <h1>{summary.page.name.clone()}</h1>
                <span class="live" data-live=move || format!("{:?}", live.get()).to_lowercase()>
                    {move || match live.get() {
                        Connection::Live => "● Live",
                        Connection::Connecting => "○ Connecting…",
                        Connection::Reconnecting => "○ Reconnecting…",
                    }}
                </span>
            </header>
            <p class=format!("banner banner-{}", indicator.as_str()) data-testid="banner">
                {summary.status.description.clone()}
            </p>
            <Incidents incidents=summary.incidents.clone() slug=slug.clone()/>
            <Maintenances windows=summary.maintenances.clone() services=services.clone()/>
            <section aria-labelledby="services-title">
                <h2 id="services-title">"Services"</h2>
                {(!ungrouped.is_empty()).then(|| view! { <ServiceList services=ungrouped.clone() uptime=uptime/> })}
                {groups.iter().map(|group| {
                    let members: Vec<PublicService> = services.iter().filter(|s| s.group_id.as_ref() == Some(&group.id)).cloned().collect();
                    let worst = members.iter().map(|s| s.status).fold(ServiceStatus::Operational, ServiceStatus::worst);
                    view! {
                        <details class="group" open>
                            <summary><span class="group-name">{group.name.clone()}</span> <StatusBadge status=worst/></summary>
                            <ServiceList services=members uptime=uptime/>
                        </details>
                    }
                }).collect_view()}
            </section>
            <History slug=slug/>
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
                        <h3><A href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</A></h3>
                        <p class="meta">{format!("{} impact · {}", incident.impact.label(), incident.status.label())}</p>
                        {latest.map(|update| view! {
                            <div class="update">
                                <div class="message" inner_html=update.message_html.clone()></div>
                                <p class="meta"><time datetime=update.created_at.to_rfc3339() title=time::local(update.created_at)>
                                    {format!("{} · {}", time::relative(update.created_at), time::local(update.created_at))}
                                </time></p>
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
                            {format!("{} – {}", time::local(window.scheduled_start), time::local(window.scheduled_end))}
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
fn ServiceList(
    services: Vec<PublicService>,
    uptime: LocalResource<Result<UptimeReport, api::ApiError>>,
) -> impl IntoView {
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
                        {move || uptime.get().and_then(|r| r.ok()).and_then(|report| {
                            report.services.into_iter().find(|s| s.service_id == id).map(|s| view! {
                                <UptimeBar days=s.days percent=s.uptime_percent/>
                            })
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn UptimeBar(days: Vec<UptimeDay>, percent: Option<f64>) -> impl IntoView {
    view! {
        <div class="uptime">
            <div class="bars" role="list" aria-label="Uptime over the last 90 days">
                {days.into_iter().map(|day| {
                    let (class, word) = match day.worst_status {
                        None => ("bar bar-none", "No data".to_owned()),
                        Some(status) => (match status {
                            ServiceStatus::Operational => "bar status-operational",
                            ServiceStatus::DegradedPerformance => "bar status-degraded",
                            ServiceStatus::PartialOutage => "bar status-partial",
                            ServiceStatus::MajorOutage => "bar status-major",
                            ServiceStatus::UnderMaintenance => "bar status-maintenance",
                        }, status.label().to_owned()),
                    };
                    let down = day.downtime_seconds;
                    let mut text = format!("{}: {word}", day.date.format("%d %b %Y"));
                    if down > 0 {
                        text.push_str(&format!(", {} h {} min down", down / 3600, (down % 3600) / 60));
                    }
                    for incident in &day.incidents {
                        text.push_str(&format!("; {}", incident.title));
                    }
                    view! { <span class=class role="listitem" tabindex="0" aria-label=text></span> }
                }).collect_view()}
            </div>
            <p class="uptime-percent">{percent.map_or("No data yet".to_owned(), |p| format!("{p:.2}% uptime"))}</p>
        </div>
    }
}

#[component]
fn History(slug: String) -> impl IntoView {
    let items: RwSignal<Vec<PublicIncident>> = RwSignal::new(Vec::new());
    let cursor: RwSignal<Option<String>> = RwSignal::new(None);
    let done = RwSignal::new(false);
    let load = {
        let slug = slug.clone();
        move || {
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                let after = cursor.get_untracked();
                if let Ok(page) = api::public_incidents(&slug, 10, after.as_deref()).await {
                    done.set(page.next_cursor.is_none());
                    cursor.set(page.next_cursor);
                    items.update(|all| all.extend(page.items));
                }
            });
        }
    };
    load();
    let more = load.clone();
    view! {
        <section aria-labelledby="history-title">
            <h2 id="history-title">"Past incidents"</h2>
            {move || {
                let list = items.get();
                if list.is_empty() {
                    return view! { <p class="muted">"No incidents reported."</p> }.into_any();
                }
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
                        <h3>{day.format("%d %B %Y").to_string()}</h3>
                        <ul>
                            {group.into_iter().map(|incident| view! {
                                <li>
                                    <A href=format!("/status/{slug}/incidents/{}", incident.id)>{incident.title.clone()}</A>
                                    <span class="meta">{format!(" · {}", incident.status.label())}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </div>
                }).collect_view().into_any()
            }}
            <Show when=move || !done.get()>
                <button class="more" on:click={let more = more.clone(); move |_| more()}>"Older incidents"</button>
            </Show>
        </section>
    }
}
