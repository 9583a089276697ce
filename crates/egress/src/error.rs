//! What can go wrong on the way out, in words an administrator reads in a delivery log.

use std::error::Error as StdError;
use std::net::IpAddr;
use std::time::Duration;

use crate::address::ForbiddenKind;
use crate::tls::{CertificateProblem, verification_failure};

/// Why a URL was refused or a request got no answer. The `Display` text is meant for the
/// dashboard's delivery log and monitor history.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EgressError {
    /// The URL cannot be used: not a URL, not http(s), credentials in it, a refused port.
    #[error("bad URL: {0}")]
    BadUrl(String),
    /// The host is, or resolves to, an address the policy refuses.
    #[error(
        "refused {}: {kind}; {}",
        target(host, *address),
        if *kind == ForbiddenKind::CloudMetadata {
            "Upstate never reaches it"
        } else {
            "Upstate reaches only public addresses unless the operator allows private ones"
        }
    )]
    Forbidden {
        /// The URL's host, as written (a name or an address).
        host: String,
        /// The refused address.
        address: IpAddr,
        /// What kind of address it is.
        kind: ForbiddenKind,
    },
    /// The host name could not be resolved.
    #[error("could not resolve {host}: {reason}")]
    Dns {
        /// The host name.
        host: String,
        /// The resolver's answer.
        reason: String,
    },
    /// No connection could be opened (refused, unreachable, reset).
    #[error("could not connect to {host}: {reason}")]
    Connect {
        /// The URL's host.
        host: String,
        /// The system's reason.
        reason: String,
    },
    /// The connection, or the whole exchange, took longer than allowed.
    #[error("{}", if *connecting {
        format!("could not connect within {}", duration(*after))
    } else {
        format!("no complete answer within {}", duration(*after))
    })]
    Timeout {
        /// The limit that was reached.
        after: Duration,
        /// Whether the limit was the connection's (else the whole request's).
        connecting: bool,
    },
    /// The TLS handshake failed for another reason than the certificate: a server that does
    /// not speak TLS, no cipher in common.
    #[error("TLS failure with {host}: {reason}")]
    Tls {
        /// The URL's host.
        host: String,
        /// OpenSSL's reason.
        reason: String,
    },
    /// The server's certificate was refused: expired, not yet valid, or not signed by an
    /// authority the system (or the operator's [`RootCertificates`](crate::RootCertificates))
    /// trusts, or not for this host.
    #[error("TLS failure with {host}: {problem}")]
    Certificate {
        /// The URL's host.
        host: String,
        /// What is wrong with it.
        problem: CertificateProblem,
    },
    /// The answer is larger than the client reads, so it cannot be used whole.
    #[error("the answer is larger than {limit} bytes")]
    TooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
    /// The answer is not the JSON that was expected.
    #[error("the answer is not the expected JSON: {0}")]
    InvalidJson(String),
    /// Anything else: the connection broke while reading, the server did not speak HTTP, the
    /// client could not be set up.
    #[error("the request failed: {0}")]
    Failed(String),
}

/// `localhost (127.0.0.1)`, or the address alone when it is the host.
fn target(host: &str, address: IpAddr) -> String {
    let literal = host.trim_start_matches('[').trim_end_matches(']');
    if literal.parse() == Ok(address) {
        address.to_string()
    } else {
        format!("{host} ({address})")
    }
}

/// `300 ms`, `3 s`, `2.5 s`.
fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// The settings a failure is described with.
pub(crate) struct Limits {
    pub(crate) connect_timeout: Duration,
    pub(crate) timeout: Duration,
}

impl EgressError {
    /// Describes a failure of reqwest for a request to `host`.
    pub(crate) fn from_reqwest(err: &reqwest::Error, host: &str, limits: &Limits) -> EgressError {
        // The resolver's refusals and DNS failures travel inside reqwest's error as they are.
        if let Some(ours) = find::<EgressError>(err) {
            return ours.clone();
        }
        if err.is_timeout() {
            let connecting = err.is_connect();
            return EgressError::Timeout {
                after: if connecting {
                    limits.connect_timeout
                } else {
                    limits.timeout
                },
                connecting,
            };
        }
        if let Some(tls) = find::<native_tls::Error>(err) {
            if let Some(reason) = verification_failure(&tls.to_string()) {
                return EgressError::Certificate {
                    host: host.to_owned(),
                    problem: CertificateProblem::Untrusted { reason },
                };
            }
            return EgressError::Tls {
                host: host.to_owned(),
                reason: tls.to_string(),
            };
        }
        if err.is_connect() {
            return EgressError::Connect {
                host: host.to_owned(),
                reason: root_cause(err),
            };
        }
        EgressError::Failed(root_cause(err))
    }
}

/// The first error of type `E` in `err`'s chain of causes.
fn find<'a, E: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a E> {
    let mut next = Some(err);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<E>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

/// The innermost cause, which names what happened ("Connection refused", "connection closed
/// before message completed"), without the OS error number.
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut innermost = err;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_host_and_the_address() {
        let by_name = EgressError::Forbidden {
            host: "localhost".into(),
            address: "127.0.0.1".parse().unwrap(),
            kind: ForbiddenKind::Loopback,
        };
        assert_eq!(
            by_name.to_string(),
            "refused localhost (127.0.0.1): loopback address (this machine); Upstate reaches \
             only public addresses unless the operator allows private ones"
        );
        let literal = EgressError::Forbidden {
            host: "[::ffff:a9fe:a9fe]".into(),
            address: "::ffff:169.254.169.254".parse().unwrap(),
            kind: ForbiddenKind::CloudMetadata,
        };
        assert_eq!(
            literal.to_string(),
            "refused ::ffff:169.254.169.254: cloud metadata address; Upstate never reaches it"
        );
    }

    #[test]
    fn timeouts_read_in_plain_units() {
        let slow = EgressError::Timeout {
            after: Duration::from_millis(300),
            connecting: false,
        };
        assert_eq!(slow.to_string(), "no complete answer within 300 ms");
        let connect = EgressError::Timeout {
            after: Duration::from_secs(3),
            connecting: true,
        };
        assert_eq!(connect.to_string(), "could not connect within 3 s");
        assert_eq!(duration(Duration::from_millis(2500)), "2.5 s");
    }
}
