//! `/dashboard/{org}/monitors`: the automated checks of the org's services (issue 17). The list
//! (name, service, kind and target, state in an icon and a word, the last result and when it
//! came), refreshed every 15 seconds and on the dashboard's live events; adding and editing in
//! one form covering every kind (HTTP, TCP, DNS, heartbeat), the settings and the automatic
//! incident ([`form`]); pausing, testing now (the result shown in place), deleting (asks
//! first). `/dashboard/{org}/monitors/{id}` ([`detail`]): one monitor with its response-time
//! chart over 24 hours, 7 or 30 days, its uptime, its heartbeat URL and its last results.
//! Viewers see everything; editors and up act.
//!
//! What the pages show and send is worked out in [`draft`], plain functions with no browser in
//! them: the form edits a [`draft::MonitorDraft`], whose `parts` are the request's values or
//! each field's problem under the path the API names it by (`check.url`,
//! `check.headers[1].name`, `settings.interval_seconds`), so the problems found before sending
//! and those the API answers show in the same place.

mod detail;
mod draft;
mod form;

pub use detail::MonitorDetail;

use super::{Alert, OrgContext};
use crate::api;
use crate::components::{Confirm, EmptyState, Question};
use crate::time;
use draft::{Kind, Shown, result_line, service_name, target};
use form::MonitorForm;
use leptos::prelude::*;
use leptos_router::components::A;
use upstate_shared::MonitorId;
use upstate_shared::dto::{Monitor, MonitorResult, Service, UpdateMonitorRequest};

/// How often an open page asks again, besides the live events (results arrive without any).
const REFRESH_MS: u32 = 15_000;
/// The most pages of monitors the list reads (100 each).
const LIST_PAGES: usize = 20;

/// Asks again every [`REFRESH_MS`] while the page is open (bumping `version`), and not while
/// the tab is hidden.
fn refresh_while_open(version: RwSignal<u32>) {
    leptos::task::spawn_local(async move {
        loop {
            time::sleep(REFRESH_MS).await;
            let hidden = web_sys::window()
                .and_then(|window| window.document())
                .is_some_and(|document| document.hidden());
            if hidden {
                // Gone with the page: stop.
                if version.try_get_untracked().is_none() {
                    return;
                }
                continue;
            }
            if version.try_update(|v| *v += 1).is_none() {
                return;
            }
        }
    });
}

/// What the form is for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Existing(Box<Monitor>),
}

/// What a list or a detail shows: the last answer that came, kept while a refresh fails.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(String),
    Ready,
}

type Listing = (Vec<Monitor>, Vec<Service>);

