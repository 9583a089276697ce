//! One module per page. The public pages (`/status/...`) are not here: they are their own
//! bundle, `upstate-public-page` (`web/public`).

pub mod account;
pub mod auth;
pub mod dashboard;
pub mod home;
pub mod not_found;
// Single sign-on's way in, on the login page (issue 22).
pub mod sso;
