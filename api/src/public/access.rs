//! Private pages: an org's status page can be public (the default), for its signed-in members
//! only, behind a shared password, or for client address ranges. One gate decides, in one
//! place: a middleware ([`gate`]) in front of every public answer of an org, the page and its
//! incident pages, `/api/v1/public/{org}/...` (summary, incidents, uptime, the live socket,
//! subscribing), the Statuspage JSON, the feeds, the badge, the embed and the subscribe form,
//! on the server's own host and on the org's custom domain (the gate runs after its rewrite).
//!
//! - Who may see a private page: the org's members (signed in, by the SPA's cookie or a
//!   bearer token) and its API keys, always; on a `password` page, whoever holds the page's
//!   cookie ([`PageCookie`], set by [`password_post`]); on an `addresses` page, clients in one
//!   of its ranges (the address is the peer's, or the trusted proxy's forwarded one).
//! - A refusal says nothing of the page, not even the org's name: HTML paths answer a page
//!   that says it is private (members: 401 and a sign-in link that comes back, or 403 when the
//!   person is signed in but not a member; password: 401 and the form; addresses: 403), and
//!   every other path the JSON error body with the same status.
//! - What a private page answers is `Cache-Control: private, no-cache` (never `public`: no
//!   shared cache may keep it), `Vary: Cookie, Authorization`, and `X-Robots-Tag: noindex`.
//! - A refusal page speaks the visitor's language (their choice or their browser's), else the
//!   page's default.
//! - Links of subscriptions (`.../subscriptions/{token}...`) pass: their token is the key, and
//!   those subscriptions were consented to (docs/private-pages.md).
//!
//! The rule of each private page is in memory ([`crate::public::directory::Directory`]), so a
//! public page costs one hash lookup more and no database read.

use crate::auth::caller::{self, Principal};
use crate::auth::rate_limit::Action;
use crate::error::ApiError;
use crate::public::directory::Known;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use hmac::{Hmac, Mac};
use ipnet::IpNet;
use sha2::Sha256;
use std::net::IpAddr;
use std::sync::Arc;
use upstate_i18n as i18n;
use upstate_public_page::escape;
use upstate_shared::{Locale, OrgId, PageAccessMode};
use upstate_store::page_access::PageAccess;

/// The page cookie's name is this and the org's id: it opens that page alone.
pub const COOKIE_PREFIX: &str = "upstate_page_";
/// How long a page cookie lasts.
pub const COOKIE_DAYS: i64 = 30;
/// What every answer of a private page carries instead of the public `Cache-Control`.
pub const PRIVATE_CACHE_CONTROL: &str = "private, no-cache";

/// Who may see a private page, besides its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Members,
    /// Whoever holds a cookie signed for this password hash (a new password ends them all).
    Password {
        hash: String,
    },
    Addresses(Vec<IpNet>),
}

impl Rule {
    /// The rule of a stored setting; `None` for a public page.
    pub fn of(row: &PageAccess) -> Option<Rule> {
        match row.mode {
            PageAccessMode::Public => None,
            PageAccessMode::Members => Some(Rule::Members),
            // A password page whose hash is missing cannot be: the API refuses it. Members only.
            PageAccessMode::Password => Some(match &row.password_hash {
                Some(hash) => Rule::Password { hash: hash.clone() },
                None => Rule::Members,
            }),
            PageAccessMode::Addresses => Some(Rule::Addresses(
                row.range_list()
                    .iter()
                    .filter_map(|range| parse_range(range).ok())
                    .collect(),
            )),
        }
    }
}

/// One address range: CIDR (`10.0.0.0/8`, `2001:db8::/32`) or a single address; its host bits
/// are cleared (`10.1.2.3/8` is `10.0.0.0/8`).
pub fn parse_range(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    if let Ok(net) = text.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    text.parse::<IpAddr>().map(IpNet::from).map_err(|_| {
        format!("“{text}” is not an address range (CIDR, like 192.0.2.0/24 or 2001:db8::/32).")
    })
}

