//! The Settings page's "Import from Statuspage" (admins): a page hosted by Atlassian Statuspage
//! brought over, from its address (the server fetches its documents) or from its
//! `summary.json` and `incidents.json` chosen as files. The files are read and parsed in the
//! browser only to send them as JSON objects: one that is not JSON is named at its field before
//! anything is sent. The API's problems are listed under the field they are about.

use super::OrgContext;
use crate::api::{self, ApiError};
use crate::components::{Field, FormError, Toasts};
use leptos::prelude::*;
use upstate_shared::FieldErrors;
use upstate_shared::dto::{StatuspageImport, StatuspageImportRequest};

/// The largest request the import takes (the API's limit): larger files are refused here, at
/// their field, rather than by a 413 after the upload.
const UPLOAD_LIMIT: f64 = 8.0 * 1024.0 * 1024.0;

#[component]
pub fn StatuspageImportSection(org: OrgContext) -> impl IntoView {
    let toasts = expect_context::<Toasts>();
    let done = RwSignal::new(None::<StatuspageImport>);
    let busy = RwSignal::new(false);
    let finish = move |answer: Result<StatuspageImport, ApiError>,
                       error: RwSignal<Option<ApiError>>| {
        busy.set(false);
        match answer {
            Ok(answer) => {
                error.set(None);
                done.set(Some(answer));
                toasts.success(import_summary(&answer));
            }
            Err(e) => {
                done.set(None);
                error.set(Some(e));
            }
        }
    };

    let url = RwSignal::new(String::new());
    let url_error = RwSignal::new(None::<ApiError>);
    let fetch = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let address = url.get_untracked().trim().to_owned();
            if address.is_empty() {
                url_error.set(Some(ApiError::invalid_field(
                    "url",
                    "enter the page's address, such as https://status.example.com",
                )));
                return;
            }
            let slug = slug.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let body = StatuspageImportRequest {
                    url: Some(address),
                    ..Default::default()
                };
                finish(api::import_statuspage(&slug, &body).await, url_error);
            });
        }
    };

    let summary_file = NodeRef::<leptos::html::Input>::new();
    let incidents_file = NodeRef::<leptos::html::Input>::new();
    let files_error = RwSignal::new(None::<ApiError>);
    let import_files = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (Some(summary_input), Some(incidents_input)) =
                (summary_file.get_untracked(), incidents_file.get_untracked())
            else {
                return;
            };
            let chosen = |input: &web_sys::HtmlInputElement| input.files().and_then(|f| f.get(0));
            let Some(summary) = chosen(&summary_input) else {
                files_error.set(Some(ApiError::invalid_field(
                    "summary",
                    "choose the page's summary.json",
                )));
                return;
            };
            let incidents = chosen(&incidents_input);
            let slug = slug.clone();
            busy.set(true);
            leptos::task::spawn_local(async move {
                let mut problems = FieldErrors::new();
                let summary = read_json(&summary, "summary", &mut problems).await;
                let incidents = match &incidents {
                    Some(file) => read_json(file, "incidents", &mut problems).await,
                    None => None,
                };
                if !problems.is_empty() {
                    busy.set(false);
                    files_error.set(Some(ApiError::invalid(problems)));
                    return;
                }
                let body = StatuspageImportRequest {
                    summary,
                    incidents,
                    url: None,
                };
                let answer = api::import_statuspage(&slug, &body).await;
                if answer.is_ok() {
                    summary_input.set_value("");
                    incidents_input.set_value("");
                }
                finish(answer, files_error);
            });
        }
    };

    view! {
        <section aria-labelledby="statuspage-title">
            <h2 id="statuspage-title">"Import from Statuspage"</h2>
            <p class="muted">"Moving from Atlassian Statuspage? This brings over its groups, its services with their status now, and its incidents with their updates. Running it again creates nothing twice, and nobody is notified: subscribers and integrations hear of nothing."</p>
            <form novalidate=true on:submit=fetch>
                <Field label="The page's address" name="statuspage-url" field="url" kind="url" value=url error=url_error
                    hint="Such as https://status.example.com: this server fetches its summary and its 50 newest incidents."/>
                <FormError error=url_error/>
                {problem_list(url_error, "body", "statuspage-url-body")}
                <button type="submit" class="primary" disabled=move || busy.get()>"Fetch and import"</button>
            </form>
            <p class="muted">"Or, if this server cannot reach the page, save its "<code>"/api/v2/summary.json"</code>" (and "<code>"/api/v2/incidents.json"</code>", for past incidents) and choose them here."</p>
            <form novalidate=true on:submit=import_files>
                <div class="field">
                    <label for="statuspage-summary">"summary.json"</label>
                    <input type="file" id="statuspage-summary" accept=".json,application/json" node_ref=summary_file
                        aria-describedby="statuspage-summary-problems"
                        aria-invalid=move || has_problems(&files_error.get(), "summary").to_string()/>
                    {problem_list(files_error, "summary", "statuspage-summary-problems")}
                </div>
                <div class="field">
                    <label for="statuspage-incidents">"incidents.json (optional)"</label>
                    <input type="file" id="statuspage-incidents" accept=".json,application/json" node_ref=incidents_file
                        aria-describedby="statuspage-incidents-problems"
                        aria-invalid=move || has_problems(&files_error.get(), "incidents").to_string()/>
                    {problem_list(files_error, "incidents", "statuspage-incidents-problems")}
                </div>
                <FormError error=files_error/>
                {problem_list(files_error, "body", "statuspage-files-body")}
                <button type="submit" class="primary" disabled=move || busy.get()>"Import files"</button>
            </form>
            <p class="meta" role="status" data-testid="statuspage-result">
                {move || if busy.get() {
                    Some("Importing…".to_owned())
                } else {
                    done.get().map(|done| import_summary(&done))
                }}
            </p>
        </section>
    }
}

