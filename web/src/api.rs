//! The typed client of Upstate's HTTP API. Every call answers the decoded body or an
//! [`ApiError`] carrying the server's error body (or one made up for a network failure), so a
//! page can always say what went wrong.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use upstate_shared::dto::ServerInfo;
use upstate_shared::{ErrorBody, ErrorCode};

/// A failed call: the HTTP status (0 when the server could not be reached) and the error body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: u16,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn code(&self) -> ErrorCode {
        self.body.error.code
    }

    pub fn message(&self) -> &str {
        &self.body.error.message
    }

    fn network(err: gloo_net::Error) -> Self {
        ApiError {
            status: 0,
            body: ErrorBody::new(
                ErrorCode::Unavailable,
                format!("The server could not be reached ({err})."),
            ),
        }
    }
}

/// `GET /api/v1/meta`.
pub async fn meta() -> Result<ServerInfo, ApiError> {
    get("/api/v1/meta").await
}

/// `GET /api/v1/public/{org}/summary`.
pub async fn public_summary(org: &str) -> Result<upstate_shared::dto::PublicSummary, ApiError> {
    get(&format!("/api/v1/public/{org}/summary")).await
}

/// The same, for pages that only need names from it.
pub async fn public_summary_typed(
    org: &str,
) -> Result<upstate_shared::dto::PublicSummary, ApiError> {
    public_summary(org).await
}

/// A GET that answers JSON.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path).send().await.map_err(ApiError::network)?;
    decode(response).await
}

/// An unsafe request with a JSON body. It carries `X-Requested-With: upstate`, which the API
/// requires of cookie-authenticated writes (its CSRF guard).
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = builder(method, path)
        .header("X-Requested-With", "upstate")
        .json(body)
        .map_err(ApiError::network)?;
    let response = request.send().await.map_err(ApiError::network)?;
    decode(response).await
}

fn builder(method: &str, path: &str) -> RequestBuilder {
    match method {
        "POST" => Request::post(path),
        "PATCH" => Request::patch(path),
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::get(path),
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response.json::<T>().await.map_err(|err| ApiError {
            status,
            body: ErrorBody::new(
                ErrorCode::Internal,
                format!("The server's answer could not be read ({err})."),
            ),
        });
    }
    let body = match response.json::<ErrorBody>().await {
        Ok(body) => body,
        Err(_) => ErrorBody::new(
            code_for_status(status),
            format!("The server answered with status {status}."),
        ),
    };
    Err(ApiError { status, body })
}

fn code_for_status(status: u16) -> ErrorCode {
    match status {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::ValidationFailed,
        429 => ErrorCode::RateLimited,
        503 => ErrorCode::Unavailable,
        _ => ErrorCode::Internal,
    }
}
