//! `/dashboard/{org}/subscribers` (admins): who hears of the status page's incidents and
//! maintenance. Counts by kind, a search (as one types, or on Enter), the list in pages
//! (address, kind, confirmed or pending, which services, since when), removing one (asks
//! first), and CSV export (a download) and import (read in the browser, sent as `text/csv`; a
//! refused file's lines are listed).

use super::{Alert, OrgContext};
use crate::api::{self, ApiError};
use crate::components::{Confirm, EmptyState, FormError, Question, Toasts, download, loaded};
use crate::time;
use leptos::prelude::*;
use upstate_shared::dto::{KindCounts, Subscriber, SubscriberImport};

/// How many subscribers the list shows at a time.
const PAGE: u32 = 50;
/// How long the search waits after the last key before it asks.
const DEBOUNCE_MS: u32 = 300;

#[component]
pub fn Subscribers() -> impl IntoView {
    let org = expect_context::<OrgContext>();
    let alert = expect_context::<Alert>();
    let confirm = expect_context::<Confirm>();
    let toasts = expect_context::<Toasts>();
    let version = RwSignal::new(0u32);
    // The search as typed, and the one asked (after a pause in typing, or on Enter).
    let typed = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    // The pages "Load more" added after the first, and the cursor of the next one (`None`:
    // the first page's).
    let more = RwSignal::new(Vec::<Subscriber>::new());
    let next = RwSignal::new(None::<Option<String>>);
    let forget_pages = move || {
        more.set(Vec::new());
        next.set(None);
    };
    let reload = move || {
        forget_pages();
        version.update(|v| *v += 1);
    };
    let counts = super::live_resource(version, |org| async move {
        api::subscriber_counts(&org.slug).await
    });
    let services = {
        let slug = org.slug.clone();
        LocalResource::new(move || {
            let slug = slug.clone();
            async move { api::services(&slug).await.map(|page| page.items) }
        })
    };
    let first = {
        let slug = org.slug.clone();
        LocalResource::new(move || {
            version.get();
            let (slug, search) = (slug.clone(), search.get());
            async move { api::subscribers(&slug, &search, PAGE, None).await }
        })
    };
    let ask = move |text: String| {
        if search.get_untracked() != text {
            forget_pages();
            search.set(text);
        }
    };
    let typing = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        typed.set(text.clone());
        leptos::task::spawn_local(async move {
            time::sleep(DEBOUNCE_MS).await;
            // Still what is in the box: the person paused.
            if typed.try_get_untracked().is_some_and(|now| now == text) {
                ask(text);
            }
        });
    };
    let submit_search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        ask(typed.get_untracked());
    };
    let load_more = {
        let slug = org.slug.clone();
        move |cursor: String| {
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                let asked = search.get_untracked();
                match api::subscribers(&slug, &asked, PAGE, Some(&cursor)).await {
                    Ok(page) => {
                        more.update(|shown| shown.extend(page.items));
                        next.set(Some(page.next_cursor));
                    }
                    Err(e) => {
                        alert.fail(format!("Loading more subscribers failed: {}", e.message()))
                    }
                }
            });
        }
    };
    let export = {
        let slug = org.slug.clone();
        move |_| {
            let slug = slug.clone();
            alert.run(
                "Exporting the subscribers",
                "Subscribers exported",
                async move {
                    let csv = api::export_subscribers(&slug).await?;
                    download(
                        &format!("{slug}-subscribers.csv"),
                        "text/csv;charset=utf-8",
                        &csv,
                    )
                },
                || (),
            );
        }
    };
    let file = NodeRef::<leptos::html::Input>::new();
    let import_error = RwSignal::new(None::<ApiError>);
    let imported = RwSignal::new(None::<SubscriberImport>);
    let import = {
        let slug = org.slug.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(input) = file.get_untracked() else {
                return;
            };
            let Some(chosen) = input.files().and_then(|files| files.get(0)) else {
                import_error.set(Some(ApiError::invalid_field(
                    "csv",
                    "choose a CSV file first",
                )));
                return;
            };
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                let Some(text) = wasm_bindgen_futures::JsFuture::from(chosen.text())
                    .await
                    .ok()
                    .and_then(|text| text.as_string())
                else {
                    import_error.set(Some(ApiError::invalid_field(
                        "csv",
                        "the file could not be read",
                    )));
                    return;
                };
                match api::import_subscribers(&slug, &text).await {
                    Ok(done) => {
                        import_error.set(None);
                        imported.set(Some(done));
                        toasts.success(import_summary(&done));
                        input.set_value("");
                        reload();
                    }
                    Err(e) => {
                        imported.set(None);
                        import_error.set(Some(e));
                    }
                }
            });
        }
    };
    let status_page = format!("/status/{}", org.slug);
    let slug = org.slug.clone();
    view! {
        <div class="page-head">
            <h1>"Subscribers"</h1>
            <button type="button" on:click=export>"Export CSV"</button>
        </div>
        <p class="muted">"The visitors who subscribed to your status page, by email or webhook: they hear of your incidents and maintenance. Only admins and owners see their addresses."</p>
        {loaded(counts, "Counting subscribers…", |counts| view! {
            <dl class="counts" data-testid="subscriber-counts">
                <div class="count"><dt>"Email"</dt><dd data-testid="count-email">{count_text(counts.email)}</dd></div>
                <div class="count"><dt>"Webhooks"</dt><dd data-testid="count-webhook">{count_text(counts.webhook)}</dd></div>
            </dl>
        })}
        <form role="search" class="search" novalidate=true on:submit=submit_search>
            <label for="subscriber-search">"Search subscribers"</label>
            <div class="search-row">
                <input type="search" id="subscriber-search" placeholder="Part of an address or URL"
                    prop:value=move || typed.get() on:input=typing/>
                <button type="submit">"Search"</button>
            </div>
        </form>
        {loaded(first, "Loading subscribers…", move |page| {
            let rows: Vec<Subscriber> = page.items.into_iter().chain(more.get()).collect();
            let cursor = next.get().unwrap_or(page.next_cursor);
            let asked = search.get_untracked();
            if rows.is_empty() && asked.trim().is_empty() {
                let status_page = status_page.clone();
                return view! {
                    <EmptyState title="No subscribers yet"
                        hint="Visitors subscribe with “Subscribe to updates” on your status page, by email or by webhook, and confirm from a mail before they hear anything. You can also import a list of addresses below.">
                        <a href=status_page class="button" rel="external">"Open the status page"</a>
                    </EmptyState>
                }.into_any();
            }
            if rows.is_empty() {
                return view! {
                    <EmptyState title="No subscriber matches"
                        hint=format!("No address, URL or contact contains “{}”. Try a shorter part of it, or clear the search.", asked.trim())/>
                }.into_any();
            }
            let names = services.get().and_then(Result::ok).unwrap_or_default();
            let slug = slug.clone();
            let load_more = load_more.clone();
            view! {
                <table class="table">
                    <caption class="sr-only">"Subscribers"</caption>
                    <thead><tr>
                        <th scope="col">"Address"</th><th scope="col">"Kind"</th><th scope="col">"State"</th>
                        <th scope="col">"Services"</th><th scope="col">"Since"</th>
                        <th scope="col" class="actions"><span class="sr-only">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows.into_iter().map(|s| {
                        let (slug, id, target) = (slug.clone(), s.id.clone(), s.target.clone());
                        let services = super::service_names(&s.service_ids, &names);
                        view! {
                            <tr data-testid="subscriber">
                                <td>
                                    {s.target.clone()}
                                    {s.contact_email.clone().map(|contact| view! { <p class="meta">{format!("Contact: {contact}")}</p> })}
                                </td>
                                <td><span class="badge">{s.channel.label()}</span></td>
                                <td>
                                    <span class="badge">{if s.confirmed { "Confirmed" } else { "Pending" }}</span>
                                    {(!s.enabled).then(|| view! {
                                        " "<span class="badge impact-critical">"Disabled"</span>
                                        <p class="meta">{s.disabled_reason.clone().unwrap_or_default()}</p>
                                    })}
                                </td>
                                <td>{services}</td>
                                <td><time datetime=s.created_at.to_rfc3339() title=time::local(s.created_at)>{time::relative(s.created_at)}</time></td>
                                <td class="actions"><button class="danger" aria-label=format!("Remove {}", s.target) on:click=move |_| {
                                    let (slug, id) = (slug.clone(), id.clone());
                                    let question = Question {
                                        title: format!("Remove the subscriber {target}?"),
                                        detail: "Nothing more is sent to it, including what is queued. They can subscribe again from the status page.".to_owned(),
                                        action: "Remove subscriber",
                                    };
                                    confirm.ask(question, move || alert.run(
                                        "Removing the subscriber",
                                        "Subscriber removed",
                                        async move { api::remove_subscriber(&slug, &id).await },
                                        reload,
                                    ));
                                }>"Remove"</button></td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
                {cursor.map(|cursor| view! {
                    <p class="more"><button type="button" on:click=move |_| load_more(cursor.clone())>"Load more"</button></p>
                })}
            }.into_any()
        })}
        <section aria-labelledby="import-title">
            <h2 id="import-title">"Import from CSV"</h2>
            <p class="muted" id="import-help">"Moving from another status page? An import subscribes email addresses as confirmed, since you vouch for them: nothing is mailed to them until your next incident or maintenance. Only email addresses can be imported (a webhook subscribes from the status page, where it gets its signing secret). The first row names the columns: one called "<code>"address"</code>" or "<code>"email"</code>", and optionally "<code>"service_ids"</code>" and "<code>"confirmed"</code>" (rows saying "<code>"false"</code>" are left out). An export reads back as is, and a file with a bad row imports nothing."</p>
            <form novalidate=true on:submit=import>
                <div class="field">
                    <label for="import-file">"CSV file"</label>
                    <input type="file" id="import-file" accept=".csv,text/csv" node_ref=file
                        aria-describedby="import-help import-problems"
                        aria-invalid=move || import_error.with(Option::is_some).to_string()/>
                </div>
                <FormError error=import_error/>
                <ul class="import-problems" id="import-problems" data-testid="import-problems">
                    {move || csv_problems(&import_error.get()).into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                </ul>
                <button type="submit" class="primary">"Import subscribers"</button>
            </form>
            <p class="meta" role="status" data-testid="import-result">{move || imported.get().map(|done| import_summary(&done))}</p>
        </section>
    }
}

/// "3 confirmed · 1 pending".
fn count_text(counts: KindCounts) -> String {
    format!(
        "{} confirmed · {} pending",
        counts.confirmed, counts.pending
    )
}

/// What an import did, in words.
fn import_summary(done: &SubscriberImport) -> String {
    let mut said = vec![format!(
        "Imported {} {}",
        done.imported,
        if done.imported == 1 {
            "subscriber"
        } else {
            "subscribers"
        }
    )];
    if done.already_subscribed > 0 {
        said.push(format!("{} already subscribed", done.already_subscribed));
    }
    if done.not_confirmed > 0 {
        said.push(format!("{} left out (never confirmed)", done.not_confirmed));
    }
    said.join("; ")
}

/// The lines of the file the API refused, as it named them (`fields.csv`).
fn csv_problems(error: &Option<ApiError>) -> Vec<String> {
    error
        .as_ref()
        .and_then(|e| e.body.error.fields.as_ref())
        .and_then(|fields| fields.get("csv"))
        .cloned()
        .unwrap_or_default()
}