/// The JSON in `file`, or `None` with the reason added to `problems` under `field`.
async fn read_json(
    file: &web_sys::File,
    field: &str,
    problems: &mut FieldErrors,
) -> Option<serde_json::Value> {
    let mut problem = |text: String| {
        problems.entry(field.to_owned()).or_default().push(text);
        None
    };
    if file.size() > UPLOAD_LIMIT {
        return problem("is larger than 8 MiB, the most an import takes".to_owned());
    }
    let Some(text) = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
    else {
        return problem("could not be read".to_owned());
    };
    match serde_json::from_str(&text) {
        Ok(value) => Some(value),
        Err(err) => problem(format!("{} is not a JSON file ({err})", file.name())),
    }
}

/// Whether the API (or the browser) named problems with `field`.
fn has_problems(error: &Option<ApiError>, field: &str) -> bool {
    !problems_of(error, field).is_empty()
}

fn problems_of(error: &Option<ApiError>, field: &str) -> Vec<String> {
    error
        .as_ref()
        .and_then(|e| e.body.error.fields.as_ref())
        .and_then(|fields| fields.get(field))
        .cloned()
        .unwrap_or_default()
}

/// Every problem named for `field`, one per line: a page can be refused for many at once (a
/// component with an unknown status, an incident without updates, ...).
fn problem_list(
    error: RwSignal<Option<ApiError>>,
    field: &'static str,
    id: &'static str,
) -> impl IntoView {
    view! {
        <ul class="import-problems" id=id data-testid=id>
            {move || problems_of(&error.get(), field).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
        </ul>
    }
}

/// What an import did, in words: "8 groups, 65 services and 2 incidents imported; nothing was
/// already there".
fn import_summary(done: &StatuspageImport) -> String {
    let imported = format!(
        "{}, {} and {} imported",
        count(done.groups_created, "group"),
        count(done.services_created, "service"),
        count(done.incidents_created, "incident"),
    );
    if done.services_updated == 0 && done.incidents_skipped == 0 {
        return format!("{imported}; nothing was already there");
    }
    format!(
        "{imported}; already there: {} (brought to the page's status now) and {}",
        count(done.services_updated, "service"),
        count(done.incidents_skipped, "incident"),
    )
}

/// "1 service", "65 services".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
