//! The client against real receivers on loopback: what is refused, what is reached, and how an
//! answer is bounded.

#![expect(clippy::unwrap_used, reason = "a test fails loudly where it stops")]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use upstate_egress::header::{HeaderMap, HeaderValue};
use upstate_egress::{
    Client, EgressError, ForbiddenKind, Method, Policy, check_url, check_url_form,
};

/// A tiny HTTP server on 127.0.0.1 that records each request it reads and answers every one
/// with the same bytes, after a delay.
struct Receiver {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    async fn start(answer: Vec<u8>, delay: Duration) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = Arc::clone(&requests);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let recorded = Arc::clone(&recorded);
                let answer = answer.clone();
                tokio::spawn(async move {
                    serve(stream, &recorded, &answer, delay).await;
                });
            }
        });
        Receiver { addr, requests }
    }

    /// Answers `200 OK` with `body`.
    async fn ok(body: &str) -> Receiver {
        Receiver::start(answer("200 OK", &[], body.as_bytes()), Duration::ZERO).await
    }

    fn port(&self) -> u16 {
        self.addr.port()
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn hits(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    fn request(&self, n: usize) -> String {
        self.requests.lock().unwrap()[n].clone()
    }
}

fn answer(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Reads one request (head and `content-length` body), records it, waits, answers.
async fn serve(
    mut stream: TcpStream,
    recorded: &Mutex<Vec<String>>,
    answer: &[u8],
    delay: Duration,
) {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = request.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&request[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .map_or(0, |value| value.trim().parse().unwrap());
    while request.len() < head_end + length {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    recorded
        .lock()
        .unwrap()
        .push(String::from_utf8_lossy(&request).into_owned());
    tokio::time::sleep(delay).await;
    // The client may hang up early (a bounded body, a timeout): not the receiver's concern.
    let _ = stream.write_all(answer).await;
    let _ = stream.shutdown().await;
}

fn client(policy: Policy) -> Client {
    Client::new(policy, "Upstate-test/1").unwrap()
}

fn assert_refused_as(
    result: Result<upstate_egress::Response, EgressError>,
    expected: ForbiddenKind,
) {
    match result {
        Err(EgressError::Forbidden { kind, .. }) if kind == expected => {}
        other => panic!("expected a refusal as {expected:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn loopback_is_refused_by_default() {
    let receiver = Receiver::ok("ok").await;
    let sent = client(Policy::default())
        .get(&receiver.url("/"), HeaderMap::new())
        .await;
    assert_refused_as(sent, ForbiddenKind::Loopback);
    let checked = check_url(&receiver.url("/"), &Policy::default()).await;
    assert!(
        matches!(checked, Err(EgressError::Forbidden { .. })),
        "{checked:?}"
    );
    assert_eq!(receiver.hits(), 0);
}

#[tokio::test]
async fn loopback_is_reached_when_private_addresses_are_allowed() {
    let receiver = Receiver::ok("received").await;
    check_url(&receiver.url("/hook"), &Policy::ALLOW_PRIVATE)
        .await
        .unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        "x-upstate-signature",
        HeaderValue::from_static("sha256=abc"),
    );

    let response = client(Policy::ALLOW_PRIVATE)
        .post_json(
            &receiver.url("/hook"),
            headers,
            &serde_json::json!({"event": "incident.created"}),
        )
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    assert!(response.is_success());
    assert_eq!(response.body, "received");
    assert!(!response.truncated);
    assert!(response.elapsed > Duration::ZERO);
    let request = receiver.request(0);
    assert!(request.starts_with("POST /hook HTTP/1.1\r\n"), "{request}");
    let lower = request.to_lowercase();
    assert!(
        lower.contains("x-upstate-signature: sha256=abc"),
        "{request}"
    );
    assert!(
        lower.contains("content-type: application/json"),
        "{request}"
    );
    assert!(lower.contains("user-agent: upstate-test/1"), "{request}");
    assert!(
        request.ends_with(r#"{"event":"incident.created"}"#),
        "{request}"
    );
}

#[tokio::test]
async fn a_monitor_request_sends_its_method_headers_and_body_as_given() {
    let receiver = Receiver::ok("stored").await;
    let mut headers = HeaderMap::new();
    headers.insert("x-api-key", HeaderValue::from_static("k1"));

    let response = client(Policy::ALLOW_PRIVATE)
        .request(
            Method::PUT,
            &receiver.url("/health"),
            headers,
            Some(b"ping".to_vec()),
        )
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(response.body, "stored");
    let request = receiver.request(0);
    assert!(request.starts_with("PUT /health HTTP/1.1\r\n"), "{request}");
    assert!(
        request.to_lowercase().contains("x-api-key: k1"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\nping"), "{request}");
}

#[tokio::test]
async fn a_monitor_request_to_loopback_is_refused_by_default() {
    let receiver = Receiver::ok("never").await;

    let refused = client(Policy::PUBLIC_ONLY)
        .request(Method::HEAD, &receiver.url("/"), HeaderMap::new(), None)
        .await;

    assert!(
        matches!(
            refused,
            Err(EgressError::Forbidden {
                kind: ForbiddenKind::Loopback,
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(receiver.hits(), 0);
}

#[tokio::test]
async fn a_redirect_is_an_answer_and_is_not_followed() {
    let elsewhere = Receiver::ok("should not be reached").await;
    let location = elsewhere.url("/internal");
    let redirecting = Receiver::start(
        answer("302 Found", &[("location", &location)], b""),
        Duration::ZERO,
    )
    .await;

    let response = client(Policy::ALLOW_PRIVATE)
        .get(&redirecting.url("/"), HeaderMap::new())
        .await
        .unwrap();

    assert_eq!(response.status, 302);
    assert_eq!(response.headers["location"], location.as_str());
    assert_eq!(redirecting.hits(), 1);
    assert_eq!(elsewhere.hits(), 0);
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let slow = Receiver::start(answer("200 OK", &[], b"late"), Duration::from_secs(3)).await;
    let started = std::time::Instant::now();

    let sent = client(Policy::ALLOW_PRIVATE)
        .with_timeout(Duration::from_millis(300))
        .get(&slow.url("/"), HeaderMap::new())
        .await;

    match sent {
        Err(
            err @ EgressError::Timeout {
                connecting: false, ..
            },
        ) => {
            assert_eq!(err.to_string(), "no complete answer within 300 ms");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_huge_body_is_cut_at_the_bound() {
    let huge = vec![b'a'; 4 * 1024 * 1024];
    let receiver = Receiver::start(answer("200 OK", &[], &huge), Duration::ZERO).await;

    let response = client(Policy::ALLOW_PRIVATE)
        .get(&receiver.url("/"), HeaderMap::new())
        .await
        .unwrap();

    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), Client::DEFAULT_BODY_LIMIT);
    assert!(response.truncated);
    assert!(matches!(
        response.json::<serde_json::Value>(),
        Err(EgressError::TooLarge {
            limit: Client::DEFAULT_BODY_LIMIT
        })
    ));

    let small = client(Policy::ALLOW_PRIVATE)
        .with_body_limit(10)
        .get(&receiver.url("/"), HeaderMap::new())
        .await
        .unwrap();
    assert_eq!(small.body, "aaaaaaaaaa");
}

#[tokio::test]
async fn a_json_answer_is_read_whole() {
    let receiver = Receiver::ok(r#"{"issuer":"https://id.example"}"#).await;
    let response = client(Policy::ALLOW_PRIVATE)
        .get(
            &receiver.url("/.well-known/openid-configuration"),
            HeaderMap::new(),
        )
        .await
        .unwrap();
    let document: serde_json::Value = response.json().unwrap();
    assert_eq!(document["issuer"], "https://id.example");
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_when_sending() {
    let receiver = Receiver::ok("ok").await;
    // Not checked beforehand: the refusal comes from the client's own resolver.
    let url = format!("http://localhost:{}/", receiver.port());

    let sent = client(Policy::default()).get(&url, HeaderMap::new()).await;

    match &sent {
        Err(
            err @ EgressError::Forbidden {
                host,
                kind: ForbiddenKind::Loopback,
                ..
            },
        ) => {
            assert_eq!(host, "localhost");
            assert!(err.to_string().starts_with("refused localhost ("), "{err}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(receiver.hits(), 0);
}

#[tokio::test]
async fn an_ipv4_mapped_ipv6_literal_is_refused() {
    let receiver = Receiver::ok("ok").await;
    for url in [
        format!("http://[::ffff:127.0.0.1]:{}/", receiver.port()),
        format!("http://[::ffff:7f00:1]:{}/", receiver.port()),
    ] {
        let sent = client(Policy::default()).get(&url, HeaderMap::new()).await;
        assert_refused_as(sent, ForbiddenKind::Loopback);
    }
    assert_eq!(receiver.hits(), 0);
}

#[tokio::test]
async fn decimal_octal_and_hex_forms_of_loopback_are_refused() {
    let receiver = Receiver::ok("ok").await;
    for host in ["2130706433", "0x7f.1", "0177.0.0.1", "127.1"] {
        let url = format!("http://{host}:{}/", receiver.port());
        let sent = client(Policy::default()).get(&url, HeaderMap::new()).await;
        assert_refused_as(sent, ForbiddenKind::Loopback);
        // Allowed, the odd form reaches the address it spells.
        let reached = client(Policy::ALLOW_PRIVATE)
            .get(&url, HeaderMap::new())
            .await
            .unwrap();
        assert_eq!(reached.body, "ok");
    }
    assert_eq!(receiver.hits(), 4);
}

#[tokio::test]
async fn a_closed_port_is_a_connect_failure() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);

    let sent = client(Policy::ALLOW_PRIVATE)
        .get(&format!("http://{addr}/"), HeaderMap::new())
        .await;

    match sent {
        Err(err @ EgressError::Connect { .. }) => {
            assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
        }
        other => panic!("expected a connect failure, got {other:?}"),
    }
}

#[tokio::test]
async fn https_to_a_server_without_tls_is_a_tls_failure() {
    // Speaks plain HTTP at once, to the client's TLS hello.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let _ = stream
            .write_all(&answer("400 Bad Request", &[], b"plain http"))
            .await;
        let _ = stream.shutdown().await;
    });

    let sent = client(Policy::ALLOW_PRIVATE)
        .get(&url, HeaderMap::new())
        .await;

    match sent {
        Err(err @ EgressError::Tls { .. }) => {
            assert!(
                err.to_string().starts_with("TLS failure with 127.0.0.1: "),
                "{err}"
            );
        }
        other => panic!("expected a TLS failure, got {other:?}"),
    }
}

#[test]
fn a_form_can_check_a_url_without_a_lookup() {
    assert!(check_url_form("https://status.example.com/health").is_ok());
    for url in [
        "ftp://example.com/",
        "https://user:pw@example.com/",
        "http://example.com:25/",
    ] {
        assert!(
            matches!(check_url_form(url), Err(EgressError::BadUrl(_))),
            "{url}"
        );
    }
}

#[tokio::test]
async fn credentials_in_the_url_are_refused_when_sending() {
    let receiver = Receiver::ok("ok").await;
    let url = format!("http://admin:secret@{}/", receiver.addr);
    let sent = client(Policy::ALLOW_PRIVATE)
        .get(&url, HeaderMap::new())
        .await;
    assert!(matches!(sent, Err(EgressError::BadUrl(_))), "{sent:?}");
    assert_eq!(receiver.hits(), 0);
}