#[component]
pub fn Monitors() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let version = RwSignal::new(0u32);
    let data = super::live_resource(version, |org| async move {
        let monitors = api::all_monitors(&org.slug, LIST_PAGES).await?;
        let services = api::services(&org.slug).await?;
        Ok((monitors, services.items))
    });
    refresh_while_open(version);
    let reload = move || version.update(|v| *v += 1);
    // The last list that came: rows stay in place (and keep the focus) while it refreshes.
    let list = Memo::new(move |before: Option<&Option<Listing>>| match data.get() {
        Some(Ok(listing)) => Some(listing),
        _ => before.cloned().flatten(),
    });
    let phase = Memo::new(move |_| match (list.with(Option::is_some), data.get()) {
        (true, _) => Phase::Ready,
        (false, Some(Err(e))) => Phase::Failed(e.message().to_owned()),
        (false, _) => Phase::Loading,
    });
    let refresh_failed = move || match data.get() {
        Some(Err(e)) if list.with(Option::is_some) => Some(format!(
            "Refreshing failed ({}); this is the list as last loaded.",
            e.message()
        )),
        _ => None,
    };
    let editing = RwSignal::new(None::<Editing>);
    let services = move || {
        list.with_untracked(|l| l.as_ref().map(|(_, services)| services.clone()))
            .unwrap_or_default()
    };
    let can_edit = org.can_edit();
    let slug = org.slug.clone();
    let services_path = format!("/dashboard/{}/services", org.slug);
    let ids = move || {
        list.with(|l| {
            l.as_ref()
                .map(|(monitors, _)| monitors.iter().map(|m| m.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let no_monitors_hint = if can_edit {
        "A monitor checks a service for you: an HTTP request, a TCP port, a DNS name, or a heartbeat your job sends. When it fails, the service's status follows. Add the first with “Add a monitor”."
    } else {
        "A monitor checks a service for you and sets its status when the check fails; an editor adds them."
    };
    view! {
        <div class="page-head">
            <h1>"Monitors"</h1>
            <Show when=move || can_edit>
                <button type="button" class="primary" data-testid="monitor-add"
                    on:click=move |_| editing.set(Some(Editing::New))>"Add a monitor"</button>
            </Show>
        </div>
        {move || editing.get().map(|target| {
            let services = services();
            let (before, title) = match target {
                Editing::New => (None, "Add a monitor".to_owned()),
                Editing::Existing(m) => {
                    let title = format!("Edit “{}”", m.name);
                    (Some(*m), title)
                }
            };
            view! {
                <MonitorForm before=before title=title services=services
                    services_path=services_path.clone()
                    on_saved=Callback::new(move |_: Monitor| { editing.set(None); reload(); })
                    on_cancel=Callback::new(move |_| editing.set(None))/>
            }
        })}
        {move || match phase.get() {
            Phase::Loading => view! { <p class="muted" aria-busy="true">"Loading monitors…"</p> }.into_any(),
            Phase::Failed(message) => view! {
                <div class="load-error" role="alert">
                    <p>{message}</p>
                    <button on:click=move |_| reload()>"Try again"</button>
                </div>
            }.into_any(),
            Phase::Ready => {
                let slug = slug.clone();
                view! {
                    <p class="meta" role="status">{refresh_failed}</p>
                    <Show when=move || list.with(|l| l.as_ref().is_some_and(|(m, _)| m.is_empty()))>
                        <EmptyState title="No monitors yet" hint=no_monitors_hint/>
                    </Show>
                    <ul class="monitors" aria-label="Monitors">
                        <For each=ids key=|id| id.clone() let:id>
                            <MonitorRow id=id list=list slug=slug.clone() can_edit=can_edit clock=version
                                on_edit=Callback::new(move |m: Monitor| editing.set(Some(Editing::Existing(Box::new(m)))))
                                on_changed=Callback::new(move |_| reload())/>
                        </For>
                    </ul>
                }.into_any()
            }
        }}
    }
}

/// One monitor of the list (`data-testid="monitor-row"`): it stays in place while the list
/// refreshes, only its words change.
#[component]
fn MonitorRow(
    id: MonitorId,
    list: Memo<Option<Listing>>,
    slug: String,
    can_edit: bool,
    /// Bumped by each refresh: the relative times read again.
    clock: RwSignal<u32>,
    on_edit: Callback<Monitor>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let monitor = {
        let id = id.clone();
        Memo::new(move |before: Option<&Option<Monitor>>| {
            list.with(|l| {
                l.as_ref()
                    .and_then(|(monitors, _)| monitors.iter().find(|m| m.id == id).cloned())
            })
            .or_else(|| before.cloned().flatten())
        })
    };
    let service = move || {
        list.with(|l| {
            let services = l.as_ref().map(|(_, s)| s.as_slice()).unwrap_or_default();
            monitor.with(|m| m.as_ref().map(|m| service_name(&m.service_id, services)))
        })
    };
    let shown =
        Signal::derive(move || monitor.with(|m| m.as_ref().map_or(Shown::Pending, Shown::of)));
    let detail = format!("/dashboard/{slug}/monitors/{id}");
    let incident_slug = slug.clone();
    let last = move || {
        clock.get();
        monitor.with(|m| {
            m.as_ref().and_then(|m| m.last_result.clone()).map(|r| {
                view! {
                    <span class="monitor-message">{result_line(&r)}</span>
                    " · "
                    <time datetime=r.checked_at.to_rfc3339() title=time::local(r.checked_at)>{time::relative(r.checked_at)}</time>
                }
            })
        })
    };
    view! {
        <li class="monitor" data-testid="monitor-row">
            <div class="monitor-main">
                <h2 class="monitor-name"><A href=detail>{move || monitor.with(|m| m.as_ref().map(|m| m.name.clone()))}</A></h2>
                <p class="meta">
                    {service}" · "
                    <span class="badge">{move || monitor.with(|m| m.as_ref().map(|m| Kind::of(&m.check).word()))}</span>" "
                    <code class="monitor-target">{move || monitor.with(|m| m.as_ref().map(|m| target(&m.check)))}</code>
                </p>
            </div>
            <StateBadge shown=shown/>
            <p class="meta monitor-last">
                {move || last().map_or_else(|| view! { <span>"No result yet"</span> }.into_any(), IntoAny::into_any)}
            </p>
            {move || monitor.with(|m| m.as_ref().and_then(|m| m.open_incident_id.clone())).map(|incident| view! {
                <p class="meta monitor-incident"><A href=format!("/dashboard/{incident_slug}/incidents/{incident}")>"Incident open"</A></p>
            })}
            {can_edit.then(|| view! {
                <MonitorActions monitor=monitor slug=slug.clone() on_edit=on_edit
                    on_changed=on_changed on_deleted=on_changed/>
            })}
        </li>
    }
}

/// A monitor's state in an icon and a word (`data-testid="monitor-state"`), in the services'
/// status colours: never colour alone.
#[component]
fn StateBadge(#[prop(into)] shown: Signal<Shown>) -> impl IntoView {
    view! {
        <span class=move || format!("status monitor-state {}", shown.get().class()) data-testid="monitor-state">
            <span class="status-icon" aria-hidden="true">{move || shown.get().icon()}</span>
            <span class="status-word">{move || shown.get().word()}</span>
        </span>
    }
}

/// A result's state in an icon and words, as it was (not live).
fn state_mark(shown: Shown, words: String) -> impl IntoView {
    view! {
        <span class=format!("status {}", shown.class())>
            <span class="status-icon" aria-hidden="true">{shown.icon()}</span>
            <span class="status-word">{words}</span>
        </span>
    }
}

/// What an editor does with a monitor: pause or resume, test now (the result shown under the
/// buttons), edit, delete (asks first).
#[component]
fn MonitorActions(
    #[prop(into)] monitor: Signal<Option<Monitor>>,
    slug: String,
    on_edit: Callback<Monitor>,
    on_changed: Callback<()>,
    on_deleted: Callback<()>,
) -> impl IntoView {
    let alert = expect_context::<Alert>();
    let confirm = expect_context::<Confirm>();
    let tested = RwSignal::new(None::<Result<MonitorResult, String>>);
    let testing = RwSignal::new(false);
    let paused = move || monitor.with(|m| m.as_ref().is_some_and(|m| m.paused));
    let name = move || monitor.with(|m| m.as_ref().map(|m| m.name.clone()).unwrap_or_default());
    let switch = {
        let slug = slug.clone();
        move |_| {
            let Some(m) = monitor.get_untracked() else {
                return;
            };
            let slug = slug.clone();
            let pause = !m.paused;
            let body = UpdateMonitorRequest {
                paused: Some(pause),
                ..Default::default()
            };
            alert.run(
                if pause {
                    "Pausing the monitor"
                } else {
                    "Resuming the monitor"
                },
                if pause {
                    format!("“{}” paused", m.name)
                } else {
                    format!("“{}” resumed", m.name)
                },
                async move { api::update_monitor(&slug, &m.id, &body).await },
                move || on_changed.run(()),
            );
        }
    };
    let test = {
        let slug = slug.clone();
        move |_| {
            let Some(m) = monitor.get_untracked() else {
                return;
            };
            let slug = slug.clone();
            testing.set(true);
            tested.set(None);
            leptos::task::spawn_local(async move {
                let outcome = api::test_monitor(&slug, &m.id)
                    .await
                    .map_err(|e| e.message().to_owned());
                testing.try_set(false);
                tested.try_set(Some(outcome));
            });
        }
    };
    let remove = {
        let slug = slug.clone();
        move |_| {
            let Some(m) = monitor.get_untracked() else {
                return;
            };
            let slug = slug.clone();
            let question = Question {
                title: format!("Delete the monitor “{}”?", m.name),
                detail: "Its results and chart go with it. The service keeps its current status, and an incident it opened stays open. This cannot be undone.".to_owned(),
                action: "Delete monitor",
            };
            confirm.ask(question, move || {
                alert.run(
                    "Deleting the monitor",
                    "Monitor deleted",
                    async move { api::delete_monitor(&slug, &m.id).await },
                    move || on_deleted.run(()),
                );
            });
        }
    };
    let probed = move || monitor.with(|m| m.as_ref().is_some_and(|m| m.check.is_probed()));
    view! {
        <div class="monitor-actions">
            <button type="button" aria-label=move || format!("{} {}", if paused() { "Resume" } else { "Pause" }, name())
                on:click=switch>{move || if paused() { "Resume" } else { "Pause" }}</button>
            <Show when=probed>
                <button type="button" aria-label=move || if testing.get() { format!("Testing {}…", name()) } else { format!("Test now: {}", name()) } disabled=move || testing.get()
                    on:click=test.clone()>{move || if testing.get() { "Testing…" } else { "Test now" }}</button>
            </Show>
            <button type="button" aria-label=move || format!("Edit {}", name())
                on:click=move |_| if let Some(m) = monitor.get_untracked() { on_edit.run(m) }>"Edit"</button>
            <button type="button" class="danger" aria-label=move || format!("Delete {}", name()) on:click=remove>"Delete"</button>
        </div>
        <p class="test-result" role="status" data-testid="monitor-test-result">{move || tested.get().map(|outcome| match outcome {
            Ok(result) => {
                let shown = Shown::from(result.state);
                view! {
                    {state_mark(shown, format!("Test: {}", shown.word()))}
                    {format!(" {} (not recorded)", result_line(&result))}
                }.into_any()
            }
            Err(message) => view! { {format!("✗ The test could not run: {message}")} }.into_any(),
        })}</p>
    }
}
