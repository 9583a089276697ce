//! `ApiError`: every failure a handler can answer with, rendered as the error body of API.md.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use upstate_shared::{ErrorBody, ErrorCode, FieldErrors};
use upstate_store::{Missing, StoreError, TeamRule};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    /// The org requires two-factor sign-in of its members, and the caller has none.
    #[error("{0}")]
    TwoFactorRequired(String),
    /// A password sign-in (or reset) of a person whom an org requires to sign in with SSO.
    #[error("{0}")]
    SsoRequired(String),
    #[error("{0}")]
    NotFound(String),
    /// A method the path does not take; `allow` lists those it does (the `Allow` header RFC 9110
    /// requires on a 405).
    #[error("{method} is not allowed at this path; it takes {allow}.")]
    MethodNotAllowed { method: String, allow: String },
    #[error("{0}")]
    Conflict(String),
    #[error("The request body is larger than {limit} bytes.")]
    PayloadTooLarge { limit: usize },
    #[error("{message}")]
    Validation {
        message: String,
        fields: FieldErrors,
    },
    #[error("Too many attempts; try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// Logged with its cause (the request log shows `Display`); answered without it.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("{0}")]
    Unavailable(String),
    /// The server is at a cap it keeps on purpose (open WebSockets, ...): 503 with the reason
    /// and `Retry-After`; not a fault, so not logged as one.
    #[error("{0}")]
    Busy(String),
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::TwoFactorRequired(_) => ErrorCode::TwoFactorRequired,
            ApiError::SsoRequired(_) => ErrorCode::SsoRequired,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::Validation { .. } => ErrorCode::ValidationFailed,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::Unavailable(_) | ApiError::Busy(_) => ErrorCode::Unavailable,
        }
    }

    /// The body sent for this error.
    pub fn body(&self) -> ErrorBody {
        match self {
            ApiError::Validation { message, fields } => {
                ErrorBody::validation(message.clone(), fields.clone())
            }
            ApiError::Internal(_) => ErrorBody::new(
                ErrorCode::Internal,
                "Something went wrong on our side; it has been logged.",
            ),
            ApiError::Unavailable(_) => ErrorBody::new(
                ErrorCode::Unavailable,
                "The service is temporarily unavailable; try again shortly.",
            ),
            other => ErrorBody::new(other.code(), other.to_string()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        // The cause is logged with its request by `telemetry::log_requests`.
        let mut response = HttpResponse::build(self.status_code());
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            ApiError::Unavailable(_) => Some(5),
            ApiError::Busy(_) => Some(10),
            _ => None,
        };
        if let Some(seconds) = retry_after {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from(seconds)));
        }
        if let ApiError::MethodNotAllowed { allow, .. } = self {
            response.insert_header((header::ALLOW, allow.as_str()));
        }
        response
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(self.body())
    }
}

impl ApiError {
    /// A `validation_failed` error naming one field's problem (one the server finds, such as a
    /// webhook's address it may not reach).
    pub fn field(field: &str, problem: impl Into<String>) -> Self {
        let mut fields = FieldErrors::new();
        fields.insert(field.to_owned(), vec![problem.into()]);
        ApiError::validation(fields)
    }

    /// A `validation_failed` error from the problems found per field.
    pub fn validation(fields: FieldErrors) -> Self {
        ApiError::Validation {
            message: "Some fields are not valid.".into(),
            fields,
        }
    }
}

/// Problems found while checking a request, per field: the collector of `shared` (the web
/// forms use it too).
pub use upstate_shared::valid::Problems;

