//! The "Branding" section of the settings page (admins): accent colour, logo, favicon, header
//! links, footer, theme and custom CSS, with a preview of the draft before it is published. The
//! preview is the real status page, drawn by the server with the draft
//! (`POST .../branding/preview`) into a sandboxed frame (no script runs in it); publishing is the
//! save (`PUT .../branding`), after which the public pages show it at once.

use super::OrgContext;
use crate::api::{self, ApiError, field_problem};
use crate::components::{Field, FormError, Toasts};
use leptos::prelude::*;
use upstate_shared::Theme;
use upstate_shared::dto::BrandingSettings;

/// One text field of the form, as its signal.
fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// A field's text as the request sends it: blank is none.
fn given(value: RwSignal<String>) -> Option<String> {
    let text = value.get_untracked();
    (!text.trim().is_empty()).then_some(text)
}

#[component]
pub fn BrandingSection(org: OrgContext) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let accent = RwSignal::new(String::new());
    let logo = RwSignal::new(String::new());
    let favicon = RwSignal::new(String::new());
    let support = RwSignal::new(String::new());
    let home = RwSignal::new(String::new());
    let footer = RwSignal::new(String::new());
    let theme = RwSignal::new(Theme::Auto);
    let css = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    // The page drawn with the draft, while there is one to show.
    let preview = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let current = {
        let slug = org.slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { api::branding(&slug).await }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(saved)) = current.get() {
            accent.set(text(&saved.accent_color));
            logo.set(text(&saved.logo_url));
            favicon.set(text(&saved.favicon_url));
            support.set(text(&saved.support_url));
            home.set(text(&saved.home_url));
            footer.set(text(&saved.footer_text));
            theme.set(saved.theme);
            css.set(text(&saved.custom_css));
        }
    });
    let draft = move || BrandingSettings {
        accent_color: given(accent),
        logo_url: given(logo),
        favicon_url: given(favicon),
        support_url: given(support),
        home_url: given(home),
        footer_text: given(footer),
        theme: theme.get_untracked(),
        custom_css: given(css),
    };

    let show_preview = {
        let slug = org.slug.clone();
        move |_| {
            let slug = slug.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::preview_branding(&slug, &draft()).await {
                    Ok(drawn) => {
                        error.set(None);
                        preview.set(Some(drawn.html));
                    }
                    Err(e) => {
                        preview.set(None);
                        error.set(Some(e));
                    }
                }
                busy.set(false);
            });
        }
    };
    let publish = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let slug = slug.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                match api::update_branding(&slug, &draft()).await {
                    Ok(_) => {
                        error.set(None);
                        toasts.success("Branding published");
                    }
                    Err(e) => error.set(Some(e)),
                }
                busy.set(false);
            });
        }
    };
    let css_problem = move || field_problem(&error.get(), "custom_css");
    view! {
        <section aria-labelledby="branding-title">
            <h2 id="branding-title">"Branding"</h2>
            <p class="meta">"How your public status page, incident pages and subscription pages look. Preview a draft, then publish it."</p>
            <form novalidate=true on:submit=publish>
                <Field label="Accent colour (#rrggbb)" name="branding-accent" field="accent_color" value=accent error=error/>
                <Field label="Logo URL" name="branding-logo" field="logo_url" kind="url" value=logo error=error/>
                <Field label="Favicon URL" name="branding-favicon" field="favicon_url" kind="url" value=favicon error=error
                    hint="The icon in your visitors' browser tabs (PNG, SVG or ICO, on https)."/>
                <Field label="Home page URL" name="branding-home" field="home_url" kind="url" value=home error=error/>
                <Field label="Support URL" name="branding-support" field="support_url" kind="url" value=support error=error/>
                <Field label="Footer text" name="branding-footer" field="footer_text" value=footer error=error
                    hint="One line of plain text at the foot of the page (at most 280 characters)."/>
                <div class="field">
                    <label for="branding-theme">"Theme"</label>
                    <select id="branding-theme" on:change=move |ev| if let Ok(t) = event_target_value(&ev).parse() { theme.set(t) }>
                        {Theme::ALL.iter().map(|t| view! {
                            <option value=t.as_str() selected=move || theme.get() == *t>{t.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="branding-css">"Custom CSS"</label>
                    <textarea id="branding-css" rows="8" spellcheck="false" class="code" bind:value=css
                        aria-invalid=move || css_problem().is_some().to_string()
                        aria-describedby="branding-css-hint branding-css-problem"></textarea>
                    <p class="meta" id="branding-css-hint">
                        "Style rules and @media blocks, at most 16 KiB. Not allowed: @import and other at-rules, url() and anything else that loads from elsewhere, expression(), behavior, -moz-binding."
                    </p>
                    <p class="field-problem" id="branding-css-problem" role="alert" data-testid="css-problem">{css_problem}</p>
                </div>
                <FormError error=error/>
                <div class="actions">
                    <button type="button" on:click=show_preview disabled=move || busy.get()>"Preview"</button>
                    <button type="submit" class="primary" disabled=move || busy.get()>"Publish"</button>
                </div>
            </form>
            {move || preview.get().map(|html| view! {
                <figure class="branding-preview">
                    <figcaption class="meta">"Preview: your status page with this draft (not published yet)"</figcaption>
                    // No script runs in the frame: the page as the server draws it.
                    <iframe sandbox="" srcdoc=html title="Preview of the status page with the draft branding"
                        data-testid="branding-preview"></iframe>
                </figure>
            })}
        </section>
    }
}
