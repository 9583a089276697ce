//! Passkeys (WebAuthn, issue 22): a person's passkeys, the ceremonies that add one, and
//! signing in with one (alone, or as the second step after a password).
//!
//! The WebAuthn documents themselves (`options`, `credential`) are the JSON of the WebAuthn
//! Level 3 `toJSON()` forms: binary fields are base64url without padding. A browser turns
//! `options.publicKey` into the argument of `navigator.credentials.create()` / `.get()`, and
//! the credential it answers back into JSON.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest name of a passkey.
pub const PASSKEY_NAME_MAX: usize = 60;

/// One of the signed-in person's passkeys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyView {
    pub id: String,
    /// The name the person gave it ("Laptop", "Phone").
    #[cfg_attr(feature = "openapi", schema(example = "Laptop"))]
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// When it last signed in (`null`: never yet).
    pub last_used_at: Option<DateTime<Utc>>,
}

/// `GET /api/v1/account/passkeys`: the person's passkeys, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyList {
    pub items: Vec<PasskeyView>,
}

/// `POST /api/v1/account/passkey-registration`: the current password, so that a session alone
/// (a borrowed laptop) cannot add a way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyRegistrationRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1024))]
    pub password: String,
}

/// The start of a WebAuthn ceremony: what the browser's authenticator is asked, and the
/// ceremony to name when finishing (good once, until `expires_at`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyCeremony {
    pub ceremony: String,
    pub expires_at: DateTime<Utc>,
    /// `{"publicKey": {...}}`: WebAuthn's `PublicKeyCredentialCreationOptions` (adding a
    /// passkey) or `PublicKeyCredentialRequestOptions` (signing in), binary fields in base64url.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub options: serde_json::Value,
}

/// `POST /api/v1/account/passkeys`: finishes adding a passkey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyCreate {
    /// The ceremony of `POST /api/v1/account/passkey-registration`.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub ceremony: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Laptop", min_length = 1, max_length = 60)
    )]
    pub name: String,
    /// The `PublicKeyCredential` that `navigator.credentials.create()` answered, as JSON
    /// (`id`, `rawId`, `type`, `response.attestationObject`, `response.clientDataJSON`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// `PATCH /api/v1/account/passkeys/{passkey}`: a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyRename {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Work laptop", min_length = 1, max_length = 60)
    )]
    pub name: String,
}

/// A passkey's answer to a sign-in ceremony: `POST /api/v1/auth/passkey`, and the `passkey` of
/// `POST /api/v1/auth/login/two-factor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeyAssertion {
    /// The ceremony of the options.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub ceremony: String,
    /// The `PublicKeyCredential` that `navigator.credentials.get()` answered, as JSON (`id`,
    /// `rawId`, `type`, `response.authenticatorData`, `response.clientDataJSON`,
    /// `response.signature`, `response.userHandle`).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub credential: serde_json::Value,
}

/// `POST /api/v1/auth/login/two-factor/passkey-options`: the challenge of the password step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasskeySecondFactorRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub challenge: String,
}
