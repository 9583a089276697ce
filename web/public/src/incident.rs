//! `/status/{org}/incidents/{id}`: one incident's whole timeline, its affected services, how
//! long it lasted, and its postmortem. Drawn by the server first, like the status page, and
//! kept live in the browser.

use crate::components::{StatusBadge, TimelineUpdate};
use crate::time;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use upstate_shared::ServiceId;
use upstate_shared::dto::{PublicIncident, PublicPage, PublicService};

/// What the incident page shows when it opens, inlined by the server into the HTML as JSON
/// (`<script id="upstate-incident">`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSnapshot {
    pub page: PublicPage,
    pub incident: PublicIncident,
    /// The org's services, to name the affected ones.
    pub services: Vec<PublicService>,
    /// The org's event `seq` this snapshot includes.
    pub seq: u64,
}

/// The tab's title.
pub fn title(snapshot: &IncidentSnapshot) -> String {
    format!(
        "{} · {} status",
        snapshot.incident.title, snapshot.page.name
    )
}

/// The incident page.
#[component]
pub fn IncidentPage(snapshot: RwSignal<IncidentSnapshot>) -> impl IntoView {
    move || {
        let IncidentSnapshot {
            page,
            incident,
            services,
            ..
        } = snapshot.get();
        // Only the services the public sees are named (a hidden one is the team's own).
        let name_of = |id: &ServiceId| {
            services
                .iter()
                .find(|x| &x.id == id)
                .map(|s| s.name.clone())
        };
        let affected: Vec<(String, upstate_shared::ServiceStatus)> = incident
            .affected
            .iter()
            .filter_map(|a| name_of(&a.service_id).map(|name| (name, a.status)))
            .collect();
        let since = incident.created_at;
        let lasted = match incident.resolved_at {
            Some(end) => view! { {format!("Lasted {}", time::duration(since, end))} }.into_any(),
            None => view! {
                "Ongoing since "
                <time datetime=since.to_rfc3339() data-show="local">{time::local(since)}</time>
            }
            .into_any(),
        };
        view! {
            <div class="page incident-page">
                <p><a href=format!("/status/{}", page.slug)>{format!("← {} status", page.name)}</a></p>
                <main>
                    <header class="masthead">
                        <h1>{incident.title.clone()}</h1>
                        <p class="meta">{format!("{} impact · {} · ", incident.impact.label(), incident.status.label())}{lasted}</p>
                    </header>
                    {(!affected.is_empty()).then(|| view! {
                        <section aria-labelledby="affected-title">
                            <h2 id="affected-title">"Affected services"</h2>
                            <ul class="services">
                                {affected.iter().map(|(name, status)| view! {
                                    <li class="service-line"><span class="service-name">{name.clone()}</span><StatusBadge status=*status/></li>
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
                </main>
            </div>
        }
    }
}
