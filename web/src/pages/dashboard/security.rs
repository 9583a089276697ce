//! The Security page at `/dashboard/{org}/security` (owners): how the org's people sign in. Each
//! rule is a section of its own component: two-factor sign-in required of every member
//! (`two_factor_rule.rs`, `/api/v1/orgs/{org}/security`), and single sign-on with OpenID
//! Connect (`/api/v1/orgs/{org}/sso`). The client secret is typed, sent, and never shown again.

use super::OrgContext;
use crate::api::{self, ApiError, field_problem};
use crate::components::{Field, FormError, Question, Toasts};
use leptos::prelude::*;
use upstate_shared::Role;
use upstate_shared::dto::UpdateSsoRequest;
use upstate_shared::valid::SsoEdit;

#[component]
pub fn Security() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    view! {
        <h1>"Security"</h1>
        {if org.role.at_least(Role::Owner) {
            view! {
                <super::two_factor_rule::TwoFactorRule org=org.clone()/>
                <SingleSignOnSection org=org.clone()/>
            }.into_any()
        } else {
            view! { <p class="muted">"Only the organization's owners change how its people sign in."</p> }.into_any()
        }}
    }
}

/// The roles a person may join with on a first sign-in.
const JOIN_ROLES: [Role; 3] = [Role::Viewer, Role::Editor, Role::Admin];

#[component]
pub fn SingleSignOnSection(org: OrgContext) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let confirm = expect_context::<crate::components::Confirm>();
    let alert = expect_context::<super::Alert>();
    let version = RwSignal::new(0_u32);
    let issuer = RwSignal::new(String::new());
    let client_id = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let domains = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Viewer);
    let sso_only = RwSignal::new(false);
    let has_secret = RwSignal::new(false);
    let callback = RwSignal::new(String::new());
    let is_set = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let slug = org.slug.clone();
    let current = LocalResource::new(move || {
        version.get();
        let slug = slug.clone();
        async move { api::sso(&slug).await }
    });
    Effect::new(move |_| match current.get() {
        Some(Ok(Some(sso))) => {
            issuer.set(sso.issuer_url.clone());
            client_id.set(sso.client_id.clone());
            domains.set(sso.email_domains.join("\n"));
            role.set(sso.default_role);
            sso_only.set(sso.sso_only);
            has_secret.set(sso.has_secret);
            callback.set(sso.callback_url.clone());
            is_set.set(true);
        }
        Some(Ok(None)) => {
            is_set.set(false);
            has_secret.set(false);
        }
        _ => {}
    });
    let save = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let typed = secret.get_untracked();
            let body = UpdateSsoRequest {
                issuer_url: issuer.get_untracked(),
                client_id: client_id.get_untracked(),
                client_secret: (!typed.is_empty()).then_some(typed),
                email_domains: domains
                    .get_untracked()
                    .split([',', '\n', ' '])
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect(),
                default_role: role.get_untracked(),
                sso_only: sso_only.get_untracked(),
            };
            if let Err(fields) = SsoEdit::try_from(&body) {
                error.set(Some(ApiError::invalid(fields)));
                return;
            }
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                match api::update_sso(&slug, &body).await {
                    Ok(saved) => {
                        error.set(None);
                        secret.set(String::new());
                        has_secret.set(saved.has_secret);
                        callback.set(saved.callback_url.clone());
                        is_set.set(true);
                        toasts.success("Single sign-on saved");
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    let remove = {
        let slug = org.slug.clone();
        move |_| {
            let slug = slug.clone();
            let question = Question {
                title: "Remove single sign-on?".to_owned(),
                detail: "People sign in with their passwords again; those who never had one reset it first.".to_owned(),
                action: "Remove single sign-on",
            };
            confirm.ask(question, move || {
                alert.run(
                    "Removing single sign-on",
                    "Single sign-on removed",
                    async move { api::delete_sso(&slug).await },
                    move || {
                        issuer.set(String::new());
                        client_id.set(String::new());
                        domains.set(String::new());
                        sso_only.set(false);
                        version.update(|v| *v += 1);
                    },
                );
            });
        }
    };
    view! {
        <section aria-labelledby="sso-title" data-testid="sso-section">
            <h2 id="sso-title">"Single sign-on"</h2>
            <p class="muted">"Let people sign in with your identity provider (OpenID Connect). Their first sign-in makes them members with the role below."</p>
            {move || (!callback.get().is_empty()).then(|| view! {
                <p>"Redirect URI to register at your provider: "<code data-testid="sso-callback">{callback.get()}</code></p>
            })}
            <form novalidate=true on:submit=save>
                <Field label="Issuer URL" name="issuer_url" field="issuer_url" value=issuer error=error
                    hint="Where the provider serves /.well-known/openid-configuration, like https://login.example.com."/>
                <Field label="Client ID" name="client_id" field="client_id" value=client_id error=error/>
                <Field label="Client secret" name="client_secret" field="client_secret" kind="password"
                    value=secret error=error autocomplete="new-password"
                    hint="Leave empty to keep the one set."/>
                {move || has_secret.get().then(|| view! { <p class="muted">"A client secret is set."</p> })}
                <div class="field">
                    <label for="field-email-domains">"Email domains, one per line"</label>
                    <textarea
                        id="field-email-domains"
                        name="email_domains"
                        rows="3"
                        aria-describedby="field-email-domains-problem"
                        prop:value=move || domains.get()
                        on:input=move |ev| domains.set(event_target_value(&ev))
                    ></textarea>
                    <p class="field-error" id="field-email-domains-problem">
                        {move || field_problem(&error.get(), "email_domains").unwrap_or_default()}
                    </p>
                </div>
                <div class="field">
                    <label for="field-default-role">"New members join as"</label>
                    <select id="field-default-role" name="default_role"
                        on:change=move |ev| {
                            let chosen = event_target_value(&ev);
                            if let Some(r) = JOIN_ROLES.iter().find(|r| r.as_str() == chosen) {
                                role.set(*r);
                            }
                        }>
                        {JOIN_ROLES.iter().map(|r| view! {
                            <option value=r.as_str() selected=move || role.get() == *r>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <label class="inline">
                    <input type="checkbox" name="sso_only"
                        prop:checked=move || sso_only.get()
                        on:change=move |ev| sso_only.set(event_target_checked(&ev))/>
                    " Members sign in only with SSO (no password sign-in or reset)"
                </label>
                <FormError error=error/>
                <button type="submit" class="primary">"Save single sign-on"</button>
                {move || is_set.get().then(|| view! {
                    " "<button type="button" class="danger" on:click=remove.clone()>"Remove"</button>
                })}
            </form>
        </section>
    }
}
