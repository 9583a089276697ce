//! A person's own account: their profile, their password, their sessions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `PATCH /api/v1/account`: what a person changes of their profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// The name the team sees, 1 to 100 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Ada Lovelace")
    )]
    pub name: String,
}

/// `POST /api/v1/account/password`: a new password, proven by the current one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub current_password: String,
    /// 8 to 128 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 128))]
    pub new_password: String,
}

/// One of a person's sessions (a sign-in that goes on), as `GET /api/v1/account/sessions` lists
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSession {
    /// The session's id (`DELETE /api/v1/account/sessions/{session}` ends it).
    pub id: String,
    /// When its person signed in.
    pub created_at: DateTime<Utc>,
    /// When it last renewed its access (about every quarter of an hour while in use).
    pub last_used_at: DateTime<Utc>,
    /// The client's address then, when known.
    pub client_address: Option<String>,
    /// The browser or program that used it (its `User-Agent`), when known.
    pub user_agent: Option<String>,
    /// Whether this is the session asking.
    pub current: bool,
}

/// `GET /api/v1/account/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSessions {
    /// The one used last first.
    pub items: Vec<AccountSession>,
}

/// `DELETE /api/v1/account/sessions`: how many other sessions were ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub ended: u64,
}

/// `POST /api/v1/account/email`: a new address for the account, proven by the password. It
/// becomes the account's only when the link mailed to it is followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailChangeRequest {
    #[cfg_attr(
        feature = "openapi",
        schema(format = Email, example = "ada@new.example", max_length = 254)
    )]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// `POST /api/v1/account/email/confirm`: the token of the link mailed to the new address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailChangeConfirm {
    pub token: String,
}

/// `DELETE /api/v1/account`: what proves it is the person: their password, or (with two-factor
/// sign-in on) a code from their authenticator or a recovery code. Exactly one of the two.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountDeletion {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub code: Option<String>,
}

/// `GET /api/v1/account/export`: everything Upstate keeps about the person asking, and nothing
/// about anyone else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountExport {
    /// Always `upstate.account-export`.
    pub format: String,
    /// The format's version: 1.
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub profile: ExportedProfile,
    pub memberships: Vec<ExportedMembership>,
    /// Every sign-in still on record, live or ended, oldest first.
    pub sessions: Vec<ExportedSession>,
    pub two_factor: ExportedTwoFactor,
    /// What the audit log holds of the person: what they did (without details, which may be
    /// about others) and what was done to their account (with details), oldest first.
    pub audit: Vec<ExportedAuditEntry>,
    /// Subscriptions to the person's address, or naming it as their contact.
    pub subscriptions: Vec<ExportedSubscription>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedProfile {
    pub id: crate::UserId,
    pub name: String,
    pub email: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedMembership {
    pub org_slug: String,
    pub org_name: String,
    pub role: crate::Role,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedSession {
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub client_address: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedTwoFactor {
    /// When TOTP sign-in was turned on, if it is.
    pub totp_since: Option<DateTime<Utc>>,
    pub recovery_codes_left: i64,
    /// The person's passkeys (never their keys).
    pub passkeys: Vec<ExportedPasskey>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedPasskey {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedAuditEntry {
    pub at: DateTime<Utc>,
    /// The org it happened in; none for the account itself.
    pub org_slug: Option<String>,
    pub action: String,
    /// `you`, `another_member`, `api_key` or `system`.
    pub by: String,
    pub target_type: String,
    /// The details recorded, when the entry is about the person's account.
    pub details: Option<serde_json::Value>,
    /// The client's address, when the person did it.
    pub client_address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedSubscription {
    pub org_slug: String,
    /// `email`, `webhook`, `slack`, ...
    pub channel: String,
    /// The address mails go to (for an email subscription).
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// The language its mails are in.
    pub language: String,
}
