//! Running one check once: [`probe`] answers an [`Outcome`] whose message tells the owner what
//! was seen ("HTTP 503 (expected 200-299)", "connection refused by 10.0.0.5:5432") and never
//! carries a credential: URLs with user names or passwords are refused before any request,
//! header values and bodies are never quoted, and a redirect is named by its host alone (a
//! query string can hold a token).

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use upstate_egress::header::{self, HeaderMap, HeaderName, HeaderValue};
use upstate_egress::{Client, EgressError, Method, Policy, RootCertificates, Url};

use crate::State;
use crate::definition::{Check, Header, HttpCheck, HttpMethod, JsonExpectation, StatusRange};

/// How monitors introduce themselves to the services they check.
pub const USER_AGENT: &str = "Upstate-Monitor/1";
/// The most redirects an HTTP check follows (when it follows them at all).
pub const REDIRECTS_MAX: usize = 5;

/// What one probe saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    pub state: State,
    /// From the start of the probe (name lookup included) to its result.
    pub latency_ms: u64,
    /// One line for the monitor's history, safe to show to anyone who can see the monitor.
    pub message: String,
}

/// Runs `check` once, reaching only the addresses `policy` allows (as webhooks do), and gives
/// up after `timeout`. HTTPS trusts the system's certificate authorities.
///
/// HTTP opens a new connection each time (a client per probe), so the latency includes the
/// connection and TLS handshake as a visitor's would, and a server that stops accepting
/// connections is seen as down rather than hidden behind a pooled one.
pub async fn probe(check: &Check, policy: Policy, timeout: Duration) -> Outcome {
    probe_with_roots(check, policy, &RootCertificates::default(), timeout).await
}

/// [`probe`], with HTTPS trusting the operator's certificate authorities (`roots`) besides the
/// system's: a service on the operator's network whose certificate an internal CA signed.
pub async fn probe_with_roots(
    check: &Check,
    policy: Policy,
    roots: &RootCertificates,
    timeout: Duration,
) -> Outcome {
    match Prober::new(policy, roots) {
        Ok(prober) => prober.probe(check, timeout).await,
        Err(err) => Outcome {
            state: State::Down,
            latency_ms: 0,
            message: err.to_string(),
        },
    }
}

/// Runs checks with one HTTP client, set up once: setting one up reads the system's certificate
/// authorities (tens of milliseconds of CPU), which a probe each time made the runner's main
/// cost. The client still opens a new connection for each request.
#[derive(Clone)]
pub struct Prober {
    client: Client,
}

impl Prober {
    /// A prober reaching only what `policy` allows, HTTPS trusting the system's authorities and
    /// `roots`.
    pub fn new(policy: Policy, roots: &RootCertificates) -> Result<Prober, EgressError> {
        Ok(Prober {
            client: Client::without_connection_reuse(policy, USER_AGENT, roots)?,
        })
    }

    /// Runs `check` once, giving up after `timeout` (see [`probe`]).
    pub async fn probe(&self, check: &Check, timeout: Duration) -> Outcome {
        probe_with_client(check, &self.client, timeout).await
    }
}

async fn probe_with_client(check: &Check, client: &Client, timeout: Duration) -> Outcome {
    let started = Instant::now();
    let client = client.clone().with_timeout(timeout);
    let result = tokio::time::timeout(timeout, run(check, &client)).await;
    let latency = started.elapsed();
    let (state, message) = match result {
        Ok(Ok(seen)) => seen,
        Ok(Err(failure)) => (State::Down, failure),
        Err(_) => (
            State::Down,
            format!("timed out after {}", in_words(timeout)),
        ),
    };
    // A right answer that came slowly: degraded (also when it already is, for its certificate).
    let slower_than = match check {
        Check::Http(HttpCheck {
            degraded_after_ms: Some(limit),
            ..
        }) => Some(Duration::from_millis((*limit).into())),
        _ => None,
    };
    let (state, message) = match slower_than {
        Some(limit) if state != State::Down && latency > limit => (
            State::Degraded,
            format!("{message}, slower than {}", in_words(limit)),
        ),
        _ => (state, message),
    };
    Outcome {
        state,
        latency_ms: u64::try_from(latency.as_millis()).unwrap_or(u64::MAX),
        message,
    }
}