/// A checked `PUT .../page-access`: the mode, the ranges in their canonical form, and a new
/// password when one was given.
#[derive(Debug)]
pub struct AccessEdit {
    pub mode: PageAccessMode,
    pub ranges: Vec<String>,
    pub password: Option<String>,
}

/// Checks a `PUT .../page-access` against what is set (`has_password`): every range parses, an
/// `addresses` page has one at least, a password is 8 to 128 characters, and a `password`
/// page has one (given now, or set before).
pub fn check_edit(
    body: &upstate_shared::dto::UpdatePageAccessRequest,
    has_password: bool,
) -> Result<AccessEdit, upstate_shared::FieldErrors> {
    use upstate_shared::dto::{PAGE_PASSWORD_MAX, PAGE_PASSWORD_MIN, PAGE_RANGES_MAX};
    let mut problems = crate::error::Problems::default();
    let mut ranges = Vec::new();
    for range in body.ranges.iter().filter(|range| !range.trim().is_empty()) {
        match parse_range(range) {
            Ok(net) => ranges.push(net.to_string()),
            Err(problem) => problems.add("ranges", problem),
        }
    }
    ranges.dedup();
    if ranges.len() > PAGE_RANGES_MAX {
        problems.add("ranges", format!("At most {PAGE_RANGES_MAX} ranges."));
    }
    if body.mode == PageAccessMode::Addresses && ranges.is_empty() && body.ranges.is_empty() {
        problems.add(
            "ranges",
            "Give at least one address range for an address-limited page.",
        );
    }
    let password = match &body.password {
        Some(password) if password.is_empty() => {
            problems.add("password", "The password is empty.");
            None
        }
        Some(password) if password.chars().count() < PAGE_PASSWORD_MIN => {
            problems.add(
                "password",
                format!("Use at least {PAGE_PASSWORD_MIN} characters."),
            );
            None
        }
        Some(password) if password.chars().count() > PAGE_PASSWORD_MAX => {
            problems.add(
                "password",
                format!("Use at most {PAGE_PASSWORD_MAX} characters."),
            );
            None
        }
        Some(password) => Some(password.clone()),
        None => {
            if body.mode == PageAccessMode::Password && !has_password {
                problems.add("password", "A password page needs a password.");
            }
            None
        }
    };
    if problems.is_empty() {
        Ok(AccessEdit {
            mode: body.mode,
            ranges,
            password,
        })
    } else {
        Err(problems.into_fields())
    }
}

/// Why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A members' page, and nobody signed in.
    SignIn,
    /// A members' page, and the person signed in is not a member.
    NotMember,
    /// A password page, without its cookie.
    Password,
    /// An address-limited page, from elsewhere.
    Address,
}

impl Refusal {
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::SignIn | Refusal::Password => StatusCode::UNAUTHORIZED,
            Refusal::NotMember | Refusal::Address => StatusCode::FORBIDDEN,
        }
    }

    fn error(self) -> ApiError {
        match self {
            Refusal::SignIn => ApiError::Unauthenticated(
                "This status page is private: sign in as a member of its organization.".into(),
            ),
            Refusal::NotMember => ApiError::Forbidden(
                "This status page is private: it is shown to its organization's members only."
                    .into(),
            ),
            Refusal::Password => ApiError::Unauthenticated(
                "This status page is private: it needs its password.".into(),
            ),
            Refusal::Address => ApiError::Forbidden(
                "This status page is private: it is not shown to your network.".into(),
            ),
        }
    }
}

