//! `/dashboard/{org}/monitors/{id}`: one monitor. Its state and last result, the actions, its
//! heartbeat URL (to copy, with a command that calls it), the response-time chart with its
//! range switch and uptime, the last results a page at a time, and how it checks.

use super::super::team::copy;
use super::super::{Alert, OrgContext};
use super::draft::{
    Kind, Shown, absolute_url, check_details, curl_example, result_line, service_name, target,
};
use super::form::MonitorForm;
use super::{MonitorActions, Phase, StateBadge, refresh_while_open, state_mark};
use crate::api;
use crate::components::chart::{self, ChartTable, RANGES, ResponseTimeChart};
use crate::components::{EmptyState, Toasts};
use crate::time;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use upstate_shared::MonitorId;
use upstate_shared::dto::{Monitor, MonitorChart, MonitorResult, Service};

/// How many results the detail shows at a time.
const RESULTS_PAGE: u32 = 20;

/// `/dashboard/{org}/monitors/{id}`: one monitor, its chart, its heartbeat URL, its results.
#[component]
pub fn MonitorDetail() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let toasts = expect_context::<Toasts>();
    let id = MonitorId(
        use_params_map()
            .read_untracked()
            .get("id")
            .unwrap_or_default(),
    );
    let version = RwSignal::new(0u32);
    refresh_while_open(version);
    let reload = move || version.update(|v| *v += 1);
    let data = {
        let id = id.clone();
        super::super::live_resource(version, move |org| {
            let id = id.clone();
            async move {
                let monitor = api::monitor(&org.slug, &id).await?;
                let services = api::services(&org.slug).await?;
                Ok((monitor, services.items))
            }
        })
    };
    let current =
        Memo::new(
            move |before: Option<&Option<(Monitor, Vec<Service>)>>| match data.get() {
                Some(Ok(found)) => Some(found),
                _ => before.cloned().flatten(),
            },
        );
    let monitor = Signal::derive(move || current.with(|c| c.as_ref().map(|(m, _)| m.clone())));
    // Drawn again only when it changes: its buttons keep the focus through refreshes.
    let heartbeat_url =
        Memo::new(move |_| monitor.with(|m| m.as_ref().and_then(|m| m.heartbeat_url.clone())));
    let open_incident =
        Memo::new(move |_| monitor.with(|m| m.as_ref().and_then(|m| m.open_incident_id.clone())));
    let phase = Memo::new(move |_| match (current.with(Option::is_some), data.get()) {
        (true, _) => Phase::Ready,
        (false, Some(Err(e))) => Phase::Failed(e.message().to_owned()),
        (false, _) => Phase::Loading,
    });
    let list_path = format!("/dashboard/{}/monitors", org.slug);
    let services_path = format!("/dashboard/{}/services", org.slug);
    let editing = RwSignal::new(false);
    let navigate = use_navigate();
    let on_deleted = {
        let list_path = list_path.clone();
        Callback::new(move |_| navigate(&list_path, Default::default()))
    };
    let can_edit = org.can_edit();
    let slug = org.slug.clone();
    let with = move |f: fn(&Monitor, &[Service]) -> String| {
        move || current.with(|c| c.as_ref().map(|(m, s)| f(m, s)))
    };
    view! {
        <p class="meta"><A href=list_path.clone()>"← All monitors"</A></p>
        {move || match phase.get() {
            Phase::Loading => view! { <p class="muted" aria-busy="true">"Loading the monitor…"</p> }.into_any(),
            Phase::Failed(message) => view! {
                <div class="load-error" role="alert">
                    <p>{message}</p>
                    <button on:click=move |_| reload()>"Try again"</button>
                </div>
            }.into_any(),
            Phase::Ready => {
                let slug = slug.clone();
                let services_path = services_path.clone();
                let shown = Signal::derive(move || monitor.with(|m| m.as_ref().map_or(Shown::Pending, Shown::of)));
                view! {
                    <div class="page-head">
                        <h1>{with(|m, _| m.name.clone())}</h1>
                        <StateBadge shown=shown/>
                    </div>
                    <p class="meta">
                        {with(|m, s| service_name(&m.service_id, s))}" · "
                        <span class="badge">{with(|m, _| Kind::of(&m.check).word().to_owned())}</span>" "
                        <code class="monitor-target">{with(|m, _| target(&m.check))}</code>
                    </p>
                    <p class="meta">{move || { version.get(); monitor.with(|m| m.as_ref().map(last_and_next)) }}</p>
                    {
                        let slug = slug.clone();
                        move || open_incident.get().map(|incident| view! {
                            <p class="meta"><A href=format!("/dashboard/{slug}/incidents/{incident}")>"This monitor's incident is open: see its timeline"</A></p>
                        })
                    }
                    {can_edit.then(|| view! {
                        <MonitorActions monitor=monitor slug=slug.clone()
                            on_edit=Callback::new(move |_| editing.set(true))
                            on_changed=Callback::new(move |_| reload()) on_deleted=on_deleted/>
                    })}
                    {move || (editing.get()).then(|| monitor.get_untracked()).flatten().map(|m| {
                        let services = current.with_untracked(|c| c.as_ref().map(|(_, s)| s.clone())).unwrap_or_default();
                        view! {
                            <MonitorForm title=format!("Edit “{}”", m.name) before=Some(m) services=services
                                services_path=services_path.clone()
                                on_saved=Callback::new(move |_| { editing.set(false); reload(); })
                                on_cancel=Callback::new(move |_| editing.set(false))/>
                        }
                    })}
                    {move || heartbeat_url.get().map(|url| view! {
                        <HeartbeatUrl url=url toasts=toasts/>
                    })}
                    <ChartPanel id=id.clone() slug=slug.clone() version=version/>
                    <Results id=id.clone() slug=slug.clone() version=version/>
                    <MonitorSettings monitor=monitor/>
                }.into_any()
            }
        }}
    }
}