/// The probe itself: `Ok` with what was seen, or `Err` with why the service is down.
async fn run(check: &Check, client: &Client) -> Result<(State, String), String> {
    let started = Instant::now();
    let policy = client.policy();
    match check {
        Check::Http(http) => run_http(http, client, started).await,
        Check::Tcp { host, port } => {
            let host = host.trim().trim_start_matches('[').trim_end_matches(']');
            let addresses = upstate_egress::resolve(host, *port, &policy)
                .await
                .map_err(|err| egress_failure(&err, false))?;
            connect_to_one(&addresses).await?;
            Ok((
                State::Up,
                format!("connected in {}", in_words(started.elapsed())),
            ))
        }
        Check::Heartbeat { .. } => {
            Err("a heartbeat is not probed: its job calls the monitor's URL".to_owned())
        }
        Check::Dns { name, expected } => {
            let name = name.trim();
            let mut answers: Vec<IpAddr> = Vec::new();
            let found = tokio::net::lookup_host((name, 0))
                .await
                .map_err(|err| format!("could not resolve {name}: {}", without_os_code(&err)))?;
            for address in found {
                if !answers.contains(&address.ip()) {
                    answers.push(address.ip());
                }
            }
            if answers.is_empty() {
                return Err(format!("{name} has no address"));
            }
            // The same rule as for the addresses HTTP and TCP checks reach: an answer the policy
            // forbids is neither shown nor compared, or a tenant could read the network's
            // internal names through the check's message.
            if let Some(kind) = answers.iter().find_map(|ip| policy.check(*ip).err()) {
                return Err(format!(
                    "{name} resolves to a {kind}, which this server does not check \
                     (its operator can allow private targets)"
                ));
            }
            let listed = list(&answers);
            match expected {
                None => Ok((State::Up, format!("{name} resolves to {listed}"))),
                Some(expected) => match expected.trim().parse::<IpAddr>() {
                    Ok(expected) if answers.contains(&expected) => {
                        Ok((State::Up, format!("{name} resolves to {listed}")))
                    }
                    Ok(expected) => Err(format!("{name} resolves to {listed}, not {expected}")),
                    Err(_) => Err("the expected answer is not an IP address".to_owned()),
                },
            }
        }
    }
}

