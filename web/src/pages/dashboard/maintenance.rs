//! `/dashboard/{org}/maintenance`: schedule a window (start and end in the person's own time
//! zone, services, automatic start and completion), an agenda of upcoming, active and past
//! windows, and starting, completing or cancelling by hand.

use super::OrgContext;
use crate::api::{self, ApiError};
use crate::components::{EmptyState, Field, FormError, Toasts, loaded};
use crate::time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use upstate_shared::dto::{CreateMaintenanceRequest, CreateMaintenanceUpdateRequest, Maintenance};
use upstate_shared::valid::NewMaintenance;
use upstate_shared::{MaintenanceStatus, ServiceId};

/// A `datetime-local` value (the person's zone) as an RFC 3339 instant.
fn to_utc(local: &str) -> Option<DateTime<Utc>> {
    let date = js_sys::Date::new(&local.into());
    let ms = date.get_time();
    if ms.is_nan() {
        return None;
    }
    String::from(date.to_iso_string()).parse().ok()
}

#[component]
pub fn Maintenances() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let alert = expect_context::<super::Alert>();
    let version = RwSignal::new(0u32);
    let data = super::live_resource(version, |org| async move {
        let windows = api::maintenances(&org.slug, 100).await?;
        let services = api::services(&org.slug).await?;
        Ok((windows.items, services.items))
    });
    let reload = move || version.update(|v| *v += 1);
    let title = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let auto = RwSignal::new(true);
    let notify = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let toasts = expect_context::<Toasts>();
    let schedule = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let Some(scheduled_start) = to_utc(&start.get_untracked()) else {
                    error.set(Some(ApiError::invalid_field(
                        "scheduled_start",
                        "must be a date and time",
                    )));
                    return;
                };
                let Some(scheduled_end) = to_utc(&end.get_untracked()) else {
                    error.set(Some(ApiError::invalid_field(
                        "scheduled_end",
                        "must be a date and time",
                    )));
                    return;
                };
                let body = CreateMaintenanceRequest {
                    title: title.get_untracked(),
                    description: String::new(),
                    scheduled_start,
                    scheduled_end,
                    service_ids: chosen.get_untracked().into_iter().map(ServiceId).collect(),
                    auto_transition: auto.get_untracked(),
                    notify: notify.get_untracked(),
                };
                // The API's own rules first: an end after the start, a title.
                if let Err(fields) = NewMaintenance::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_maintenance(&org.slug, &body).await {
                    Ok(_) => {
                        title.set(String::new());
                        chosen.set(Vec::new());
                        error.set(None);
                        toasts.success("Maintenance scheduled");
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let act_org = org.clone();
    let can_edit = org.can_edit();
    view! {
        <h1>"Maintenance"</h1>
        {loaded(data, "Loading…", move |(windows, services)| {
                let org = act_org.clone();
                // A section's title, and what it shows when empty.
                let section = move |label: &'static str, (empty, hint): (&'static str, &'static str), list: Vec<Maintenance>| {
                    let org = org.clone();
                    let services = services.clone();
                    view! {
                        <h2>{label}</h2>
                        {if list.is_empty() { view! { <EmptyState title=empty hint=hint/> }.into_any() } else {
                            view! { <ul class="agenda">{list.into_iter().map(|m| {
                                let names: Vec<String> = m.service_ids.iter().filter_map(|id| services.iter().find(|s| &s.id == id).map(|s| s.name.clone())).collect();
                                let (slug, id) = (org.slug.clone(), m.id.clone());
                                let act = move |to: MaintenanceStatus, text: &'static str| {
                                    let (slug, id) = (slug.clone(), id.clone());
                                    move |_| {
                                        let (slug, id) = (slug.clone(), id.clone());
                                        let body = CreateMaintenanceUpdateRequest { status: to, message: text.to_owned(), notify: true };
                                        let worked = match to {
                                            MaintenanceStatus::InProgress => "Maintenance started",
                                            MaintenanceStatus::Completed => "Maintenance completed",
                                            MaintenanceStatus::Cancelled => "Maintenance cancelled",
                                            MaintenanceStatus::Scheduled => "Maintenance scheduled",
                                        };
                                        alert.run(
                                            "Moving the maintenance",
                                            worked,
                                            async move { api::add_maintenance_update(&slug, &id, &body).await },
                                            reload,
                                        );
                                    }
                                };
                                let status = m.status;
                                view! {
                                    <li class="maintenance" data-testid="maintenance">
                                        <h3>{m.title.clone()}</h3>
                                        <p class="meta" data-testid="maintenance-status"><span class="badge">{status.label()}</span>{format!(" · {} – {}", time::local(m.scheduled_start), time::local(m.scheduled_end))}</p>
                                        {(!names.is_empty()).then(|| view! { <p class="meta">{names.join(", ")}</p> })}
                                        {(can_edit && status == MaintenanceStatus::Scheduled).then(|| view! {
                                            <button on:click=act(MaintenanceStatus::InProgress, "The maintenance has started.")>"Start now"</button>
                                            " "<button class="danger" on:click=act(MaintenanceStatus::Cancelled, "The maintenance is cancelled.")>"Cancel"</button>
                                        })}
                                        {(can_edit && status == MaintenanceStatus::InProgress).then(|| view! {
                                            <button on:click=act(MaintenanceStatus::Completed, "The maintenance is complete.")>"Complete"</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}</ul> }.into_any()
                        }}
                    }
                };
                let by = |s: &[MaintenanceStatus]| windows.iter().filter(|m| s.contains(&m.status)).cloned().collect::<Vec<_>>();
                let active = by(&[MaintenanceStatus::InProgress]);
                let mut upcoming = by(&[MaintenanceStatus::Scheduled]);
                upcoming.sort_by_key(|m| m.scheduled_start);
                let past = by(&[MaintenanceStatus::Completed, MaintenanceStatus::Cancelled]);
                let (s1, s2, s3) = (section.clone(), section.clone(), section);
                let upcoming_hint = if can_edit {
                    "Schedule a window below: visitors see it ahead of time, and its services show Under maintenance while it runs."
                } else {
                    "An editor schedules maintenance windows here; visitors see them ahead of time."
                };
                view! {
                    {s1("In progress", ("Nothing in progress", "A window shows here while it runs: from its start, or once started by hand."), active)}
                    {s2("Upcoming", ("Nothing scheduled", upcoming_hint), upcoming)}
                    {s3("Past", ("No past maintenance", "Completed and cancelled windows stay here."), past)}
                }.into_any()
        })}
        <Show when=move || can_edit>
            <form novalidate=true on:submit=schedule.clone()>
                <h2>"Schedule maintenance"</h2>
                <Field label="Title" name="maintenance-title" field="title" value=title error=error/>
                <div class="field-row">
                    <Field label="Starts (your time)" name="scheduled_start" kind="datetime-local" value=start error=error/>
                    <Field label="Ends (your time)" name="scheduled_end" kind="datetime-local" value=end error=error/>
                </div>
                <fieldset class="field"><legend>"Services"</legend>
                    {move || data.get().and_then(|r| r.ok()).map(|(_, services)| if services.is_empty() {
                        view! { <p class="muted">"No services yet: a window without services only tells visitors."</p> }.into_any()
                    } else { services.into_iter().map(|s| {
                        let id = s.id.to_string();
                        view! { <label class="inline"><input type="checkbox" on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id.clone()); } });
                        }/>{s.name.clone()}</label> }
                    }).collect_view().into_any() })}
                </fieldset>
                <label class="inline"><input type="checkbox" prop:checked=move || auto.get() on:change=move |ev| auto.set(event_target_checked(&ev))/>
                    "Start and complete on time by itself"</label>
                <super::incidents::NotifyChoice notify=notify/>
                <FormError error=error/>
                <button type="submit" class="primary">"Schedule"</button>
            </form>
        </Show>
    }
}