/// "Last checked 5 min ago · next check at 14:05".
fn last_and_next(monitor: &Monitor) -> String {
    let last = match &monitor.last_result {
        Some(r) => format!(
            "Last checked {}: {}",
            time::relative(r.checked_at),
            result_line(r)
        ),
        None => "Not checked yet".to_owned(),
    };
    match (monitor.paused, monitor.next_check_at) {
        (true, _) => format!("{last} · paused: no checks run"),
        (false, Some(next)) => format!("{last} · next check {}", time::local(next)),
        (false, None) => last,
    }
}

/// A heartbeat monitor's URL, to copy, with a command that calls it.
#[component]
fn HeartbeatUrl(url: String, toasts: Toasts) -> impl IntoView {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let url = absolute_url(&url, &origin);
    let command = curl_example(&url);
    let (copy_url, copy_command) = (url.clone(), command.clone());
    view! {
        <section class="notice heartbeat" aria-labelledby="heartbeat-title" data-testid="heartbeat-url">
            <h2 id="heartbeat-title">"Heartbeat URL"</h2>
            <p>"Have your job call this URL each time it runs (GET, HEAD or POST). Keep it secret: anyone who has it can report the job as running."</p>
            <input class="copyable" readonly aria-label="Heartbeat URL" prop:value=url/>
            <button type="button" on:click=move |_| { copy(&copy_url); toasts.success("Heartbeat URL copied"); }>"Copy URL"</button>
            <p>"For example, as the last step of a cron job:"</p>
            <pre class="command"><code>{command}</code></pre>
            <button type="button" on:click=move |_| { copy(&copy_command); toasts.success("Command copied"); }>"Copy command"</button>
        </section>
    }
}

/// The response-time chart with its range switch, its uptime and its numbers as a table.
#[component]
fn ChartPanel(id: MonitorId, slug: String, version: RwSignal<u32>) -> impl IntoView {
    let range = RwSignal::new("24h");
    let chart = LocalResource::new(move || {
        version.get();
        let (slug, id, range) = (slug.clone(), id.clone(), range.get());
        async move { api::monitor_chart(&slug, &id, range).await }
    });
    let table_open = RwSignal::new(false);
    let shown = move || chart.get().and_then(Result::ok);
    view! {
        <section aria-labelledby="chart-heading" class="chart-panel">
            <div class="page-head">
                <h2 id="chart-heading">"Response times"</h2>
                <div class="range-switch" role="group" aria-label="Range" data-testid="chart-range">
                    {RANGES.iter().map(|(name, words)| view! {
                        <button type="button" aria-pressed=move || (range.get() == *name).to_string()
                            title=format!("The last {words}") on:click=move |_| range.set(*name)>{*name}</button>
                    }).collect_view()}
                </div>
            </div>
            <p class="uptime-line" data-testid="monitor-uptime">{move || shown().map(|c: MonitorChart| match c.uptime_percent {
                Some(p) => format!("{} uptime over {}", chart::format_percent(p), chart::range_words(&c.range)),
                None => format!("No checks over {} yet", chart::range_words(&c.range)),
            })}</p>
            {move || match chart.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading the chart…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="load-error" role="alert">{e.message().to_owned()}</p> }.into_any(),
                Some(Ok(c)) if c.points.is_empty() => view! {
                    <EmptyState title="No checks in this range" hint="The chart fills in as the monitor runs: one point per 5 minutes over a day, per hour over a week or a month."/>
                }.into_any(),
                Some(Ok(c)) => view! { <ResponseTimeChart chart=c/> }.into_any(),
            }}
            <details class="chart-data" prop:open=move || table_open.get()
                on:toggle=move |ev| table_open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
                <summary>"The numbers as a table"</summary>
                {move || table_open.get().then(|| shown().map(|c| view! { <ChartTable chart=c/> }))}
            </details>
        </section>
    }
}

