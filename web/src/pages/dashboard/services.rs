//! `/dashboard/{org}/services`: services by group; add, rename, delete (after confirmation in
//! the dashboard's dialog), move up and down (the keyboard's way to reorder), change a status
//! in one click, describe a service and choose how the public page shows it.

use super::OrgContext;
use crate::api::{self, ApiError};
use crate::components::{Confirm, EmptyState, Field, FormError, Question, Toasts, loaded};
use leptos::prelude::*;
use upstate_shared::dto::{
    CreateServiceRequest, GroupRequest, Service, ServiceGroup, UpdateServiceRequest,
};
use upstate_shared::valid::{GroupName, NewService};
use upstate_shared::{ServiceDisplay, ServiceGroupId, ServiceId, ServiceStatus};

#[component]
pub fn Services() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let version = RwSignal::new(0u32);
    let data = super::live_resource(version, |org| async move {
        let groups = api::groups(&org.slug).await?;
        let services = api::services(&org.slug).await?;
        Ok((groups.items, services.items))
    });
    let reload = move || version.update(|v| *v += 1);
    let toasts = expect_context::<Toasts>();
    // The service being dragged (drag and drop reorders; the arrows do it by keyboard).
    let dragged = RwSignal::new(None::<String>);

    let group_name = RwSignal::new(String::new());
    let group_error = RwSignal::new(None::<ApiError>);
    let add_group = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let body = GroupRequest {
                    name: group_name.get_untracked(),
                };
                // The API's own rules, checked here first: no round trip for an empty name.
                if let Err(fields) = GroupName::try_from(&body) {
                    group_error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_group(&org.slug, &body).await {
                    Ok(group) => {
                        group_name.set(String::new());
                        group_error.set(None);
                        toasts.success(format!("Group “{}” created", group.name));
                        reload();
                    }
                    Err(e) => group_error.set(Some(e)),
                }
            });
        }
    };

    let service_name = RwSignal::new(String::new());
    let service_group = RwSignal::new(String::new());
    let service_error = RwSignal::new(None::<ApiError>);
    let add_service = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let group = service_group.get_untracked();
                let body = CreateServiceRequest {
                    name: service_name.get_untracked(),
                    description: None,
                    group_id: (!group.is_empty()).then_some(ServiceGroupId(group)),
                    status: None,
                    display: None,
                };
                if let Err(fields) = NewService::try_from(&body) {
                    service_error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_service(&org.slug, &body).await {
                    Ok(_) => {
                        service_name.set(String::new());
                        service_error.set(None);
                        toasts.success("Service created");
                        reload();
                    }
                    Err(e) => service_error.set(Some(e)),
                }
            });
        }
    };

    let can_edit = org.can_edit();
    let no_services_hint = if can_edit {
        "Services are the parts of your product visitors see on your status page. Add the first one with the form below."
    } else {
        "Services are the parts of your product visitors see on your status page; an editor adds them."
    };
    let row_org = org.clone();
    view! {
        <h1>"Services"</h1>
        {loaded(data, "Loading services…", move |value| match value {
            (groups, services) if services.is_empty() && groups.is_empty() => view! {
                <EmptyState title="No services yet" hint=no_services_hint/>
            }.into_any(),
            (groups, services) => {
                let org = row_org.clone();
                let mut sections: Vec<(Option<ServiceGroup>, Vec<Service>)> = groups.iter().map(|g| {
                    (Some(g.clone()), services.iter().filter(|s| s.group_id.as_ref() == Some(&g.id)).cloned().collect())
                }).collect();
                let loose: Vec<Service> = services.iter().filter(|s| s.group_id.is_none()).cloned().collect();
                if !loose.is_empty() {
                    sections.insert(0, (None, loose));
                }
                let all = services.clone();
                sections.into_iter().map(|(group, members)| {
                    let title = group.as_ref().map_or("Not in a group".to_owned(), |g| g.name.clone());
                    let org = org.clone();
                    let all = all.clone();
                    view! {
                        <section class="dash-group">
                            <h2>{title}</h2>
                            {(members.is_empty()).then(|| view! {
                                <EmptyState title="No services in this group" hint="Choose this group when you add a service."/>
                            })}
                            <ul class="dash-services">
                                {members.into_iter().map(|service| view! {
                                    <ServiceRow service=service all=all.clone() org=org.clone() can_edit=can_edit version=version dragged=dragged/>
                                }).collect_view()}
                            </ul>
                        </section>
                    }
                }).collect_view().into_any()
            }
        })}
        <Show when=move || can_edit>
            <section class="dash-forms">
                <form novalidate=true on:submit=add_service.clone()>
                    <h2>"Add a service"</h2>
                    <Field label="Service name" name="name" value=service_name error=service_error/>
                    <div class="field">
                        <label for="service-group">"Group"</label>
                        <select id="service-group" on:change=move |ev| service_group.set(event_target_value(&ev))>
                            <option value="">"No group"</option>
                            {move || data.get().and_then(|r| r.ok()).map(|(groups, _)| groups.into_iter().map(|g| view! {
                                <option value=g.id.to_string()>{g.name.clone()}</option>
                            }).collect_view())}
                        </select>
                    </div>
                    <FormError error=service_error/>
                    <button type="submit" class="primary">"Add service"</button>
                </form>
                <form novalidate=true on:submit=add_group.clone()>
                    <h2>"Add a group"</h2>
                    <Field label="Group name" name="group-name" field="name" value=group_name error=group_error/>
                    <FormError error=group_error/>
                    <button type="submit">"Add group"</button>
                </form>
            </section>
        </Show>
    }
}

