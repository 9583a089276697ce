//! The outbound HTTP client: every request resolves through the policy, connects only to a
//! checked address, follows no redirect, gives up after a short time and reads a bounded answer.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, redirect};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::address::Policy;
use crate::error::{EgressError, Limits};
use crate::target::{parse_and_check_literal, resolve};

/// The HTTP client for other people's addresses (webhooks, chat integrations, monitors, OpenID
/// discovery). Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    http: reqwest::Client,
    policy: Policy,
    timeout: Duration,
    body_limit: usize,
}

/// An answer, whatever its status: a 3xx or a 500 is an answer too.
#[derive(Clone, Debug)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// From sending the request to the end of the (bounded) body.
    pub elapsed: Duration,
    /// The response headers (`Location` of a redirect, `Retry-After`, ...).
    pub headers: HeaderMap,
    /// The body as text, cut at the client's bound; bytes that are not UTF-8 become `�`.
    pub body: String,
    /// Whether the body went on past the bound (and was cut).
    pub truncated: bool,
    /// The bound the body was read with.
    body_limit: usize,
}

impl Response {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body read as JSON (an OpenID discovery document, a JWKS). A body cut at the bound is
    /// [`EgressError::TooLarge`].
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, EgressError> {
        if self.truncated {
            return Err(EgressError::TooLarge {
                limit: self.body_limit,
            });
        }
        serde_json::from_str(&self.body).map_err(|err| EgressError::InvalidJson(err.to_string()))
    }
}

impl Client {
    /// How long opening a connection (name lookup, TCP and TLS handshakes) may take.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
    /// How long a whole request may take unless [`Client::with_timeout`] says otherwise.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
    /// How much of an answer's body is read unless [`Client::with_body_limit`] says otherwise.
    pub const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

    /// A client that reaches the addresses `policy` allows and introduces itself as
    /// `user_agent`. Fails only if the user agent is not a valid header value or TLS cannot be
    /// set up.
    pub fn new(policy: Policy, user_agent: &str) -> Result<Client, EgressError> {
        // Before native-tls touches OpenSSL: initialised without an exit handler (issue 21,
        // see upstate-store's `connect_postgres`).
        openssl::init();
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|err| EgressError::Failed(format!("invalid user agent: {err}")))?;
        let http = reqwest::Client::builder()
            .user_agent(user_agent)
            .dns_resolver(Arc::new(CheckingResolver { policy }))
            .connect_timeout(Self::CONNECT_TIMEOUT)
            .timeout(Self::DEFAULT_TIMEOUT)
            .redirect(redirect::Policy::none())
            .no_proxy()
            .build()
            .map_err(|err| {
                EgressError::Failed(format!("could not set up the HTTP client: {err}"))
            })?;
        Ok(Client {
            http,
            policy,
            timeout: Self::DEFAULT_TIMEOUT,
            body_limit: Self::DEFAULT_BODY_LIMIT,
        })
    }

    /// The same client with another limit for a whole request (a monitor's own timeout).
    pub fn with_timeout(mut self, timeout: Duration) -> Client {
        self.timeout = timeout;
        self
    }

    /// The same client reading at most `bytes` of each answer's body.
    pub fn with_body_limit(mut self, bytes: usize) -> Client {
        self.body_limit = bytes;
        self
    }

    /// The policy the client checks addresses with.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// The bound on an answer's body, in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// `GET url` with `headers`.
    pub async fn get(&self, url: &str, headers: HeaderMap) -> Result<Response, EgressError> {
        self.send(Method::GET, url, headers, None).await
    }

    /// `POST url` with `body` serialized as JSON (`Content-Type: application/json`) and
    /// `headers`.
    pub async fn post_json<T: Serialize + ?Sized>(
        &self,
        url: &str,
        mut headers: HeaderMap,
        body: &T,
    ) -> Result<Response, EgressError> {
        let body = serde_json::to_vec(body)
            .map_err(|err| EgressError::Failed(format!("could not encode the JSON body: {err}")))?;
        headers
            .entry(header::CONTENT_TYPE)
            .or_insert(HeaderValue::from_static("application/json"));
        self.send(Method::POST, url, headers, Some(body)).await
    }

    /// `POST url` with exactly these bytes (a signed webhook payload) and `headers`, which
    /// should name the content type.
    pub async fn post_bytes(
        &self,
        url: &str,
        headers: HeaderMap,
        body: Vec<u8>,
    ) -> Result<Response, EgressError> {
        self.send(Method::POST, url, headers, Some(body)).await
    }

    /// `method url` with `headers` and, if given, exactly these body bytes: a monitor's own
    /// request. The guarantees of every other request hold (checked addresses, no redirect,
    /// the client's timeout, a bounded answer); a redirect comes back as its 3xx answer.
    pub async fn request(
        &self,
        method: Method,
        url: &str,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
    ) -> Result<Response, EgressError> {
        self.send(method, url, headers, body).await
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        headers: HeaderMap,
        body: Option<Vec<u8>>,
    ) -> Result<Response, EgressError> {
        // A name goes through `CheckingResolver`; an address written in the URL does not, so
        // it is checked here.
        let url = parse_and_check_literal(url, &self.policy)?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let limits = Limits {
            connect_timeout: Self::CONNECT_TIMEOUT,
            timeout: self.timeout,
        };
        let failed = |err: reqwest::Error| EgressError::from_reqwest(&err, &host, &limits);

        let mut request = self
            .http
            .request(method, url)
            .headers(headers)
            .timeout(self.timeout);
        if let Some(body) = body {
            request = request.body(body);
        }
        let started = Instant::now();
        let mut response = request.send().await.map_err(failed)?;
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());

        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            let room = self.body_limit - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response {
            status,
            elapsed: started.elapsed(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            truncated,
            body_limit: self.body_limit,
        })
    }
}

/// reqwest's name resolver for [`Client`]: answers a name's addresses only when the policy
/// allows every one of them, so the connection goes to an address that was just checked (a
/// name that changes its answer between a check and the request gains nothing).
struct CheckingResolver {
    policy: Policy,
}

impl Resolve for CheckingResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: reqwest puts in the URL's port.
            let addresses = resolve(&host, 0, &policy).await?;
            Ok(Box::new(addresses.into_iter()) as Addrs)
        })
    }
}