/// One request of an HTTP check: the check's own, or one a redirect leads to.
struct Hop {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

/// An HTTP check: its request, the redirects it follows (each through egress, so each is
/// checked against the policy as the first one is), and the judgement of the last answer and
/// of the certificates seen on the way.
async fn run_http(
    check: &HttpCheck,
    client: &Client,
    started: Instant,
) -> Result<(State, String), String> {
    let HttpCheck {
        url,
        method,
        headers,
        body,
        expected_statuses,
        keyword,
        json_path,
        degraded_after_ms: _,
        follow_redirects,
        tls_expiry_warning_days,
    } = check;
    // Egress quotes a URL it cannot parse in its refusal, and the URL may hold a secret; its
    // other refusals (credentials in the URL, a refused port) quote none of it.
    let url =
        Url::parse(url.trim()).map_err(|_| "the monitor's URL is not a valid URL".to_owned())?;
    let own_headers = header_map(headers)?;
    let mut hop = Hop {
        method: method_of(*method),
        url,
        headers: own_headers.clone(),
        body: body.as_ref().map(|body| body.clone().into_bytes()),
    };
    let own_url = hop.url.clone();
    let mut redirects = 0;
    // The certificate that expires first on the way, and its host.
    let mut expires_first: Option<(DateTime<Utc>, String)> = None;
    let response = loop {
        let response = client
            .request(
                hop.method.clone(),
                hop.url.as_str(),
                hop.headers.clone(),
                hop.body.clone(),
            )
            .await
            .map_err(|err| match redirects {
                0 => egress_failure(&err, false),
                n => format!(
                    "after {}: {}",
                    count(n, "redirect"),
                    egress_failure(&err, true)
                ),
            })?;
        if let Some(not_after) = response.peer_certificate_not_after
            && expires_first
                .as_ref()
                .is_none_or(|(first, _)| not_after < *first)
        {
            expires_first = Some((not_after, host_of(&hop.url)));
        }
        if !follow_redirects {
            break response;
        }
        let Some(next) = redirect(&hop, &response, &own_url, &own_headers)? else {
            break response;
        };
        if redirects == REDIRECTS_MAX {
            return Err(format!(
                "more than {REDIRECTS_MAX} redirects, the last to {}",
                host_of(&next.url)
            ));
        }
        redirects += 1;
        hop = next;
    };

    let via = match redirects {
        0 => String::new(),
        n => format!(" after {} to {}", count(n, "redirect"), host_of(&hop.url)),
    };
    judge_answer(
        &response,
        expected_statuses,
        keyword.as_deref(),
        json_path.as_ref(),
        client.body_limit(),
        *follow_redirects,
    )
    .map_err(|why| format!("{why}{via}"))?;
    let seen = format!(
        "HTTP {} in {}{via}",
        response.status,
        in_words(started.elapsed())
    );
    if let (Some(days), Some((not_after, host))) = (tls_expiry_warning_days, expires_first) {
        let of = if redirects > 0 {
            format!(" of {host}")
        } else {
            String::new()
        };
        let left = not_after - Utc::now();
        let day = not_after.format("%Y-%m-%d");
        // Verified by egress a moment ago: expired only if it ended in between.
        if left <= chrono::Duration::zero() {
            return Err(format!("the certificate{of} expired on {day}"));
        }
        if left < chrono::Duration::days((*days).into()) {
            return Ok((
                State::Degraded,
                format!(
                    "{seen}, the certificate{of} expires in {} ({day})",
                    time_left(left)
                ),
            ));
        }
    }
    Ok((State::Up, seen))
}

/// The request a redirect leads to, or `None` when `response` is not a redirect (301, 302,
/// 303, 307 or 308). As browsers do: 303, and a POST answered 301 or 302, become a GET without
/// a body; 307 and 308 repeat the method and the body. The check's headers (often a credential)
/// go only to its URL's origin.
fn redirect(
    hop: &Hop,
    response: &upstate_egress::Response,
    own_url: &Url,
    own_headers: &HeaderMap,
) -> Result<Option<Hop>, String> {
    let status = response.status;
    if !matches!(status, 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let location = response
        .headers
        .get(header::LOCATION)
        .ok_or_else(|| format!("HTTP {status} without a Location to follow"))?;
    let url = location
        .to_str()
        .ok()
        .and_then(|location| hop.url.join(location.trim()).ok())
        .ok_or_else(|| format!("HTTP {status} with a Location that is not a URL"))?;
    let mut headers = if url.origin() == own_url.origin() {
        own_headers.clone()
    } else {
        HeaderMap::new()
    };
    let to_get = match status {
        303 => hop.method != Method::HEAD,
        301 | 302 => hop.method == Method::POST,
        _ => false,
    };
    let (method, body) = if to_get {
        for name in [
            header::CONTENT_TYPE,
            header::CONTENT_ENCODING,
            header::CONTENT_LANGUAGE,
            header::CONTENT_LOCATION,
        ] {
            headers.remove(name);
        }
        (Method::GET, None)
    } else {
        (hop.method.clone(), hop.body.clone())
    };
    Ok(Some(Hop {
        method,
        url,
        headers,
        body,
    }))
}

/// A URL's host, for messages: never its path or query, which can hold a token.
fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or("?").to_owned()
}

/// `1 redirect`, `3 redirects`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// `5 days`, `1 day`, `7 hours`, `less than an hour`.
fn time_left(left: chrono::Duration) -> String {
    match (left.num_days(), left.num_hours()) {
        (0, 0) => "less than an hour".to_owned(),
        (0, hours) => count(hours.unsigned_abs() as usize, "hour"),
        (days, _) => count(days.unsigned_abs() as usize, "day"),
    }
}

/// The method as egress sends it.
fn method_of(method: HttpMethod) -> upstate_egress::Method {
    match method {
        HttpMethod::Get => upstate_egress::Method::GET,
        HttpMethod::Head => upstate_egress::Method::HEAD,
        HttpMethod::Post => upstate_egress::Method::POST,
        HttpMethod::Put => upstate_egress::Method::PUT,
        HttpMethod::Patch => upstate_egress::Method::PATCH,
        HttpMethod::Delete => upstate_egress::Method::DELETE,
        HttpMethod::Options => upstate_egress::Method::OPTIONS,
    }
}

/// The check's headers as egress sends them. A header that cannot be sent fails the probe,
/// naming the header but not its value.
fn header_map(headers: &[Header]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for Header { name, value } in headers {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("the header name {name:?} is not valid"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of the header {name} is not valid"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// Every rule of an HTTP check against its answer, in the order a reader would check them:
/// the status, the keyword, the JSON value. `Err` names the first rule that failed.
fn judge_answer(
    response: &upstate_egress::Response,
    expected_statuses: &[StatusRange],
    keyword: Option<&str>,
    json_path: Option<&JsonExpectation>,
    body_limit: usize,
    follow_redirects: bool,
) -> Result<(), String> {
    let status = response.status;
    if !expected_statuses.iter().any(|range| range.contains(status)) {
        let expected = expected_statuses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let hint = if (300..400).contains(&status) && !follow_redirects {
            "; redirects are not followed"
        } else {
            ""
        };
        return Err(format!("HTTP {status} (expected {expected}){hint}"));
    }
    if let Some(keyword) = keyword
        && !response.body.contains(keyword)
    {
        let where_ = if response.truncated {
            format!(" in the first {} KiB of the answer", body_limit / 1024)
        } else {
            String::new()
        };
        return Err(format!("keyword {keyword:?} not found{where_}"));
    }
    if let Some(JsonExpectation { pointer, expected }) = json_path {
        if response.truncated {
            return Err(format!(
                "the answer is larger than {} KiB, so its JSON cannot be read",
                body_limit / 1024
            ));
        }
        let document: serde_json::Value = serde_json::from_str(&response.body)
            .map_err(|_| "the answer is not JSON".to_owned())?;
        let shown = if pointer.is_empty() {
            "the answer"
        } else {
            pointer
        };
        match document.pointer(pointer) {
            None => return Err(format!("no value at {shown}")),
            Some(found) if found != expected => {
                return Err(format!(
                    "{shown} is {} (expected {})",
                    short(found),
                    short(expected)
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Connects to the first address that accepts, trying them in the resolver's order.
async fn connect_to_one(addresses: &[SocketAddr]) -> Result<(), String> {
    let mut last = String::from("no address to connect to");
    for address in addresses {
        match tokio::net::TcpStream::connect(address).await {
            Ok(_connected) => return Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::ConnectionRefused => {
                last = format!("connection refused by {address}");
            }
            Err(err) => last = format!("could not connect to {address}: {}", without_os_code(&err)),
        }
    }
    Err(last)
}

/// Egress's description of a failure, in the words of a monitor's history. A refused
/// certificate is the monitored URL's ("the certificate expired on 2026-11-20") unless a
/// redirect led elsewhere (`named`: egress's words, with the host).
fn egress_failure(err: &EgressError, named: bool) -> String {
    match err {
        EgressError::Timeout {
            after,
            connecting: false,
        } => format!("timed out after {}", in_words(*after)),
        EgressError::Certificate { problem, .. } if !named => problem.to_string(),
        other => other.to_string(),
    }
}

/// `Connection refused` rather than `Connection refused (os error 111)`.
fn without_os_code(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

/// Up to five addresses, then how many more.
fn list(addresses: &[IpAddr]) -> String {
    const SHOWN: usize = 5;
    let mut text = addresses
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if addresses.len() > SHOWN {
        text.push_str(&format!(" and {} more", addresses.len() - SHOWN));
    }
    text
}

/// A JSON value for a message, cut at 80 characters.
fn short(value: &serde_json::Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

/// `12 ms`, `5 s`, `2.5 s`.
fn in_words(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_a_certificate_has_left_reads_in_days_then_hours() {
        assert_eq!(time_left(chrono::Duration::hours(5 * 24 + 1)), "5 days");
        assert_eq!(time_left(chrono::Duration::hours(30)), "1 day");
        assert_eq!(time_left(chrono::Duration::hours(7)), "7 hours");
        assert_eq!(time_left(chrono::Duration::minutes(61)), "1 hour");
        assert_eq!(
            time_left(chrono::Duration::minutes(20)),
            "less than an hour"
        );
    }

    #[test]
    fn durations_read_in_plain_units() {
        assert_eq!(in_words(Duration::from_millis(12)), "12 ms");
        assert_eq!(in_words(Duration::from_secs(5)), "5 s");
        assert_eq!(in_words(Duration::from_millis(2500)), "2.5 s");
    }

    #[test]
    fn long_answers_are_shortened_in_messages() {
        let long = serde_json::json!("x".repeat(200));
        assert_eq!(short(&long).chars().count(), 81);
        let many: Vec<IpAddr> = (1..=7).map(|n| IpAddr::from([10, 0, 0, n])).collect();
        assert_eq!(
            list(&many),
            "10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4, 10.0.0.5 and 2 more"
        );
    }

    #[test]
    fn a_header_that_cannot_be_sent_is_named_without_its_value() {
        let failure = header_map(&[Header {
            name: "Authorization".into(),
            value: "Bearer s3cret\n".into(),
        }])
        .unwrap_err();
        assert_eq!(
            failure,
            "the value of the header authorization is not valid"
        );
    }
}
