//! One module per page.

pub mod home;
pub mod incident;
pub mod not_found;
pub mod status;
