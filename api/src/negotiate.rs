//! Conditional requests and content codings, for every answer that is cached (the web app's
//! files and the public answers).

use actix_web::HttpRequest;
use actix_web::http::header;

/// Whether `If-None-Match` names one of `etags` (or `*`); weak validators match too.
pub fn if_none_match(req: &HttpRequest, etags: &[&str]) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|candidate| candidate.trim())
        .any(|candidate| candidate == "*" || etags.contains(&candidate.trim_start_matches("W/")))
}

/// Whether the request's `Accept-Encoding` accepts `coding` (`q=0` refuses it).
pub fn accepts(req: &HttpRequest, coding: &str) -> bool {
    let accept_encoding = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|param| {
            param
                .strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q == 0.0)
        });
        name.eq_ignore_ascii_case(coding) && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn if_none_match_names_any_listed_tag_weak_or_star() {
        let req = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "\"a\", W/\"b\""))
            .to_http_request();
        assert!(if_none_match(&req, &["\"b\""]));
        assert!(if_none_match(&req, &["\"x\"", "\"a\""]));
        assert!(!if_none_match(&req, &["\"c\""]));
        let star = TestRequest::default()
            .insert_header((header::IF_NONE_MATCH, "*"))
            .to_http_request();
        assert!(if_none_match(&star, &["\"c\""]));
        assert!(!if_none_match(
            &TestRequest::default().to_http_request(),
            &["\"a\""]
        ));
    }

    #[test]
    fn q_zero_refuses_a_coding() {
        let req = |value: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, value))
                .to_http_request()
        };
        assert!(accepts(&req("gzip, deflate, br, zstd"), "br"));
        assert!(accepts(&req("gzip;q=1.0, br;q=0.8"), "br"));
        assert!(accepts(&req("br, gzip;q=0.5"), "gzip"));
        assert!(!accepts(&TestRequest::default().to_http_request(), "gzip"));
        assert!(!accepts(&req("br, gzip;q=0"), "gzip"));
        assert!(accepts(&req("GZIP"), "gzip"));
        assert!(!accepts(&req("br"), "gzip"));
    }
}
