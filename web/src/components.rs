//! The pieces every page uses: a form field with the API's problem under it, the form's own
//! error, a read's three states, and the dashboard's feedback: toasts, the confirmation dialog,
//! empty lists; and a monitor's response-time chart ([`chart`]). The status badge and a
//! timeline update come from the public pages, which show them too.

pub mod chart;
mod dialog;
mod empty;
mod toast;

pub use dialog::{Confirm, ConfirmDialog, Question};
pub use empty::EmptyState;
pub use toast::{ToastRegion, Toasts};

use crate::api::{ApiError, field_problem};
use leptos::prelude::AnyView;
use leptos::prelude::*;
pub use upstate_public_page::components::{StatusBadge, TimelineUpdate};
use upstate_shared::{ErrorBody, ErrorCode};
use web_sys::wasm_bindgen::JsCast;

/// A labelled input with the API's problem for its field under it.
#[component]
pub fn Field(
    label: &'static str,
    /// The input's name (its DOM id is `field-{name}`), unique on the page.
    name: &'static str,
    /// The request field the API names problems by, when it is not `name` (a page with two
    /// forms names its inputs apart, but both forms may send a `name`).
    #[prop(optional)]
    field: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(optional)] autocomplete: &'static str,
    /// A sentence under the input on what to enter, read with it by screen readers.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let problem_id = format!("{id}-problem");
    let hint_id = format!("{id}-hint");
    let described_by = match hint {
        Some(_) => format!("{hint_id} {problem_id}"),
        None => problem_id.clone(),
    };
    let field = field.unwrap_or(name);
    let problem = move || field_problem(&error.get(), field);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                bind:value=value
                aria-invalid=move || problem().is_some().to_string()
                aria-describedby=described_by
            />
            {hint.map(|hint| view! { <p class="meta" id=hint_id>{hint}</p> })}
            <p class="field-problem" id=problem_id role="alert">{problem}</p>
        </div>
    }
}

/// The form's general error (when it is not about one field).
#[component]
pub fn FormError(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|e| view! { <p class="form-error" role="alert">{e.message().to_owned()}</p> })
    }
}

/// A read's three states, the same everywhere: loading (`loading`, marked busy), failed (the
/// API's words as an alert, and a button to try again), and answered (`show` draws the value).
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    loading: &'static str,
    show: impl Fn(T) -> V + 'static,
) -> impl Fn() -> AnyView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    move || match resource.get() {
        None => view! { <p class="muted" aria-busy="true">{loading}</p> }.into_any(),
        Some(Err(e)) => view! {
            <div class="load-error" role="alert">
                <p>{e.message().to_owned()}</p>
                <button on:click=move |_| resource.refetch()>"Try again"</button>
            </div>
        }
        .into_any(),
        Some(Ok(value)) => show(value).into_any(),
    }
}

/// Offers `text` as a file named `name` to download: a Blob's object URL behind a link that is
/// clicked once (exports need the session, so a plain link to the API would not do).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), ApiError> {
    let failed = |what: &str| ApiError {
        status: 0,
        body: ErrorBody::new(
            ErrorCode::Internal,
            format!("The browser could not {what}."),
        ),
    };
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| failed("make the file"))?;
    let url =
        web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed("make the file"))?;
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| failed("reach the page"))?;
    let link = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| failed("start the download"))?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has its own copy once started; the URL is let go a moment later.
    leptos::task::spawn_local(async move {
        crate::time::sleep(10_000).await;
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    Ok(())
}
