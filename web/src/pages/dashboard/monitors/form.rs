//! The form that adds or edits a monitor: every field of every kind, the settings with their
//! defaults, pausing and the automatic incident. Each input edits the [`MonitorDraft`] through
//! a getter and a setter, and takes its id from the API's path of its field, so a problem the
//! API names lands under its input.

use super::super::OrgContext;
use super::draft::{Kind, METHODS, MonitorDraft, field_id, method_name, unplaced_problems};
use crate::api::{self, ApiError, field_problem};
use crate::components::{EmptyState, FormError, Toasts};
use crate::time;
use leptos::prelude::*;
use leptos_router::components::A;
use upstate_shared::ImpactLevel;
use upstate_shared::dto::{Monitor, Service};
use upstate_shared::monitor::Header;

/// Reads a value of the draft.
type DraftGet<T> = fn(&MonitorDraft) -> T;
/// Writes a value into the draft.
type DraftSet<T> = fn(&mut MonitorDraft, T);

/// The problem the API (or the form) found with `field`, under its input.
fn problem_of(
    error: RwSignal<Option<ApiError>>,
    field: &'static str,
) -> impl Fn() -> Option<String> + Copy {
    move || field_problem(&error.get(), field)
}

/// A text input over a value of the draft; its id comes from `field` ([`field_id`]).
#[component]
fn TextInput(
    label: &'static str,
    /// The request field the API names its problem by (`check.url`).
    field: &'static str,
    draft: RwSignal<MonitorDraft>,
    error: RwSignal<Option<ApiError>>,
    get: DraftGet<String>,
    set: DraftSet<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: &'static str,
    /// A textarea of this many rows instead of a one-line input.
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let id = field_id(field);
    let (hint_id, problem_id) = (format!("{id}-hint"), format!("{id}-problem"));
    let described_by = match hint {
        Some(_) => format!("{hint_id} {problem_id}"),
        None => problem_id.clone(),
    };
    let problem = problem_of(error, field);
    let value = move || draft.with(get);
    let input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        draft.update(|d| set(d, text));
    };
    let control = match rows {
        Some(rows) => view! {
            <textarea id=id.clone() rows=rows.to_string() placeholder=placeholder prop:value=value on:input=input
                aria-invalid=move || problem().is_some().to_string() aria-describedby=described_by.clone()></textarea>
        }.into_any(),
        None => view! {
            <input id=id.clone() type=kind placeholder=placeholder autocomplete="off" prop:value=value on:input=input
                aria-invalid=move || problem().is_some().to_string() aria-describedby=described_by.clone()/>
        }.into_any(),
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {hint.map(|hint| view! { <p class="meta" id=hint_id>{hint}</p> })}
            <p class="field-problem" id=problem_id role="alert">{problem}</p>
        </div>
    }
}

/// A whole number of the draft, typed as text (a number input would hide what was typed wrong).
/// Text that is no number is kept in the draft's `unreadable` until it is fixed.
#[component]
fn NumberInput(
    label: &'static str,
    field: &'static str,
    draft: RwSignal<MonitorDraft>,
    error: RwSignal<Option<ApiError>>,
    get: DraftGet<Option<u32>>,
    set: DraftSet<Option<u32>>,
    /// Empty means "none" (else it is a problem).
    #[prop(optional)]
    optional: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(field);
    let (hint_id, problem_id) = (format!("{id}-hint"), format!("{id}-problem"));
    let described_by = match hint {
        Some(_) => format!("{hint_id} {problem_id}"),
        None => problem_id.clone(),
    };
    let problem = problem_of(error, field);
    let text = RwSignal::new(
        draft
            .with_untracked(get)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    // Gone (another kind chosen): what it held cannot be wrong any more.
    on_cleanup(move || {
        draft.try_update(|d| d.unreadable.remove(field));
    });
    let input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        text.set(typed.clone());
        let trimmed = typed.trim();
        draft.update(|d| {
            if trimmed.is_empty() {
                if optional {
                    d.unreadable.remove(field);
                } else {
                    d.unreadable
                        .insert(field.to_owned(), "enter a number".to_owned());
                }
                set(d, None);
            } else {
                match trimmed.parse::<u32>() {
                    Ok(n) => {
                        d.unreadable.remove(field);
                        set(d, Some(n));
                    }
                    Err(_) => {
                        d.unreadable
                            .insert(field.to_owned(), "must be a whole number".to_owned());
                    }
                }
            }
        });
    };
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="text" inputmode="numeric" autocomplete="off" prop:value=move || text.get() on:input=input
                aria-invalid=move || problem().is_some().to_string() aria-describedby=described_by/>
            {hint.map(|hint| view! { <p class="meta" id=hint_id>{hint}</p> })}
            <p class="field-problem" id=problem_id role="alert">{problem}</p>
        </div>
    }
}

