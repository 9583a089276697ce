//! The public pages' bundle: hydrates the page the server drew (claims its DOM with the snapshot
//! inlined beside it, drawing nothing again, so nothing flashes or moves), says its times the
//! visitor's way, and keeps it live.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use upstate_public_page::incident::{IncidentPage, IncidentSnapshot};
use upstate_public_page::live::{self, Connection};
use upstate_public_page::status::{self, HISTORY_PAGE, StatusPage, StatusSnapshot, StatusState};
use upstate_public_page::{CATALOG_DATA_ID, INCIDENT_DATA_ID, STATUS_DATA_ID, fetch, i18n};
use upstate_shared::dto::PublicService;
use upstate_shared::{EventKind, Locale, ServerFrame, ServiceId};

fn main() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(start());
}

/// Takes the page over in steps, each its own task with the browser's work between them
/// (painting, a visitor's click or scroll), so that no step holds the page up: the page is
/// whole and readable all along, as the server drew it. The first step waits for the task
/// that compiled and started the bundle to end.
async fn start() {
    next_task().await;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = document.get_element_by_id("app") else {
        return;
    };
    let inlined = |id: &str| {
        document
            .get_element_by_id(id)
            .and_then(|element| element.text_content())
    };
    // The bundle carries no catalog: the messages of the page's language are inlined beside it.
    let speak = |locale: Locale| {
        if let Some(messages) =
            inlined(CATALOG_DATA_ID).and_then(|json| serde_json::from_str::<String>(&json).ok())
        {
            i18n::load(locale, messages);
        }
    };
    // A page without a snapshot (an unknown org, a missing incident) is complete as the server
    // drew it.
    if let Some(json) = inlined(STATUS_DATA_ID) {
        let Ok(snapshot) = serde_json::from_str::<StatusSnapshot>(&json) else {
            return;
        };
        next_task().await;
        let locale = snapshot.locale;
        speak(locale);
        take_over(&document, root, locale, move || status_page(snapshot));
        dismissible_tips(&document);
    } else if let Some(json) = inlined(INCIDENT_DATA_ID) {
        let Ok(snapshot) = serde_json::from_str::<IncidentSnapshot>(&json) else {
            return;
        };
        next_task().await;
        let locale = snapshot.locale;
        speak(locale);
        take_over(&document, root, locale, move || incident_page(snapshot));
    } else if inlined(CATALOG_DATA_ID).is_some() {
        // A page with words but no snapshot: the history of past months, which is not live, and
        // whose links and form work as drawn. The bundle only says its times the visitor's way,
        // in the page's language (so none of the history's views weigh on the bundle).
        next_task().await;
        let locale = document
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| tag.parse::<Locale>().ok())
            .unwrap_or_default();
        speak(locale);
        upstate_public_page::time::localize(&document, locale);
    }
}

/// Escape puts away the tooltips shown on hover and focus (the uptime bars', a service's
/// description) without moving the pointer or the focus, as WCAG 1.4.13 asks; the next hover or
/// focus brings them back. `data-tips="away"` on `<html>` hides them (style.css).
fn dismissible_tips(document: &web_sys::Document) {
    let Some(html) = document.document_element() else {
        return;
    };
    let away = html.clone();
    let _ = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" {
            let _ = away.set_attribute("data-tips", "away");
        }
    });
    let back = html.clone();
    let _ = window_event_listener(leptos::ev::mouseover, move |_| {
        let _ = back.remove_attribute("data-tips");
    });
    let _ = window_event_listener(leptos::ev::focusin, move |_| {
        let _ = html.remove_attribute("data-tips");
    });
}

/// Resumes in a task of its own, after whatever the browser has waiting.
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Makes the server's drawing of the page the live one: the same views, built from the same
/// snapshot, in the language it was drawn in, claim the DOM they would have drawn.
fn take_over<V: IntoView + 'static>(
    document: &web_sys::Document,
    root: web_sys::Element,
    locale: Locale,
    view: impl FnOnce() -> V + 'static,
) {
    leptos::mount::hydrate_from(root.unchecked_into(), move || {
        provide_context(locale);
        view()
    })
    .forget();
    upstate_public_page::time::localize(document, locale);
}

