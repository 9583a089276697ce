//! `/status/{org}/incidents/{id}`: one incident's whole timeline, its affected services, how
//! long it lasted, and its postmortem. Drawn by the server first, like the status page, and
//! kept live in the browser.

use crate::components::{BrandFooter, BrandLinks, StatusBadge, TimelineUpdate};
use crate::status::LanguageMenu;
use crate::{i18n, time};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use upstate_shared::dto::{PublicIncident, PublicPage, PublicService};
use upstate_shared::{Locale, ServiceId};

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
    /// The language the page is drawn in.
    #[serde(default)]
    pub locale: Locale,
}

/// The tab's title.
pub fn title(snapshot: &IncidentSnapshot) -> String {
    i18n::text_with(
        snapshot.locale,
        "incident-page-title",
        &[
            ("incident", (&snapshot.incident.title).into()),
            ("page", (&snapshot.page.name).into()),
        ],
    )
}

/// The incident page.
#[component]
pub fn IncidentPage(snapshot: RwSignal<IncidentSnapshot>) -> impl IntoView {
    let locale = crate::locale();
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
            Some(end) => {
                let duration = i18n::duration(locale, since, end);
                view! { {i18n::text_with(locale, "incident-lasted", &[("duration", (&duration).into())])} }.into_any()
            }
            None => {
                let (before, after) = i18n::around(locale, "incident-ongoing-since", "since");
                view! {
                    {before}
                    <time datetime=since.to_rfc3339() data-show="local">{time::local_in(locale, since)}</time>
                    {after}
                }
                .into_any()
            }
        };
        view! {
            <div class="page incident-page">
                <div class="incident-nav">
                    <p><a href=format!("/status/{}", page.slug)>{i18n::text_with(locale, "back-to-status", &[("page", (&page.name).into())])}</a></p>
                    <BrandLinks branding=page.branding.clone()/>
                </div>
                <main>
                    <header class="masthead">
                        <h1>{incident.title.clone()}</h1>
                        <p class="meta">{format!("{} · ", crate::status::incident_meta(locale, &incident))}{lasted}</p>
                    </header>
                    {(!affected.is_empty()).then(|| view! {
                        <section aria-labelledby="affected-title">
                            <h2 id="affected-title">{i18n::text(locale, "affected-services-heading")}</h2>
                            <ul class="services">
                                {affected.iter().map(|(name, status)| view! {
                                    <li class="service-line"><span class="service-name">{name.clone()}</span><StatusBadge status=*status/></li>
                                }).collect_view()}
                            </ul>
                        </section>
                    })}
                    <section aria-labelledby="timeline-title">
                        <h2 id="timeline-title">{i18n::text(locale, "timeline-heading")}</h2>
                        <ol class="timeline">
                            {incident.updates.iter().rev().map(|update| view! {
                                <TimelineUpdate status=update.status message_html=update.message_html.clone() at=update.created_at/>
                            }).collect_view()}
                        </ol>
                    </section>
                    {incident.postmortem_html.clone().map(|html| view! {
                        <section aria-labelledby="postmortem-title">
                            <h2 id="postmortem-title">{i18n::text(locale, "postmortem-heading")}</h2>
                            <div class="message" inner_html=html></div>
                        </section>
                    })}
                </main>
                <BrandFooter branding=page.branding.clone()/>
                <LanguageMenu/>
            </div>
        }
    }
}
