//! `GET|PUT /api/v1/orgs/{org}/branding` and its preview: everything of an org's public page's
//! look, the custom CSS included (which the public summary leaves out: it is in the page's HTML).

use crate::Theme;
use serde::{Deserialize, Serialize};

/// The longest footer text, in characters.
pub const FOOTER_MAX: usize = 280;
/// The largest custom CSS, in bytes (16 KiB).
pub const CUSTOM_CSS_MAX: usize = 16 * 1024;

/// An org's branding as a whole: what `GET` answers and `PUT` replaces (a `null` or blank field
/// clears it; an absent one too, as `PUT` means the whole resource).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandingSettings {
    /// `#rrggbb`.
    #[serde(default)]
    pub accent_color: Option<String>,
    /// An http(s) address of the logo shown in the page's header.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// An http(s) address of the page's icon in the browser's tab.
    #[serde(default)]
    pub favicon_url: Option<String>,
    /// Where visitors get help: a "Support" link in the header.
    #[serde(default)]
    pub support_url: Option<String>,
    /// The org's own web site: a link in the header.
    #[serde(default)]
    pub home_url: Option<String>,
    /// One line of plain text at the foot of the page (at most 280 characters; no markup).
    #[serde(default)]
    pub footer_text: Option<String>,
    /// The colours the page opens in: `auto` (the visitor's system), `light` or `dark`.
    #[serde(default)]
    pub theme: Theme,
    /// Style rules added to the public pages: a safe subset of CSS (docs/branding.md), at most
    /// 16 KiB.
    #[serde(default)]
    pub custom_css: Option<String>,
}

/// `POST /api/v1/orgs/{org}/branding/preview`: the status page as it would look with a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrandingPreview {
    /// The whole page as HTML, for a sandboxed frame (`srcdoc`): its scripts are not meant to
    /// run there.
    pub html: String,
}