/// Whether `req` may see the page of `org`, whose rule is `rule`.
pub async fn decide(
    state: &AppState,
    req: &HttpRequest,
    org: &OrgId,
    rule: &Rule,
) -> Result<Option<Refusal>, ApiError> {
    match rule {
        Rule::Password { hash } => {
            let cookie = req.cookie(&cookie_name(org));
            if cookie.is_some_and(|cookie| {
                PageCookie::verify(&state.settings.jwt_secret, org, hash, cookie.value())
            }) {
                return Ok(None);
            }
        }
        Rule::Addresses(ranges) => {
            let client = caller::client_addr(req, state);
            if client.is_some_and(|ip| ranges.iter().any(|range| range.contains(&ip))) {
                return Ok(None);
            }
        }
        Rule::Members => {}
    }
    // Members (and the org's API keys) see their own page whatever its rule.
    let signed_in = match caller::optional(req).await {
        None => false,
        Some(caller) => match caller.principal {
            Principal::ApiKey { org: key_org, .. } if key_org == *org => return Ok(None),
            Principal::ApiKey { .. } => true,
            Principal::User(user) => {
                let org = org.clone();
                let role = state
                    .read(move |conn| upstate_store::memberships::role_of(conn, &org, &user))
                    .await?;
                if role.is_some() {
                    return Ok(None);
                }
                true
            }
        },
    };
    Ok(Some(match rule {
        Rule::Members if signed_in => Refusal::NotMember,
        Rule::Members => Refusal::SignIn,
        Rule::Password { .. } => Refusal::Password,
        Rule::Addresses(_) => Refusal::Address,
    }))
}

/// What a path of an org's public space is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A page people read (refused with a page).
    Html,
    /// An answer for programs (refused with the JSON error body).
    Machine,
    /// Open whatever the rule: the password form, and a subscription's own links.
    Open,
}

/// The slug of the org whose public space `path` is in, and what the path is there.
fn target(path: &str) -> Option<(&str, Kind)> {
    if let Some(rest) = path.strip_prefix("/status/") {
        let (slug, rest) = rest.split_once('/').map_or((rest, ""), |(s, r)| (s, r));
        let first = rest.split('/').next().unwrap_or("");
        let kind = match first {
            "" | "incidents" | "subscribe" | "embed" | "history" => Kind::Html,
            "access" | "subscriptions" => Kind::Open,
            _ => Kind::Machine,
        };
        return Some((slug, kind));
    }
    if let Some(rest) = path.strip_prefix("/api/v1/public/") {
        let (slug, rest) = rest.split_once('/')?;
        // `POST .../subscriptions` subscribes (gated); `.../subscriptions/{token}` is a link.
        let kind = if rest.starts_with("subscriptions/") {
            Kind::Open
        } else {
            Kind::Machine
        };
        return Some((slug, kind));
    }
    None
}

/// The rule of the org with `slug`, and its id: from memory, or from the database while the
/// directory is not loaded (it is at start; only when the database did not answer then).
async fn rule_of(state: &AppState, slug: &str) -> Result<Option<(OrgId, Arc<Rule>)>, ApiError> {
    match state.directory.lookup(slug) {
        Known::Exists(org) => Ok(state.directory.rule(&org).map(|rule| (org, rule))),
        Known::Missing => Ok(None),
        Known::Unsure => {
            let slug = slug.to_owned();
            let found = state
                .read(move |conn| {
                    let Some(org) = upstate_store::organizations::find_by_slug(conn, &slug)? else {
                        return Ok(None);
                    };
                    let row = upstate_store::page_access::get(conn, &org.id)?;
                    Ok(Some((org.id, row)))
                })
                .await?;
            Ok(found.and_then(|(org, row)| {
                row.as_ref()
                    .and_then(Rule::of)
                    .map(|rule| (org, Arc::new(rule)))
            }))
        }
    }
}

/// Marks an answer of a private page: no shared cache keeps it, no search engine lists it.
pub fn mark_private(headers: &mut header::HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PRIVATE_CACHE_CONTROL),
    );
    headers.append(
        header::VARY,
        HeaderValue::from_static("Cookie, Authorization"),
    );
    headers.insert(
        header::HeaderName::from_static("x-robots-tag"),
        HeaderValue::from_static("noindex"),
    );
}

