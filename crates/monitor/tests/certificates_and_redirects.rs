//! HTTP checks against real servers on this machine for what the plain receiver cannot show:
//! https servers whose certificates a test certificate authority signed (valid for weeks, for
//! a few days, expired, or from an authority nobody trusts), and servers that redirect.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use upstate_egress::{Policy, RootCertificates};
use upstate_monitor::{
    Check, Header, HttpCheck, HttpMethod, Outcome, State, probe, probe_with_roots,
};

/// Long enough for a loopback answer on a busy machine, short enough to keep the file quick.
const TIMEOUT: Duration = Duration::from_secs(3);

/// A certificate authority of the test's own, trusted only where the test says so.
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
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
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

    /// Trust in this authority, as the operator would give it from a PEM file.
    fn roots(&self) -> RootCertificates {
        RootCertificates::from_pem(self.pem.as_bytes()).unwrap()
    }

    /// A server certificate for 127.0.0.1 and localhost, valid from `from` to `until` (from
    /// now), with its key.
    fn issue(&self, from: time::Duration, until: time::Duration) -> native_tls::Identity {
        let mut params =
            CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.use_authority_key_identifier_extension = true;
        params
            .extended_key_usages
            .push(ExtendedKeyUsagePurpose::ServerAuth);
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now + from;
        params.not_after = now + until;
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        native_tls::Identity::from_pkcs8(
            certificate.pem().as_bytes(),
            key.serialize_pem().as_bytes(),
        )
        .unwrap()
    }
}

/// One request as a site received it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    /// Names in lowercase.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// What a site answers at one path.
#[derive(Clone)]
struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