impl From<Problems> for ApiError {
    fn from(problems: Problems) -> Self {
        ApiError::validation(problems.into_fields())
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::NotFound(match what {
                Missing::StatusPage => "No status page here.".to_owned(),
                Missing::Row => "Not found.".to_owned(),
                _ => format!("No such {}.", what.what()),
            }),
            StoreError::Conflict(detail) => {
                tracing::debug!(%detail, "unique constraint");
                ApiError::Conflict("That conflicts with something that already exists.".into())
            }
            StoreError::MissingReference(detail) => {
                tracing::debug!(%detail, "foreign key");
                ApiError::Conflict("That refers to something that no longer exists.".into())
            }
            StoreError::Unavailable(cause) => {
                crate::metrics::count_db_error(true);
                ApiError::Unavailable(cause)
            }
            StoreError::Gone(what) => ApiError::Conflict(format!(
                "This {} was deleted meanwhile; it takes no more changes.",
                what.what()
            )),
            StoreError::Stale(message) => ApiError::Conflict(message),
            StoreError::Invalid(field, problem) => {
                let mut fields = FieldErrors::new();
                fields.insert(field, vec![problem]);
                ApiError::validation(fields)
            }
            StoreError::Limited { retry_after_secs } => ApiError::RateLimited { retry_after_secs },
            StoreError::Team(rule) => match rule {
                TeamRule::OwnersOnly | TeamRule::InvitationForSomeoneElse => {
                    ApiError::Forbidden(rule.to_string())
                }
                TeamRule::LastOwner | TeamRule::AlreadyMember => {
                    ApiError::Conflict(rule.to_string())
                }
                TeamRule::InvitationNotValid => ApiError::NotFound(rule.to_string()),
            },
            StoreError::BadCursor => {
                ApiError::BadRequest("The cursor does not name a page of this list.".into())
            }
            other => {
                crate::metrics::count_db_error(false);
                ApiError::Internal(other.to_string())
            }
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("the blocking pool failed: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::body::to_bytes;

    async fn render(err: ApiError) -> (u16, Option<String>, serde_json::Value) {
        let response = err.error_response();
        let status = response.status().as_u16();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|v| v.to_str().unwrap().to_owned());
        let bytes = to_bytes(response.into_body()).await.unwrap();
        (status, retry, serde_json::from_slice(&bytes).unwrap())
    }

    #[actix_web::test]
    async fn internal_errors_hide_their_cause() {
        let (status, _, body) = render(ApiError::Internal(
            "relation \"users\" does not exist".into(),
        ))
        .await;
        assert_eq!(status, 500);
        assert_eq!(body["error"]["code"], "internal");
        assert!(!body.to_string().contains("relation"));
    }

    #[actix_web::test]
    async fn rate_limits_and_outages_say_when_to_retry() {
        let (status, retry, body) = render(ApiError::RateLimited {
            retry_after_secs: 30,
        })
        .await;
        assert_eq!((status, retry.as_deref()), (429, Some("30")));
        assert_eq!(body["error"]["code"], "rate_limited");
        let (status, retry, _) = render(ApiError::Unavailable("pool timed out".into())).await;
        assert_eq!((status, retry.as_deref()), (503, Some("5")));
    }

    #[actix_web::test]
    async fn what_was_not_found_or_deleted_is_named_and_other_conflicts_keep_their_words() {
        let message =
            |body: serde_json::Value| body["error"]["message"].as_str().unwrap().to_owned();
        let (status, _, body) = render(StoreError::NotFound(Missing::Incident).into()).await;
        assert_eq!((status, message(body).as_str()), (404, "No such incident."));
        let (_, _, body) = render(StoreError::NotFound(Missing::ApiKey).into()).await;
        assert_eq!(message(body), "No such API key.");
        let (_, _, body) = render(StoreError::NotFound(Missing::StatusPage).into()).await;
        assert_eq!(message(body), "No status page here.");
        let (status, _, body) = render(StoreError::Gone(Missing::Incident).into()).await;
        assert_eq!(status, 409);
        assert!(message(body).starts_with("This incident was deleted"));
        // A conflict of another kind is not reported as a deletion (a handler once relabelled
        // every 409 of an incident update as "This incident was deleted").
        let (status, _, body) = render(StoreError::MissingReference("service".into()).into()).await;
        assert_eq!(status, 409);
        assert!(!message(body).contains("deleted"));
    }

    #[actix_web::test]
    async fn store_errors_map_to_their_status() {
        assert_eq!(
            render(StoreError::NotFound(Missing::Service).into())
                .await
                .0,
            404
        );
        assert_eq!(
            render(StoreError::Conflict("slug".into()).into()).await.0,
            409
        );
        assert_eq!(
            render(StoreError::Unavailable("down".into()).into())
                .await
                .0,
            503
        );
    }
}
