//! Custom domains: an org's own host name (`status.example.com`, its DNS pointing at this
//! server) serves that org's public page space and nothing else.
//!
//! A middleware wrapped around the whole app looks at every request's `Host` (from memory: the
//! [`Directory`](crate::public::directory::Directory) holds the domains). A request to a custom
//! domain is rewritten to the org's public paths before routing, by [`public_path`]: `/` is
//! `/status/{slug}`, `/incidents/{id}` is `/status/{slug}/incidents/{id}`, `/history` is
//! `/status/{slug}/history` and so on; the long forms, the page's reads under
//! `/api/v1/public/{slug}/` and the web app's static files pass as they are. Anything else there (the dashboard, the rest of the API, sign-in, another org's
//! page) is a JSON 404, so no other org and no account is ever reached through the domain.
//! No answer there sets a cookie: `Set-Cookie` is removed, whatever a handler did, so a
//! session can never belong to an org's host; the one exception is a password page's own
//! cookie (`crate::public::access`).

use crate::error::ApiError;
use crate::public::directory::Domain;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;
use actix_web::http::header;
use actix_web::http::uri::PathAndQuery;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, ResponseError, web};
use std::borrow::Cow;
use upstate_store::organizations;

/// Set on a request that came to an org's custom domain (an extension), for the handlers that
/// draw its links differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnCustomDomain {
    /// The slug of the org the domain belongs to.
    pub slug: String,
}

/// Whether `req` came to an org's custom domain.
pub fn on_custom_domain(req: &HttpRequest) -> bool {
    req.extensions().contains::<OnCustomDomain>()
}

/// Files of the web app at the top level that the public page loads.
const TOP_LEVEL_FILES: &[&str] = &["/favicon.svg", "/robots.txt"];

/// The path that serves `path` on the custom domain of the org with `slug`, or `None` when the
/// domain serves nothing there.
pub fn public_path(slug: &str, path: &str) -> Option<String> {
    if path == "/" {
        return Some(format!("/status/{slug}"));
    }
    if page_path(path) {
        return Some(format!("/status/{slug}{path}"));
    }
    // The long forms, as the page's own bundle and the subscription pages link them.
    let own_page = path
        .strip_prefix("/status/")
        .and_then(|rest| rest.strip_prefix(slug));
    if own_page.is_some_and(|rest| rest.is_empty() || page_path(rest)) {
        return Some(path.to_owned());
    }
    // The page's reads (summary, history, uptime, live events) and subscribing, this org's only.
    let own_reads = path
        .strip_prefix("/api/v1/public/")
        .and_then(|rest| rest.strip_prefix(slug));
    if own_reads.is_some_and(|rest| rest.starts_with('/')) {
        return Some(path.to_owned());
    }
    if path.starts_with("/assets/") || TOP_LEVEL_FILES.contains(&path) {
        return Some(path.to_owned());
    }
    None
}

/// Whether `path` is one of a status page's own paths below `/status/{slug}`.
fn page_path(path: &str) -> bool {
    let Some(rest) = path.strip_prefix('/') else {
        return false;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return false;
    }
    match segments.as_slice() {
        [
            "history" | "sitemap.xml" | "history.rss" | "history.atom" | "badge.svg" | "subscribe"
            | "embed" | "embed.js" | "access",
        ] => true,
        ["incidents", id] => !id.is_empty(),
        ["subscriptions", token] | ["subscriptions", token, "confirm" | "unsubscribe"] => {
            !token.is_empty()
        }
        // The Statuspage-compatible JSON (`/status/{slug}/api/v2/summary.json`, ...).
        ["api", "v2", rest @ ..] => rest.first().is_some_and(|first| !first.is_empty()),
        _ => false,
    }
}

/// The host a request names, lowercase, without port or final dot (allocating only for a
/// name that has capitals: this runs on every request).
fn host_of(req: &ServiceRequest) -> Option<Cow<'_, str>> {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| req.uri().host())?;
    // `[::1]:8080` is an address, never a custom domain; `name:8080` loses its port.
    if host.starts_with('[') {
        return None;
    }
    let name = host.split(':').next().unwrap_or(host).trim_end_matches('.');
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Some(Cow::Owned(name.to_ascii_lowercase()))
    } else {
        Some(Cow::Borrowed(name))
    }
}

/// The slug of the org whose custom domain `host` (lowercase) is, if any: from memory, or from
/// the database while the directory is not loaded yet (it is loaded at start, so only when the
/// database did not answer then; while it still does not, nothing can be signed in to either,
/// and `/healthz` must keep answering).
pub async fn owner_of(state: &AppState, host: &str) -> Option<String> {
    match state.directory.domain(host) {
        Domain::Of(slug) => Some(slug),
        Domain::Nobodys => None,
        Domain::Unsure => {
            let host = host.to_owned();
            match state
                .read(move |conn| organizations::find_by_custom_domain(conn, &host))
                .await
            {
                Ok(org) => org.map(|org| org.slug),
                Err(err) => {
                    tracing::warn!(%err, "looking up a custom domain failed");
                    None
                }
            }
        }
    }
}