/// The last results, newest first, a page at a time.
#[component]
fn Results(id: MonitorId, slug: String, version: RwSignal<u32>) -> impl IntoView {
    let alert = expect_context::<Alert>();
    let first = {
        let (slug, id) = (slug.clone(), id.clone());
        LocalResource::new(move || {
            version.get();
            let (slug, id) = (slug.clone(), id.clone());
            async move { api::monitor_results(&slug, &id, RESULTS_PAGE, None).await }
        })
    };
    // Older pages "Load more" added, and the cursor after them (`None`: the first page's).
    let more = RwSignal::new(Vec::<MonitorResult>::new());
    let next = RwSignal::new(None::<Option<String>>);
    // The next page's cursor: the first page's, or the one after the pages added.
    let cursor = Memo::new(move |_| {
        let first_cursor = first
            .get()
            .and_then(Result::ok)
            .and_then(|page| page.next_cursor);
        next.get().unwrap_or(first_cursor)
    });
    let load_more = move |cursor: String| {
        let (slug, id) = (slug.clone(), id.clone());
        leptos::task::spawn_local(async move {
            match api::monitor_results(&slug, &id, RESULTS_PAGE, Some(&cursor)).await {
                Ok(page) => {
                    more.update(|shown| shown.extend(page.items));
                    next.set(Some(page.next_cursor));
                }
                Err(e) => alert.fail(format!("Loading more results failed: {}", e.message())),
            }
        });
    };
    view! {
        <section aria-labelledby="results-heading">
            <h2 id="results-heading">"Last results"</h2>
            {move || match first.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading results…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="load-error" role="alert">{e.message().to_owned()}</p> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <EmptyState title="No results yet" hint="Each check's result is listed here as it comes, newest first."/>
                }.into_any(),
                Some(Ok(page)) => {
                    // The first page is asked again each refresh: older pages start below it.
                    let oldest = page.items.last().map(|r| r.checked_at);
                    let older: Vec<MonitorResult> = more.get().into_iter()
                        .filter(|r| oldest.is_some_and(|o| r.checked_at < o)).collect();
                    view! {
                        <table class="table" data-testid="monitor-results">
                            <caption class="sr-only">"Last results, newest first"</caption>
                            <thead><tr>
                                <th scope="col">"Checked"</th><th scope="col">"State"</th>
                                <th scope="col">"Response time"</th><th scope="col">"What was seen"</th>
                            </tr></thead>
                            <tbody>{page.items.into_iter().chain(older).map(|r| {
                                let shown = Shown::from(r.state);
                                view! {
                                    <tr data-testid="monitor-result">
                                        <td><time datetime=r.checked_at.to_rfc3339() title=time::relative(r.checked_at)>{time::local(r.checked_at)}</time></td>
                                        <td>{state_mark(shown, shown.word().to_owned())}</td>
                                        <td>{chart::format_latency(r.latency_ms)}</td>
                                        <td>{r.message.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            }}
            // Outside what each refresh draws again: the button keeps the focus.
            <Show when=move || cursor.with(Option::is_some)>
                <p class="more"><button type="button" on:click={
                    let load_more = load_more.clone();
                    move |_| if let Some(c) = cursor.get_untracked() { load_more(c) }
                }>"Load more"</button></p>
            </Show>
        </section>
    }
}

/// How the monitor runs, in words.
#[component]
fn MonitorSettings(monitor: Signal<Option<Monitor>>) -> impl IntoView {
    view! {
        <section aria-labelledby="settings-heading">
            <h2 id="settings-heading">"How it checks"</h2>
            {move || monitor.get().map(|m| {
                let s = m.settings;
                let details = check_details(&m.check);
                view! {
                    <dl class="monitor-settings">
                        {details.into_iter().map(|(term, value)| view! { <dt>{term}</dt><dd>{value}</dd> }).collect_view()}
                        <dt>"Interval"</dt><dd>{format!("every {} s, {} s to answer", s.interval_seconds, s.timeout_seconds)}</dd>
                        <dt>"Turns down after"</dt><dd>{format!("{} failed checks in a row", s.failures_to_fail)}</dd>
                        <dt>"Up again after"</dt><dd>{format!("{} passed checks in a row", s.successes_to_recover)}</dd>
                        <dt>"Automatic incident"</dt><dd>{m.auto_incident.map_or_else(
                            || "Off".to_owned(),
                            |t| format!("“{}”, {} impact", t.title, t.impact.label()),
                        )}</dd>
                    </dl>
                }
            })}
        </section>
    }
}
