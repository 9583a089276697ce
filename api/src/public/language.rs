//! Which language a public page speaks to a visitor: the one they chose on a page (the language
//! menu's `?lang=`, remembered in a cookie for every page of this server), else the first of
//! their browser's languages (`Accept-Language`, by preference) that Upstate speaks, else the
//! org's default language.
//!
//! The server draws each page once per org and language (at most six renderings per change of
//! the org), so the first answer, its inline state and its no-script HTML, is in the visitor's
//! language. Answers say which language they are in (`Content-Language`) and what chose it
//! (`Vary: Accept-Language, Cookie`), so a shared cache keeps them apart.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::http::header::{self, AcceptLanguage, Header, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use upstate_shared::Locale;

/// The cookie remembering a visitor's choice.
pub const COOKIE: &str = "upstate_lang";
/// How long a choice is remembered.
const REMEMBERED_DAYS: i64 = 365;

/// `?lang=`: a visitor's choice from the language menu.
#[derive(Debug, Deserialize)]
pub struct Choice {
    pub lang: Option<String>,
}

/// The language the visitor asked for, by choice or by their browser; `None` when neither names
/// one Upstate speaks (the org's default applies).
pub fn asked(req: &HttpRequest) -> Option<Locale> {
    if let Some(cookie) = req.cookie(COOKIE)
        && let Ok(locale) = cookie.value().parse::<Locale>()
    {
        return Some(locale);
    }
    let accepted = AcceptLanguage::parse(req).ok()?;
    Locale::first_matching(
        accepted
            .ranked()
            .iter()
            .filter_map(|preference| preference.item())
            .map(|tag| tag.as_str()),
    )
}

/// The answer to a page asked for with `?lang=`: back to the page without it, with the choice
/// remembered (so the page's address stays one, and caches hold one answer per language). An
/// unknown language is ignored rather than refused: the visitor still gets the page.
pub fn remember(page: &str, tag: &str, secure: bool) -> HttpResponse {
    let mut answer = HttpResponse::SeeOther();
    answer
        .insert_header((header::LOCATION, page))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Ok(locale) = tag.parse::<Locale>() {
        answer.cookie(
            Cookie::build(COOKIE, locale.tag())
                .path("/")
                .same_site(SameSite::Lax)
                .secure(secure)
                .max_age(time::Duration::days(REMEMBERED_DAYS))
                .finish(),
        );
    }
    answer.finish()
}

/// Says what chose the language of `answer`, and which it is when the visitor asked for it.
pub fn mark(answer: &mut HttpResponse, asked: Option<Locale>) {
    let headers = answer.headers_mut();
    if let Some(locale) = asked {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(locale.tag()),
        );
    }
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept-Encoding, Accept-Language, Cookie"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_choice_wins_over_the_browser_and_preferences_count() {
        let browser = |value: &str| {
            TestRequest::default()
                .insert_header(("Accept-Language", value))
                .to_http_request()
        };
        assert_eq!(asked(&browser("de-DE,de;q=0.9,en;q=0.8")), Some(Locale::De));
        assert_eq!(asked(&browser("en;q=0.5, ja")), Some(Locale::Ja));
        assert_eq!(asked(&browser("nl, pt-PT;q=0.7")), Some(Locale::PtBr));
        assert_eq!(asked(&browser("nl, zh")), None);
        assert_eq!(asked(&TestRequest::default().to_http_request()), None);
        let chosen = TestRequest::default()
            .insert_header(("Accept-Language", "de"))
            .cookie(Cookie::new(COOKIE, "fr"))
            .to_http_request();
        assert_eq!(asked(&chosen), Some(Locale::Fr));
    }
}
