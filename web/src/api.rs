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

/// A GET that answers JSON. On a 401 the session is refreshed once and the call repeated.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let mut response = fresh_get(path).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = fresh_get(path).await?;
    }
    decode(response).await
}

/// A GET that revalidates whatever the browser cached (public answers allow 5 s of caching for
/// CDNs; a live page that was told something changed must not be served the old copy).
async fn fresh_get(path: &str) -> Result<Response, ApiError> {
    Request::get(path)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(ApiError::network)
}

async fn send_raw<B: Serialize>(method: &str, path: &str, body: &B) -> Result<Response, ApiError> {
    let request = builder(method, path)
        .header("X-Requested-With", "upstate")
        .json(body)
        .map_err(ApiError::network)?;
    request.send().await.map_err(ApiError::network)
}

/// An unsafe request with a JSON body. It carries `X-Requested-With: upstate`, which the API
/// requires of cookie-authenticated writes (its CSRF guard). A 401 refreshes the session once.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let mut response = send_raw(method, path, body).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = send_raw(method, path, body).await?;
    }
    decode(response).await
}

/// The same, for answers without a body (204).
pub async fn send_empty<B: Serialize>(method: &str, path: &str, body: &B) -> Result<(), ApiError> {
    let mut response = send_raw(method, path, body).await?;
    if response.status() == 401 && refresh_session(path).await {
        response = send_raw(method, path, body).await?;
    }
    if response.ok() {
        return Ok(());
    }
    decode::<serde_json::Value>(response).await.map(drop)
}

/// Rotates the session cookies; answers whether a session goes on. Auth calls never refresh.
async fn refresh_session(path: &str) -> bool {
    if path.starts_with("/api/v1/auth/") {
        return false;
    }
    match send_raw("POST", "/api/v1/auth/refresh", &serde_json::json!({})).await {
        Ok(response) => response.ok(),
        Err(_) => false,
    }
}

/// Rotates the session cookies before a members' live channel reconnects: the server closes it
/// when the access token expires (4001), and a fresh token is needed to open it again.
pub async fn renew_session() -> bool {
    refresh_session("/api/v1/orgs").await
}

/// The problem the API named for a form field, if any.
pub fn field_problem(error: &Option<ApiError>, field: &str) -> Option<String> {
    error
        .as_ref()
        .and_then(|e| e.body.error.fields.as_ref())
        .and_then(|fields| fields.get(field))
        .map(|problems| problems.join("; "))
}

/// The signed-in person and their organizations.
pub async fn me() -> Result<upstate_shared::dto::Me, ApiError> {
    get("/api/v1/auth/me").await
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