/// A yes-or-no of the draft.
#[component]
fn CheckBox(
    label: &'static str,
    field: &'static str,
    draft: RwSignal<MonitorDraft>,
    error: RwSignal<Option<ApiError>>,
    get: DraftGet<bool>,
    set: DraftSet<bool>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let id = field_id(field);
    let (hint_id, problem_id) = (format!("{id}-hint"), format!("{id}-problem"));
    let problem = problem_of(error, field);
    view! {
        <div class="field">
            <label class="inline"><input type="checkbox" id=id prop:checked=move || draft.with(get)
                aria-describedby=format!("{hint_id} {problem_id}")
                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| set(d, on)); }/>{label}</label>
            {hint.map(|hint| view! { <p class="meta" id=hint_id.clone()>{hint}</p> })}
            <p class="field-problem" id=problem_id role="alert">{problem}</p>
        </div>
    }
}

/// The form that adds a monitor (`before` is `None`) or edits one (`data-testid="monitor-form"`).
#[component]
pub(super) fn MonitorForm(
    before: Option<Monitor>,
    title: String,
    services: Vec<Service>,
    services_path: String,
    on_saved: Callback<Monitor>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let toasts = expect_context::<Toasts>();
    let draft = RwSignal::new(match &before {
        Some(m) => MonitorDraft::of(m),
        None => MonitorDraft::new(&services),
    });
    let error = RwSignal::new(None::<ApiError>);
    let saving = RwSignal::new(false);
    let panel = NodeRef::<leptos::html::Section>::new();
    // Opened: the form comes into view and the focus onto it.
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            panel.scroll_into_view();
            let _ = panel.focus();
        }
    });
    let form = NodeRef::<leptos::html::Form>::new();
    let editing = before.is_some();
    let before = StoredValue::new(before);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let parts = match draft.with_untracked(MonitorDraft::parts) {
            Ok(parts) => parts,
            Err(fields) => {
                error.set(Some(ApiError::invalid(fields)));
                focus_first_problem(form);
                return;
            }
        };
        let slug = org.slug.clone();
        let before = before.get_value();
        saving.set(true);
        leptos::task::spawn_local(async move {
            let saved = match &before {
                None => api::create_monitor(&slug, &parts.create()).await,
                Some(m) => api::update_monitor(&slug, &m.id, &parts.update(m)).await,
            };
            saving.try_set(false);
            match saved {
                Ok(monitor) => {
                    error.try_set(None);
                    toasts.success(if before.is_some() {
                        format!("“{}” saved", monitor.name)
                    } else {
                        format!("Monitor “{}” added", monitor.name)
                    });
                    on_saved.run(monitor);
                }
                Err(e) => {
                    error.try_set(Some(e));
                    focus_first_problem(form);
                }
            }
        });
    };
    let kind = Memo::new(move |_| draft.with(|d| d.kind));
    let auto_incident = Memo::new(move |_| draft.with(|d| d.auto_incident));
    let no_services = services.is_empty();
    let unplaced = move || {
        let fields = error.with(|e| e.as_ref().and_then(|e| e.body.error.fields.clone()))?;
        let document = web_sys::window().and_then(|w| w.document())?;
        let lines = unplaced_problems(&fields, |id| document.get_element_by_id(id).is_some());
        (!lines.is_empty()).then(|| {
            view! { <ul class="import-problems">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }
        })
    };
    let service_problem = problem_of(error, "service_id");
    let service_id = field_id("service_id");
    view! {
        <section class="monitor-form-panel" aria-labelledby="monitor-form-title" tabindex="-1" node_ref=panel>
            <h2 id="monitor-form-title">{title}</h2>
            {no_services.then(|| view! {
                <EmptyState title="Add a service first" hint="A monitor sets the status of one of your services: add the service it checks, then come back.">
                    <A href=services_path.clone() attr:class="button">"Add a service"</A>
                </EmptyState>
            })}
            <form novalidate=true data-testid="monitor-form" node_ref=form on:submit=submit hidden=no_services>
                <div class="field-row">
                    <TextInput label="Name" field="name" draft=draft error=error get=|d| d.name.clone() set=|d, v| d.name = v
                        placeholder="API health"/>
                    <div class="field">
                        <label for=service_id.clone()>"Service"</label>
                        <select id=service_id aria-invalid=move || service_problem().is_some().to_string()
                            aria-describedby="monitor-service_id-problem"
                            on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.service_id = v); }>
                            <option value="" selected=move || draft.with(|d| d.service_id.is_empty())>"Choose a service"</option>
                            {services.iter().map(|s| {
                                let value = s.id.to_string();
                                let chosen = value.clone();
                                view! { <option value=value selected=move || draft.with(|d| d.service_id == chosen)>{s.name.clone()}</option> }
                            }).collect_view()}
                        </select>
                        <p class="meta">"Its status follows the monitor's state."</p>
                        <p class="field-problem" id="monitor-service_id-problem" role="alert">{service_problem}</p>
                    </div>
                </div>
                <fieldset class="field kind-choice">
                    <legend>"What to check"</legend>
                    {Kind::ALL.into_iter().map(|k| view! {
                        <label class="inline"><input type="radio" name="monitor-kind" value=k.word()
                            prop:checked=move || kind.get() == k
                            on:change=move |_| draft.update(|d| d.kind = k)/>{k.choice()}</label>
                    }).collect_view()}
                </fieldset>
                {move || match kind.get() {
                    Kind::Http => view! { <HttpFields draft=draft error=error/> }.into_any(),
                    Kind::Tcp => view! {
                        <div class="field-row">
                            <TextInput label="Host" field="check.host" draft=draft error=error
                                get=|d| d.tcp_host.clone() set=|d, v| d.tcp_host = v
                                placeholder="db.example.com" hint="A host name or an IP address."/>
                            <NumberInput label="Port" field="check.port" draft=draft error=error
                                get=|d| d.tcp_port set=|d, v| d.tcp_port = v optional=true/>
                        </div>
                    }.into_any(),
                    Kind::Dns => view! {
                        <div class="field-row">
                            <TextInput label="Name to resolve" field="check.name" draft=draft error=error
                                get=|d| d.dns_name.clone() set=|d, v| d.dns_name = v placeholder="example.com"/>
                            <TextInput label="Expected address (optional)" field="check.expected" draft=draft error=error
                                get=|d| d.dns_expected.clone() set=|d, v| d.dns_expected = v placeholder="203.0.113.7"
                                hint="An IP address that must be among the answers (A and AAAA records)."/>
                        </div>
                    }.into_any(),
                    Kind::Heartbeat => view! {
                        <NumberInput label="Grace (seconds)" field="check.grace_seconds" draft=draft error=error
                            get=|d| Some(d.grace_seconds) set=|d, v| if let Some(v) = v { d.grace_seconds = v }
                            hint="How late a call may be: silence longer than the interval plus this counts as a failure. Default 300 (5 minutes)."/>
                        <p class="meta">"Your job calls a secret URL each time it runs; it is shown once the monitor is saved."</p>
                    }.into_any(),
                }}
                <fieldset class="field">
                    <legend>"How often and how patiently"</legend>
                    <div class="field-row settings-row">
                        <NumberInput label="Interval (seconds)" field="settings.interval_seconds" draft=draft error=error
                            get=|d| Some(d.settings.interval_seconds) set=|d, v| if let Some(v) = v { d.settings.interval_seconds = v }
                            hint="Default 60, at least 10. A heartbeat: how often the job runs."/>
                        <NumberInput label="Timeout (seconds)" field="settings.timeout_seconds" draft=draft error=error
                            get=|d| Some(d.settings.timeout_seconds) set=|d, v| if let Some(v) = v { d.settings.timeout_seconds = v }
                            hint="Default 10, shorter than the interval."/>
                        <NumberInput label="Failures before down" field="settings.failures_to_fail" draft=draft error=error
                            get=|d| Some(d.settings.failures_to_fail) set=|d, v| if let Some(v) = v { d.settings.failures_to_fail = v }
                            hint="Default 3 in a row (1 to 10)."/>
                        <NumberInput label="Successes before up" field="settings.successes_to_recover" draft=draft error=error
                            get=|d| Some(d.settings.successes_to_recover) set=|d, v| if let Some(v) = v { d.settings.successes_to_recover = v }
                            hint="Default 2 in a row (1 to 10)."/>
                    </div>
                </fieldset>
                <CheckBox label="Paused" field="paused" draft=draft error=error get=|d| d.paused set=|d, v| d.paused = v
                    hint="A paused monitor runs no check and leaves the service's status alone."/>
                <CheckBox label="Open an incident when the service goes down" field="auto_incident" draft=draft error=error
                    get=|d| d.auto_incident set=|d, v| d.auto_incident = v
                    hint="And resolve it when the checks pass again."/>
                <Show when=move || auto_incident.get()>
                    <fieldset class="field auto-incident">
                        <legend>"The incident"</legend>
                        <TextInput label="Title" field="auto_incident.title" draft=draft error=error
                            get=|d| d.incident.title.clone() set=|d, v| d.incident.title = v placeholder="API unavailable"/>
                        <div class="field">
                            <label for=field_id("auto_incident.impact")>"Impact"</label>
                            <select id=field_id("auto_incident.impact") on:change=move |ev| {
                                if let Ok(impact) = event_target_value(&ev).parse::<ImpactLevel>() { draft.update(|d| d.incident.impact = impact) }
                            }>
                                {ImpactLevel::ALL.iter().map(|i| view! {
                                    <option value=i.as_str() selected=move || draft.with(|d| d.incident.impact == *i)>{i.label()}</option>
                                }).collect_view()}
                            </select>
                            <p class="field-problem" role="alert">{problem_of(error, "auto_incident.impact")}</p>
                        </div>
                        <TextInput label="First update (Markdown)" field="auto_incident.message" draft=draft error=error rows=3
                            get=|d| d.incident.message.clone() set=|d, v| d.incident.message = v
                            hint="The check's message is added below it."/>
                        <TextInput label="Resolution update (Markdown)" field="auto_incident.resolution" draft=draft error=error rows=2
                            get=|d| d.incident.resolution.clone() set=|d, v| d.incident.resolution = v
                            hint="Posted when the service is back."/>
                    </fieldset>
                </Show>
                <FormError error=error/>
                {unplaced}
                <div class="form-actions">
                    <button type="submit" class="primary" disabled=move || saving.get()>
                        {if editing { "Save changes" } else { "Add monitor" }}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