/// The middleware (see the module's comment).
pub async fn route(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let slug = match (req.app_data::<web::Data<AppState>>(), host_of(&req)) {
        (Some(state), Some(host)) => owner_of(state, &host).await,
        _ => None,
    };
    let Some(slug) = slug else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let Some(path) = public_path(&slug, req.path()) else {
        let err = ApiError::NotFound("This address serves a status page only.".into());
        return Ok(refuse(req, err));
    };
    if path != req.path() {
        let with_query = match req.uri().query() {
            Some(query) => format!("{path}?{query}"),
            None => path,
        };
        let mut parts = req.head().uri.clone().into_parts();
        let Ok(path_and_query) = PathAndQuery::try_from(with_query) else {
            return Ok(refuse(
                req,
                ApiError::BadRequest("Not a valid path.".into()),
            ));
        };
        parts.path_and_query = Some(path_and_query);
        let Ok(uri) = Uri::from_parts(parts) else {
            return Ok(refuse(
                req,
                ApiError::BadRequest("Not a valid path.".into()),
            ));
        };
        req.match_info_mut().get_mut().update(&uri);
        req.head_mut().uri = uri;
    }
    req.extensions_mut().insert(OnCustomDomain { slug });
    let mut response = next.call(req).await?;
    // The one cookie kept: a password page's own (`crate::public::access`), which opens that
    // page alone and is what its visitors need there.
    let kept: Vec<_> = response
        .headers()
        .get_all(header::SET_COOKIE)
        .filter(|value| {
            value
                .as_bytes()
                .starts_with(crate::public::access::COOKIE_PREFIX.as_bytes())
        })
        .cloned()
        .collect();
    response.headers_mut().remove(header::SET_COOKIE);
    for value in kept {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response.map_into_left_body())
}

/// `err` as the answer, without going further.
fn refuse<B>(req: ServiceRequest, err: ApiError) -> ServiceResponse<EitherBody<B>> {
    req.into_response(err.error_response())
        .map_into_right_body()
}

/// The page drawn for the server's host, with its links made to stay on the custom domain:
/// `/status/{slug}/incidents/1` becomes `/incidents/1`, `/status/{slug}` becomes `/`. Only
/// whole quoted values are rewritten (a slug is `[a-z0-9-]`, nothing to escape).
pub fn within_domain(html: &str, slug: &str) -> String {
    html.replace(&format!("\"/status/{slug}/"), "\"/")
        .replace(&format!("\"/status/{slug}\""), "\"/\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_serves_the_orgs_page_space_and_nothing_else() {
        let served = |path: &str| public_path("acme", path);
        assert_eq!(served("/").as_deref(), Some("/status/acme"));
        for short in [
            "/history",
            "/sitemap.xml",
            "/history.rss",
            "/history.atom",
            "/badge.svg",
            "/subscribe",
            "/embed",
            "/embed.js",
            "/incidents/0193",
            "/subscriptions/tok",
            "/subscriptions/tok/confirm",
            "/subscriptions/tok/unsubscribe",
            "/api/v2/summary.json",
            "/api/v2/incidents/unresolved.json",
        ] {
            assert_eq!(
                served(short),
                Some(format!("/status/acme{short}")),
                "{short}"
            );
        }
        for unchanged in [
            "/status/acme",
            "/status/acme/incidents/0193",
            "/api/v1/public/acme/summary",
            "/api/v1/public/acme/ws",
            "/assets/public-1a2b.js",
            "/favicon.svg",
        ] {
            assert_eq!(served(unchanged).as_deref(), Some(unchanged), "{unchanged}");
        }
        for refused in [
            "/login",
            "/dashboard/acme",
            "/index.html",
            "/api/v1/orgs",
            "/api/v1/auth/login",
            "/api/v1/public/globex/summary",
            "/api/v1/public/acmecorp/summary",
            "/api/v1/custom-domains/check",
            "/api/v2/summary.json/../..",
            "/status/globex",
            "/status/acmecorp",
            "/status/acme/status/acme",
            "/status/acme/dashboard",
            "/incidents/",
            "/incidents/1/2",
            "/subscriptions/",
            "/api/v2/",
            "/api/docs/",
            "/healthz",
        ] {
            assert_eq!(served(refused), None, "{refused}");
        }
    }

    #[test]
    fn a_page_drawn_for_the_domain_links_within_it() {
        let html = "<a href=\"/status/acme\">back</a><a href=\"/status/acme/incidents/1\">x</a>\
                    <link href=\"/status/acme/history.rss\"><a href=\"/status/acmecorp\">y</a>";
        assert_eq!(
            within_domain(html, "acme"),
            "<a href=\"/\">back</a><a href=\"/incidents/1\">x</a>\
             <link href=\"/history.rss\"><a href=\"/status/acmecorp\">y</a>"
        );
    }
}
