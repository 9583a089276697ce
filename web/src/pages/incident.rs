//! `/status/{org}/incidents/{id}`: one incident's whole timeline, its affected services, how
//! long it lasted, and its postmortem.

use crate::api;
use crate::components::{StatusBadge, TimelineUpdate};
use crate::time;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use upstate_shared::ErrorCode;
use upstate_shared::dto::{PublicIncident, PublicSummary};

#[component]
pub fn IncidentPage() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("org").unwrap_or_default();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let back = format!("/status/{slug}");
    let data = LocalResource::new(move || {
        let (slug, id) = (slug.clone(), id.clone());
        async move {
            let incident = api::public_incident(&slug, &upstate_shared::IncidentId(id)).await?;
            let summary = api::public_summary(&slug).await.ok();
            Ok::<_, api::ApiError>((incident, summary))
        }
    });
    view! {
        <div class="page incident-page">
            <p><A href=back.clone()>"← Current status"</A></p>
            {move || match data.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading the incident…"</p> }.into_any(),
                Some(Err(err)) if err.code() == ErrorCode::NotFound => view! {
                    <main class="empty-state"><h1>"No such incident"</h1></main>
                }.into_any(),
                Some(Err(err)) => view! {
                    <main class="empty-state" role="alert">
                        <h1>"The incident could not be loaded"</h1>
                        <p>{err.message().to_owned()}</p>
                        <button on:click=move |_| data.refetch()>"Try again"</button>
                    </main>
                }.into_any(),
                Some(Ok((incident, summary))) => render(incident, summary).into_any(),
            }}
        </div>
    }
}

fn render(incident: PublicIncident, summary: Option<PublicSummary>) -> impl IntoView {
    let name_of = |id: &upstate_shared::ServiceId| {
        summary
            .as_ref()
            .and_then(|s| s.services.iter().find(|x| &x.id == id))
            .map_or_else(|| "A removed service".to_owned(), |s| s.name.clone())
    };
    let lasted = match incident.resolved_at {
        Some(end) => format!("Lasted {}", time::duration(incident.created_at, end)),
        None => format!(
            "Ongoing for {}",
            time::duration(incident.created_at, chrono::Utc::now())
        ),
    };
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{} · incident", incident.title));
    }
    view! {
        <header class="masthead">
            <h1>{incident.title.clone()}</h1>
            <p class="meta">{format!("{} impact · {} · {lasted}", incident.impact, incident.status)}</p>
        </header>
        {(!incident.affected.is_empty()).then(|| view! {
            <section aria-labelledby="affected-title">
                <h2 id="affected-title">"Affected services"</h2>
                <ul class="services">
                    {incident.affected.iter().map(|a| view! {
                        <li class="service-line"><span class="service-name">{name_of(&a.service_id)}</span><StatusBadge status=a.status/></li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <section aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <ol class="timeline">
                {incident.updates.iter().rev().map(|update| view! {
                    <TimelineUpdate status=update.status message_html=update.message_html.clone() at=update.created_at/>
                }).collect_view()}
            </ol>
        </section>
        {incident.postmortem_html.clone().map(|html| view! {
            <section aria-labelledby="postmortem-title">
                <h2 id="postmortem-title">"Postmortem"</h2>
                <div class="message" inner_html=html></div>
            </section>
        })}
    }
}