/// The middleware (see the module's comment).
pub async fn gate(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some((slug, kind)) = target(req.path()) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let slug = slug.to_owned();
    let found = match rule_of(&state, &slug).await {
        Ok(found) => found,
        Err(err) => {
            return Ok(req
                .into_response(err.error_response())
                .map_into_right_body());
        }
    };
    let Some((org, rule)) = found else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    if kind != Kind::Open {
        let refusal = match decide(&state, req.request(), &org, &rule).await {
            Ok(refusal) => refusal,
            Err(err) => {
                return Ok(req
                    .into_response(err.error_response())
                    .map_into_right_body());
            }
        };
        if let Some(refusal) = refusal {
            let mut response = match kind {
                Kind::Html => {
                    let locale = speaking(&state, req.request(), &org).await;
                    refusal_page(&state, req.request(), locale, &slug, refusal, None)
                }
                _ => refusal.error().error_response(),
            };
            mark_private(response.headers_mut());
            return Ok(req.into_response(response).map_into_right_body());
        }
    }
    let mut response = next.call(req).await?;
    mark_private(response.headers_mut());
    Ok(response.map_into_left_body())
}

/// Where the page of `slug` is, as the request reached it (`/` on its custom domain).
fn page_path(req: &HttpRequest, slug: &str) -> String {
    if crate::public::custom_domain::on_custom_domain(req) {
        "/".to_owned()
    } else {
        format!("/status/{slug}")
    }
}

/// The language a refused visitor reads: theirs (their choice or their browser's), else the
/// page's default (read only then: a refusal says nothing of the page but its language).
async fn speaking(state: &AppState, req: &HttpRequest, org: &OrgId) -> Locale {
    if let Some(locale) = crate::public::language::asked(req) {
        return locale;
    }
    let org = org.clone();
    state
        .read(move |conn| upstate_store::organizations::get(conn, &org))
        .await
        .map(|org| crate::views::language(&org))
        .unwrap_or_default()
}

/// What went wrong with a password sent to the password form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordProblem {
    Empty,
    Wrong,
    /// The address tried too often (answered with 429).
    TooMany,
}

impl PasswordProblem {
    fn words(self, locale: Locale) -> String {
        match self {
            PasswordProblem::Empty => i18n::text(locale, "private-password-empty"),
            PasswordProblem::Wrong => i18n::text(locale, "private-password-wrong"),
            PasswordProblem::TooMany => i18n::text(locale, "private-password-too-many"),
        }
    }
}

/// The page a refused visitor reads, in `locale`: what the page is (private) and what to do,
/// nothing of its content, not even its org's name. `error` is the password form's problem.
fn refusal_page(
    state: &AppState,
    req: &HttpRequest,
    locale: Locale,
    slug: &str,
    refusal: Refusal,
    error: Option<(&str, PasswordProblem)>,
) -> HttpResponse {
    // Where to come back to: the address asked for, or (the form sent again) its `next`.
    let (here, error) = match error {
        Some((next, error)) => (next.to_owned(), Some(error)),
        None => match req.uri().path_and_query() {
            Some(pq) => (pq.as_str().to_owned(), None),
            None => (page_path(req, slug), None),
        },
    };
    let on_domain = crate::public::custom_domain::on_custom_domain(req);
    let private = escape(&i18n::text(locale, "private-heading"));
    let said = |text: String| format!("<h1>{private}</h1><p>{}</p>", escape(&text));
    let (title, body) = match refusal {
        Refusal::SignIn if on_domain => (
            i18n::text(locale, "private-heading"),
            said(i18n::text(locale, "private-members-text")),
        ),
        Refusal::SignIn => {
            let next: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
            (
                i18n::text(locale, "private-heading"),
                format!(
                    "{}<p><a class=\"button primary\" href=\"/login?next={next}\">{}</a></p>",
                    said(i18n::text(locale, "private-sign-in-text")),
                    escape(&i18n::text(locale, "private-sign-in")),
                ),
            )
        }
        Refusal::NotMember => (
            i18n::text(locale, "private-heading"),
            said(i18n::text(locale, "private-not-member-text")),
        ),
        Refusal::Password => (
            i18n::text(locale, "private-password-heading"),
            password_form(locale, &page_path(req, slug), &here, error),
        ),
        Refusal::Address => (
            i18n::text(locale, "private-heading"),
            said(i18n::text(locale, "private-address-text")),
        ),
    };
    let status = if error == Some(PasswordProblem::TooMany) {
        StatusCode::TOO_MANY_REQUESTS
    } else {
        refusal.status()
    };
    crate::public::subscribe::page(state, None, locale, status, &title, &body)
}

