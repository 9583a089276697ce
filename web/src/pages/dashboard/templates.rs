//! `/dashboard/{org}/templates`: incident templates, the incidents the team declares again and
//! again. Admins save, edit and delete them (after confirmation in the dashboard's dialog);
//! every member sees them, and editors declare from one on the incidents page in two clicks.

use super::OrgContext;
use super::incidents::{AffectedPicker, choose, impact_options, status_options};
use super::markdown::MarkdownField;
use crate::api::{self, ApiError};
use crate::components::{Confirm, EmptyState, Field, FormError, Question, Toasts, loaded};
use leptos::prelude::*;
use leptos_router::components::A;
use upstate_shared::dto::{
    AffectedService, CreateIncidentTemplateRequest, SavedIncidentTemplate,
    UpdateIncidentTemplateRequest,
};
use upstate_shared::valid::NewIncidentTemplate;
use upstate_shared::{
    ImpactLevel, IncidentStatus, IncidentTemplateId, Role, ServiceId, ServiceStatus,
};

#[component]
pub fn Templates() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let version = RwSignal::new(0u32);
    let list = super::live_resource(version, |org| async move {
        api::incident_templates(&org.slug).await
    });
    let services = {
        let slug = org.slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { api::services(&slug).await }
        })
    };
    let reload = move || version.update(|v| *v += 1);
    let toasts = expect_context::<Toasts>();
    let alert = expect_context::<super::Alert>();
    let confirm = expect_context::<Confirm>();
    let is_admin = org.role.at_least(Role::Admin);

    // The form: a new template, or the one being edited.
    let editing = RwSignal::new(None::<IncidentTemplateId>);
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let impact = RwSignal::new(ImpactLevel::Major);
    let status = RwSignal::new(IncidentStatus::Investigating);
    let message = RwSignal::new(String::new());
    let affected: RwSignal<Vec<(ServiceId, ServiceStatus)>> = RwSignal::new(Vec::new());
    let error = RwSignal::new(None::<ApiError>);
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        title.set(String::new());
        impact.set(ImpactLevel::Major);
        status.set(IncidentStatus::Investigating);
        message.set(String::new());
        affected.set(Vec::new());
        error.set(None);
    };
    let edit = move |t: &SavedIncidentTemplate| {
        editing.set(Some(t.id.clone()));
        name.set(t.name.clone());
        title.set(t.title.clone());
        impact.set(t.impact);
        status.set(t.status);
        message.set(t.message.clone());
        affected.set(
            t.affected
                .iter()
                .map(|a| (a.service_id.clone(), a.status))
                .collect(),
        );
        error.set(None);
    };
    let save = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                let body = CreateIncidentTemplateRequest {
                    name: name.get_untracked(),
                    title: title.get_untracked(),
                    impact: impact.get_untracked(),
                    status: status.get_untracked(),
                    message: message.get_untracked(),
                    affected: affected
                        .get_untracked()
                        .into_iter()
                        .map(|(service_id, status)| AffectedService { service_id, status })
                        .collect(),
                };
                // The API's own rules, checked here first: every field's problem at once.
                if let Err(fields) = NewIncidentTemplate::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                let saved = match editing.get_untracked() {
                    None => api::create_incident_template(&slug, &body).await,
                    Some(id) => {
                        let changes = UpdateIncidentTemplateRequest {
                            name: Some(body.name),
                            title: Some(body.title),
                            impact: Some(body.impact),
                            status: Some(body.status),
                            message: Some(body.message),
                            affected: Some(body.affected),
                        };
                        api::update_incident_template(&slug, &id, &changes).await
                    }
                };
                match saved {
                    Ok(template) => {
                        toasts.success(format!("Template “{}” saved", template.name));
                        clear();
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let remove = {
        let slug = org.slug.clone();
        move |t: &SavedIncidentTemplate| {
            let (slug, id) = (slug.clone(), t.id.clone());
            let question = Question {
                title: format!("Delete the template “{}”?", t.name),
                detail: "Incidents declared from it stay as they are. This cannot be undone."
                    .to_owned(),
                action: "Delete template",
            };
            confirm.ask(question, move || {
                if editing.get_untracked().as_ref() == Some(&id) {
                    clear();
                }
                alert.run(
                    "Deleting the template",
                    "Template deleted",
                    async move { api::delete_incident_template(&slug, &id).await },
                    reload,
                );
            });
        }
    };
    let incidents_path = format!("/dashboard/{}/incidents", org.slug);
    let no_templates_hint = if is_admin {
        "Save the incidents you declare again and again (a failover, a slow provider): title, impact, message and the services they affect. Editors then declare one in two clicks."
    } else {
        "An admin saves the incidents the team declares again and again here; you then declare one in two clicks on the incidents page."
    };
    let services_path = format!("/dashboard/{}/services", org.slug);
    view! {
        <div class="page-head">
            <h1>"Incident templates"</h1>
            <A href=incidents_path attr:class="button">"Incidents"</A>
        </div>
        {loaded(list, "Loading templates…", move |page| {
            if page.items.is_empty() {
                return view! { <EmptyState title="No templates yet" hint=no_templates_hint/> }.into_any();
            }
            let remove = remove.clone();
            view! {
                <table class="table">
                    <caption class="sr-only">"Incident templates"</caption>
                    <thead><tr><th scope="col">"Template"</th><th scope="col">"Incident title"</th><th scope="col">"Impact"</th><th scope="col">"Services"</th>
                        {is_admin.then(|| view! { <th scope="col"><span class="sr-only">"Actions"</span></th> })}</tr></thead>
                    <tbody>{page.items.into_iter().map(|t| {
                        let remove = remove.clone();
                        let (for_edit, for_remove) = (t.clone(), t.clone());
                        view! {
                            <tr data-testid="template-row">
                                <td>{t.name.clone()}</td>
                                <td>{t.title.clone()}</td>
                                <td><span class=format!("badge impact-{}", t.impact.as_str())>{format!("{} impact", t.impact.label())}</span></td>
                                <td>{t.affected.len()}</td>
                                {is_admin.then(|| view! {
                                    <td class="actions">
                                        <button type="button" on:click=move |_| edit(&for_edit)>"Edit"</button>" "
                                        <button type="button" class="danger" on:click=move |_| remove(&for_remove)>"Delete"</button>
                                    </td>
                                })}
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        })}
        {is_admin.then(|| view! {
            <form novalidate=true on:submit=save.clone() class="incident-form" aria-labelledby="template-form">
                <h2 id="template-form">{move || if editing.get().is_some() { "Edit the template" } else { "New template" }}</h2>
                <Field label="Template name" name="template-name" field="name" value=name error=error
                    hint="What the team calls it, e.g. “Database failover”."/>
                <Field label="Incident title" name="title" value=title error=error/>
                <div class="field-row">
                    <div class="field"><label for="impact">"Impact"</label>
                        <select id="impact" on:change=choose(impact)>{impact_options(impact)}</select></div>
                    <div class="field"><label for="status">"Status"</label>
                        <select id="status" on:change=choose(status)>{status_options(status, false)}</select></div>
                </div>
                <AffectedPicker services=services affected=affected services_path=services_path.clone()/>
                <MarkdownField id="message" label="First message (Markdown)" field="message" value=message error=error/>
                <FormError error=error/>
                <button type="submit" class="primary">{move || if editing.get().is_some() { "Save template" } else { "Add template" }}</button>
                <Show when=move || editing.get().is_some()>
                    " "<button type="button" on:click=move |_| clear()>"Cancel"</button>
                </Show>
            </form>
        })}
    }
}
