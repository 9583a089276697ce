//! Two-factor sign-in (issue 22): a person's TOTP enrolment, recovery codes, and the second
//! step of signing in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `GET /api/v1/account/two-factor`: whether the signed-in person has two-factor on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorStatus {
    /// Whether signing in asks for a TOTP code (or a recovery code) after the password.
    pub totp_enabled: bool,
    /// When it was turned on.
    pub enabled_at: Option<DateTime<Utc>>,
    /// Recovery codes not used yet (0 when two-factor is off).
    pub recovery_codes_left: u32,
}

/// `POST /api/v1/account/two-factor/totp`: an enrolment to confirm with a first code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// For an authenticator app: `otpauth://totp/Upstate:<email>?secret=...`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "otpauth://totp/Upstate:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Upstate"
        )
    )]
    pub otpauth_uri: String,
    /// The same secret to type in by hand: base32 (RFC 4648), without padding.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    )]
    pub secret: String,
    /// The URI as a QR code: an SVG document.
    pub qr_svg: String,
}

/// A code that proves the second factor: the 6 digits an authenticator app shows, or (where
/// said) one of the recovery codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorCode {
    #[cfg_attr(feature = "openapi", schema(example = "123456", max_length = 64))]
    pub code: String,
}

/// Recovery codes, shown once: each signs in once in place of a TOTP code. Only their hashes
/// are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    #[cfg_attr(feature = "openapi", schema(example = json!(["3f9a-01bc-77de-4a20"])))]
    pub recovery_codes: Vec<String>,
}

/// A way to pass the second step of signing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TwoFactorMethod {
    Totp,
    RecoveryCode,
    /// One of the person's passkeys (`POST /api/v1/auth/login/two-factor/passkey-options`).
    Passkey,
}

/// `POST /api/v1/auth/login` (202) for a person with two-factor on: the password was right;
/// sign in with `POST /api/v1/auth/login/two-factor` and this challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorRequired {
    pub two_factor: TwoFactorChallenge,
}

/// The link between the two steps of a sign-in: good for one use, for a few minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorChallenge {
    pub challenge: String,
    pub methods: Vec<TwoFactorMethod>,
    pub expires_at: DateTime<Utc>,
}

/// `POST /api/v1/auth/login/two-factor`: the challenge and one of a TOTP code, a recovery
/// code or a passkey's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TwoFactorLogin {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub challenge: String,
    /// The 6 digits an authenticator app shows.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "123456", max_length = 64))]
    pub code: Option<String>,
    /// One of the recovery codes, instead of `code`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 64))]
    pub recovery_code: Option<String>,
    /// A passkey's answer to the ceremony of
    /// `POST /api/v1/auth/login/two-factor/passkey-options`, instead of a code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passkey: Option<super::PasskeyAssertion>,
}
