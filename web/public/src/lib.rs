//! Upstate's public pages: the status page ([`status`]), an incident's page ([`incident`]) and
//! the history of past months ([`history`]).
//!
//! One set of Leptos views, drawn in two places: the server renders them to HTML (feature
//! `ssr`, [`render_status`] and [`render_incident`]) into the page it caches per org, so a
//! visitor's first paint is the real page, with no script; in the browser, this crate's own
//! bundle (`src/main.rs`, feature `hydrate`) builds the same views from the same snapshot
//! (inlined in the HTML as JSON), hydrates the server's DOM with them (drawing nothing again)
//! and keeps them live. The dashboard (feature `csr`) shows some of these pieces too; it is
//! another bundle, which a visitor never downloads.

pub mod components;
pub mod history;
pub mod incident;
pub mod live;
pub mod status;
pub mod time;

#[cfg(feature = "browser")]
pub mod fetch;

pub use upstate_i18n as i18n;
use upstate_shared::Locale;

/// The language the page speaks: the one the server chose for it (a context the page's views
/// are drawn in), English where none was given (the dashboard's badges).
pub fn locale() -> Locale {
    leptos::prelude::use_context::<Locale>().unwrap_or_default()
}

/// Text made safe in HTML, between tags and in a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The id of the `<script type="application/json">` holding a status page's snapshot.
pub const STATUS_DATA_ID: &str = "upstate-status";
/// The id of the `<script type="application/json">` holding an incident page's snapshot.
pub const INCIDENT_DATA_ID: &str = "upstate-incident";

/// The id of the `<script type="application/json">` holding the messages of the page's language
/// (`i18n::compiled`), which the bundle does not carry.
pub const CATALOG_DATA_ID: &str = "upstate-catalog";

/// The status page as HTML, for the server's first answer.
#[cfg(feature = "ssr")]
pub fn render_status(snapshot: &status::StatusSnapshot) -> String {
    use leptos::prelude::*;
    let snapshot = snapshot.clone();
    render(move || {
        provide_context(snapshot.locale);
        let state = status::StatusState::new(snapshot);
        view! { <status::StatusPage state=state on_older=Callback::new(|_| {})/> }
    })
}

/// An incident's page as HTML, for the server's first answer.
#[cfg(feature = "ssr")]
pub fn render_incident(snapshot: &incident::IncidentSnapshot) -> String {
    use leptos::prelude::*;
    let locale = snapshot.locale;
    render(move || {
        provide_context(locale);
        let snapshot = RwSignal::new(snapshot.clone());
        view! { <incident::IncidentPage snapshot=snapshot/> }
    })
}

/// A page of the history as HTML, for the server's first answer.
#[cfg(feature = "ssr")]
pub fn render_history(snapshot: &history::HistorySnapshot) -> String {
    use leptos::prelude::*;
    let snapshot = snapshot.clone();
    render(move || {
        provide_context(snapshot.locale);
        view! { <history::HistoryPage snapshot=snapshot/> }
    })
}

/// Draws a view to HTML in a reactive owner of its own, dropped afterwards.
#[cfg(feature = "ssr")]
fn render<V: leptos::IntoView + 'static>(view: impl FnOnce() -> V) -> String {
    use leptos::prelude::*;
    use leptos::tachys::view::RenderHtml;
    let owner = Owner::new();
    let html = owner.with(|| view().into_view().to_html());
    drop(owner);
    html
}
