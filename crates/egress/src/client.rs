//! The outbound HTTP client: every request resolves through the policy, connects only to a
//! checked address, follows no redirect, gives up after a short time and reads a bounded answer.
//! An https answer carries its server certificate's expiry.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Method, redirect};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::address::Policy;
use crate::error::{EgressError, Limits};
use crate::target::{parse_and_check_literal, resolve};
use crate::tls::{CertificateProblem, RootCertificates, Validity, dates_of_refused_certificate};

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
    /// When the server's certificate (the leaf it presented) expires, for an https answer;
    /// `None` over plain http.
    pub peer_certificate_not_after: Option<DateTime<Utc>>,
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
    /// `user_agent`, trusting the system's certificate authorities. Fails only if the user
    /// agent is not a valid header value or TLS cannot be set up.
    pub fn new(policy: Policy, user_agent: &str) -> Result<Client, EgressError> {
        Client::with_root_certificates(policy, user_agent, &RootCertificates::default())
    }

    /// A client as [`Client::new`] that also trusts the authorities in `roots` (an operator's
    /// internal CA).
    pub fn with_root_certificates(
        policy: Policy,
        user_agent: &str,
        roots: &RootCertificates,
    ) -> Result<Client, EgressError> {
        Client::build(policy, user_agent, roots, true)
    }

    /// A client as [`Client::with_root_certificates`] that opens a new connection for every
    /// request (a monitor's: a server that stops accepting connections must be seen, not hidden
    /// behind a pooled one). Build it once and clone it: setting up TLS reads the system's
    /// certificate authorities, tens of milliseconds of CPU each time.
    pub fn without_connection_reuse(
        policy: Policy,
        user_agent: &str,
        roots: &RootCertificates,
    ) -> Result<Client, EgressError> {
        Client::build(policy, user_agent, roots, false)
    }

    fn build(
        policy: Policy,
        user_agent: &str,
        roots: &RootCertificates,
        reuse_connections: bool,
    ) -> Result<Client, EgressError> {
        // Before native-tls touches OpenSSL: initialised without an exit handler (issue 21,
        // see upstate-store's `connect_postgres`).
        openssl::init();
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|err| EgressError::Failed(format!("invalid user agent: {err}")))?;
        let mut builder = reqwest::Client::builder()
            .user_agent(user_agent)
            .dns_resolver(Arc::new(CheckingResolver { policy }))
            .connect_timeout(Self::CONNECT_TIMEOUT)
            .timeout(Self::DEFAULT_TIMEOUT)
            .redirect(redirect::Policy::none())
            .no_proxy()
            // The server's certificate, for its expiry.
            .tls_info(true);
        for root in roots.certificates() {
            builder = builder.add_root_certificate(root.clone());
        }
        if !reuse_connections {
            builder = builder.pool_max_idle_per_host(0);
        }
        let http = builder.build().map_err(|err| {
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
            .request(method, url.clone())
            .headers(headers)
            .timeout(self.timeout);
        if let Some(body) = body {
            request = request.body(body);
        }
        let started = Instant::now();
        let mut response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Err(self.refused_certificate_dated(failed(err), &url).await),
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let peer_certificate_not_after = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(reqwest::tls::TlsInfo::peer_certificate)
            .and_then(Validity::of_der)
            .map(|validity| validity.not_after);

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
            peer_certificate_not_after,
            body_limit: self.body_limit,
        })
    }

    /// A certificate that failed verification because of its dates says since (or until)
    /// when: OpenSSL names the failure but not the day, so a second handshake, verifying
    /// nothing and sending nothing, reads the dates. Any other error is answered as it is.
    async fn refused_certificate_dated(&self, error: EgressError, url: &url::Url) -> EgressError {
        let EgressError::Certificate {
            host,
            problem: CertificateProblem::Untrusted { reason },
        } = error
        else {
            return error;
        };
        // OpenSSL's words for X509_V_ERR_CERT_HAS_EXPIRED and X509_V_ERR_CERT_NOT_YET_VALID.
        if !(reason.contains("expired") || reason.contains("not yet valid")) {
            return EgressError::Certificate {
                host,
                problem: CertificateProblem::Untrusted { reason },
            };
        }
        let dated = dates_of_refused_certificate(url, &self.policy, Self::CONNECT_TIMEOUT)
            .await
            .and_then(|validity| validity.problem(Utc::now()));
        EgressError::Certificate {
            host,
            problem: dated.unwrap_or(CertificateProblem::Untrusted { reason }),
        }
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
