//! Single sign-on with OpenID Connect, per org (issue 22): what an owner sets at
//! `/api/v1/orgs/{org}/sso`. The client secret is written, never read back.

use crate::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest issuer URL, client id or client secret.
pub const SSO_FIELD_MAX: usize = 2000;
/// The most email domains an org allows.
pub const SSO_DOMAINS_MAX: usize = 50;

/// An org's single sign-on, as its owners read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoSettings {
    /// The provider's issuer (`https://login.example.com`); its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`.
    pub issuer_url: String,
    /// The client id the provider gave this server.
    pub client_id: String,
    /// Whether a client secret is set (it is never returned).
    pub has_secret: bool,
    /// People whose (verified) email has one of these domains may sign in, and join the org
    /// on their first sign-in.
    pub email_domains: Vec<String>,
    /// The role a person gets when their first sign-in makes them a member.
    pub default_role: Role,
    /// Whether the org's members may sign in only through the provider (no password sign-in,
    /// no password reset).
    pub sso_only: bool,
    /// The redirect URI to register at the provider.
    pub callback_url: String,
    pub updated_at: DateTime<Utc>,
}

/// `PUT /api/v1/orgs/{org}/sso`: the whole setting. The server runs discovery at the issuer
/// before it saves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSsoRequest {
    pub issuer_url: String,
    pub client_id: String,
    /// The client secret: needed the first time; absent (or null) keeps the one set.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// At least one domain (`example.com`).
    pub email_domains: Vec<String>,
    /// `viewer`, `editor` or `admin` (never `owner`).
    pub default_role: Role,
    #[serde(default)]
    pub sso_only: bool,
}
