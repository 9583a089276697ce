//! Certificates: the operator's own certificate authorities ([`RootCertificates`]), a server
//! certificate's dates, and why one was refused ([`CertificateProblem`]).

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use openssl::asn1::{Asn1Time, Asn1TimeRef};
use openssl::x509::X509;
use url::{Host, Url};

use crate::address::Policy;
use crate::target::resolve;

/// Certificate authorities trusted besides the system's: an operator's internal CA, so that
/// monitors and webhooks can reach services whose certificates it signed. Read once from PEM
/// ([`RootCertificates::from_pem_file`]) and given to [`Client::with_root_certificates`]
/// (crate::Client::with_root_certificates). Cheap to clone. The default trusts none beyond
/// the system's.
#[derive(Clone, Default)]
pub struct RootCertificates {
    certificates: Arc<[reqwest::Certificate]>,
    /// Their subjects, for `Debug` and the operator's log.
    subjects: Arc<[String]>,
}

/// Why a file of certificate authorities cannot be used: one sentence for the operator.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RootCertificatesError(String);

impl RootCertificates {
    /// Every certificate (`-----BEGIN CERTIFICATE-----`) in `pem`; other blocks (a private
    /// key) are skipped. Text with no certificate is refused, as is one that does not parse.
    pub fn from_pem(pem: &[u8]) -> Result<RootCertificates, RootCertificatesError> {
        Self::parse(pem, "the PEM text")
    }

    /// The certificates of a PEM file (`ca.pem`, a bundle of several), as [`from_pem`]
    /// (RootCertificates::from_pem) reads them; the errors name the file.
    pub fn from_pem_file(path: &Path) -> Result<RootCertificates, RootCertificatesError> {
        let what = format!("the certificate file {}", path.display());
        let pem = std::fs::read(path).map_err(|err| {
            let reason = err.to_string();
            let reason = reason.split(" (os error").next().unwrap_or_default();
            RootCertificatesError(format!("{what} cannot be read: {reason}"))
        })?;
        Self::parse(&pem, &what)
    }

    fn parse(pem: &[u8], what: &str) -> Result<RootCertificates, RootCertificatesError> {
        // Before OpenSSL is used: initialised without an exit handler (issue 21).
        openssl::init();
        let invalid = |err: &dyn fmt::Display| {
            RootCertificatesError(format!("{what} is not a valid PEM certificate: {err}"))
        };
        let parsed = X509::stack_from_pem(pem).map_err(|err| invalid(&err))?;
        if parsed.is_empty() {
            return Err(RootCertificatesError(format!(
                "{what} holds no certificate (-----BEGIN CERTIFICATE-----)"
            )));
        }
        let mut certificates = Vec::with_capacity(parsed.len());
        let mut subjects = Vec::with_capacity(parsed.len());
        for certificate in &parsed {
            let der = certificate.to_der().map_err(|err| invalid(&err))?;
            certificates.push(reqwest::Certificate::from_der(&der).map_err(|err| invalid(&err))?);
            subjects.push(subject(certificate));
        }
        Ok(RootCertificates {
            certificates: certificates.into(),
            subjects: subjects.into(),
        })
    }

    /// How many authorities are trusted besides the system's.
    pub fn len(&self) -> usize {
        self.certificates.len()
    }

    /// Whether none is (only the system's authorities are trusted).
    pub fn is_empty(&self) -> bool {
        self.certificates.is_empty()
    }

    /// The authorities' subjects (`CN=Acme Internal CA, O=Acme`), for the operator's log.
    pub fn subjects(&self) -> &[String] {
        &self.subjects
    }

    pub(crate) fn certificates(&self) -> &[reqwest::Certificate] {
        &self.certificates
    }
}

impl fmt::Debug for RootCertificates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RootCertificates")
            .field(&self.subjects)
            .finish()
    }
}

/// `CN=Acme Internal CA, O=Acme`.
fn subject(certificate: &X509) -> String {
    certificate
        .subject_name()
        .entries()
        .map(|entry| {
            let key = entry.object().nid().short_name().unwrap_or("?");
            let value = entry.data().to_string().unwrap_or_default();
            format!("{key}={value}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a server's certificate was refused, in words for a monitor's history or a delivery log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Its validity ended at `on`.
    Expired {
        /// The certificate's `notAfter`.
        on: DateTime<Utc>,
    },
    /// Its validity has not begun (a server clock, or a certificate, from the future).
    NotYetValid {
        /// The certificate's `notBefore`.
        from: DateTime<Utc>,
    },
    /// No trusted authority signed it, or it is not for this host: OpenSSL's reason
    /// ("unable to get local issuer certificate", "hostname mismatch", ...).
    Untrusted {
        /// OpenSSL's words.
        reason: String,
    },
}

impl fmt::Display for CertificateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateProblem::Expired { on } => {
                write!(f, "the certificate expired on {}", on.format("%Y-%m-%d"))
            }
            CertificateProblem::NotYetValid { from } => write!(
                f,
                "the certificate is valid only from {}",
                from.format("%Y-%m-%d")
            ),
            CertificateProblem::Untrusted { reason } => {
                write!(f, "the certificate is not trusted: {reason}")
            }
        }
    }
}

/// A certificate's validity.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Validity {
    pub(crate) not_before: DateTime<Utc>,
    pub(crate) not_after: DateTime<Utc>,
}