/// The password form in `locale`: works without JavaScript, posts to `{page}/access`, comes
/// back to `next`.
fn password_form(locale: Locale, page: &str, next: &str, error: Option<PasswordProblem>) -> String {
    let action = if page == "/" {
        "/access".to_owned()
    } else {
        format!("{page}/access")
    };
    let (invalid, said) = match error {
        Some(error) => (
            " aria-invalid=\"true\" aria-describedby=\"password-error\"",
            format!(
                "<p class=\"field-error\" id=\"password-error\" role=\"alert\">{}</p>",
                escape(&error.words(locale))
            ),
        ),
        None => ("", String::new()),
    };
    format!(
        "<h1>{heading}</h1><p>{text}</p>\
         <form method=\"post\" action=\"{action}\">\
         <input type=\"hidden\" name=\"next\" value=\"{next}\">\
         <div class=\"field\"><label for=\"password\">{label}</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" \
         required autofocus{invalid}>{said}</div>\
         <button type=\"submit\" class=\"primary\">{submit}</button></form>",
        heading = escape(&i18n::text(locale, "private-password-heading")),
        text = escape(&i18n::text(locale, "private-password-text")),
        label = escape(&i18n::text(locale, "private-password-label")),
        submit = escape(&i18n::text(locale, "private-password-submit")),
        action = escape(&action),
        next = escape(next),
    )
}

/// `POST /status/{org}/access` (a form: `password`, `next`): the page's password. Right, it
/// sets the page's cookie and goes back to `next` (a path of this page only); wrong, it shows
/// the form again with what went wrong. Limited per client address and per org.
pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    org: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let slug = org.into_inner();
    let found = match rule_of(&state, &slug).await {
        Ok(found) => found,
        Err(err) => return err.error_response(),
    };
    let page = page_path(&req, &slug);
    let Some((org, rule)) = found else {
        // Not (or no longer) a password page: the page itself says what it is.
        return see_other(&page);
    };
    let Rule::Password { hash } = rule.as_ref() else {
        return see_other(&page);
    };
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    // Only a path of this page: never an open redirect, never another org's page.
    let next = field("next");
    let within = next == page
        || next.starts_with(&format!("{}/", page.trim_end_matches('/')))
        || next.starts_with(&format!("{page}?"));
    let next = if within && !next.ends_with("/access") {
        next
    } else {
        page.clone()
    };
    let locale = speaking(&state, &req, &org).await;
    let answer = |error: PasswordProblem| {
        let mut response = refusal_page(
            &state,
            &req,
            locale,
            &slug,
            Refusal::Password,
            Some((&next, error)),
        );
        mark_private(response.headers_mut());
        response
    };
    let ip = caller::client_ip(&req, &state);
    if state
        .limits
        .check(Action::PagePassword, ip.as_deref(), org.as_str())
        .is_err()
    {
        return answer(PasswordProblem::TooMany);
    }
    let password = field("password");
    if password.is_empty() {
        return answer(PasswordProblem::Empty);
    }
    match crate::auth::password::verify(password, Some(hash.clone())).await {
        Ok(true) => {}
        Ok(false) => return answer(PasswordProblem::Wrong),
        Err(err) => return err.error_response(),
    }
    let value = PageCookie::sign(
        &state.settings.jwt_secret,
        &org,
        hash,
        chrono::Utc::now() + chrono::Duration::days(COOKIE_DAYS),
    );
    let mut cookie = Cookie::build(cookie_name(&org), value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_https())
        .finish();
    cookie.set_max_age(time::Duration::days(COOKIE_DAYS));
    let mut response = see_other(&next);
    if let Err(err) = response.add_cookie(&cookie) {
        return ApiError::Internal(format!("setting a page cookie: {err}")).error_response();
    }
    mark_private(response.headers_mut());
    response
}

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The name of the page cookie of `org`.
pub fn cookie_name(org: &OrgId) -> String {
    format!("{COOKIE_PREFIX}{}", org.as_str())
}

