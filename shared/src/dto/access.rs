//! Who may see an org's status page (`/api/v1/orgs/{org}/page-access`): public, members only,
//! a shared password, or client address ranges. The password is written, never read back.

use crate::PageAccessMode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The shortest page password.
pub const PAGE_PASSWORD_MIN: usize = 8;
/// The longest page password.
pub const PAGE_PASSWORD_MAX: usize = 128;
/// The most address ranges a page keeps.
pub const PAGE_RANGES_MAX: usize = 100;

/// Who may see the page, as admins read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageAccess {
    pub mode: PageAccessMode,
    /// The client address ranges (CIDR, IPv4 or IPv6) that may see an `addresses` page.
    pub ranges: Vec<String>,
    /// Whether a password is set (the password itself is never returned).
    pub has_password: bool,
    /// When the setting last changed (absent while the page has always been public).
    pub updated_at: Option<DateTime<Utc>>,
}

/// `PUT /api/v1/orgs/{org}/page-access`: the whole setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdatePageAccessRequest {
    pub mode: PageAccessMode,
    /// The address ranges (CIDR, IPv4 or IPv6), needed for `addresses`; kept for the other modes.
    #[serde(default)]
    pub ranges: Vec<String>,
    /// A new password (8 to 128 characters): needed when switching to `password` with none set;
    /// absent keeps the current one. Changing it signs every visitor out of the page.
    #[serde(default)]
    pub password: Option<String>,
}
