//! The security headers of every answer (docs/security.md).
//!
//! - HTML answers carry a Content-Security-Policy the web app runs under with no violation:
//!   scripts only from this origin, plus the web app's one inline bootstrap script by its
//!   SHA-256 hash (computed from `index.html` at start), and `'wasm-unsafe-eval'` to compile
//!   its WebAssembly; no `'unsafe-inline'` or `'unsafe-eval'` for scripts, no plugins, no
//!   `<base>`, forms only to this origin, and no framing (`frame-ancestors 'none'`).
//! - Every answer: `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`,
//!   `Referrer-Policy`, a `Permissions-Policy` that turns off what a status page never uses, and
//!   `Strict-Transport-Security` when the public URL is https.
//! - The two answers other sites embed (`crate::public::embed`: the banner script and the
//!   compact view) are the exception, marked [`Embeddable`] by their handlers: no
//!   `X-Frame-Options`, and the view's policy is [`EMBEDDED_CSP`], which any site may frame.
//! - API answers that are not public carry `Cache-Control: no-store` unless they chose one, so
//!   no shared or browser cache keeps what a member's credentials read.

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// What a status page and a dashboard never use.
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=(), interest-cohort=()";

/// The Content-Security-Policy of the compact view (`/status/{org}/embed`): no script, no
/// request anywhere, its own inline styles, and framed by any site.
pub const EMBEDDED_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors *";

/// Marks an answer (a response extension) that other sites may load and frame: only the embed
/// script and the compact view carry it. Set by [`embeddable`].
#[derive(Debug, Clone, Copy)]
pub struct Embeddable;

/// Lets any site use `response`: it may be framed (see [`Embeddable`]), and loaded and read
/// as [`readable_anywhere`] says.
pub fn embeddable(response: &mut HttpResponse) {
    response.extensions_mut().insert(Embeddable);
    readable_anywhere(response);
}

/// Lets a script on any site read `response` (`Access-Control-Allow-Origin: *`; it is public
/// anyway) and any page load it (`Cross-Origin-Resource-Policy: cross-origin`, for sites that
/// require it of what they embed): the Statuspage documents and the embeds.
pub fn readable_anywhere(response: &mut HttpResponse) {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("cross-origin"),
    );
}

/// The Content-Security-Policy of the HTML answers, allowing the inline scripts of `index_html`
/// (the web app's bootstrap) by their hashes.
pub fn content_security_policy(index_html: &[u8]) -> String {
    let html = String::from_utf8_lossy(index_html);
    let hashes: String = inline_scripts(&html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self'{hashes} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The contents of the `<script>` elements that run inline: no `src`, and no data type
/// (`application/json` is data, never run).
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices("<script").filter_map(move |(start, _)| {
        let open_end = start + html[start..].find('>')?;
        let attributes = &html[start + "<script".len()..open_end];
        let body_start = open_end + 1;
        let body_end = body_start + html[body_start..].find("</script>")?;
        let runs = !attributes.contains("src=")
            && (!attributes.contains("type=")
                || attributes.contains("type=\"module\"")
                || attributes.contains("type=\"text/javascript\""));
        runs.then(|| &html[body_start..body_end])
    })
}

/// Adds the headers to every answer.
pub async fn add(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let private_api = {
        let path = req.path();
        path.starts_with("/api/") && !path.starts_with("/api/v1/public/")
    };
    let mut response = next.call(req).await?;
    let embeddable = response.response().extensions().contains::<Embeddable>();
    let headers = response.headers_mut();
    let set = |headers: &mut actix_web::http::header::HeaderMap, name: HeaderName, value| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if !embeddable {
        set(headers, header::X_FRAME_OPTIONS, "DENY");
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        headers,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        PERMISSIONS_POLICY,
    );
    if private_api && !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if let Some(state) = state {
        if state.settings.is_https() {
            set(
                headers,
                header::STRICT_TRANSPORT_SECURITY,
                "max-age=31536000",
            );
        }
        let is_html = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/html"));
        if is_html && embeddable {
            set(headers, header::CONTENT_SECURITY_POLICY, EMBEDDED_CSP);
        } else if is_html {
            headers.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_script_is_allowed_by_its_hash_and_nothing_else_inline() {
        let html = r#"<head><script type="module">
    import init from '/assets/app.js';
  </script><script id="data" type="application/json">{"a":1}</script>
  <script src="/assets/x.js"></script></head>"#;
        let policy = content_security_policy(html.as_bytes());
        let bootstrap = "\n    import init from '/assets/app.js';\n  ";
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(bootstrap));
        assert!(
            policy.contains(&format!(
                "script-src 'self' 'sha256-{hash}' 'wasm-unsafe-eval';"
            )),
            "{policy}"
        );
        assert_eq!(policy.matches("'sha256-").count(), 1, "{policy}");
        assert!(!policy.contains("'unsafe-eval'"), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
