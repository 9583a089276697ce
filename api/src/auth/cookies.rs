//! The session cookies of the SPA: HttpOnly, SameSite=Lax, Secure when the public URL is https.
//! The refresh cookie is only sent to the auth endpoints.

use super::tokens::{ACCESS_TTL, REFRESH_TTL};
use actix_web::cookie::{Cookie, SameSite, time};

pub const ACCESS_COOKIE: &str = "upstate_access";
pub const REFRESH_COOKIE: &str = "upstate_refresh";
const REFRESH_PATH: &str = "/api/v1/auth";

fn base(name: &'static str, value: String, path: &'static str, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

pub fn access(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = base(ACCESS_COOKIE, token, "/", secure);
    cookie.set_max_age(time::Duration::seconds(ACCESS_TTL.num_seconds()));
    cookie
}

pub fn refresh(token: String, secure: bool) -> Cookie<'static> {
    let mut cookie = base(REFRESH_COOKIE, token, REFRESH_PATH, secure);
    cookie.set_max_age(time::Duration::seconds(REFRESH_TTL.num_seconds()));
    cookie
}

/// Cookies that make the browser forget both.
pub fn cleared(secure: bool) -> [Cookie<'static>; 2] {
    let mut access = base(ACCESS_COOKIE, String::new(), "/", secure);
    access.make_removal();
    let mut refresh = base(REFRESH_COOKIE, String::new(), REFRESH_PATH, secure);
    refresh.make_removal();
    [access, refresh]
}
