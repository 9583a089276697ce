//! One module per page.

pub mod auth;
pub mod dashboard;
pub mod home;
pub mod incident;
pub mod not_found;
pub mod status;
