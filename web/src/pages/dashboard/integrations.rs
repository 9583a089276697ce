//! `/dashboard/{org}/integrations` (admins): where the team hears of the page's incidents and
//! maintenance: Slack, Discord, Microsoft Teams, Mattermost or a signed webhook. Adding one
//! (a webhook's signing secret is shown once), a test message with its outcome, the delivery
//! log with redelivery, disabling and enabling, deleting (asks first).

use super::team::copy;
use super::{Alert, OrgContext};
use crate::api::{self, ApiError, field_problem};
use crate::components::{Confirm, EmptyState, Field, FormError, Question, Toasts, loaded};
use crate::time;
use leptos::prelude::*;
use upstate_shared::dto::{
    CreateIntegrationRequest, Integration, Service, TestDelivery, UpdateIntegrationRequest,
};
use upstate_shared::valid::NewIntegration;
use upstate_shared::{Channel, NotificationEvent, ServiceId, SubscriptionId};

/// The kinds an integration can be, in the order the form offers them.
const KINDS: [Channel; 5] = [
    Channel::Slack,
    Channel::Discord,
    Channel::Teams,
    Channel::Mattermost,
    Channel::Webhook,
];

/// Where to find the URL an integration of `kind` posts to.
fn url_hint(kind: Channel) -> &'static str {
    match kind {
        Channel::Slack => "Slack: an incoming webhook's URL (https://hooks.slack.com/services/…).",
        Channel::Discord => {
            "Discord: a channel's webhook URL (Channel settings → Integrations → Webhooks)."
        }
        Channel::Teams => {
            "Microsoft Teams: the URL of a Workflows “Post to a channel when a webhook request is received” flow."
        }
        Channel::Mattermost => {
            "Mattermost: an incoming webhook's URL (Integrations → Incoming webhooks)."
        }
        Channel::Webhook | Channel::Email => {
            "Your endpoint: each notification is POSTed there as signed JSON (Standard Webhooks)."
        }
    }
}

