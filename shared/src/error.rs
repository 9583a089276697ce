//! The error body of every non-2xx answer:
//! `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Problems per input field, on validation errors only.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// What went wrong, as a stable machine-readable code. Each code has one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: malformed JSON, a bad query or path.
    BadRequest,
    /// 401: no credentials, or ones that are not valid.
    Unauthenticated,
    /// 403: the caller's role is too low (or the CSRF guard refused a cookie request).
    Forbidden,
    /// 403: the organization requires two-factor sign-in, and the person asking has not turned
    /// it on (their account's two-factor settings lead there).
    TwoFactorRequired,
    /// 403: the person belongs to an org that requires single sign-on, so a password does not
    /// sign them in (nor reset); they sign in with SSO.
    SsoRequired,
    /// 404: no such resource, or one of another organization.
    NotFound,
    /// 405: the path exists, but not for this method.
    MethodNotAllowed,
    /// 409: a slug or email is taken, or the state changed meanwhile.
    Conflict,
    /// 413: the body is too large.
    PayloadTooLarge,
    /// 422: the input is well-formed but not acceptable; see `fields`.
    ValidationFailed,
    /// 429: too many attempts; see `Retry-After`.
    RateLimited,
    /// 500: a fault of the server; the message carries no internals.
    Internal,
    /// 503: the database does not answer; see `Retry-After`.
    Unavailable,
}

impl ErrorCode {
    /// The HTTP status that goes with the code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::BadRequest => 400,
            ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden | ErrorCode::TwoFactorRequired | ErrorCode::SsoRequired => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::ValidationFailed => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Internal => 500,
            ErrorCode::Unavailable => 503,
        }
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The content of [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// A sentence for a person.
    pub message: String,
    /// Problems per field, on `validation_failed` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>, example = json!({"name": ["must not be empty"]})))]
    pub fields: Option<FieldErrors>,
}

impl ErrorBody {
    /// An error without field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code,
                message: message.into(),
                fields: None,
            },
        }
    }

    /// A `validation_failed` error with its problems per field.
    pub fn validation(message: impl Into<String>, fields: FieldErrors) -> Self {
        Self {
            error: ErrorDetail {
                code: ErrorCode::ValidationFailed,
                message: message.into(),
                fields: Some(fields),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn error_body_has_the_shape_of_the_contract() {
        let body = ErrorBody::new(ErrorCode::NotFound, "No such organization.");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"error": {"code": "not_found", "message": "No such organization."}})
        );
        let back: ErrorBody = serde_json::from_value(serde_json::to_value(&body).unwrap()).unwrap();
        assert_eq!(back, body);
    }

    #[test]
    fn validation_errors_carry_fields() {
        let mut fields = FieldErrors::new();
        fields.insert("name".into(), vec!["must not be empty".into()]);
        let body = ErrorBody::validation("The input is not valid.", fields);
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"error": {"code": "validation_failed", "message": "The input is not valid.",
                             "fields": {"name": ["must not be empty"]}}})
        );
    }

    #[test]
    fn codes_map_to_their_http_status() {
        let pairs = [
            (ErrorCode::BadRequest, 400, "bad_request"),
            (ErrorCode::Unauthenticated, 401, "unauthenticated"),
            (ErrorCode::Forbidden, 403, "forbidden"),
            (ErrorCode::SsoRequired, 403, "sso_required"),
            (ErrorCode::NotFound, 404, "not_found"),
            (ErrorCode::MethodNotAllowed, 405, "method_not_allowed"),
            (ErrorCode::Conflict, 409, "conflict"),
            (ErrorCode::PayloadTooLarge, 413, "payload_too_large"),
            (ErrorCode::ValidationFailed, 422, "validation_failed"),
            (ErrorCode::RateLimited, 429, "rate_limited"),
            (ErrorCode::Internal, 500, "internal"),
            (ErrorCode::Unavailable, 503, "unavailable"),
        ];
        for (code, status, text) in pairs {
            assert_eq!(code.http_status(), status);
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{text}\""));
        }
    }
}
