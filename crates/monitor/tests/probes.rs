//! Probes against real targets on this machine: the e2e receiver told to answer like a healthy,
//! failing or slow service, a TCP listener and a closed port, and the system resolver.

use std::time::Duration;

use upstate_e2e::receiver::Receiver;
use upstate_egress::Policy;
use upstate_monitor::{
    Check, Header, HttpCheck, JsonExpectation, Outcome, State, StatusRange, probe,
};

/// Long enough for a loopback answer on a busy machine, short enough to keep the file quick.
const TIMEOUT: Duration = Duration::from_secs(3);

async fn probe_loopback(check: &Check) -> Outcome {
    probe(check, Policy::ALLOW_PRIVATE, TIMEOUT).await
}

fn with_keyword(url: &str, keyword: &str) -> Check {
    Check::Http(HttpCheck {
        keyword: Some(keyword.into()),
        ..HttpCheck::new(url)
    })
}

fn with_json(url: &str, pointer: &str, expected: serde_json::Value) -> Check {
    Check::Http(HttpCheck {
        json_path: Some(JsonExpectation {
            pointer: pointer.into(),
            expected,
        }),
        ..HttpCheck::new(url)
    })
}

#[tokio::test]
async fn a_healthy_answer_is_up() {
    let service = Receiver::start().await;
    service.answer_with(200, "all systems ok");

    let outcome = probe_loopback(&Check::http(&service.url("/health"))).await;

    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    assert!(outcome.message.starts_with("HTTP 200 in "), "{outcome:?}");
    assert_eq!(service.requests()[0].method, "GET");
    assert_eq!(service.requests()[0].path, "/health");
}