#[component]
pub fn Integrations() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let alert = expect_context::<Alert>();
    let confirm = expect_context::<Confirm>();
    let toasts = expect_context::<Toasts>();
    let version = RwSignal::new(0u32);
    let reload = move || version.update(|v| *v += 1);
    let data = super::live_resource(version, |org| async move {
        let integrations = api::integrations(&org.slug).await?;
        let services = api::services(&org.slug).await?;
        Ok((integrations.items, services.items))
    });
    // Kept apart from the list, so a reload keeps what was shown: the last test of each
    // integration, and whose delivery logs are open.
    let tests = RwSignal::new(Vec::<(SubscriptionId, Result<TestDelivery, String>)>::new());
    let open_logs = RwSignal::new(Vec::<SubscriptionId>::new());

    let kind = RwSignal::new(Channel::Slack);
    let name = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let events = RwSignal::new(NotificationEvent::ALL.to_vec());
    let chosen = RwSignal::new(Vec::<ServiceId>::new());
    let error = RwSignal::new(None::<ApiError>);
    let secret = RwSignal::new(None::<(String, String)>);
    let add = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let picked = events.get_untracked();
                let every = NotificationEvent::ALL.iter().all(|e| picked.contains(e));
                let contact_text = contact.get_untracked();
                let body = CreateIntegrationRequest {
                    kind: Some(kind.get_untracked()),
                    name: name.get_untracked(),
                    url: url.get_untracked(),
                    // Every event ticked: all of them, new ones included.
                    events: (!every).then_some(picked),
                    service_ids: chosen.get_untracked(),
                    contact_email: (!contact_text.trim().is_empty()).then_some(contact_text),
                };
                // The API's own rules first: a name, an http(s) URL, at least one event.
                if let Err(fields) = NewIntegration::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_integration(&org.slug, &body).await {
                    Ok(created) => {
                        error.set(None);
                        name.set(String::new());
                        url.set(String::new());
                        contact.set(String::new());
                        events.set(NotificationEvent::ALL.to_vec());
                        chosen.set(Vec::new());
                        secret.set(
                            created
                                .secret
                                .map(|key| (created.integration.name.clone(), key)),
                        );
                        toasts.success(format!("Integration “{}” added", created.integration.name));
                        reload();
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let list_org = org.clone();
    let form_services = move || {
        data.get()
            .and_then(Result::ok)
            .map(|(_, services)| services)
    };
    view! {
        <h1>"Integrations"</h1>
        <p class="muted">"Where your team hears of incidents and maintenance as they happen: a Slack, Discord, Microsoft Teams or Mattermost channel, or a webhook of your own. Unlike subscribers, integrations need no confirmation."</p>
        {loaded(data, "Loading integrations…", move |(integrations, services)| {
            if integrations.is_empty() {
                return view! {
                    <EmptyState title="No integrations yet"
                        hint="Add one below: paste the incoming webhook URL of a chat channel, or the URL of your own endpoint, then send a test message."/>
                }.into_any();
            }
            let org = list_org.clone();
            view! {
                <ul class="integrations">
                    {integrations.into_iter().map(|integration| view! {
                        <IntegrationCard integration=integration services=services.clone()
                            slug=org.slug.clone() tests=tests open_logs=open_logs version=version
                            alert=alert confirm=confirm/>
                    }).collect_view()}
                </ul>
            }.into_any()
        })}
        <form novalidate=true on:submit=add class="dash-forms-single">
            <h2>"Add an integration"</h2>
            <div class="field">
                <label for="integration-kind">"Kind"</label>
                <select id="integration-kind" on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) }>
                    {KINDS.iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == *k>{k.label()}</option>
                    }).collect_view()}
                </select>
                <p class="field-problem" role="alert">{move || field_problem(&error.get(), "kind")}</p>
            </div>
            <Field label="Name (for you: “#ops”, “On-call”)" name="integration-name" field="name" value=name error=error/>
            <Field label="URL" name="integration-url" field="url" kind="url" value=url error=error/>
            <p class="meta url-hint" data-testid="url-hint">{move || url_hint(kind.get())}</p>
            <Field label="Contact email (optional: told when it keeps failing)" name="integration-contact" field="contact_email" kind="email" value=contact error=error/>
            <fieldset class="field">
                <legend>"Events"</legend>
                {NotificationEvent::ALL.iter().map(|event| {
                    let event = *event;
                    view! {
                        <label class="inline"><input type="checkbox"
                            prop:checked=move || events.with(|e| e.contains(&event))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                events.update(|e| { e.retain(|x| *x != event); if on { e.push(event); } });
                            }/>{event.label()}</label>
                    }
                }).collect_view()}
                <p class="field-problem" role="alert">{move || field_problem(&error.get(), "events")}</p>
            </fieldset>
            <fieldset class="field">
                <legend>"Services"</legend>
                {move || form_services().map(|services| if services.is_empty() {
                    view! { <p class="muted">"No services yet: it hears of every incident and maintenance."</p> }.into_any()
                } else { view! {
                    <p class="meta">"None ticked: every service."</p>
                    {services.into_iter().map(|s| {
                        let id = s.id.clone();
                        let id2 = id.clone();
                        view! { <label class="inline"><input type="checkbox"
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| { c.retain(|x| *x != id2); if on { c.push(id2.clone()); } });
                            }/>{s.name.clone()}</label> }
                    }).collect_view()}
                }.into_any() })}
                <p class="field-problem" role="alert">{move || field_problem(&error.get(), "service_ids")}</p>
            </fieldset>
            <FormError error=error/>
            <button type="submit" class="primary">"Add integration"</button>
        </form>
        {move || secret.get().map(|(name, key)| view! {
            <div class="notice" data-testid="secret-notice">
                <p>{format!("The signing secret of “{name}”. Copy it now: it is shown only once. Your endpoint checks each request's ")}<code>"webhook-signature"</code>" header with it."</p>
                <input class="copyable" readonly aria-label="Signing secret" data-testid="new-secret" prop:value=key.clone()/>
                <button type="button" on:click=move |_| copy(&key)>"Copy"</button>
                " "
                <button type="button" on:click=move |_| secret.set(None)>"I have copied it"</button>
            </div>
        })}
    }
}

