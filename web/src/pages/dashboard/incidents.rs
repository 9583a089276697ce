//! `/dashboard/{org}/incidents`: open and resolved incidents, declaring one (title, impact,
//! status, affected services each with a status, first message), and an incident's page with
//! its timeline, a composer for the next update, and resolving.

use super::OrgContext;
use super::markdown::MarkdownField;
use crate::api::{self, ApiError};
use crate::components::{EmptyState, Field, FormError, TimelineUpdate, Toasts, loaded};
use crate::time;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use upstate_shared::dto::{
    AffectedService, CreateIncidentRequest, CreateIncidentUpdateRequest, Incident,
    SavedIncidentTemplate, Service, UpdateIncidentRequest,
};
use upstate_shared::valid::{IncidentEdit, NewIncident, NewIncidentUpdate};
use upstate_shared::{ImpactLevel, IncidentId, IncidentStatus, ServiceId, ServiceStatus};

#[component]
pub fn Incidents() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let list = super::live_resource(RwSignal::new(0), |org| async move {
        api::incidents(&org.slug, 50).await
    });
    let new_path = format!("/dashboard/{}/incidents/new", org.slug);
    let slug = org.slug.clone();
    let can_edit = org.can_edit();
    let no_incidents_hint = if can_edit {
        "All quiet. When something goes wrong, declare an incident: visitors of your status page see it and each update at once."
    } else {
        "All quiet. When something goes wrong, an editor declares an incident here."
    };
    let templates = LocalResource::new({
        let slug = org.slug.clone();
        move || {
            let slug = slug.clone();
            async move { api::incident_templates(&slug).await }
        }
    });
    let templates_path = format!("/dashboard/{}/templates", org.slug);
    let is_admin = org.role.at_least(upstate_shared::Role::Admin);
    let from_template = {
        let slug = org.slug.clone();
        move || {
            let slug = slug.clone();
            let templates_path = templates_path.clone();
            templates.get().map(move |answer| match answer {
                Err(e) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => is_admin.then(|| view! {
                    <p class="meta">"Declare the incidents you see again and again in two clicks: "
                        <A href=templates_path>"save them as templates"</A>"."</p>
                }).into_any(),
                Ok(page) => view! {
                    <section class="templates" aria-labelledby="from-template">
                        <h2 id="from-template">"Declare from a template"</h2>
                        <ul class="template-choices">
                            {page.items.into_iter().map(|t| view! {
                                <li><A href=format!("/dashboard/{}/incidents/new?template={}", slug, t.id) attr:class="button" attr:data-testid="declare-from-template">{t.name.clone()}</A>
                                    <span class="meta">{format!(" {} · {} impact", t.title, t.impact.label())}</span></li>
                            }).collect_view()}
                        </ul>
                    </section>
                }.into_any(),
            })
        }
    };
    view! {
        <div class="page-head">
            <h1>"Incidents"</h1>
            <Show when=move || can_edit>
                <A href=new_path.clone() attr:class="button primary">"Declare an incident"</A>
            </Show>
        </div>
        {can_edit.then_some(from_template)}
        {loaded(list, "Loading incidents…", move |value| match value {
            page if page.items.is_empty() => view! {
                <EmptyState title="No incidents" hint=no_incidents_hint/>
            }.into_any(),
            page => {
                let (open, resolved): (Vec<_>, Vec<_>) = page.items.into_iter().partition(|i| i.resolved_at.is_none());
                let slug = slug.clone();
                let table = move |caption: &'static str, items: Vec<Incident>| {
                    let slug = slug.clone();
                    view! {
                        <table class="table">
                            <caption class="sr-only">{caption}</caption>
                            <thead><tr><th scope="col">"Incident"</th><th scope="col">"Status"</th><th scope="col">"Impact"</th><th scope="col">"Declared"</th></tr></thead>
                            <tbody>{items.into_iter().map(|i| view! {
                                <tr data-testid="incident-row">
                                    <td><A href=format!("/dashboard/{}/incidents/{}", slug, i.id)>{i.title.clone()}</A></td>
                                    <td><span class="badge">{i.status.label()}</span></td>
                                    <td><span class=format!("badge impact-{}", i.impact.as_str())>{format!("{} impact", i.impact.label())}</span></td>
                                    <td><time datetime=i.created_at.to_rfc3339()>{time::relative(i.created_at)}</time></td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table>
                    }
                };
                let table2 = table.clone();
                view! {
                    <h2>"Open"</h2>
                    {if open.is_empty() { view! { <EmptyState title="No open incidents" hint="All quiet: every incident is resolved."/> }.into_any() }
                     else { table("Open incidents", open).into_any() }}
                    <h2>"Resolved"</h2>
                    {if resolved.is_empty() { view! { <EmptyState title="Nothing resolved yet" hint="Incidents move here once resolved, with their timeline and postmortem."/> }.into_any() }
                     else { table2("Resolved incidents", resolved).into_any() }}
                }.into_any()
            }
        })}
    }
}

pub(super) fn impact_options(selected: RwSignal<ImpactLevel>) -> impl IntoView {
    ImpactLevel::ALL
        .iter()
        .map(move |i| {
            view! {
                <option value=i.as_str() prop:selected=move || selected.get() == *i>{i.label()}</option>
            }
        })
        .collect_view()
}

pub(super) fn status_options(selected: RwSignal<IncidentStatus>, resolved: bool) -> impl IntoView {
    IncidentStatus::ALL
        .iter()
        .filter(move |s| resolved || **s != IncidentStatus::Resolved)
        .map(move |s| view! { <option value=s.as_str() prop:selected=move || selected.get() == *s>{s.label()}</option> })
        .collect_view()
}

/// Sets `signal` to the value a select chose (its options are the enum's values).
pub(super) fn choose<T: std::str::FromStr + Send + Sync + 'static>(
    signal: RwSignal<T>,
) -> impl Fn(leptos::ev::Event) {
    move |ev| {
        if let Ok(value) = event_target_value(&ev).parse() {
            signal.set(value);
        }
    }
}