/// A password page's cookie: `{expiry}.{HMAC-SHA256}` of the org, the expiry and the current
/// password hash, keyed with the server's secret. It opens that org's page alone, until it
/// expires or the password changes.
pub struct PageCookie;

impl PageCookie {
    fn mac(secret: &str, org: &OrgId, hash: &str, expires: i64) -> Hmac<Sha256> {
        // HMAC takes a key of any length.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(b"upstate-page-access\n");
        mac.update(org.as_str().as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac.update(b"\n");
        mac.update(hash.as_bytes());
        mac
    }

    /// The cookie's value.
    pub fn sign(
        secret: &str,
        org: &OrgId,
        hash: &str,
        expires: chrono::DateTime<chrono::Utc>,
    ) -> String {
        let expires = expires.timestamp();
        let tag = Self::mac(secret, org, hash, expires)
            .finalize()
            .into_bytes();
        format!("{expires}.{}", hex::encode(tag))
    }

    /// Whether `value` is a live cookie of this org's current password.
    pub fn verify(secret: &str, org: &OrgId, hash: &str, value: &str) -> bool {
        let Some((expires, tag)) = value.split_once('.') else {
            return false;
        };
        let (Ok(expires), Ok(tag)) = (expires.parse::<i64>(), hex::decode(tag)) else {
            return false;
        };
        expires > chrono::Utc::now().timestamp()
            && Self::mac(secret, org, hash, expires)
                .verify_slice(&tag)
                .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_cookie_opens_its_org_and_password_only_until_it_expires() {
        let (org, other) = (OrgId("o1".into()), OrgId("o2".into()));
        let later = chrono::Utc::now() + chrono::Duration::days(1);
        let value = PageCookie::sign("secret", &org, "hash-1", later);
        assert!(PageCookie::verify("secret", &org, "hash-1", &value));
        assert!(
            !PageCookie::verify("secret", &other, "hash-1", &value),
            "another org"
        );
        assert!(
            !PageCookie::verify("secret", &org, "hash-2", &value),
            "a new password"
        );
        assert!(
            !PageCookie::verify("other", &org, "hash-1", &value),
            "another secret"
        );
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        let expired = PageCookie::sign("secret", &org, "hash-1", past);
        assert!(!PageCookie::verify("secret", &org, "hash-1", &expired));
        assert!(!PageCookie::verify("secret", &org, "hash-1", "garbage"));
    }

    #[test]
    fn ranges_are_cidr_or_single_addresses_of_both_families() {
        assert_eq!(parse_range("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
        assert_eq!(
            parse_range("2001:db8::1/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        assert_eq!(
            parse_range("192.0.2.7").unwrap().to_string(),
            "192.0.2.7/32"
        );
        assert!(parse_range("10.0.0.0/33").is_err());
        assert!(parse_range("example.com").is_err());
    }

    #[test]
    fn the_gate_knows_pages_programs_and_open_links() {
        assert_eq!(target("/status/acme"), Some(("acme", Kind::Html)));
        assert_eq!(
            target("/status/acme/incidents/x"),
            Some(("acme", Kind::Html))
        );
        assert_eq!(
            target("/status/acme/badge.svg"),
            Some(("acme", Kind::Machine))
        );
        assert_eq!(
            target("/status/acme/api/v2/summary.json"),
            Some(("acme", Kind::Machine))
        );
        assert_eq!(target("/status/acme/access"), Some(("acme", Kind::Open)));
        assert_eq!(
            target("/api/v1/public/acme/summary"),
            Some(("acme", Kind::Machine))
        );
        assert_eq!(
            target("/api/v1/public/acme/subscriptions"),
            Some(("acme", Kind::Machine))
        );
        assert_eq!(
            target("/api/v1/public/acme/subscriptions/t"),
            Some(("acme", Kind::Open))
        );
        assert_eq!(target("/api/v1/orgs/acme"), None);
    }
}
