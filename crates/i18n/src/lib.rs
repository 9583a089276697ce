//! The words of Upstate's public pages in every language they speak ([`Locale`]), from Fluent
//! catalogs a translator edits: `locales/{tag}/public.ftl`. `build.rs` compiles them with the
//! Fluent project's own parser into data this crate puts together (text, variables, and choices
//! by a count's plural category or a variable's value), so neither the parser nor the catalogs'
//! source weighs on the public pages' wasm bundle. That bundle carries no catalog at all (it is
//! built without the feature `embedded`): the server inlines the one language of the page beside
//! it ([`for_the_browser`]) and the bundle hands it to this crate ([`load`]). Dates and numbers are written the way each
//! language writes them, by messages of the same catalogs (month names, the order of day, month
//! and year, the decimal separator), so a translator controls those too.
//!
//! A message missing from a language falls back to English, and one missing from English reads
//! as its id; `tests/catalogs.rs` keeps both from happening (every message in every language,
//! with the same variables, and every id the code asks for present) and checks that every
//! message reads exactly as the Fluent project's `fluent-bundle` would write it.
//!
//! Incident titles and messages are never translated: they stay as their author wrote them.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use std::sync::OnceLock;
pub use upstate_shared::Locale;
use upstate_shared::{
    ImpactLevel, IncidentStatus, MaintenanceStatus, ServiceStatus, StatusIndicator,
};

/// Each language's catalog, as a translator wrote it (for the tests and tools; the pages use the
/// compiled messages).
pub fn catalog(locale: Locale) -> &'static str {
    match locale {
        Locale::En => include_str!("../locales/en/public.ftl"),
        Locale::De => include_str!("../locales/de/public.ftl"),
        Locale::Fr => include_str!("../locales/fr/public.ftl"),
        Locale::Es => include_str!("../locales/es/public.ftl"),
        Locale::PtBr => include_str!("../locales/pt-BR/public.ftl"),
        Locale::Ja => include_str!("../locales/ja/public.ftl"),
    }
}

// Every language's compiled messages, `CATALOGS` (see build.rs).
#[cfg(feature = "embedded")]
include!(concat!(env!("OUT_DIR"), "/catalogs.rs"));

/// The messages of one language given at run time ([`load`]): what the public pages' bundle
/// speaks, read from the page it takes over.
static LOADED: OnceLock<(Locale, String)> = OnceLock::new();

/// Gives this crate the compiled messages of `locale`, as [`for_the_browser`] writes them: how a build
/// without every language in it (the public pages' bundle, without the feature `embedded`)
/// learns the one its page speaks, which the server inlines beside the page. Once: a later call
/// changes nothing.
pub fn load(locale: Locale, messages: String) {
    let _ = LOADED.set((locale, messages));
}

/// Every compiled message of `locale`.
#[cfg(feature = "embedded")]
fn compiled(locale: Locale) -> &'static str {
    CATALOGS.get(index(locale)).copied().unwrap_or_default()
}

/// The compiled messages of `locale` a page hands its bundle ([`load`]): all but the words of the
/// pages and mails only the server draws.
#[cfg(feature = "embedded")]
pub fn for_the_browser(locale: Locale) -> &'static str {
    BROWSER_CATALOGS
        .get(index(locale))
        .copied()
        .unwrap_or_default()
}

#[cfg(feature = "embedded")]
fn index(locale: Locale) -> usize {
    Locale::ALL
        .iter()
        .position(|l| *l == locale)
        .unwrap_or_default()
}

/// The compiled messages of `locale`: those given by [`load`], else (with the feature
/// `embedded`) those built in.
fn messages(locale: Locale) -> Option<&'static str> {
    if let Some((loaded, messages)) = LOADED.get()
        && *loaded == locale
    {
        return Some(messages);
    }
    built_in(locale)
}

#[cfg(feature = "embedded")]
fn built_in(locale: Locale) -> Option<&'static str> {
    Some(compiled(locale))
}

#[cfg(not(feature = "embedded"))]
fn built_in(_: Locale) -> Option<&'static str> {
    None
}