/// The HTTP check's fields. An option `HttpCheck` gains later is one line here: a [`CheckBox`]
/// or a [`NumberInput`] (`optional=true` for an `Option<u32>`) whose getter and setter reach
/// `d.http.<field>`; `MonitorDraft::of` keeps it and `MonitorDraft::parts` sends every field of
/// `d.http` as it is, so nothing else changes.
#[component]
fn HttpFields(draft: RwSignal<MonitorDraft>, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let headers = Memo::new(move |_| draft.with(|d| d.http.headers.len()));
    let method_id = field_id("check.method");
    let method_problem = problem_of(error, "check.method");
    view! {
        <div class="field-row">
            <div class="field method">
                <label for=method_id.clone()>"Method"</label>
                <select id=method_id aria-invalid=move || method_problem().is_some().to_string()
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        if let Some(m) = METHODS.into_iter().find(|m| method_name(*m) == chosen) { draft.update(|d| d.http.method = m) }
                    }>
                    {METHODS.into_iter().map(|m| view! {
                        <option value=method_name(m) selected=move || draft.with(|d| d.http.method == m)>{method_name(m)}</option>
                    }).collect_view()}
                </select>
                <p class="field-problem" role="alert">{method_problem}</p>
            </div>
            <TextInput label="URL" field="check.url" kind="url" draft=draft error=error
                get=|d| d.http.url.clone() set=|d, v| d.http.url = v placeholder="https://example.com/health"
                hint="http or https. Credentials go in a header, not in the URL. Redirects are not followed: a 3xx is the answer."/>
        </div>
        <fieldset class="field headers" id=field_id("check.headers")>
            <legend>"Request headers"</legend>
            <For each=move || 0..headers.get() key=|index| *index let:index>
                <HeaderRow index=index draft=draft error=error/>
            </For>
            <p><button type="button" on:click=move |_| draft.update(|d| d.http.headers.push(Header { name: String::new(), value: String::new() }))>"Add a header"</button></p>
            <p class="field-problem" role="alert">{problem_of(error, "check.headers")}</p>
        </fieldset>
        <TextInput label="Request body (optional)" field="check.body" draft=draft error=error rows=3
            get=|d| d.http.body.clone().unwrap_or_default() set=|d, v| d.http.body = (!v.is_empty()).then_some(v)
            hint="Sent as given; set a Content-Type header to match."/>
        <div class="field-row">
            <TextInput label="Expected statuses" field="check.expected_statuses" draft=draft error=error
                get=|d| d.statuses.clone() set=|d, v| d.statuses = v placeholder="200-299"
                hint="Statuses and ranges, separated by commas: 200-299, 301. Default 200-299."/>
            <NumberInput label="Degraded after (ms, optional)" field="check.degraded_after_ms" draft=draft error=error
                get=|d| d.http.degraded_after_ms set=|d, v| d.http.degraded_after_ms = v optional=true
                hint="A right answer slower than this counts as degraded; less than the timeout."/>
        </div>
        <TextInput label="Keyword (optional)" field="check.keyword" draft=draft error=error
            get=|d| d.http.keyword.clone().unwrap_or_default() set=|d, v| d.http.keyword = (!v.is_empty()).then_some(v)
            hint="Text the answer must contain (case-sensitive)."/>
        <div class="field-row">
            <TextInput label="JSON pointer (optional)" field="check.json_path.pointer" draft=draft error=error
                get=|d| d.json_pointer.clone() set=|d, v| d.json_pointer = v placeholder="/status/indicator"
                hint="Where to look in the answer's JSON; empty for the whole answer."/>
            <TextInput label="Expected JSON value" field="check.json_path.expected" draft=draft error=error
                get=|d| d.json_expected.clone() set=|d, v| d.json_expected = v placeholder="ok"
                hint="A word (ok), a number, true, false, null or any JSON. Empty: no JSON rule."/>
        </div>
    }
}

