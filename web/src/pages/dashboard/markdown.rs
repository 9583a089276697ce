//! A Markdown field with its preview: a textarea and, under it, the message as visitors will
//! read it. The preview is rendered by the API (`POST /orgs/{org}/markdown`) with the function
//! that publishes, a moment after typing stops, so it never differs from the published text.

use super::OrgContext;
use crate::api::{self, ApiError, field_problem};
use leptos::prelude::*;

/// How long typing must pause before the preview is asked for.
const PAUSE_MS: u32 = 250;

#[component]
pub fn MarkdownField(
    /// The textarea's id; the API's field of the same name shows its problem.
    id: &'static str,
    label: &'static str,
    /// The request field whose problems to show (`message`, `postmortem`).
    field: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = 5)] rows: u32,
) -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let html = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<String>);
    // Each keystroke bumps the generation; only the latest pause asks the API.
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let text = value.get();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        let slug = org.slug.clone();
        leptos::task::spawn_local(async move {
            if text.trim().is_empty() {
                html.set(String::new());
                failed.set(None);
                return;
            }
            crate::time::sleep(PAUSE_MS).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let answer = api::preview_markdown(&slug, text).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match answer {
                Ok(preview) => {
                    html.set(preview.html);
                    failed.set(None);
                }
                Err(e) => failed.set(Some(e.message().to_owned())),
            }
        });
    });
    let problem_id = format!("{id}-problem");
    let preview_id = format!("{id}-preview");
    let problem = move || field_problem(&error.get(), field);
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <textarea id=id rows=rows.to_string() bind:value=value
                aria-invalid=move || problem().is_some().to_string()
                aria-describedby=format!("{problem_id} {preview_id}")></textarea>
            <p class="field-problem" id=problem_id.clone() role="alert">{problem}</p>
            <section class="md-preview" id=preview_id aria-label="Preview" data-testid="markdown-preview">
                <p class="meta">"Preview: how visitors will read it"</p>
                {move || match (failed.get(), html.get()) {
                    (Some(reason), _) => view! { <p class="field-problem">{format!("No preview: {reason}")}</p> }.into_any(),
                    (None, rendered) if rendered.is_empty() => view! { <p class="muted">"Nothing to preview yet."</p> }.into_any(),
                    (None, rendered) => view! { <div class="message" inner_html=rendered></div> }.into_any(),
                }}
            </section>
        </div>
    }
}