/// The compiled message `id` of `locale` (the compact form of `build.rs`).
fn message(locale: Locale, id: &str) -> Option<&'static str> {
    messages(locale)?
        .split('\x00')
        .find_map(|entry| match entry.split_once('\x1f') {
            Some((key, pattern)) if key == id => Some(pattern),
            _ => None,
        })
}

/// The CLDR plural category of a whole number `n` in `locale` (cardinal).
fn plural(locale: Locale, n: i64) -> &'static str {
    let millions = n != 0 && n % 1_000_000 == 0;
    match locale {
        Locale::En | Locale::De => {
            if n == 1 {
                "one"
            } else {
                "other"
            }
        }
        Locale::Es => match n {
            1 => "one",
            _ if millions => "many",
            _ => "other",
        },
        Locale::Fr | Locale::PtBr => match n {
            0 | 1 => "one",
            _ if millions => "many",
            _ => "other",
        },
        Locale::Ja => "other",
    }
}

/// A value a message's variable takes: text as it is, or a count (which picks a plural form).
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Count(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(text: &'a str) -> Self {
        Arg::Text(text)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(text: &'a String) -> Self {
        Arg::Text(text)
    }
}

impl From<i64> for Arg<'_> {
    fn from(count: i64) -> Self {
        Arg::Count(count)
    }
}

/// The message `id` in `locale`, without variables.
pub fn text(locale: Locale, id: &str) -> String {
    text_with(locale, id, &[])
}