#[component]
fn ServiceRow(
    service: Service,
    all: Vec<Service>,
    org: OrgContext,
    can_edit: bool,
    version: RwSignal<u32>,
    dragged: RwSignal<Option<String>>,
) -> impl IntoView {
    let alert = expect_context::<super::Alert>();
    let confirm = expect_context::<Confirm>();
    let on_change = move || version.update(|v| *v += 1);
    let index = all.iter().position(|s| s.id == service.id).unwrap_or(0);
    let last = all.len().saturating_sub(1);
    let id = service.id.clone();
    let shift = {
        let (org, id) = (org.slug.clone(), id.clone());
        move |to: usize| {
            // While dragging, the dragged service moves here; else this one moves.
            let moving = dragged.get_untracked().map_or(id.clone(), ServiceId);
            let org = org.clone();
            alert.run(
                "Moving the service",
                "Service moved",
                async move { api::move_service(&org, &moving, to as u32).await },
                on_change,
            );
        }
    };
    let remove = {
        let (org, id) = (org.slug.clone(), id.clone());
        let name = service.name.clone();
        move |_| {
            let (org, id) = (org.clone(), id.clone());
            let question = Question {
                title: format!("Delete the service “{name}”?"),
                detail: "Its status history goes with it, and it leaves your public page. This cannot be undone.".to_owned(),
                action: "Delete service",
            };
            confirm.ask(question, move || {
                alert.run(
                    "Deleting the service",
                    "Service deleted",
                    async move { api::delete_service(&org, &id).await },
                    on_change,
                );
            });
        }
    };
    let rename = {
        let (org, id) = (org.slug.clone(), id.clone());
        let name = service.name.clone();
        move |_| {
            let Some(new_name) = web_sys::window().and_then(|w| {
                w.prompt_with_message_and_default("New name", &name)
                    .ok()
                    .flatten()
            }) else {
                return;
            };
            let (org, id) = (org.clone(), id.clone());
            let body = UpdateServiceRequest {
                name: Some(new_name),
                ..Default::default()
            };
            alert.run(
                "Renaming the service",
                "Service renamed",
                async move { api::update_service(&org, &id, &body).await },
                on_change,
            );
        }
    };
    let describe = {
        let (org, id) = (org.slug.clone(), id.clone());
        let description = service.description.clone();
        move |_| {
            let Some(text) = web_sys::window().and_then(|w| {
                w.prompt_with_message_and_default(
                    "Description (shown on the public page when a visitor asks about the service)",
                    &description,
                )
                .ok()
                .flatten()
            }) else {
                return;
            };
            let (org, id) = (org.clone(), id.clone());
            let body = UpdateServiceRequest {
                description: Some(text),
                ..Default::default()
            };
            alert.run(
                "Saving the description",
                "Description saved",
                async move { api::update_service(&org, &id, &body).await },
                on_change,
            );
        }
    };
    let history_open = RwSignal::new(false);
    let history = {
        let (org, id) = (org.slug.clone(), id.clone());
        LocalResource::new(move || {
            let (org, id) = (org.clone(), id.clone());
            let open = history_open.get();
            async move {
                if !open {
                    return Ok(Vec::new());
                }
                api::service_history(&org, &id, 10).await.map(|p| p.items)
            }
        })
    };
    let drop_here = {
        let shift = shift.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            if dragged.get_untracked().is_some() {
                dragged.set(None);
                shift(index);
            }
        }
    };
    let my_id = service.id.to_string();
    let held = service.status != service.manual_status;
    let (up, down) = (shift.clone(), shift);
    let (at_top, at_bottom) = (index == 0, index >= last);
    view! {
        <li class="dash-service" data-testid="dash-service" draggable=can_edit.to_string()
            on:dragstart=move |_| dragged.set(Some(my_id.clone()))
            on:dragover=|ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=drop_here>
            <span class="service-name">{service.name.clone()}</span>
            <crate::components::StatusBadge status=service.status/>
            {held.then(|| view! { <span class="meta">"(held by an incident or maintenance)"</span> })}
            {(service.display != ServiceDisplay::Always).then(|| view! { <span class="meta">{format!("(public page: {})", service.display.label().to_lowercase())}</span> })}
            <Show when=move || can_edit>
                <StatusPicker service=service.clone() org=org.clone() version=version/>
                <DisplayPicker service=service.clone() org=org.clone() version=version/>
                <button aria-label=format!("Move {} up", service.name) disabled=at_top on:click={let up = up.clone(); move |_| up(index.saturating_sub(1))}>"↑"</button>
                <button aria-label=format!("Move {} down", service.name) disabled=at_bottom on:click={let down = down.clone(); move |_| down(index + 1)}>"↓"</button>
                <button on:click=rename.clone()>"Rename"</button>
                <button on:click=describe.clone()>"Describe"</button>
                <button class="danger" on:click=remove.clone()>"Delete"</button>
            </Show>
            <button aria-expanded=move || history_open.get().to_string() on:click=move |_| history_open.update(|o| *o = !*o)>"History"</button>
            <Show when=move || history_open.get()>
                <ol class="history">
                    {move || history.get().map(|r| match r {
                        Err(e) => view! { <li role="alert">{e.message().to_owned()}</li> }.into_any(),
                        Ok(items) if items.is_empty() => view! { <li class="muted">"No changes recorded yet."</li> }.into_any(),
                        Ok(items) => items.into_iter().map(|c| view! {
                            <li>{format!("{} · {} · {}", crate::time::local(c.changed_at), c.status.label(), match c.source {
                                upstate_shared::dto::ChangeSource::Manual => "set by hand",
                                upstate_shared::dto::ChangeSource::Incident => "by an incident",
                                upstate_shared::dto::ChangeSource::Maintenance => "by maintenance",
                                upstate_shared::dto::ChangeSource::Monitor => "by a monitor",
                            })}</li>
                        }).collect_view().into_any(),
                    })}
                </ol>
            </Show>
        </li>
    }
}