/// A small HTTP(S) server on 127.0.0.1 answering each path as it is told (404 elsewhere), one
/// request per connection, keeping what it received.
#[derive(Clone)]
struct Site {
    port: u16,
    https: bool,
    pages: Arc<Mutex<HashMap<String, Page>>>,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Site {
    async fn http() -> Site {
        Site::start(None).await
    }

    async fn https(identity: native_tls::Identity) -> Site {
        Site::start(Some(identity)).await
    }

    async fn start(identity: Option<native_tls::Identity>) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let site = Site {
            port: listener.local_addr().unwrap().port(),
            https: identity.is_some(),
            pages: Arc::default(),
            seen: Arc::default(),
        };
        let acceptor = identity.map(|identity| {
            tokio_native_tls::TlsAcceptor::from(native_tls::TlsAcceptor::new(identity).unwrap())
        });
        let serving = site.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let serving = serving.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    match acceptor {
                        // A client that refuses the certificate hangs up mid-handshake.
                        Some(acceptor) => {
                            if let Ok(tls) = acceptor.accept(tcp).await {
                                serving.serve(tls).await;
                            }
                        }
                        None => serving.serve(tcp).await,
                    }
                });
            }
        });
        site
    }

    fn url(&self, path: &str) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}{path}", self.port)
    }

    fn page(&self, path: &str, status: u16, body: &str) {
        self.set(path, status, None, body);
    }

    fn redirect(&self, path: &str, status: u16, location: &str) {
        self.set(path, status, Some(location.to_owned()), "");
    }

    fn set(&self, path: &str, status: u16, location: Option<String>, body: &str) {
        self.pages.lock().unwrap().insert(
            path.to_owned(),
            Page {
                status,
                location,
                body: body.to_owned(),
            },
        );
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    async fn serve(&self, mut stream: impl AsyncRead + AsyncWrite + Unpin) {
        let mut received = Vec::new();
        let mut buf = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        };
        let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
        let mut lines = head.lines();
        let mut first = lines.next().unwrap_or_default().split_whitespace();
        let method = first.next().unwrap_or_default().to_owned();
        let path = first.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .map_or(0, |(_, value)| value.parse().unwrap());
        while received.len() < head_end + length {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
        let page = self.pages.lock().unwrap().get(&path).cloned();
        self.seen.lock().unwrap().push(Seen {
            method,
            path,
            headers,
            body: received[head_end..].to_vec(),
        });
        let Page {
            status,
            location,
            body,
        } = page.unwrap_or(Page {
            status: 404,
            location: None,
            body: "no such page".into(),
        });
        let location = location
            .map(|to| format!("location: {to}\r\n"))
            .unwrap_or_default();
        let answer = format!(
            "HTTP/1.1 {status} Answer\r\n{location}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let _ = stream.write_all(answer.as_bytes()).await;
        let _ = stream.shutdown().await;
    }
}

/// An https site whose certificate `ca` signed, valid from `from` to `until` (from now),
/// answering `/health` with 200.
async fn healthy_https_site(ca: &TestCa, from: time::Duration, until: time::Duration) -> Site {
    let site = Site::https(ca.issue(from, until)).await;
    site.page("/health", 200, "ok");
    site
}

async fn probe_trusting(ca: &TestCa, check: &Check) -> Outcome {
    probe_with_roots(check, Policy::ALLOW_PRIVATE, &ca.roots(), TIMEOUT).await
}

/// The day `offset` from now falls on, as messages write it.
fn day_in(offset: time::Duration) -> String {
    (chrono::Utc::now() + chrono::Duration::seconds(offset.whole_seconds()))
        .format("%Y-%m-%d")
        .to_string()
}

/// Five days and an hour: "5 days" left, whatever the probe takes.
fn five_days() -> time::Duration {
    time::Duration::days(5) + time::Duration::hours(1)
}

fn following(url: &str) -> HttpCheck {
    HttpCheck {
        follow_redirects: true,
        ..HttpCheck::new(url)
    }
}

#[tokio::test]
async fn a_certificate_valid_for_months_is_up() {
    let ca = TestCa::new();
    let site = healthy_https_site(&ca, -time::Duration::days(1), time::Duration::days(90)).await;

    let outcome = probe_trusting(&ca, &Check::http(&site.url("/health"))).await;

    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    assert!(outcome.message.starts_with("HTTP 200 in "), "{outcome:?}");
    assert!(!outcome.message.contains("certificate"), "{outcome:?}");
}

#[tokio::test]
async fn a_certificate_expiring_within_the_warning_is_degraded_and_says_when() {
    let ca = TestCa::new();
    let site = healthy_https_site(&ca, -time::Duration::days(85), five_days()).await;

    let outcome = probe_trusting(&ca, &Check::http(&site.url("/health"))).await;

    assert_eq!(outcome.state, State::Degraded, "{outcome:?}");
    assert!(outcome.message.starts_with("HTTP 200 in "), "{outcome:?}");
    assert!(
        outcome.message.ends_with(&format!(
            ", the certificate expires in 5 days ({})",
            day_in(five_days())
        )),
        "{outcome:?}"
    );

    // A shorter warning, or none, leaves it up.
    for tls_expiry_warning_days in [Some(3), None] {
        let check = Check::Http(HttpCheck {
            tls_expiry_warning_days,
            ..HttpCheck::new(&site.url("/health"))
        });
        let outcome = probe_trusting(&ca, &check).await;
        assert_eq!(
            outcome.state,
            State::Up,
            "{tls_expiry_warning_days:?}: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn an_expired_certificate_is_down_and_says_since_when() {
    let ca = TestCa::new();
    let site = healthy_https_site(&ca, -time::Duration::days(90), -time::Duration::days(2)).await;

    let outcome = probe_trusting(&ca, &Check::http(&site.url("/health"))).await;

    assert_eq!(outcome.state, State::Down, "{outcome:?}");
    assert_eq!(
        outcome.message,
        format!(
            "the certificate expired on {}",
            day_in(-time::Duration::days(2))
        )
    );
    assert!(
        site.seen().is_empty(),
        "no request goes over a refused certificate"
    );
}

#[tokio::test]
async fn a_certificate_from_an_unknown_authority_is_down_unless_the_operator_trusts_it() {
    let ca = TestCa::new();
    let site = healthy_https_site(&ca, -time::Duration::days(1), time::Duration::days(90)).await;
    let check = Check::http(&site.url("/health"));

    let untrusted = probe(&check, Policy::ALLOW_PRIVATE, TIMEOUT).await;

    assert_eq!(untrusted.state, State::Down, "{untrusted:?}");
    assert!(
        untrusted
            .message
            .starts_with("the certificate is not trusted: "),
        "{untrusted:?}"
    );
    assert!(untrusted.message.contains("issuer"), "{untrusted:?}");
    assert!(site.seen().is_empty());

    let trusted = probe_trusting(&ca, &check).await;
    assert_eq!(trusted.state, State::Up, "{trusted:?}");
}

#[tokio::test]
async fn a_slow_answer_with_a_certificate_expiring_soon_says_both() {
    let ca = TestCa::new();
    let site = Site::https(ca.issue(
        -time::Duration::days(1),
        time::Duration::days(2) + time::Duration::hours(1),
    ))
    .await;
    site.page("/health", 200, "ok");
    let check = Check::Http(HttpCheck {
        degraded_after_ms: Some(1),
        ..HttpCheck::new(&site.url("/health"))
    });

    let outcome = probe_trusting(&ca, &check).await;

    assert_eq!(outcome.state, State::Degraded, "{outcome:?}");
    assert!(
        outcome
            .message
            .contains(", the certificate expires in 2 days ("),
        "{outcome:?}"
    );
    assert!(
        outcome.message.ends_with(", slower than 1 ms"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_chain_of_redirects_is_followed_to_its_answer() {
    let first = Site::http().await;
    let second = Site::http().await;
    first.redirect("/old?token=s3cret", 301, "/moved");
    first.redirect("/moved", 302, &second.url("/final?session=hunter2"));
    second.page("/final?session=hunter2", 200, "all good");
    let check = Check::Http(HttpCheck {
        keyword: Some("all good".into()),
        ..following(&first.url("/old?token=s3cret"))
    });

    let outcome = probe(&check, Policy::ALLOW_PRIVATE, TIMEOUT).await;

    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    assert!(outcome.message.starts_with("HTTP 200 in "), "{outcome:?}");
    assert!(
        outcome.message.ends_with(" after 2 redirects to 127.0.0.1"),
        "{outcome:?}"
    );
    assert!(!outcome.message.contains("s3cret"), "{outcome:?}");
    assert!(!outcome.message.contains("hunter2"), "{outcome:?}");
    let paths: Vec<String> = first.seen().into_iter().map(|seen| seen.path).collect();
    assert_eq!(paths, ["/old?token=s3cret", "/moved"]);
    assert_eq!(second.seen()[0].path, "/final?session=hunter2");
}

#[tokio::test]
async fn without_following_a_redirect_is_the_answer() {
    let first = Site::http().await;
    let second = Site::http().await;
    first.redirect("/", 302, &second.url("/"));
    second.page("/", 200, "ok");

    let outcome = probe(
        &Check::http(&first.url("/")),
        Policy::ALLOW_PRIVATE,
        TIMEOUT,
    )
    .await;

    assert_eq!(outcome.state, State::Down);
    assert_eq!(
        outcome.message,
        "HTTP 302 (expected 200-299); redirects are not followed"
    );
    assert!(second.seen().is_empty());
}

#[tokio::test]
async fn a_redirect_loop_stops_after_five_redirects() {
    let site = Site::http().await;
    site.redirect("/loop", 302, "/loop");

    let outcome = probe(
        &Check::Http(following(&site.url("/loop"))),
        Policy::ALLOW_PRIVATE,
        TIMEOUT,
    )
    .await;

    assert_eq!(outcome.state, State::Down);
    assert_eq!(
        outcome.message,
        "more than 5 redirects, the last to 127.0.0.1"
    );
    // The check's request and the five redirects followed.
    assert_eq!(site.seen().len(), 6);
}

#[tokio::test]
async fn a_redirect_to_a_refused_address_is_refused_like_the_address_itself() {
    // Loopback serves the test, so the operator allows private targets here (with them
    // forbidden, the first request would be refused already); cloud metadata addresses stay
    // refused even then, in every spelling, and a redirect is no way around it. An address
    // written in a URL never reaches egress's resolver, so this is the check each hop must
    // pass on its own.
    let site = Site::http().await;
    for (path, target) in [
        ("/plain", "http://169.254.169.254/latest/meta-data/"),
        ("/decimal", "http://2852039166/latest/meta-data/"),
        ("/mapped", "http://[::ffff:a9fe:a9fe]/latest/meta-data/"),
    ] {
        site.redirect(path, 302, target);
        let direct = probe(&Check::http(target), Policy::ALLOW_PRIVATE, TIMEOUT).await;

        let redirected = probe(
            &Check::Http(following(&site.url(path))),
            Policy::ALLOW_PRIVATE,
            TIMEOUT,
        )
        .await;

        assert_eq!(redirected.state, State::Down, "{target}");
        assert!(
            direct.message.starts_with("refused ")
                && direct.message.contains("cloud metadata address"),
            "{direct:?}"
        );
        assert_eq!(
            redirected.message,
            format!("after 1 redirect: {}", direct.message),
            "{target}"
        );
        assert!(!redirected.message.contains("meta-data"), "{redirected:?}");
    }
}

#[tokio::test]
async fn post_becomes_get_on_303_and_stays_post_on_307() {
    let site = Site::http().await;
    site.redirect("/submit", 303, "/result");
    site.page("/result", 200, "done");
    site.redirect("/api", 307, "/api/v2");
    site.page("/api/v2", 200, "done");
    let post = |path: &str| {
        Check::Http(HttpCheck {
            method: HttpMethod::Post,
            headers: vec![Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
            }],
            body: Some(r#"{"ping": true}"#.into()),
            ..following(&site.url(path))
        })
    };

    let see_other = probe(&post("/submit"), Policy::ALLOW_PRIVATE, TIMEOUT).await;
    let temporary = probe(&post("/api"), Policy::ALLOW_PRIVATE, TIMEOUT).await;

    assert_eq!(see_other.state, State::Up, "{see_other:?}");
    assert_eq!(temporary.state, State::Up, "{temporary:?}");
    let seen = site.seen();
    let result = seen.iter().find(|seen| seen.path == "/result").unwrap();
    assert_eq!(result.method, "GET");
    assert!(result.body.is_empty());
    assert_eq!(result.header("content-type"), None);
    let v2 = seen.iter().find(|seen| seen.path == "/api/v2").unwrap();
    assert_eq!(v2.method, "POST");
    assert_eq!(v2.body, br#"{"ping": true}"#);
    assert_eq!(v2.header("content-type"), Some("application/json"));
}

#[tokio::test]
async fn the_checks_headers_go_only_to_its_own_origin() {
    let own = Site::http().await;
    let other = Site::http().await;
    own.redirect("/", 302, "/login");
    own.redirect("/login", 302, &other.url("/elsewhere"));
    other.page("/elsewhere", 200, "ok");
    let check = Check::Http(HttpCheck {
        headers: vec![Header {
            name: "Authorization".into(),
            value: "Bearer s3cret".into(),
        }],
        ..following(&own.url("/"))
    });

    let outcome = probe(&check, Policy::ALLOW_PRIVATE, TIMEOUT).await;

    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    for seen in own.seen() {
        assert_eq!(
            seen.header("authorization"),
            Some("Bearer s3cret"),
            "{seen:?}"
        );
    }
    assert_eq!(other.seen()[0].header("authorization"), None);
}

#[tokio::test]
async fn a_followed_redirect_to_a_wrong_answer_says_where_it_ended() {
    let first = Site::http().await;
    let second = Site::http().await;
    first.redirect("/", 308, &second.url("/down"));
    second.page("/down", 503, "maintenance");

    let outcome = probe(
        &Check::Http(following(&first.url("/"))),
        Policy::ALLOW_PRIVATE,
        TIMEOUT,
    )
    .await;

    assert_eq!(outcome.state, State::Down);
    assert_eq!(
        outcome.message,
        "HTTP 503 (expected 200-299) after 1 redirect to 127.0.0.1"
    );
}

#[tokio::test]
async fn a_redirect_to_an_expiring_certificate_names_its_host() {
    let ca = TestCa::new();
    let secure = Site::https(ca.issue(-time::Duration::days(80), five_days())).await;
    secure.page("/health", 200, "ok");
    let plain = Site::http().await;
    plain.redirect(
        "/",
        301,
        &secure.url("/health").replace("127.0.0.1", "localhost"),
    );

    let outcome = probe_trusting(&ca, &Check::Http(following(&plain.url("/")))).await;

    assert_eq!(outcome.state, State::Degraded, "{outcome:?}");
    assert!(
        outcome.message.ends_with(&format!(
            " after 1 redirect to localhost, the certificate of localhost expires in 5 days ({})",
            day_in(five_days())
        )),
        "{outcome:?}"
    );
}