fn status_page(snapshot: StatusSnapshot) -> impl IntoView {
    let slug = snapshot.summary.page.slug.clone();
    let locale = snapshot.locale;
    let state = StatusState::new(snapshot);
    // The bars as the server drew them, kept for when the page is drawn again (the inlined
    // snapshot has no days to draw them from). Effects run once the page is taken over.
    Effect::new(move |_| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            state.drawn.set_value(drawn_bars(&document));
        }
    });
    let last_seq = StoredValue::new(state.summary.with_untracked(|s| s.seq));

    // A full resync: the summary, the uptime bars and the newest history.
    let refetch = {
        let slug = slug.clone();
        move || {
            let slug = slug.clone();
            leptos::task::spawn_local(async move {
                if let Some(fresh) = fetch::summary(&slug).await {
                    for incident in state.summary.with_untracked(|old| {
                        fresh
                            .incidents
                            .iter()
                            .filter(|i| !old.incidents.iter().any(|o| o.id == i.id))
                            .map(|i| i.title.clone())
                            .collect::<Vec<_>>()
                    }) {
                        state.announcement.set(i18n::text_with(
                            locale,
                            "announce-new-incident",
                            &[("title", (&incident).into())],
                        ));
                    }
                    last_seq.set_value(last_seq.get_value().max(fresh.seq));
                    state.summary.set(fresh);
                }
                if let Some(uptime) = fetch::uptime(&slug).await {
                    state.uptime.set(uptime);
                }
                if let Some(first) = fetch::history(&slug, HISTORY_PAGE, None).await {
                    let loaded_more =
                        state.history.with_untracked(|h| h.len()) > HISTORY_PAGE as usize;
                    state.history.update(|items| {
                        let oldest = first.items.last().map(|i| i.created_at);
                        let rest: Vec<_> = items
                            .drain(..)
                            .filter(|i| {
                                !first.items.iter().any(|f| f.id == i.id)
                                    && oldest.is_some_and(|o| i.created_at < o)
                            })
                            .collect();
                        *items = first.items.clone();
                        if loaded_more {
                            items.extend(rest);
                        }
                    });
                    if !loaded_more {
                        state.older.set(first.next_cursor);
                    }
                }
            });
        }
    };

    let on_frame = move |frame: ServerFrame| {
        let seq = frame.seq;
        if frame.kind == EventKind::Hello {
            if state.summary.with_untracked(|s| s.seq != seq) {
                refetch();
            }
            last_seq.set_value(seq);
            return;
        }
        let last = last_seq.get_value();
        if seq <= last {
            return;
        }
        last_seq.set_value(seq);
        let in_order = seq == last + 1;
        let service = (frame.kind == EventKind::ServiceUpdated)
            .then(|| {
                frame
                    .data
                    .and_then(|d| serde_json::from_value::<PublicService>(d).ok())
            })
            .flatten();
        match service {
            Some(service) if in_order => {
                state.summary.update(|s| {
                    if let Some(slot) = s.services.iter_mut().find(|x| x.id == service.id) {
                        *slot = service.clone();
                    } else {
                        s.services.push(service.clone());
                    }
                    s.seq = seq;
                    s.status.indicator = s.indicator();
                    s.status.description = s.status.indicator.description().to_owned();
                });
                let status = i18n::service_status(locale, service.status);
                state.announcement.set(i18n::text_with(
                    locale,
                    "announce-service",
                    &[
                        ("service", (&service.name).into()),
                        ("status", (&status).into()),
                    ],
                ));
            }
            _ => refetch(),
        }
    };
    live::follow(
        format!("/api/v1/public/{slug}/ws"),
        state.live,
        Arc::new(AtomicBool::new(false)),
        None,
        on_frame,
    );

    let on_older = Callback::new(move |()| {
        let slug = slug.clone();
        leptos::task::spawn_local(async move {
            let after = state.older.get_untracked();
            if let Some(page) = fetch::history(&slug, HISTORY_PAGE, after.as_deref()).await {
                state.older.set(page.next_cursor);
                state.history.update(|all| all.extend(page.items));
            }
        });
    });

    // The tab says the state. The first time, a performance mark tells when the live page took
    // over (effects run after the view is in the DOM): `just bench` reads it.
    let painted = StoredValue::new(false);
    Effect::new(move |_| {
        let title = state.summary.with(|summary| status::title(locale, summary));
        if let Some(window) = web_sys::window() {
            if let Some(document) = window.document() {
                document.set_title(&title);
            }
            if !painted.get_value() {
                painted.set_value(true);
                if let Some(performance) = window.performance() {
                    let _ = performance.mark("upstate:summary-painted");
                }
            }
        }
    });

    view! { <StatusPage state=state on_older=on_older/> }
}

/// Each service's bars in the page, by service (a list: a page has tens of services, and a map
/// would weigh on the bundle).
fn drawn_bars(document: &web_sys::Document) -> Vec<(ServiceId, String)> {
    let mut drawn = Vec::new();
    let Ok(found) = document.query_selector_all(".bars[data-service]") else {
        return drawn;
    };
    for index in 0..found.length() {
        if let Some(element) = found
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
            && let Some(service) = element.get_attribute("data-service")
        {
            drawn.push((ServiceId::from(service), element.inner_html()));
        }
    }
    drawn
}

fn incident_page(snapshot: IncidentSnapshot) -> impl IntoView {
    let slug = snapshot.page.slug.clone();
    let id = snapshot.incident.id.clone();
    let seq = snapshot.seq;
    let snapshot = RwSignal::new(snapshot);
    // Any change of the org may be this incident's: read it again (skipping the hello of a
    // channel that has seen nothing new).
    let on_frame = {
        let slug = slug.clone();
        move |frame: ServerFrame| {
            if frame.kind == EventKind::Hello && frame.seq == seq {
                return;
            }
            let (slug, id) = (slug.clone(), id.clone());
            leptos::task::spawn_local(async move {
                if let Some(incident) = fetch::incident(&slug, &id).await {
                    snapshot.update(|s| s.incident = incident);
                }
            });
        }
    };
    live::follow(
        format!("/api/v1/public/{slug}/ws"),
        RwSignal::new(Connection::Connecting),
        Arc::new(AtomicBool::new(false)),
        None,
        on_frame,
    );
    Effect::new(move |_| {
        let title = snapshot.with(upstate_public_page::incident::title);
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
    view! { <IncidentPage snapshot=snapshot/> }
}
