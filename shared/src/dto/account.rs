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