/// Sets a service's status in one step (a select that saves on change). While an incident or a
/// maintenance holds the service, the choice is kept and applies once they release it.
#[component]
pub fn StatusPicker(
    service: Service,
    org: OrgContext,
    /// Bumped after a change, so the lists that read it refetch.
    version: RwSignal<u32>,
) -> impl IntoView {
    let alert = expect_context::<super::Alert>();
    let id = service.id.clone();
    let (name, held) = (
        service.name.clone(),
        service.status != service.manual_status,
    );
    let set_status = move |ev: leptos::ev::Event| {
        let Ok(status) = event_target_value(&ev).parse::<ServiceStatus>() else {
            return;
        };
        let worked = if held {
            format!("{name} will be {} once released", status.label())
        } else {
            format!("{name} is now {}", status.label())
        };
        let (org, id) = (org.slug.clone(), id.clone());
        let body = UpdateServiceRequest {
            status: Some(status),
            ..Default::default()
        };
        alert.run(
            "Changing the status",
            worked,
            async move { api::update_service(&org, &id, &body).await },
            move || version.update(|v| *v += 1),
        );
    };
    view! {
        <select aria-label=format!("Status of {}", service.name) on:change=set_status>
            {ServiceStatus::ALL.iter().map(|s| view! {
                <option value=s.as_str() selected=*s == service.manual_status>{s.label()}</option>
            }).collect_view()}
        </select>
    }
}

/// How the public page shows a service (a select that saves on change): always, only while it
/// is not operational, or never.
#[component]
pub fn DisplayPicker(
    service: Service,
    org: OrgContext,
    /// Bumped after a change, so the lists that read it refetch.
    version: RwSignal<u32>,
) -> impl IntoView {
    let alert = expect_context::<super::Alert>();
    let id = service.id.clone();
    let name = service.name.clone();
    let set_display = move |ev: leptos::ev::Event| {
        let Ok(display) = event_target_value(&ev).parse::<ServiceDisplay>() else {
            return;
        };
        let (org, id) = (org.slug.clone(), id.clone());
        let body = UpdateServiceRequest {
            display: Some(display),
            ..Default::default()
        };
        alert.run(
            "Changing how the service is shown",
            format!("{name}: {}", display.label().to_lowercase()),
            async move { api::update_service(&org, &id, &body).await },
            move || version.update(|v| *v += 1),
        );
    };
    view! {
        <select aria-label=format!("On the public page, {}", service.name) on:change=set_display>
            {ServiceDisplay::ALL.iter().map(|d| view! {
                <option value=d.as_str() selected=*d == service.display>{d.label()}</option>
            }).collect_view()}
        </select>
    }
}