#[tokio::test]
async fn an_unexpected_status_is_down_and_says_what_was_expected() {
    let service = Receiver::start().await;
    service.answer_with(503, "maintenance");

    let outcome = probe_loopback(&Check::http(&service.url("/"))).await;
    assert_eq!(outcome.state, State::Down);
    assert_eq!(outcome.message, "HTTP 503 (expected 200-299)");

    // The owner may say a 503 is what this endpoint answers when all is well.
    let accepting = Check::Http(HttpCheck {
        expected_statuses: vec![
            StatusRange::new(200, 299).unwrap(),
            StatusRange::new(503, 503).unwrap(),
        ],
        ..HttpCheck::new(&service.url("/"))
    });
    assert_eq!(probe_loopback(&accepting).await.state, State::Up);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_message_says_so() {
    let service = Receiver::start().await;
    service.answer(302);

    let outcome = probe_loopback(&Check::http(&service.url("/"))).await;

    assert_eq!(outcome.state, State::Down);
    assert_eq!(
        outcome.message,
        "HTTP 302 (expected 200-299); redirects are not followed"
    );
}

#[tokio::test]
async fn the_keyword_must_be_in_the_answer() {
    let service = Receiver::start().await;
    service.answer_with(200, "status: ok");

    let found = probe_loopback(&with_keyword(&service.url("/"), "ok")).await;
    assert_eq!(found.state, State::Up, "{found:?}");

    service.answer_with(200, "status: failing");
    let missing = probe_loopback(&with_keyword(&service.url("/"), "ok")).await;
    assert_eq!(missing.state, State::Down);
    assert_eq!(missing.message, "keyword \"ok\" not found");
}

#[tokio::test]
async fn the_json_value_at_the_pointer_must_match() {
    let service = Receiver::start().await;
    service.answer_with(
        200,
        r#"{"status": {"indicator": "none"}, "checks": [{"ok": true}]}"#,
    );
    let url = service.url("/api/v2/status.json");

    let matching = probe_loopback(&with_json(&url, "/status/indicator", "none".into())).await;
    assert_eq!(matching.state, State::Up, "{matching:?}");
    let boolean = probe_loopback(&with_json(&url, "/checks/0/ok", true.into())).await;
    assert_eq!(boolean.state, State::Up, "{boolean:?}");

    let different = probe_loopback(&with_json(&url, "/status/indicator", "major".into())).await;
    assert_eq!(different.state, State::Down);
    assert_eq!(
        different.message,
        r#"/status/indicator is "none" (expected "major")"#
    );

    let absent = probe_loopback(&with_json(&url, "/database", "up".into())).await;
    assert_eq!(absent.message, "no value at /database");

    service.answer_with(200, "<html>fine</html>");
    let not_json = probe_loopback(&with_json(&url, "/status", "ok".into())).await;
    assert_eq!(not_json.state, State::Down);
    assert_eq!(not_json.message, "the answer is not JSON");
}

#[tokio::test]
async fn a_right_but_slow_answer_is_degraded() {
    let service = Receiver::start().await;
    service.answer_with(200, "ok");
    service.answer_after(Duration::from_millis(400));
    let check = Check::Http(HttpCheck {
        degraded_after_ms: Some(100),
        ..HttpCheck::new(&service.url("/"))
    });

    let outcome = probe_loopback(&check).await;

    assert_eq!(outcome.state, State::Degraded, "{outcome:?}");
    assert!(outcome.latency_ms >= 400, "{outcome:?}");
    assert!(
        outcome.message.ends_with(", slower than 100 ms"),
        "{outcome:?}"
    );

    // Slow and wrong is down, not degraded.
    service.answer_with(500, "");
    assert_eq!(probe_loopback(&check).await.state, State::Down);
}

#[tokio::test]
async fn no_answer_within_the_timeout_is_down() {
    let service = Receiver::start().await;
    service.answer_after(Duration::from_secs(5));

    let outcome = probe(
        &Check::http(&service.url("/")),
        Policy::ALLOW_PRIVATE,
        Duration::from_millis(300),
    )
    .await;

    assert_eq!(outcome.state, State::Down);
    assert_eq!(outcome.message, "timed out after 300 ms");
}

#[tokio::test]
async fn the_method_headers_and_body_are_sent_as_configured() {
    let service = Receiver::start().await;
    service.answer_with(201, "");
    let check = Check::Http(HttpCheck {
        method: upstate_monitor::HttpMethod::Post,
        headers: vec![Header {
            name: "Authorization".into(),
            value: "Bearer s3cret".into(),
        }],
        body: Some(r#"{"ping": true}"#.into()),
        ..HttpCheck::new(&service.url("/ping"))
    });

    let outcome = probe_loopback(&check).await;

    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    let request = &service.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.header("authorization"), Some("Bearer s3cret"));
    assert_eq!(request.header("user-agent"), Some("Upstate-Monitor/1"));
    assert_eq!(request.body, br#"{"ping": true}"#);
}

#[tokio::test]
async fn credentials_never_reach_the_message() {
    let service = Receiver::start().await;
    let url = service.url("/").replace("http://", "http://admin:hunter2@");

    let outcome = probe_loopback(&Check::http(&url)).await;

    assert_eq!(outcome.state, State::Down);
    assert!(!outcome.message.contains("hunter2"), "{outcome:?}");
    assert!(
        outcome.message.contains("user name or password"),
        "{outcome:?}"
    );
    assert!(service.requests().is_empty());
}

#[tokio::test]
async fn a_private_target_is_refused_unless_the_operator_allows_private_addresses() {
    let service = Receiver::start().await;
    service.answer_with(200, "ok");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let tcp = Check::Tcp {
        host: "localhost".into(),
        port: listener.local_addr().unwrap().port(),
    };

    let http = probe(
        &Check::http(&service.url("/")),
        Policy::PUBLIC_ONLY,
        TIMEOUT,
    )
    .await;
    assert_eq!(http.state, State::Down);
    assert!(
        http.message
            .starts_with("refused 127.0.0.1: loopback address"),
        "{http:?}"
    );
    assert!(service.requests().is_empty());
    let refused_tcp = probe(&tcp, Policy::PUBLIC_ONLY, TIMEOUT).await;
    assert_eq!(refused_tcp.state, State::Down);
    assert!(
        refused_tcp.message.starts_with("refused localhost ("),
        "{refused_tcp:?}"
    );

    assert_eq!(
        probe(
            &Check::http(&service.url("/")),
            Policy::ALLOW_PRIVATE,
            TIMEOUT
        )
        .await
        .state,
        State::Up
    );
    assert_eq!(
        probe(&tcp, Policy::ALLOW_PRIVATE, TIMEOUT).await.state,
        State::Up
    );
}

#[tokio::test]
async fn a_listening_port_is_up_and_a_closed_one_is_down() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let open = Check::Tcp {
        host: "127.0.0.1".into(),
        port: listener.local_addr().unwrap().port(),
    };
    let outcome = probe_loopback(&open).await;
    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    assert!(outcome.message.starts_with("connected in "), "{outcome:?}");

    let closed_port = {
        let gone = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        gone.local_addr().unwrap().port()
    };
    let closed = Check::Tcp {
        host: "127.0.0.1".into(),
        port: closed_port,
    };
    let outcome = probe_loopback(&closed).await;
    assert_eq!(outcome.state, State::Down);
    assert_eq!(
        outcome.message,
        format!("connection refused by 127.0.0.1:{closed_port}")
    );
}

#[tokio::test]
async fn a_name_resolving_to_the_expected_address_is_up() {
    let localhost = Check::Dns {
        name: "localhost".into(),
        expected: Some("127.0.0.1".into()),
    };
    let outcome = probe(&localhost, Policy::ALLOW_PRIVATE, TIMEOUT).await;
    assert_eq!(outcome.state, State::Up, "{outcome:?}");
    assert!(
        outcome.message.starts_with("localhost resolves to "),
        "{outcome:?}"
    );
    assert!(outcome.message.contains("127.0.0.1"), "{outcome:?}");

    let elsewhere = Check::Dns {
        name: "localhost".into(),
        expected: Some("192.0.2.7".into()),
    };
    let outcome = probe(&elsewhere, Policy::ALLOW_PRIVATE, TIMEOUT).await;
    assert_eq!(outcome.state, State::Down);
    assert!(outcome.message.ends_with(", not 192.0.2.7"), "{outcome:?}");
}

#[tokio::test]
async fn a_name_resolving_to_a_private_address_is_neither_shown_nor_compared() {
    // Unless the operator allows private targets: the answer would tell a tenant the
    // addresses of the server's own network.
    let localhost = Check::Dns {
        name: "localhost".into(),
        expected: Some("127.0.0.1".into()),
    };
    let outcome = probe(&localhost, Policy::PUBLIC_ONLY, TIMEOUT).await;
    assert_eq!(outcome.state, State::Down);
    assert!(!outcome.message.contains("127.0.0.1"), "{outcome:?}");
    assert!(
        outcome
            .message
            .starts_with("localhost resolves to a loopback address"),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_down() {
    let check = Check::Dns {
        name: "no-such-host.invalid".into(),
        expected: None,
    };

    let outcome = probe(&check, Policy::PUBLIC_ONLY, TIMEOUT).await;

    assert_eq!(outcome.state, State::Down);
    assert!(
        outcome
            .message
            .starts_with("could not resolve no-such-host.invalid"),
        "{outcome:?}"
    );
}
