//! The Security page's "Two-factor sign-in" section (owners set it; everyone sees it): whether
//! the org requires two-factor sign-in of every member (`/api/v1/orgs/{org}/security`), and how
//! many members have it not yet. An owner turns it on once they have it themselves.

use super::OrgContext;
use crate::api::{self, ApiError};
use crate::components::{FormError, Toasts};
use leptos::prelude::*;
use leptos_router::components::A;
use upstate_shared::Role;
use upstate_shared::dto::OrgSecurity;

#[component]
pub fn TwoFactorRule(org: OrgContext) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let owner = org.role == Role::Owner;
    let required = RwSignal::new(false);
    let without = RwSignal::new(0u32);
    let error = RwSignal::new(None::<ApiError>);
    let slug = org.slug.clone();
    let current = LocalResource::new(move || {
        let slug = slug.clone();
        async move { api::org_security(&slug).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(security)) = current.get() {
            required.set(security.require_two_factor);
            without.set(security.members_without_two_factor);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let slug = org.slug.clone();
        leptos::task::spawn_local(async move {
            let body = OrgSecurity {
                require_two_factor: required.get_untracked(),
                members_without_two_factor: 0,
            };
            match api::set_org_security(&slug, &body).await {
                Ok(saved) => {
                    error.set(None);
                    required.set(saved.require_two_factor);
                    without.set(saved.members_without_two_factor);
                    toasts.success(if saved.require_two_factor {
                        "Two-factor sign-in is now required"
                    } else {
                        "Two-factor sign-in is no longer required"
                    });
                }
                Err(e) => {
                    required.set(!required.get_untracked());
                    error.set(Some(e));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="two-factor-rule-title">
            <h2 id="two-factor-rule-title">"Two-factor sign-in"</h2>
            <form novalidate=true on:submit=save data-testid="two-factor-rule">
                <label class="inline">
                    <input type="checkbox" name="require_two_factor" disabled=!owner
                        prop:checked=move || required.get()
                        on:change=move |ev| required.set(event_target_checked(&ev))/>
                    " Require two-factor sign-in of every member"
                </label>
                <p class="muted">
                    "A member without it can still sign in, but can do nothing in this organization "
                    "until they turn it on from their "<A href="/account">"account"</A>". API keys go on working. "
                    "The Team page shows who has it."
                </p>
                <p data-testid="members-without-two-factor">{move || match without.get() {
                    0 => "Every member has two-factor sign-in on.".to_owned(),
                    1 => "1 member has no two-factor sign-in yet.".to_owned(),
                    n => format!("{n} members have no two-factor sign-in yet."),
                }}</p>
                <FormError error=error/>
                {owner.then(|| view! { <button type="submit" class="primary">"Save two-factor rule"</button> })}
            </form>
        </section>
    }
}