#[component]
pub fn NewIncident() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let services = {
        let org = org.clone();
        LocalResource::new(move || {
            let org = org.clone();
            async move { api::services(&org.slug).await }
        })
    };
    let title = RwSignal::new(String::new());
    let impact = RwSignal::new(ImpactLevel::Major);
    let status = RwSignal::new(IncidentStatus::Investigating);
    let message = RwSignal::new(String::new());
    let notify = RwSignal::new(true);
    // Per service: affected or not, and the status it takes.
    let affected: RwSignal<Vec<(ServiceId, ServiceStatus)>> = RwSignal::new(Vec::new());
    let error = RwSignal::new(None::<ApiError>);
    // Declaring from a template: `?template=<id>` (the incidents page's links) or the choice
    // above the form fills every field; the person may still edit them before declaring.
    let templates = {
        let org = org.clone();
        LocalResource::new(move || {
            let org = org.clone();
            async move { api::incident_templates(&org.slug).await }
        })
    };
    let chosen = RwSignal::new(
        use_query_map()
            .read_untracked()
            .get("template")
            .unwrap_or_default(),
    );
    let fill = move |template: &SavedIncidentTemplate| {
        let from = template.declaration();
        title.set(from.title);
        impact.set(from.impact);
        status.set(from.status);
        message.set(from.message);
        affected.set(
            from.affected
                .into_iter()
                .map(|a| (a.service_id, a.status))
                .collect(),
        );
    };
    Effect::new(move |_| {
        let id = chosen.get();
        if let Some(Ok(page)) = templates.get()
            && let Some(template) = page.items.iter().find(|t| t.id.as_str() == id)
        {
            fill(template);
        }
    });
    let template_names = move || {
        templates
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
    };
    let navigate = use_navigate();
    let toasts = expect_context::<Toasts>();
    let submit = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (org, navigate) = (org.clone(), navigate.clone());
            leptos::task::spawn_local(async move {
                let body = CreateIncidentRequest {
                    title: title.get_untracked(),
                    status: status.get_untracked(),
                    impact: impact.get_untracked(),
                    message: message.get_untracked(),
                    affected: affected
                        .get_untracked()
                        .into_iter()
                        .map(|(service_id, status)| AffectedService { service_id, status })
                        .collect(),
                    notify: notify.get_untracked(),
                };
                // The API's own rules, checked here first: every field's problem at once.
                if let Err(fields) = NewIncident::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_incident(&org.slug, &body).await {
                    Ok(incident) => {
                        toasts.success("Incident declared");
                        navigate(
                            &format!("/dashboard/{}/incidents/{}", org.slug, incident.id),
                            Default::default(),
                        );
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    view! {
        <h1>"Declare an incident"</h1>
        <form novalidate=true on:submit=submit class="incident-form">
            <Show when=move || !template_names().is_empty()>
                <div class="field">
                    <label for="template">"Start from a template"</label>
                    <select id="template" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || chosen.get().is_empty()>"No template"</option>
                        {move || template_names().into_iter().map(|t| {
                            let id = t.id.to_string();
                            let mine = id.clone();
                            view! { <option value=id prop:selected=move || chosen.get() == mine>{t.name.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </Show>
            <Field label="Title" name="title" value=title error=error/>
            <div class="field-row">
                <div class="field"><label for="impact">"Impact"</label>
                    <select id="impact" on:change=choose(impact)>{impact_options(impact)}</select></div>
                <div class="field"><label for="status">"Status"</label>
                    <select id="status" on:change=choose(status)>{status_options(status, false)}</select></div>
            </div>
            <AffectedPicker services=services affected=affected services_path=format!("/dashboard/{}/services", org.slug)/>
            <MarkdownField id="message" label="First message (Markdown)" field="message" value=message error=error/>
            <NotifyChoice notify=notify/>
            <FormError error=error/>
            <button type="submit" class="primary">"Declare incident"</button>
        </form>
    }
}

/// The services an incident (or a template) affects, each with the status it takes: a checkbox
/// per service and a status beside it. Follows `affected` (a template fills it).
#[component]
pub(super) fn AffectedPicker(
    services: LocalResource<Result<upstate_shared::dto::Page<Service>, ApiError>>,
    affected: RwSignal<Vec<(ServiceId, ServiceStatus)>>,
    services_path: String,
) -> impl IntoView {
    view! {
        <fieldset class="field">
            <legend>"Affected services"</legend>
            {move || services.get().map(|r| match r {
                Err(e) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => {
                    let services_path = services_path.clone();
                    view! {
                        <EmptyState title="No services yet" hint="You can go without any; add services to show which parts are affected.">
                            <A href=services_path attr:class="button">"Add services"</A>
                        </EmptyState>
                    }.into_any()
                }
                Ok(page) => page.items.into_iter().map(|service| {
                    let id = service.id.clone();
                    let (id2, id3, id4) = (id.clone(), id.clone(), id.clone());
                    let checked = move || affected.with(|a| a.iter().any(|(x, _)| *x == id));
                    let takes = move || affected.with(|a| a.iter().find(|(x, _)| *x == id4).map_or(ServiceStatus::PartialOutage, |(_, s)| *s));
                    view! {
                        <div class="affected" data-testid="affected-service">
                            <label><input type="checkbox" prop:checked=checked on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                affected.update(|a| {
                                    a.retain(|(x, _)| *x != id2);
                                    if on { a.push((id2.clone(), ServiceStatus::PartialOutage)); }
                                });
                            }/>{service.name.clone()}</label>
                            <select aria-label=format!("Status {} takes", service.name) on:change=move |ev| {
                                let Ok(value) = event_target_value(&ev).parse::<ServiceStatus>() else { return };
                                affected.update(|a| if let Some(slot) = a.iter_mut().find(|(x, _)| *x == id3) { slot.1 = value; });
                            }>
                                {ServiceStatus::ALL.iter().filter(|s| **s != ServiceStatus::Operational).map(|s| {
                                    let takes = takes.clone();
                                    view! { <option value=s.as_str() prop:selected=move || takes() == *s>{s.label()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                    }
                }).collect_view().into_any(),
            })}
        </fieldset>
    }
}

#[component]
pub fn IncidentDetail() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let id = use_params_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let version = RwSignal::new(0u32);
    let id = IncidentId(id);
    let incident = {
        let id = id.clone();
        super::live_resource(version, move |org| {
            let id = id.clone();
            async move { api::incident(&org.slug, &id).await }
        })
    };
    let status = RwSignal::new(IncidentStatus::Identified);
    let message = RwSignal::new(String::new());
    let notify = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let toasts = expect_context::<Toasts>();
    let post = {
        let (slug, id) = (org.slug.clone(), id.clone());
        move |resolve: bool| {
            let (slug, id) = (slug.clone(), id.clone());
            leptos::task::spawn_local(async move {
                let status = if resolve {
                    IncidentStatus::Resolved
                } else {
                    status.get_untracked()
                };
                let mut text = message.get_untracked();
                if resolve && text.trim().is_empty() {
                    text = "This incident has been resolved.".to_owned();
                }
                let body = CreateIncidentUpdateRequest {
                    status,
                    message: text,
                    affected: None,
                    notify: notify.get_untracked(),
                };
                if let Err(fields) = NewIncidentUpdate::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::add_incident_update(&slug, &id, &body).await {
                    Ok(_) => {
                        message.set(String::new());
                        error.set(None);
                        toasts.success(if resolve {
                            "Incident resolved"
                        } else {
                            "Update posted"
                        });
                        version.update(|v| *v += 1);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let can_edit = org.can_edit();
    let (post_update, resolve) = (post.clone(), post);
    // Editing the title, the impact and (once resolved) the postmortem.
    let edit_title = RwSignal::new(String::new());
    let edit_impact = RwSignal::new(ImpactLevel::Major);
    let postmortem = RwSignal::new(String::new());
    let edit_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        if let Some(Ok(i)) = incident.get() {
            edit_title.set(i.title.clone());
            edit_impact.set(i.impact);
            postmortem.set(i.postmortem.clone().unwrap_or_default());
        }
    });
    let save = {
        let (slug, id) = (org.slug.clone(), id.clone());
        move |with_postmortem: bool| {
            let (slug, id) = (slug.clone(), id.clone());
            leptos::task::spawn_local(async move {
                let body = UpdateIncidentRequest {
                    title: Some(edit_title.get_untracked()),
                    impact: Some(edit_impact.get_untracked()),
                    // An empty postmortem clears it.
                    postmortem: with_postmortem.then(|| {
                        Some(postmortem.get_untracked()).filter(|text| !text.trim().is_empty())
                    }),
                };
                if let Err(fields) = IncidentEdit::try_from(&body) {
                    edit_error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::update_incident(&slug, &id, &body).await {
                    Ok(_) => {
                        edit_error.set(None);
                        toasts.success(if with_postmortem {
                            "Postmortem published"
                        } else {
                            "Incident updated"
                        });
                        version.update(|v| *v += 1);
                    }
                    Err(e) => edit_error.set(Some(e)),
                }
            });
        }
    };
    view! {
        {loaded(incident, "Loading…", move |incident| {
                let open = incident.resolved_at.is_none();
                let (post_update, resolve) = (post_update.clone(), resolve.clone());
                let (save_fields, save_postmortem) = (save.clone(), save.clone());
                view! {
                    <h1>{incident.title.clone()}</h1>
                    <p class="meta" data-testid="incident-state">
                        <span class="badge">{incident.status.label()}</span>" · "
                        <span class=format!("badge impact-{}", incident.impact.as_str())>{format!("{} impact", incident.impact.label())}</span>
                    </p>
                    <ol class="timeline">
                        {incident.updates.iter().rev().map(|u| view! {
                            <TimelineUpdate status=u.status message_html=u.message_html.clone() at=u.created_at/>
                        }).collect_view()}
                    </ol>
                    {(can_edit && open).then(|| view! {
                        <form novalidate=true class="composer" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); post_update(false); }>
                            <h2>"Post an update"</h2>
                            <div class="field"><label for="update-status">"Status"</label>
                                <select id="update-status" on:change=choose(status)>{status_options(status, false)}</select></div>
                            <MarkdownField id="update-message" label="Message (Markdown)" field="message" value=message error=error rows=4/>
                            <NotifyChoice notify=notify/>
                            <FormError error=error/>
                            <button type="submit" class="primary">"Post update"</button>
                            " "
                            <button type="button" on:click=move |_| resolve(true)>"Resolve incident"</button>
                        </form>
                    })}
                    {can_edit.then(|| view! {
                        <details class="edit">
                            <summary>"Edit title and impact"</summary>
                            <form novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save_fields(false); }>
                                <Field label="Title" name="title" value=edit_title error=edit_error/>
                                <div class="field"><label for="edit-impact">"Impact"</label>
                                    <select id="edit-impact" on:change=choose(edit_impact)>{impact_options(edit_impact)}</select></div>
                                <FormError error=edit_error/>
                                <button type="submit">"Save"</button>
                            </form>
                        </details>
                    })}
                    {(can_edit && !open).then(|| view! {
                        <form novalidate=true class="composer" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); save_postmortem(true); }>
                            <h2>"Postmortem"</h2>
                            <MarkdownField id="postmortem" label="What happened and what changes (Markdown)" field="postmortem" value=postmortem error=edit_error rows=6/>
                            <FormError error=edit_error/>
                            <button type="submit">"Publish postmortem"</button>
                        </form>
                    })}
                    {incident.postmortem_html.clone().map(|html| view! { <section><h2>"Published postmortem"</h2><div class="message" inner_html=html></div></section> })}
                }.into_any()
        })}
    }
}

/// "Notify subscribers", on every form that posts an update (on unless unticked).
#[component]
pub fn NotifyChoice(notify: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="inline"><input type="checkbox" name="notify" prop:checked=move || notify.get() on:change=move |ev| notify.set(event_target_checked(&ev))/>"Notify subscribers and integrations"</label>
    }
}
