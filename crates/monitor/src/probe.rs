//! Running one check once: [`probe`] answers an [`Outcome`] whose message tells the owner what
//! was seen ("HTTP 503 (expected 200-299)", "connection refused by 10.0.0.5:5432") and never
//! carries a credential: URLs with user names or passwords are refused before any request, and
//! header values and bodies are never quoted.

use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use upstate_egress::header::{HeaderMap, HeaderName, HeaderValue};
use upstate_egress::{Client, EgressError, Policy};

use crate::State;
use crate::definition::{Check, Header, HttpCheck, HttpMethod, JsonExpectation, StatusRange};

/// How monitors introduce themselves to the services they check.
pub const USER_AGENT: &str = "Upstate-Monitor/1";

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
/// up after `timeout`.
///
/// HTTP opens a new connection each time (a client per probe), so the latency includes the
/// connection and TLS handshake as a visitor's would, and a server that stops accepting
/// connections is seen as down rather than hidden behind a pooled one.
pub async fn probe(check: &Check, policy: Policy, timeout: Duration) -> Outcome {
    let started = Instant::now();
    let result = tokio::time::timeout(timeout, run(check, policy, timeout)).await;
    let latency = started.elapsed();
    let (state, message) = match result {
        Ok(Ok(seen)) => seen,
        Ok(Err(failure)) => (State::Down, failure),
        Err(_) => (
            State::Down,
            format!("timed out after {}", in_words(timeout)),
        ),
    };
    // A right answer that came slowly: degraded.
    let slower_than = match check {
        Check::Http(HttpCheck {
            degraded_after_ms: Some(limit),
            ..
        }) => Some(Duration::from_millis((*limit).into())),
        _ => None,
    };
    let (state, message) = match slower_than {
        Some(limit) if state == State::Up && latency > limit => (
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
async fn run(check: &Check, policy: Policy, timeout: Duration) -> Result<(State, String), String> {
    let started = Instant::now();
    match check {
        Check::Http(HttpCheck {
            url,
            method,
            headers,
            body,
            expected_statuses,
            keyword,
            json_path,
            ..
        }) => {
            // Egress quotes a URL it cannot parse in its refusal, and the URL may hold a secret;
            // its other refusals (credentials in the URL, a refused port) quote none of it.
            upstate_egress::Url::parse(url.trim())
                .map_err(|_| "the monitor's URL is not a valid URL".to_owned())?;
            let client = Client::new(policy, USER_AGENT)
                .map_err(|err| err.to_string())?
                .with_timeout(timeout);
            let response = client
                .request(
                    method_of(*method),
                    url,
                    header_map(headers)?,
                    body.as_ref().map(|body| body.clone().into_bytes()),
                )
                .await
                .map_err(|err| egress_failure(&err))?;
            judge_answer(
                &response,
                expected_statuses,
                keyword.as_deref(),
                json_path.as_ref(),
                client.body_limit(),
            )?;
            Ok((
                State::Up,
                format!(
                    "HTTP {} in {}",
                    response.status,
                    in_words(started.elapsed())
                ),
            ))
        }
        Check::Tcp { host, port } => {
            let host = host.trim().trim_start_matches('[').trim_end_matches(']');
            let addresses = upstate_egress::resolve(host, *port, &policy)
                .await
                .map_err(|err| egress_failure(&err))?;
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

/// The check's headers as egress sends them. A header that cannot be sent fails the probe,
/// naming the header but not its value.
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
) -> Result<(), String> {
    let status = response.status;
    if !expected_statuses.iter().any(|range| range.contains(status)) {
        let expected = expected_statuses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let hint = if (300..400).contains(&status) {
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

/// Egress's description of a failure, in the words of a monitor's history.
fn egress_failure(err: &EgressError) -> String {
    match err {
        EgressError::Timeout {
            after,
            connecting: false,
        } => format!("timed out after {}", in_words(*after)),
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
