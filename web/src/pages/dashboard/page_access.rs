//! The Settings page's "Who can see the page" section (admins): public, the org's members
//! only, a shared password, or client address ranges (`/api/v1/orgs/{org}/page-access`). The
//! password is typed, sent, and never shown again.

use super::OrgContext;
use crate::api::{self, ApiError, field_problem};
use crate::components::{Field, FormError, Toasts};
use leptos::prelude::*;
use upstate_shared::PageAccessMode;
use upstate_shared::dto::UpdatePageAccessRequest;

/// What a person reads for each choice.
fn label(mode: PageAccessMode) -> &'static str {
    match mode {
        PageAccessMode::Public => "Everyone (public)",
        PageAccessMode::Members => "Members of this organization, signed in",
        PageAccessMode::Password => "Whoever has the page's password",
        PageAccessMode::Addresses => "Visitors from these address ranges",
    }
}

#[component]
pub fn PageAccessSection(org: OrgContext) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let mode = RwSignal::new(PageAccessMode::Public);
    let ranges = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let has_password = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let slug = org.slug.clone();
    let current = LocalResource::new(move || {
        let slug = slug.clone();
        async move { api::page_access(&slug).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(access)) = current.get() {
            mode.set(access.mode);
            ranges.set(access.ranges.join("\n"));
            has_password.set(access.has_password);
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let slug = org.slug.clone();
        leptos::task::spawn_local(async move {
            let typed = password.get_untracked();
            let body = UpdatePageAccessRequest {
                mode: mode.get_untracked(),
                ranges: ranges
                    .get_untracked()
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect(),
                password: (!typed.is_empty()).then_some(typed),
            };
            match api::update_page_access(&slug, &body).await {
                Ok(saved) => {
                    error.set(None);
                    password.set(String::new());
                    has_password.set(saved.has_password);
                    ranges.set(saved.ranges.join("\n"));
                    toasts.success("Page access saved");
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="access-title">
            <h2 id="access-title">"Who can see the page"</h2>
            <form novalidate=true on:submit=save>
                <fieldset>
                    <legend>"The status page, its feeds, badge, embed and API answers are shown to"</legend>
                    {PageAccessMode::ALL
                        .iter()
                        .map(|&choice| {
                            view! {
                                <label class="inline">
                                    <input
                                        type="radio"
                                        name="page-access-mode"
                                        value=choice.as_str()
                                        prop:checked=move || mode.get() == choice
                                        on:change=move |_| mode.set(choice)
                                    />
                                    " "
                                    {label(choice)}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <p class="muted">"Members always see their own page. A private page is never cached as public nor listed by search engines."</p>
                {move || (mode.get() == PageAccessMode::Password).then(|| view! {
                    <Field label="Page password" name="page_password" field="password" kind="password"
                        value=password error=error autocomplete="new-password"
                        hint="8 to 128 characters; leave empty to keep the one set. A new password signs every visitor out of the page."/>
                    {move || has_password.get().then(|| view! { <p class="muted">"A password is set."</p> })}
                })}
                {move || (mode.get() == PageAccessMode::Addresses).then(|| view! {
                    <div class="field">
                        <label for="field-ranges">"Address ranges, one per line (192.0.2.0/24, 2001:db8::/32)"</label>
                        <textarea
                            id="field-ranges"
                            name="ranges"
                            rows="4"
                            aria-describedby="field-ranges-problem"
                            prop:value=move || ranges.get()
                            on:input=move |ev| ranges.set(event_target_value(&ev))
                        ></textarea>
                        <p class="field-error" id="field-ranges-problem">
                            {move || field_problem(&error.get(), "ranges").unwrap_or_default()}
                        </p>
                    </div>
                })}
                <FormError error=error/>
                <button type="submit" class="primary">"Save access"</button>
            </form>
        </section>
    }
}