impl Validity {
    /// The dates of a DER certificate, `None` if it does not parse.
    pub(crate) fn of_der(der: &[u8]) -> Option<Validity> {
        let certificate = X509::from_der(der).ok()?;
        Some(Validity {
            not_before: to_utc(certificate.not_before())?,
            not_after: to_utc(certificate.not_after())?,
        })
    }

    /// What is wrong with these dates now, if anything.
    pub(crate) fn problem(&self, now: DateTime<Utc>) -> Option<CertificateProblem> {
        if now > self.not_after {
            Some(CertificateProblem::Expired { on: self.not_after })
        } else if now < self.not_before {
            Some(CertificateProblem::NotYetValid {
                from: self.not_before,
            })
        } else {
            None
        }
    }
}

fn to_utc(time: &Asn1TimeRef) -> Option<DateTime<Utc>> {
    let diff = Asn1Time::from_unix(0).ok()?.diff(time).ok()?;
    DateTime::from_timestamp(i64::from(diff.days) * 86_400 + i64::from(diff.secs), 0)
}

/// OpenSSL's reason when `text` (a native-tls error) is a refused certificate: native-tls
/// writes `error:...:certificate verify failed:... (unable to get local issuer certificate)`.
pub(crate) fn verification_failure(text: &str) -> Option<String> {
    if !text.contains("certificate verify failed") {
        return None;
    }
    let reason = text
        .strip_suffix(')')
        .and_then(|text| text.rsplit_once(" ("))
        .map_or("certificate verify failed", |(_, reason)| reason);
    Some(reason.to_owned())
}

/// The dates of the certificate that `url`'s server presents, read without verifying it, to
/// tell why verification failed (expired since when). A TLS handshake only, no HTTP request,
/// to the addresses `policy` allows (checked as every connection is); `None` if that fails.
pub(crate) async fn dates_of_refused_certificate(
    url: &Url,
    policy: &Policy,
    within: Duration,
) -> Option<Validity> {
    let port = url.port_or_known_default()?;
    let addresses: Vec<SocketAddr> = match url.host()? {
        Host::Domain(name) => resolve(name, port, policy).await.ok()?,
        Host::Ipv4(ip) => literal(IpAddr::V4(ip), port, policy)?,
        Host::Ipv6(ip) => literal(IpAddr::V6(ip), port, policy)?,
    };
    let domain = match url.host()? {
        Host::Domain(name) => name.to_owned(),
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => ip.to_string(),
    };
    // Only the dates are read from what this handshake sees; nothing is sent over it.
    let connector = native_tls::TlsConnector::builder()
        .danger_accept_invalid_certs(true)
        .danger_accept_invalid_hostnames(true)
        .build()
        .ok()?;
    let connector = tokio_native_tls::TlsConnector::from(connector);
    let look = async {
        let tcp = tokio::net::TcpStream::connect(&addresses[..]).await.ok()?;
        let tls = connector.connect(&domain, tcp).await.ok()?;
        let der = tls.get_ref().peer_certificate().ok()??.to_der().ok()?;
        Validity::of_der(&der)
    };
    tokio::time::timeout(within, look).await.ok()?
}

fn literal(ip: IpAddr, port: u16, policy: &Policy) -> Option<Vec<SocketAddr>> {
    policy.check(ip).ok()?;
    Some(vec![SocketAddr::new(ip, port)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_of_a_refused_certificate_is_read_from_native_tls_words() {
        assert_eq!(
            verification_failure(
                "error:0A000086:SSL routines:tls_post_process_server_certificate:certificate \
                 verify failed:../ssl/statem/statem_clnt.c:1889: (unable to get local issuer \
                 certificate)"
            )
            .as_deref(),
            Some("unable to get local issuer certificate")
        );
        assert_eq!(
            verification_failure("error:0A000086:SSL routines::certificate verify failed")
                .as_deref(),
            Some("certificate verify failed")
        );
        assert_eq!(
            verification_failure(
                "error:0A00010B:SSL routines:ssl3_get_record:wrong version number"
            ),
            None
        );
    }

    #[test]
    fn problems_read_as_sentences_with_the_day() {
        let on = DateTime::from_timestamp(1_795_132_800, 0).unwrap();
        assert_eq!(
            CertificateProblem::Expired { on }.to_string(),
            "the certificate expired on 2026-11-20"
        );
        let validity = Validity {
            not_before: on - chrono::Duration::days(90),
            not_after: on,
        };
        assert_eq!(validity.problem(on - chrono::Duration::days(1)), None);
        assert_eq!(
            validity.problem(on + chrono::Duration::seconds(1)),
            Some(CertificateProblem::Expired { on })
        );
        assert!(matches!(
            validity.problem(on - chrono::Duration::days(91)),
            Some(CertificateProblem::NotYetValid { .. })
        ));
    }

    #[test]
    fn text_without_a_certificate_is_refused() {
        let refused = RootCertificates::from_pem(
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        );
        assert!(refused.is_err(), "{refused:?}");
        let none = RootCertificates::from_pem(b"").unwrap_err();
        assert_eq!(
            none.to_string(),
            "the PEM text holds no certificate (-----BEGIN CERTIFICATE-----)"
        );
        let missing =
            RootCertificates::from_pem_file(Path::new("/nonexistent/ca.pem")).unwrap_err();
        assert_eq!(
            missing.to_string(),
            "the certificate file /nonexistent/ca.pem cannot be read: No such file or directory"
        );
    }
}
