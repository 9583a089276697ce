//! Times as a visitor reads them. In the browser: relative ("5 min ago") and absolute in the
//! visitor's own locale and time zone. On the server, which renders a page once for every
//! visitor and keeps it until the org changes: absolute, in UTC, named as such, so the HTML is
//! true whenever it is read (and the bundle says it the visitor's way when it takes over).

use chrono::{DateTime, Utc};

/// "just now", "5 min ago", "3 h ago", "2 days ago", from now.
pub fn relative(at: DateTime<Utc>) -> String {
    relative_to(at, Utc::now())
}

/// How long before `now` `at` was, in words.
pub fn relative_to(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    match seconds {
        s if s < 60 => "just now".to_owned(),
        s if s < 3600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3600),
        s if s < 2 * 86_400 => "yesterday".to_owned(),
        s => format!("{} days ago", s / 86_400),
    }
}

/// The date and time in the visitor's locale and time zone, e.g. "22 Nov 2026, 14:05".
#[cfg(feature = "browser")]
pub fn local(at: DateTime<Utc>) -> String {
    use wasm_bindgen_futures::wasm_bindgen::JsValue;
    let date = js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string("default", &options).into()
}

/// The date and time in UTC, e.g. "22 Nov 2026, 14:05 UTC".
#[cfg(not(feature = "browser"))]
pub fn local(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// When something was posted, as a visitor reads it: "5 min ago · 22 Nov 2026, 14:05" in the
/// browser, the absolute UTC time in the server's HTML.
pub fn posted(at: DateTime<Utc>) -> String {
    if cfg!(feature = "browser") {
        format!("{} · {}", relative(at), local(at))
    } else {
        local(at)
    }
}

/// Says every `<time datetime data-show>` of the page the visitor's way ("posted": relative and
/// local, "local": local): the server drew them in UTC, and hydration keeps the server's text.
#[cfg(feature = "browser")]
pub fn localize(document: &web_sys::Document) {
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
            Some("posted") => posted(at),
            _ => local(at),
        };
        element.set_text_content(Some(&text));
    }
}

/// The calendar day, e.g. "22 November 2026" (UTC: a day of the history is a UTC day). By hand:
/// chrono's `format` would add its whole formatting machinery to the public bundle.
pub fn day(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", date.day(), date.year())
}

/// A duration in words: "2 h 5 min", "12 min".
pub fn duration(from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let minutes = (to - from).num_minutes().max(0);
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 1440 => format!("{} h {} min", m / 60, m % 60),
        m => format!("{} days {} h", m / 1440, (m % 1440) / 60),
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
    fn relative_times_read_as_people_say_them() {
        let now = DateTime::parse_from_rfc3339("2026-11-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ago = |s: i64| relative_to(now - chrono::Duration::seconds(s), now);
        assert_eq!(ago(5), "just now");
        assert_eq!(ago(300), "5 min ago");
        assert_eq!(ago(3 * 3600), "3 h ago");
        assert_eq!(ago(30 * 3600), "yesterday");
        assert_eq!(ago(5 * 86_400), "5 days ago");
    }

    #[test]
    fn a_day_reads_in_words() {
        let day = |y, m, d| super::day(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(day(2026, 11, 3), "3 November 2026");
        assert_eq!(day(2027, 1, 31), "31 January 2027");
    }
}
