//! `/dashboard/{org}/settings` (admins): name and address, branding (`super::branding`, with a
//! preview of the real page), who can see the page (`super::page_access`), the custom domain,
//! importing from Statuspage, downloading the org's export, API keys (the key is shown once, with
//! a copy button; revoking asks first), and the audit log.

use super::OrgContext;
use super::branding::BrandingSection;
use super::page_access::PageAccessSection;
use super::statuspage::StatuspageImportSection;
use super::team::copy;
use crate::api::{self, ApiError};
use crate::components::{Confirm, EmptyState, Field, FormError, Question, Toasts, download};
use crate::time;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use upstate_shared::dto::{CreateApiKeyRequest, Org, UpdateOrgRequest};
use upstate_shared::valid::{NewApiKey, OrgEdit};
use upstate_shared::{ErrorCode, Locale, Role};

#[component]
pub fn Settings() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let alert = expect_context::<super::Alert>();
    let confirm = expect_context::<Confirm>();
    let toasts = expect_context::<Toasts>();
    let current = {
        let org = org.clone();
        LocalResource::new(move || {
            let org = org.clone();
            async move { api::org(&org.slug).await }
        })
    };
    let name = RwSignal::new(String::new());
    let slug = RwSignal::new(String::new());
    let reminder = RwSignal::new(String::new());
    let language = RwSignal::new(Locale::En);
    Effect::new(move |_| {
        if let Some(Ok(o)) = current.get() {
            name.set(o.name.clone());
            slug.set(o.slug.clone());
            reminder.set(o.reminder_minutes.to_string());
            language.set(o.default_language);
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let save = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (org, navigate) = (org.clone(), navigate.clone());
            leptos::task::spawn_local(async move {
                let body = UpdateOrgRequest {
                    name: Some(name.get_untracked()),
                    slug: Some(slug.get_untracked()),
                    branding: None,
                    reminder_minutes: None,
                    custom_domain: None,
                    default_language: Some(language.get_untracked().tag().to_owned()),
                };
                let Ok(minutes) = reminder.get_untracked().trim().parse::<u32>() else {
                    error.set(Some(ApiError::invalid_field(
                        "reminder_minutes",
                        "must be a number of minutes (0: no reminder)",
                    )));
                    return;
                };
                let body = UpdateOrgRequest {
                    reminder_minutes: Some(minutes),
                    ..body
                };
                if let Err(fields) = OrgEdit::try_from(&body) {
                    error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::update_org(&org.slug, &body).await {
                    Ok(updated) => {
                        error.set(None);
                        toasts.success("Settings saved");
                        if updated.slug != org.slug {
                            navigate(
                                &format!("/dashboard/{}/settings", updated.slug),
                                Default::default(),
                            );
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let keys_version = RwSignal::new(0u32);
    let keys = {
        let org = org.clone();
        LocalResource::new(move || {
            keys_version.get();
            let org = org.clone();
            async move { api::api_keys(&org.slug).await }
        })
    };
    let key_name = RwSignal::new(String::new());
    let key_role = RwSignal::new(Role::Editor);
    let key_error = RwSignal::new(None::<ApiError>);
    let new_key = RwSignal::new(None::<String>);
    let create_key = {
        let org = org.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let org = org.clone();
            leptos::task::spawn_local(async move {
                let body = CreateApiKeyRequest {
                    name: key_name.get_untracked(),
                    role: key_role.get_untracked(),
                };
                if let Err(fields) = NewApiKey::try_from(&body) {
                    key_error.set(Some(ApiError::invalid(fields)));
                    return;
                }
                match api::create_api_key(&org.slug, &body).await {
                    Ok(created) => {
                        toasts.success("API key created: copy it now, it is shown only once");
                        new_key.set(Some(created.key));
                        key_name.set(String::new());
                        key_error.set(None);
                        keys_version.update(|v| *v += 1);
                    }
                    Err(e) => key_error.set(Some(e)),
                }
            });
        }
    };
    let audit = {
        let org = org.clone();
        LocalResource::new(move || {
            let org = org.clone();
            async move { api::audit_log(&org.slug, 25).await }
        })
    };
    let owner = org.role == Role::Owner;
    // The page is in the navigation of admins only; its sections that change how the page is
    // reached or what it holds are not drawn for anyone else who opens its address.
    let admin = org.role.at_least(Role::Admin);
    let branding_org = org.clone();
    let domain_org = org.clone();
    let access_org = org.clone();
    let import_org = org.clone();
    let export_org = org.clone();
    let key_org = org.clone();
    view! {
        <h1>"Settings"</h1>
        <form novalidate=true on:submit=save>
            <h2>"Page"</h2>
            <Field label="Name" name="name" value=name error=error/>
            <Field label="Address (/status/…)" name="slug" value=slug error=error/>
            <Field label="Remind subscribers of maintenance (minutes before it starts; 0: never)" name="reminder_minutes" kind="number" value=reminder error=error/>
            <div class="field"><label for="field-default_language">"Language of the public page"</label>
                <select id="field-default_language" aria-describedby="field-default_language-hint"
                    on:change=move |ev| if let Ok(l) = event_target_value(&ev).parse() { language.set(l) }>
                    {Locale::ALL.into_iter().map(|l| view! {
                        <option value=l.tag() selected=move || language.get() == l>{l.native_name()}</option>
                    }).collect_view()}
                </select>
                <p class="meta" id="field-default_language-hint">"For visitors whose browser asks for none of the page's languages. Visitors can switch at the bottom of the page."</p></div>
            <FormError error=error/>
            <button type="submit" class="primary">"Save"</button>
        </form>
        {admin.then(|| view! { <BrandingSection org=branding_org/> })}
        {admin.then(|| view! { <PageAccessSection org=access_org/> })}
        {admin.then(|| view! { <CustomDomainSection org=domain_org current=current/> })}
        {admin.then(|| view! { <StatuspageImportSection org=import_org/> })}
        {admin.then(|| view! { <ExportSection org=export_org/> })}
        <section aria-labelledby="keys-title">
            <h2 id="keys-title">"API keys"</h2>
            {move || keys.get().map(|r| match r {
                Err(e) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <EmptyState title="No API keys"
                        hint="A key lets a script or your CI declare incidents and change statuses through the API. Create one below."/>
                }.into_any(),
                Ok(page) => {
                    let org = key_org.clone();
                    view! {
                        <table class="table">
                            <caption class="sr-only">"API keys"</caption>
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Key"</th><th scope="col">"Last used"</th><th scope="col" class="actions"><span class="sr-only">"Actions"</span></th></tr></thead>
                            <tbody>{page.items.into_iter().map(|k| {
                                let (slug, id, name) = (org.slug.clone(), k.id.clone(), k.name.clone());
                                view! { <tr data-testid="api-key">
                                    <td>{k.name.clone()}</td>
                                    <td><span class="badge">{k.role.label()}</span></td>
                                    <td><code>{format!("{}…", k.prefix)}</code></td>
                                    <td>{k.last_used_at.map_or("Never".to_owned(), time::relative)}</td>
                                    <td class="actions"><button class="danger" on:click=move |_| {
                                        let (slug, id) = (slug.clone(), id.clone());
                                        let question = Question {
                                            title: format!("Revoke the key “{name}”?"),
                                            detail: "Whatever uses it is refused from now on. This cannot be undone.".to_owned(),
                                            action: "Revoke key",
                                        };
                                        confirm.ask(question, move || alert.run(
                                            "Revoking the key",
                                            "API key revoked",
                                            async move { api::revoke_api_key(&slug, &id).await },
                                            move || keys_version.update(|v| *v += 1),
                                        ));
                                    }>"Revoke"</button></td>
                                </tr> }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            })}
            <form novalidate=true on:submit=create_key>
                <Field label="Key name" name="key-name" field="name" value=key_name error=key_error/>
                <div class="field"><label for="key-role">"Role"</label>
                    <select id="key-role" on:change=move |ev| if let Ok(r) = event_target_value(&ev).parse() { key_role.set(r) }>
                        {Role::ALL.iter().filter(move |r| owner || **r != Role::Owner).map(|r| view! {
                            <option value=r.as_str() selected=*r == Role::Editor>{r.label()}</option>
                        }).collect_view()}
                    </select></div>
                <FormError error=key_error/>
                <button type="submit" class="primary">"Create key"</button>
            </form>
            {move || new_key.get().map(|key| view! {
                <div class="notice">
                    <p>"Copy this key now: it is shown only once."</p>
                    <input class="copyable" readonly aria-label="New API key" data-testid="new-key" prop:value=key.clone()/>
                    <button on:click=move |_| copy(&key)>"Copy"</button>
                </div>
            })}
        </section>
        <section aria-labelledby="audit-title">
            <h2 id="audit-title">"Audit log"</h2>
            {move || audit.get().map(|r| match r {
                Err(e) => view! { <p role="alert">{e.message().to_owned()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <EmptyState title="Nothing recorded yet" hint="Every change made here or through the API is listed, with who made it and when."/>
                }.into_any(),
                Ok(page) => view! { <ul class="audit">{page.items.into_iter().map(|e| {
                    let who = match &e.actor {
                        upstate_shared::dto::Actor::User { name, email, .. } => name.clone().or(email.clone()).unwrap_or_default(),
                        upstate_shared::dto::Actor::ApiKey { name, .. } => format!("key {}", name.clone().unwrap_or_default()),
                        upstate_shared::dto::Actor::FormerMember { .. } => "A former member".to_owned(),
                        upstate_shared::dto::Actor::System => "Upstate".to_owned(),
                    };
                    view! { <li>{format!("{} · {} · {}", time::local(e.created_at), who, e.action)}</li> }
                }).collect_view()}</ul> }.into_any(),
            })}
        </section>
    }
}

/// The org's own host name for its public page: set, changed or removed on its own (a PATCH
/// of `custom_domain` alone, so a refusal is about the domain only), with what to do in DNS.
/// "Export": the whole organization as one JSON document (no passwords, tokens or secrets), to
/// keep or to move to another server with `upstate import upstate`.
#[component]
fn ExportSection(org: super::OrgContext) -> impl IntoView {
    let alert = expect_context::<super::Alert>();
    let busy = RwSignal::new(false);
    let export = move |_| {
        let slug = org.slug.clone();
        busy.set(true);
        alert.run(
            "Exporting the organization",
            "Export downloaded",
            async move {
                let document = api::export_org(&slug).await;
                busy.set(false);
                let day = chrono::Utc::now().format("%Y-%m-%d");
                download(
                    &format!("upstate-{slug}-{day}.json"),
                    "application/json",
                    &document?,
                )
            },
            || (),
        );
    };
    view! {
        <section aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            <p>
                "Everything of this organization in one JSON file: settings, services and their "
                "history, incidents, maintenance, subscribers, monitors and members (by email). "
                "Passwords, API keys, tokens and webhook secrets are left out. Another Upstate "
                "server reads it with "<code>"upstate import upstate --file FILE"</code>"."
            </p>
            <button type="button" on:click=export disabled=move || busy.get()>"Download export"</button>
        </section>
    }
}

#[component]
fn CustomDomainSection(
    org: OrgContext,
    current: LocalResource<Result<Org, ApiError>>,
) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let domain = RwSignal::new(String::new());
    // The domain as saved: the page's address on it is shown only once it is.
    let saved = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(o)) = current.get() {
            domain.set(o.custom_domain.clone().unwrap_or_default());
            saved.set(o.custom_domain.clone());
        }
    });
    let error = RwSignal::new(None::<ApiError>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let org = org.clone();
        leptos::task::spawn_local(async move {
            let typed = domain.get_untracked();
            // An empty field removes the domain.
            let body = UpdateOrgRequest {
                custom_domain: Some((!typed.trim().is_empty()).then(|| typed.trim().to_owned())),
                ..Default::default()
            };
            if let Err(fields) = OrgEdit::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                return;
            }
            match api::update_org(&org.slug, &body).await {
                Ok(updated) => {
                    error.set(None);
                    toasts.success(if updated.custom_domain.is_some() {
                        "Custom domain saved"
                    } else {
                        "Custom domain removed"
                    });
                    domain.set(updated.custom_domain.clone().unwrap_or_default());
                    saved.set(updated.custom_domain);
                }
                // Another org has the name: a 409 names no field, but it is this field's.
                Err(e) if e.code() == ErrorCode::Conflict => {
                    error.set(Some(ApiError::invalid_field("custom_domain", e.message())))
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="domain-title">
            <h2 id="domain-title">"Custom domain"</h2>
            <form novalidate=true on:submit=save>
                <Field label="Custom domain" name="custom_domain" value=domain error=error
                    hint="A name of your own, such as status.example.com (no https:// or path; empty: none). Point a DNS CNAME or A record for it at this server, and let your reverse proxy obtain its certificate."/>
                <FormError error=error/>
                <button type="submit" class="primary">"Save domain"</button>
            </form>
            {move || saved.get().map(|name| {
                let address = page_address(&name);
                view! {
                    <p data-testid="custom-domain-address">
                        "Once its DNS points here, your status page is at "
                        <a href=address.clone() rel="external">{address.clone()}</a>"."
                    </p>
                }
            })}
        </section>
    }
}

/// The status page's address on `domain`: its root, over the scheme the dashboard is served
/// with (the server's public URL, whose scheme the proxy in front also serves the domain on).
fn page_address(domain: &str) -> String {
    let scheme = web_sys::window()
        .and_then(|window| window.location().protocol().ok())
        .unwrap_or_else(|| "https:".to_owned());
    format!("{scheme}//{domain}")
}