/// One integration: what it is and hears, its state, and what an admin does with it.
#[component]
fn IntegrationCard(
    integration: Integration,
    services: Vec<Service>,
    slug: String,
    tests: RwSignal<Vec<(SubscriptionId, Result<TestDelivery, String>)>>,
    open_logs: RwSignal<Vec<SubscriptionId>>,
    version: RwSignal<u32>,
    alert: Alert,
    confirm: Confirm,
) -> impl IntoView {
    let reload = move || version.update(|v| *v += 1);
    let id = integration.id.clone();
    let events = match &integration.events {
        None => "Every event".to_owned(),
        Some(list) => list
            .iter()
            .map(|e| e.label())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let services = super::service_names(&integration.service_ids, &services);
    let test = {
        let (slug, id) = (slug.clone(), id.clone());
        move |_| {
            let (slug, id) = (slug.clone(), id.clone());
            leptos::task::spawn_local(async move {
                let outcome = api::test_integration(&slug, &id)
                    .await
                    .map_err(|e| e.message().to_owned());
                tests.update(|all| {
                    all.retain(|(x, _)| *x != id);
                    all.push((id.clone(), outcome));
                });
            });
        }
    };
    let tested = {
        let id = id.clone();
        move || {
            tests.with(|all| {
                all.iter()
                    .find(|(x, _)| *x == id)
                    .map(|(_, outcome)| outcome.clone())
            })
        }
    };
    let log_open = {
        let id = id.clone();
        Memo::new(move |_| open_logs.with(|open| open.contains(&id)))
    };
    let toggle_log = {
        let id = id.clone();
        move |_| {
            open_logs.update(|open| {
                if open.contains(&id) {
                    open.retain(|x| *x != id);
                } else {
                    open.push(id.clone());
                }
            })
        }
    };
    let enabled = integration.enabled;
    let switch = {
        let (slug, id) = (slug.clone(), id.clone());
        move |_| {
            let (slug, id) = (slug.clone(), id.clone());
            let body = UpdateIntegrationRequest {
                enabled: Some(!enabled),
                ..Default::default()
            };
            alert.run(
                if enabled {
                    "Disabling the integration"
                } else {
                    "Enabling the integration"
                },
                if enabled {
                    "Integration disabled"
                } else {
                    "Integration enabled"
                },
                async move { api::update_integration(&slug, &id, &body).await },
                reload,
            );
        }
    };
    let remove = {
        let (slug, id, name) = (slug.clone(), id.clone(), integration.name.clone());
        move |_| {
            let (slug, id) = (slug.clone(), id.clone());
            let question = Question {
                title: format!("Delete the integration “{name}”?"),
                detail: "Nothing more is sent to it, including what is queued, and its delivery log goes with it.".to_owned(),
                action: "Delete integration",
            };
            confirm.ask(question, move || {
                alert.run(
                    "Deleting the integration",
                    "Integration deleted",
                    async move { api::delete_integration(&slug, &id).await },
                    reload,
                )
            });
        }
    };
    let log_id = format!("log-{}", integration.id);
    let log_slug = slug.clone();
    let log_of = id.clone();
    view! {
        <li class="integration" data-testid="integration">
            <div class="integration-head">
                <h3>{integration.name.clone()}</h3>
                <span class="badge">{integration.kind.label()}</span>
                {if enabled {
                    view! { <span class="badge" data-testid="integration-state">"Enabled"</span> }.into_any()
                } else {
                    view! { <span class="badge impact-critical" data-testid="integration-state">"Disabled"</span> }.into_any()
                }}
            </div>
            <p class="meta integration-url"><code>{integration.url.clone()}</code></p>
            <p class="meta">{format!("{events} · {services}")}
                {integration.contact_email.clone().map(|c| format!(" · contact {c}"))}
                {format!(" · added {}", time::relative(integration.created_at))}</p>
            {(!enabled).then(|| view! {
                <p class="meta" data-testid="disabled-reason">{integration.disabled_reason.clone().unwrap_or_else(|| "Disabled by an admin.".to_owned())}</p>
            })}
            {(enabled && integration.failures > 0).then(|| view! {
                <p class="meta">{format!("{} failed attempts in a row", integration.failures)}</p>
            })}
            <div class="integration-actions">
                <button type="button" on:click=test>"Send a test message"</button>
                <button type="button" aria-expanded=move || log_open.get().to_string() aria-controls=log_id.clone() on:click=toggle_log>"Delivery log"</button>
                <button type="button" on:click=switch>{if enabled { "Disable" } else { "Enable" }}</button>
                <button type="button" class="danger" on:click=remove>"Delete"</button>
            </div>
            <p class="test-result" role="status" data-testid="test-result">{move || tested().map(|outcome| match outcome {
                Ok(t) if t.ok => format!("✓ Test message delivered: HTTP {} in {} ms", t.status_code.map_or("—".to_owned(), |c| c.to_string()), t.latency_ms),
                Ok(t) => format!("✗ Test message failed{}: {} ({} ms)",
                    t.status_code.map_or(String::new(), |c| format!(" with HTTP {c}")),
                    t.error.unwrap_or_default(), t.latency_ms),
                Err(message) => format!("✗ The test could not be sent: {message}"),
            })}</p>
            <div id=log_id>
                {move || log_open.get().then(|| view! { <DeliveryLog slug=log_slug.clone() id=log_of.clone() alert=alert/> })}
            </div>
        </li>
    }
}

/// An integration's delivery log: the last attempts, newest first, each with "Redeliver".
#[component]
fn DeliveryLog(slug: String, id: SubscriptionId, alert: Alert) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let log = {
        let (slug, id) = (slug.clone(), id.clone());
        LocalResource::new(move || {
            version.get();
            let (slug, id) = (slug.clone(), id.clone());
            async move { api::deliveries(&slug, &id).await }
        })
    };
    view! {
        <div class="log-head">
            <h4>"Delivery log"</h4>
            <button type="button" on:click=move |_| version.update(|v| *v += 1)>"Refresh"</button>
        </div>
        {loaded(log, "Loading the delivery log…", move |page| {
            if page.items.is_empty() {
                return view! {
                    <EmptyState title="Nothing delivered yet"
                        hint="Each incident and maintenance notification sent here is listed, with its answer. Test messages are not."/>
                }.into_any();
            }
            let (slug, id) = (slug.clone(), id.clone());
            view! {
                <table class="table" data-testid="delivery-log">
                    <caption class="sr-only">"Delivery log"</caption>
                    <thead><tr>
                        <th scope="col">"Time"</th><th scope="col">"Event"</th><th scope="col">"Status"</th>
                        <th scope="col">"Latency"</th><th scope="col">"Error"</th><th scope="col">"State"</th>
                        <th scope="col" class="actions"><span class="sr-only">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{page.items.into_iter().map(|attempt| {
                        let (slug, id, delivery) = (slug.clone(), id.clone(), attempt.delivery_id.clone());
                        let event = attempt.event.parse::<NotificationEvent>().map_or(attempt.event.clone(), |e| e.label().to_owned());
                        view! {
                            <tr data-testid="delivery">
                                <td><time datetime=attempt.at.to_rfc3339()>{time::local(attempt.at)}</time></td>
                                <td>{event}</td>
                                <td>{attempt.status_code.map_or("—".to_owned(), |c| c.to_string())}</td>
                                <td>{format!("{} ms", attempt.latency_ms)}</td>
                                <td>{attempt.error.clone().unwrap_or_default()}</td>
                                <td><span class="badge">{state_label(&attempt.state)}</span></td>
                                <td class="actions"><button type="button" on:click=move |_| {
                                    let (slug, id, delivery) = (slug.clone(), id.clone(), delivery.clone());
                                    alert.run(
                                        "Redelivering",
                                        "Sent again: the log shows how it went in a moment",
                                        async move { api::redeliver(&slug, &id, &delivery).await },
                                        move || version.update(|v| *v += 1),
                                    );
                                }>"Redeliver"</button></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any()
        })}
    }
}

/// A delivery's state in words.
fn state_label(state: &str) -> &'static str {
    match state {
        "delivered" => "Delivered",
        "retrying" => "Retrying",
        "abandoned" => "Abandoned",
        _ => "Unknown",
    }
}
