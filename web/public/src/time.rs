//! Times as a visitor reads them, in the page's language ([`crate::locale`]). In the browser:
//! relative ("5 min ago") and absolute in the visitor's own time zone. On the server, which
//! renders a page once for every visitor and keeps it until the org changes: absolute, in UTC,
//! named as such, so the HTML is true whenever it is read (and the bundle says it the visitor's
//! way when it takes over). The dashboard, which speaks English, uses [`local`] and
//! [`relative`].

use crate::i18n;
use chrono::{DateTime, Utc};
use upstate_shared::Locale;

/// "just now", "5 min ago", "3 h ago", "2 days ago", from now, in English (the dashboard).
pub fn relative(at: DateTime<Utc>) -> String {
    i18n::ago(Locale::En, at, Utc::now())
}

/// The date and time in the browser's locale and the visitor's time zone (the dashboard).
pub fn local(at: DateTime<Utc>) -> String {
    written(None, at)
}

/// The date and time in `locale` and the visitor's time zone, e.g. "22. Nov. 2026, 14:05"; on
/// the server, in UTC: "22. November 2026, 14:05 UTC".
pub fn local_in(locale: Locale, at: DateTime<Utc>) -> String {
    written(Some(locale), at)
}

#[cfg(feature = "browser")]
fn written(locale: Option<Locale>, at: DateTime<Utc>) -> String {
    use wasm_bindgen_futures::wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    let tag = locale.map_or("default", Locale::tag);
    date.to_locale_string(tag, &options).into()
}

#[cfg(not(feature = "browser"))]
fn written(locale: Option<Locale>, at: DateTime<Utc>) -> String {
    i18n::datetime_utc(locale.unwrap_or_default(), at)
}

/// When something was posted, as a visitor reads it: "5 min ago · 22 Nov 2026, 14:05" in the
/// browser, the absolute UTC time in the server's HTML.
pub fn posted(locale: Locale, at: DateTime<Utc>) -> String {
    if cfg!(feature = "browser") {
        format!(
            "{} · {}",
            i18n::ago(locale, at, Utc::now()),
            local_in(locale, at)
        )
    } else {
        local_in(locale, at)
    }
}

/// Says every `<time datetime data-show>` of the page the visitor's way ("posted": relative and
/// local, "local": local): the server drew them in UTC, and hydration keeps the server's text.
#[cfg(feature = "browser")]
pub fn localize(document: &web_sys::Document, locale: Locale) {
    let Ok(found) = document.query_selector_all("time[datetime][data-show]") else {
        return;
    };
    for index in 0..found.length() {
        let Some(element) = found.item(index).and_then(|node| {
            wasm_bindgen_futures::wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok()
        }) else {
            continue;
        };
        let Some(at) = element
            .get_attribute("datetime")
            .and_then(|text| DateTime::parse_from_rfc3339(&text).ok())
            .map(|at| at.with_timezone(&Utc))
        else {
            continue;
        };
        let text = match element.get_attribute("data-show").as_deref() {
            Some("posted") => posted(locale, at),
            _ => local_in(locale, at),
        };
        element.set_text_content(Some(&text));
    }
}

/// Waits `ms` milliseconds.
#[cfg(feature = "browser")]
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_writes_times_in_utc_in_the_pages_language() {
        let at = DateTime::parse_from_rfc3339("2026-11-22T14:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(local_in(Locale::En, at), "22 November 2026, 14:05 UTC");
        assert_eq!(posted(Locale::Ja, at), "2026年11月22日 14:05 UTC");
        assert_eq!(local(at), "22 November 2026, 14:05 UTC");
    }
}