/// The message `id` in `locale` with its variables. Falls back to English, then to the id.
pub fn text_with(locale: Locale, id: &str, args: &[(&str, Arg<'_>)]) -> String {
    let (locale, pattern) = match message(locale, id) {
        Some(pattern) => (locale, pattern),
        None => match message(Locale::En, id) {
            Some(pattern) => (Locale::En, pattern),
            None => return id.to_owned(),
        },
    };
    let mut out = String::new();
    write(&mut out, locale, pattern, args);
    out
}

/// Writes a compiled pattern with its variables.
fn write(out: &mut String, locale: Locale, pattern: &str, args: &[(&str, Arg<'_>)]) {
    let arg = |name: &str| args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
    let mut rest = pattern;
    while let Some(at) = rest.find(['\x01', '\x03']) {
        out.push_str(&rest[..at]);
        let mark = rest.as_bytes().get(at).copied();
        rest = &rest[at + 1..];
        if mark == Some(1) {
            let (name, after) = rest.split_once('\x02').unwrap_or((rest, ""));
            rest = after;
            match arg(name) {
                Some(Arg::Text(text)) => out.push_str(text),
                Some(Arg::Count(count)) => out.push_str(&count.to_string()),
                // As Fluent writes a variable it was not given.
                None => {
                    out.push_str("{$");
                    out.push_str(name);
                    out.push('}');
                }
            }
        } else {
            let (on, after) = rest.split_once('\x04').unwrap_or((rest, ""));
            let (default, after) = after.split_once('\x04').unwrap_or(("0", after));
            let default: usize = default.parse().unwrap_or(0);
            let (variants, after) = variants(after);
            rest = after;
            let wanted = match arg(on) {
                Some(Arg::Count(n)) => Some(plural(locale, n)),
                Some(Arg::Text(text)) => Some(text),
                None => None,
            };
            let chosen = wanted
                .and_then(|key| variants.iter().find(|(k, _)| *k == key))
                .or_else(|| variants.get(default));
            if let Some((_, pattern)) = chosen {
                write(out, locale, pattern, args);
            }
        }
    }
    out.push_str(rest);
}

/// The variants of a choice (`key\x05pattern\x06`... up to its `\x07`), and what follows it.
fn variants(text: &str) -> (Vec<(&str, &str)>, &str) {
    let mut found = Vec::new();
    let mut rest = text;
    loop {
        if let Some(after) = rest.strip_prefix('\x07') {
            return (found, after);
        }
        let Some((key, after)) = rest.split_once('\x05') else {
            return (found, "");
        };
        // The variant's pattern ends at the `\x06` of its own level (choices nest).
        let mut depth = 0_usize;
        let mut end = after.len();
        for (at, c) in after.char_indices() {
            match c {
                '\x03' => depth += 1,
                '\x07' => depth = depth.saturating_sub(1),
                '\x06' if depth == 0 => {
                    end = at;
                    break;
                }
                _ => {}
            }
        }
        found.push((key, &after[..end]));
        rest = after.get(end + 1..).unwrap_or("");
    }
}

/// The message `id` cut around its variable `name`, for a view that puts an element there (a
/// `<time>`): the text before it and the text after it.
pub fn around(locale: Locale, id: &str, name: &str) -> (String, String) {
    const MARK: &str = "\u{1}";
    let whole = text_with(locale, id, &[(name, Arg::Text(MARK))]);
    match whole.split_once(MARK) {
        Some((before, after)) => (before.to_owned(), after.to_owned()),
        None => (whole, String::new()),
    }
}

/// A number with `decimals` digits after the separator the language uses: "99.95", "99,95".
pub fn number(locale: Locale, value: f64, decimals: usize) -> String {
    // Whole numbers only: float formatting would weigh some kilobytes on the public bundle.
    let decimals = u32::try_from(decimals).unwrap_or(u32::MAX).min(9);
    let scale = 10_i64.pow(decimals);
    let scaled = (value.abs() * scale as f64).round() as i64;
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    let whole = scaled / scale;
    if decimals == 0 {
        return format!("{sign}{whole}");
    }
    let separator = text(locale, "number-decimal-separator");
    let fraction = (scaled % scale).to_string();
    let zeros = "0".repeat(decimals as usize - fraction.len());
    format!("{sign}{whole}{separator}{zeros}{fraction}")
}

/// A month's name, `month` from 1 to 12.
pub fn month_name(locale: Locale, month: u32) -> String {
    text(locale, &format!("month-{month}"))
}

/// A calendar day: "3 November 2026", "3. November 2026", "2026年11月3日".
pub fn day(locale: Locale, date: NaiveDate) -> String {
    let day = date.day().to_string();
    let year = date.year().to_string();
    let month = month_name(locale, date.month());
    text_with(
        locale,
        "date-day",
        &[
            ("day", (&day).into()),
            ("month", (&month).into()),
            ("year", (&year).into()),
        ],
    )
}

/// A month of the history: "November 2026", "noviembre de 2026", "2026年11月".
pub fn month(locale: Locale, year: i32, month: u32) -> String {
    let year = year.to_string();
    let name = month_name(locale, month);
    text_with(
        locale,
        "date-month",
        &[("month", (&name).into()), ("year", (&year).into())],
    )
}

/// A moment as the server writes it, in UTC and saying so: "22 November 2026, 14:05 UTC".
pub fn datetime_utc(locale: Locale, at: DateTime<Utc>) -> String {
    let date = day(locale, at.date_naive());
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    text_with(
        locale,
        "date-time-utc",
        &[("date", (&date).into()), ("time", (&time).into())],
    )
}

/// How long before `now` `at` was, in words: "5 min ago", "vor 5 Min.", "5分前".
pub fn ago(locale: Locale, at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - at).num_seconds();
    let count = |id: &str, count: i64| text_with(locale, id, &[("count", count.into())]);
    match seconds {
        s if s < 60 => text(locale, "time-just-now"),
        s if s < 3600 => count("time-minutes-ago", s / 60),
        s if s < 86_400 => count("time-hours-ago", s / 3600),
        s if s < 2 * 86_400 => text(locale, "time-yesterday"),
        s => count("time-days-ago", s / 86_400),
    }
}

/// A duration in words: "12 min", "2 h 5 min", "3 days 4 h".
pub fn duration(locale: Locale, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let minutes = (to - from).num_minutes().max(0);
    match minutes {
        m if m < 60 => text_with(locale, "duration-minutes", &[("minutes", m.into())]),
        m if m < 1440 => text_with(
            locale,
            "duration-hours",
            &[("hours", (m / 60).into()), ("minutes", (m % 60).into())],
        ),
        m => text_with(
            locale,
            "duration-days",
            &[
                ("days", (m / 1440).into()),
                ("hours", ((m % 1440) / 60).into()),
            ],
        ),
    }
}

/// A service's status in words.
pub fn service_status(locale: Locale, status: ServiceStatus) -> String {
    text(
        locale,
        &format!("service-status-{}", status.as_str().replace('_', "-")),
    )
}

/// An incident's status in words.
pub fn incident_status(locale: Locale, status: IncidentStatus) -> String {
    text(
        locale,
        &format!("incident-status-{}", status.as_str().replace('_', "-")),
    )
}

/// An incident's impact in words.
pub fn impact(locale: Locale, impact: ImpactLevel) -> String {
    text(
        locale,
        &format!("impact-{}", impact.as_str().replace('_', "-")),
    )
}

/// A maintenance window's status in words.
pub fn maintenance_status(locale: Locale, status: MaintenanceStatus) -> String {
    text(
        locale,
        &format!("maintenance-status-{}", status.as_str().replace('_', "-")),
    )
}

/// The banner's sentence about the whole page.
pub fn indicator(locale: Locale, indicator: StatusIndicator) -> String {
    text(
        locale,
        &format!("indicator-{}", indicator.as_str().replace('_', "-")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn dates_read_the_way_each_language_writes_them() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(day(Locale::En, date), "3 November 2026");
        assert_eq!(day(Locale::De, date), "3. November 2026");
        assert_eq!(day(Locale::Fr, date), "3 novembre 2026");
        assert_eq!(day(Locale::Es, date), "3 de noviembre de 2026");
        assert_eq!(day(Locale::PtBr, date), "3 de novembro de 2026");
        assert_eq!(day(Locale::Ja, date), "2026年11月3日");
        assert_eq!(month(Locale::De, 2026, 3), "März 2026");
        assert_eq!(month(Locale::Ja, 2026, 3), "2026年3月");
        assert_eq!(
            datetime_utc(Locale::De, at("2026-11-22T14:05:00Z")),
            "22. November 2026, 14:05 UTC"
        );
    }

    #[test]
    fn numbers_take_the_languages_decimal_separator() {
        assert_eq!(number(Locale::En, 99.954, 2), "99.95");
        assert_eq!(number(Locale::De, 99.954, 2), "99,95");
        assert_eq!(number(Locale::Ja, 100.0, 2), "100.00");
        assert_eq!(number(Locale::En, 99.999, 2), "100.00");
        assert_eq!(number(Locale::De, 0.05, 2), "0,05");
        assert_eq!(number(Locale::En, -1.5, 1), "-1.5");
        assert_eq!(number(Locale::En, 42.4, 0), "42");
        let percent = number(Locale::Fr, 99.5, 2);
        assert_eq!(
            text_with(
                Locale::Fr,
                "uptime-percent",
                &[("percent", (&percent).into())]
            ),
            "99,50\u{a0}% de disponibilité"
        );
    }

    #[test]
    fn counts_pick_plural_forms() {
        let now = at("2026-11-30T12:00:00Z");
        let before = |s: i64| now - chrono::Duration::seconds(s);
        assert_eq!(ago(Locale::En, before(300), now), "5 min ago");
        assert_eq!(ago(Locale::De, before(5 * 86_400), now), "vor 5 Tagen");
        assert_eq!(ago(Locale::Ja, before(3 * 3600), now), "3時間前");
        assert_eq!(
            duration(Locale::En, before(86_400 + 3600), now),
            "1 day 1 h"
        );
        assert_eq!(duration(Locale::Fr, before(2 * 86_400), now), "2 jours 0 h");
    }

    #[test]
    fn statuses_have_words_in_every_language() {
        assert_eq!(
            service_status(Locale::De, ServiceStatus::MajorOutage),
            "Schwerer Ausfall"
        );
        assert_eq!(
            indicator(Locale::Ja, StatusIndicator::None),
            "すべてのシステムが正常に稼働しています"
        );
        assert_eq!(
            maintenance_status(Locale::Es, MaintenanceStatus::InProgress),
            "En curso"
        );
    }

    #[test]
    fn a_message_cuts_around_its_variable() {
        assert_eq!(
            around(Locale::Ja, "incident-ongoing-since", "since"),
            (String::new(), " から継続中".to_owned())
        );
        assert_eq!(
            around(Locale::En, "incident-ongoing-since", "since"),
            ("Ongoing since ".to_owned(), String::new())
        );
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_its_id() {
        assert_eq!(text(Locale::De, "no-such-message"), "no-such-message");
    }
}