/// One request header: its name and value, and a button that removes it.
#[component]
fn HeaderRow(
    index: usize,
    draft: RwSignal<MonitorDraft>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let number = index + 1;
    let (name_field, value_field) = (
        format!("check.headers[{index}].name"),
        format!("check.headers[{index}].value"),
    );
    let (name_id, value_id) = (field_id(&name_field), field_id(&value_field));
    let name_problem = {
        let field = name_field.clone();
        move || field_problem(&error.get(), &field)
    };
    let value_problem = {
        let field = value_field.clone();
        move || field_problem(&error.get(), &field)
    };
    let read = move |value: bool| {
        move || {
            draft.with(|d| {
                d.http
                    .headers
                    .get(index)
                    .map(|h| {
                        if value {
                            h.value.clone()
                        } else {
                            h.name.clone()
                        }
                    })
                    .unwrap_or_default()
            })
        }
    };
    let write = move |value: bool| {
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            draft.update(|d| {
                if let Some(h) = d.http.headers.get_mut(index) {
                    if value {
                        h.value = text;
                    } else {
                        h.name = text;
                    }
                }
            });
        }
    };
    let (name_problem2, value_problem2) = (name_problem.clone(), value_problem.clone());
    view! {
        <div class="header-row" data-testid="monitor-header">
            <div class="field">
                <label for=name_id.clone()>{format!("Header {number} name")}</label>
                <input id=name_id.clone() autocomplete="off" placeholder="Authorization" prop:value=read(false) on:input=write(false)
                    aria-invalid=move || name_problem2().is_some().to_string() aria-describedby=format!("{name_id}-problem")/>
                <p class="field-problem" id=format!("{name_id}-problem") role="alert">{name_problem}</p>
            </div>
            <div class="field">
                <label for=value_id.clone()>{format!("Header {number} value")}</label>
                <input id=value_id.clone() autocomplete="off" placeholder="Bearer …" prop:value=read(true) on:input=write(true)
                    aria-invalid=move || value_problem2().is_some().to_string() aria-describedby=format!("{value_id}-problem")/>
                <p class="field-problem" id=format!("{value_id}-problem") role="alert">{value_problem}</p>
            </div>
            <button type="button" class="danger" aria-label=format!("Remove header {number}")
                on:click=move |_| draft.update(|d| { if index < d.http.headers.len() { d.http.headers.remove(index); } })>"Remove"</button>
        </div>
    }
}

/// After a refused submit: the focus onto the first field with a problem (once drawn).
fn focus_first_problem(form: NodeRef<leptos::html::Form>) {
    leptos::task::spawn_local(async move {
        time::sleep(0).await;
        let Some(form) = form.get_untracked() else {
            return;
        };
        if let Ok(Some(field)) = form.query_selector("[aria-invalid=\"true\"]") {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(field) = field.dyn_into::<web_sys::HtmlElement>() {
                let _ = field.focus();
            }
        }
    });
}
