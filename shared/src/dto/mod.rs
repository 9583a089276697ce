//! Request and response bodies, one module per area of the API.

use serde::{Deserialize, Deserializer, Serialize};

pub mod access;
pub mod account;
pub mod auth;
pub mod branding;
pub mod monitors;
pub mod notify;
pub mod orgs;
// Passkeys (issue 22).
pub mod passkeys;
pub mod public;
// Single sign-on with OpenID Connect (issue 22).
pub mod sso;
pub mod status;
pub mod templates;
// Two-factor sign-in (issue 22).
pub mod two_factor;

pub use access::*;
pub use account::*;
pub use auth::*;
pub use branding::*;
pub use monitors::*;
pub use notify::*;
pub use orgs::*;
pub use passkeys::*;
pub use public::*;
pub use sso::*;
pub use status::*;
pub use templates::*;
pub use two_factor::*;

/// `true`, for `#[serde(default = "yes")]` (a choice that is on unless said otherwise).
pub fn yes() -> bool {
    true
}

/// A page of a list: `{"items": [...], "next_cursor": "..." | null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `?cursor=` to get the next page; `null` on the last one.
    pub next_cursor: Option<String>,
}

/// For `PATCH` fields that can be cleared: absent (`None`, leave as is), `null`
/// (`Some(None)`, clear) or a value (`Some(Some(v))`). Use with `#[serde(default)]`.
pub fn double_option<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// An organization's look on its public page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Branding {
    /// `#rrggbb`.
    pub accent_color: Option<String>,
    pub logo_url: Option<String>,
    pub support_url: Option<String>,
    /// The page's icon in the browser's tab (else Upstate's).
    #[serde(default)]
    pub favicon_url: Option<String>,
    /// The org's own web site, linked from the page's header.
    #[serde(default)]
    pub home_url: Option<String>,
    /// A line of plain text at the foot of the page.
    #[serde(default)]
    pub footer_text: Option<String>,
    /// The colours the page opens in.
    #[serde(default)]
    pub theme: crate::Theme,
}

/// `GET /api/v1/meta`: what server this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServerInfo {
    pub name: String,
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// True while the server has no account yet: the start page invites the first person to
    /// create one (and their organization, the first status page).
    pub first_run: bool,
}

/// `GET /healthz` and `GET /readyz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// `ok`, or `unavailable` when `/readyz` cannot reach the database.
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn last_page_has_a_null_cursor() {
        let page = Page {
            items: vec![1, 2],
            next_cursor: None,
        };
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            json!({"items": [1, 2], "next_cursor": null})
        );
        assert_eq!(
            serde_json::from_value::<Page<i32>>(json!({"items": [], "next_cursor": "abc"}))
                .unwrap()
                .next_cursor
                .as_deref(),
            Some("abc")
        );
    }

    #[test]
    fn branding_round_trips() {
        let branding = Branding {
            accent_color: Some("#1f6feb".into()),
            logo_url: None,
            support_url: Some("https://example.com/help".into()),
            ..Branding::default()
        };
        let back: Branding =
            serde_json::from_str(&serde_json::to_string(&branding).unwrap()).unwrap();
        assert_eq!(back, branding);
    }
}
