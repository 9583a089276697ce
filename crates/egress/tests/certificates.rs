//! HTTPS against real servers on loopback whose certificates a test authority signed: the
//! answer tells when the certificate expires, a refused certificate says why, and the
//! operator's own authorities are trusted when given.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use chrono::{DateTime, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use upstate_egress::header::HeaderMap;
use upstate_egress::{CertificateProblem, Client, EgressError, Policy, RootCertificates};

/// A certificate authority of the test's own.
struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    fn new() -> TestCa {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(DnType::CommonName, "Upstate Test CA");
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(3650);
        let key = KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        TestCa {
            pem: certificate.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for 127.0.0.1 valid from `from` to `until` days from now, with
    /// its key, and its end as a date.
    fn issue(&self, from: i64, until: i64) -> (native_tls::Identity, DateTime<Utc>) {
        let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "127.0.0.1");
        params.use_authority_key_identifier_extension = true;
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ServerAuth);
        // Whole seconds, as a certificate holds them.
        let now = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap();
        params.not_before = now + time::Duration::days(from);
        params.not_after = now + time::Duration::days(until);
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        let identity = native_tls::Identity::from_pkcs8(
            certificate.pem().as_bytes(),
            key.serialize_pem().as_bytes(),
        )
        .unwrap();
        let not_after = DateTime::from_timestamp(params.not_after.unix_timestamp(), 0).unwrap();
        (identity, not_after)
    }
}

/// An https server on 127.0.0.1 answering every request with `200 ok`; its URL.
async fn https_server(identity: native_tls::Identity) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/health", listener.local_addr().unwrap());
    let acceptor =
        tokio_native_tls::TlsAcceptor::from(native_tls::TlsAcceptor::new(identity).unwrap());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate hangs up mid-handshake.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    url
}

fn trusting(ca: &TestCa) -> Client {
    let roots = RootCertificates::from_pem(ca.pem.as_bytes()).unwrap();
    Client::with_root_certificates(Policy::ALLOW_PRIVATE, "Upstate-test/1", &roots).unwrap()
}

#[tokio::test]
async fn an_https_answer_tells_when_its_certificate_expires() {
    let ca = TestCa::new();
    let (identity, not_after) = ca.issue(-1, 30);
    let url = https_server(identity).await;

    let response = trusting(&ca).get(&url, HeaderMap::new()).await.unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(response.body, "ok");
    assert_eq!(response.peer_certificate_not_after, Some(not_after));
}

#[tokio::test]
async fn a_certificate_no_trusted_authority_signed_is_refused_with_openssls_reason() {
    let ca = TestCa::new();
    let (identity, _) = ca.issue(-1, 30);
    let url = https_server(identity).await;

    let refused = Client::new(Policy::ALLOW_PRIVATE, "Upstate-test/1")
        .unwrap()
        .get(&url, HeaderMap::new())
        .await;

    match refused {
        Err(
            err @ EgressError::Certificate {
                problem: CertificateProblem::Untrusted { .. },
                ..
            },
        ) => assert_eq!(
            err.to_string(),
            "TLS failure with 127.0.0.1: the certificate is not trusted: unable to get local \
             issuer certificate"
        ),
        other => panic!("expected an untrusted certificate, got {other:?}"),
    }
}

#[tokio::test]
async fn an_expired_certificate_is_refused_naming_the_day_it_ended() {
    let ca = TestCa::new();
    let (identity, not_after) = ca.issue(-90, -3);
    let url = https_server(identity).await;

    let refused = trusting(&ca).get(&url, HeaderMap::new()).await;

    match refused {
        Err(EgressError::Certificate {
            host,
            problem: CertificateProblem::Expired { on },
        }) => {
            assert_eq!(host, "127.0.0.1");
            assert_eq!(on, not_after);
        }
        other => panic!("expected an expired certificate, got {other:?}"),
    }
}

#[tokio::test]
async fn a_plain_http_answer_has_no_certificate() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 1024];
        let _ = tcp.read(&mut buf).await;
        let _ = tcp
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
    });

    let response = Client::new(Policy::ALLOW_PRIVATE, "Upstate-test/1")
        .unwrap()
        .get(&url, HeaderMap::new())
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(response.peer_certificate_not_after, None);
}

#[test]
fn the_operators_authorities_are_read_from_a_pem_file() {
    let ca = TestCa::new();
    let other = TestCa::new();
    let path = std::env::temp_dir().join(format!("upstate-egress-ca-{}.pem", std::process::id()));
    std::fs::write(&path, format!("{}{}", ca.pem, other.pem)).unwrap();

    let roots = RootCertificates::from_pem_file(&path);
    std::fs::remove_file(&path).unwrap();

    let roots = roots.unwrap();
    assert_eq!(roots.len(), 2);
    assert_eq!(
        roots.subjects(),
        ["CN=Upstate Test CA", "CN=Upstate Test CA"]
    );
}
