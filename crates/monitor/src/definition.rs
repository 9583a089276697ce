//! A monitor as plain data: what it checks ([`Check`]) and how often and how patiently
//! ([`Settings`]), and [`validate`], which names every field's problem at once.

use std::net::IpAddr;

use upstate_egress::EgressError;
use upstate_egress::header::{HeaderName, HeaderValue};
use upstate_shared::FieldErrors;
use upstate_shared::dto::IncidentTemplate;
use upstate_shared::valid::Problems;

pub use upstate_shared::monitor::{
    Check, Header, HttpCheck, HttpMethod, JsonExpectation, Settings, StatusRange,
};

/// The most headers an HTTP check may send.
pub const HEADERS_MAX: usize = 20;
/// The largest body an HTTP check may send, in bytes.
pub const BODY_MAX: usize = 64 * 1024;
/// The longest keyword.
pub const KEYWORD_MAX: usize = 200;
/// The longest grace a heartbeat may have, a day.
pub const GRACE_MAX: u32 = 86_400;
/// The earliest warning of a certificate's expiry, in days (a year).
pub const TLS_EXPIRY_WARNING_MAX: u32 = 365;
/// Headers that say how the request is framed: Upstate sets them itself.
const FRAMING_HEADERS: &[&str] = &["content-length", "transfer-encoding", "connection"];

/// The longest monitor name.
pub const NAME_MAX: usize = 100;
/// The longest automatic incident title.
pub const TITLE_MAX: usize = 200;
/// The longest automatic incident message or resolution.
pub const MESSAGE_MAX: usize = 10_000;

/// Checks a monitor as a request gives it: its name, its check with its settings, and its
/// automatic incident's template, each when given (a change may give only some); answers every
/// problem under its field's path (`name`, `check.url`, `auto_incident.title`).
pub fn validate_monitor(
    name: Option<&str>,
    check: Option<(&Check, &Settings)>,
    auto_incident: Option<&IncidentTemplate>,
) -> Result<(), FieldErrors> {
    let mut problems = Problems::default();
    if let Some(name) = name {
        let length = name.trim().chars().count();
        if length == 0 {
            problems.add("name", "must not be empty");
        } else if length > NAME_MAX {
            problems.add("name", format!("must be at most {NAME_MAX} characters"));
        }
    }
    if let Some((check, settings)) = check
        && let Err(fields) = validate(check, settings)
    {
        for (field, all) in fields {
            for problem in all {
                problems.add(&field, problem);
            }
        }
    }
    if let Some(template) = auto_incident {
        for (field, text, max) in [
            ("auto_incident.title", &template.title, TITLE_MAX),
            ("auto_incident.message", &template.message, MESSAGE_MAX),
            (
                "auto_incident.resolution",
                &template.resolution,
                MESSAGE_MAX,
            ),
        ] {
            let length = text.trim().chars().count();
            if length == 0 {
                problems.add(field, "must not be empty");
            } else if length > max {
                problems.add(field, format!("must be at most {max} characters"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into_fields())
    }
}

/// Checks a monitor, answering each problem under its field's path in a request that carries
/// `check` and `settings` objects (`check.url`, `check.headers[1].name`,
/// `settings.interval_seconds`). Whether the URL's host is an address the operator allows is
/// checked when the monitor is saved (`upstate_egress::check_url`, which resolves it) and again
/// at every probe.
pub fn validate(check: &Check, settings: &Settings) -> Result<(), FieldErrors> {
    let mut problems = Problems::default();
    validate_settings(settings, &mut problems);
    match check {
        Check::Http(HttpCheck {
            url,
            method,
            headers,
            body,
            expected_statuses,
            keyword,
            json_path,
            degraded_after_ms,
            follow_redirects: _,
            tls_expiry_warning_days,
        }) => {
            if let Err(err) = upstate_egress::check_url_form(url) {
                let why = match err {
                    EgressError::BadUrl(why) => why,
                    other => other.to_string(),
                };
                problems.add("check.url", why);
            }
            if headers.len() > HEADERS_MAX {
                problems.add("check.headers", format!("at most {HEADERS_MAX} headers"));
            }
            for (index, header) in headers.iter().enumerate() {
                let name = header.name.trim().to_ascii_lowercase();
                if HeaderName::from_bytes(name.as_bytes()).is_err() {
                    problems.add(
                        &format!("check.headers[{index}].name"),
                        "is not a header name (letters, digits and -)",
                    );
                } else if FRAMING_HEADERS.contains(&name.as_str()) {
                    problems.add(
                        &format!("check.headers[{index}].name"),
                        "is set by Upstate itself",
                    );
                }
                if HeaderValue::from_str(&header.value).is_err() {
                    problems.add(
                        &format!("check.headers[{index}].value"),
                        "must be visible ASCII text on one line",
                    );
                }
            }
            if body.as_ref().is_some_and(|body| body.len() > BODY_MAX) {
                problems.add("check.body", format!("must be at most {BODY_MAX} bytes"));
            }
            if expected_statuses.is_empty() {
                problems.add(
                    "check.expected_statuses",
                    "name at least one status or range",
                );
            }
            if let Some(keyword) = keyword {
                if keyword.is_empty() {
                    problems.add("check.keyword", "must not be empty");
                } else if keyword.chars().count() > KEYWORD_MAX {
                    problems.add(
                        "check.keyword",
                        format!("must be at most {KEYWORD_MAX} characters"),
                    );
                }
            }
            if let Some(json) = json_path
                && !json.pointer.is_empty()
                && !json.pointer.starts_with('/')
            {
                problems.add(
                    "check.json_path.pointer",
                    "must be a JSON pointer such as /status (or empty for the whole answer)",
                );
            }
            if *method == HttpMethod::Head && (keyword.is_some() || json_path.is_some()) {
                problems.add("check.method", "a HEAD answer has no body to look into");
            }
            if let Some(ms) = degraded_after_ms {
                let timeout_ms = u64::from(settings.timeout_seconds) * 1000;
                if *ms == 0 || u64::from(*ms) >= timeout_ms {
                    problems.add(
                        "check.degraded_after_ms",
                        "must be more than 0 and less than the timeout",
                    );
                }
            }
            if let Some(days) = tls_expiry_warning_days
                && !(1..=TLS_EXPIRY_WARNING_MAX).contains(days)
            {
                problems.add(
                    "check.tls_expiry_warning_days",
                    format!(
                        "must be between 1 and {TLS_EXPIRY_WARNING_MAX} days \
                         (or null for no warning)"
                    ),
                );
            }
        }
        Check::Tcp { host, .. } => {
            if let Err(why) = host_or_address(host) {
                problems.add("check.host", why);
            }
        }
        Check::Heartbeat { grace_seconds } => {
            if *grace_seconds > GRACE_MAX {
                problems.add(
                    "check.grace_seconds",
                    format!("must be at most {GRACE_MAX} seconds (a day)"),
                );
            }
        }
        Check::Dns { name, expected } => {
            if let Err(why) = host_name(name) {
                problems.add("check.name", why);
            }
            if let Some(expected) = expected
                && expected.trim().parse::<IpAddr>().is_err()
            {
                problems.add(
                    "check.expected",
                    "must be an IP address (A and AAAA records are checked)",
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.into_fields())
    }
}

fn validate_settings(settings: &Settings, problems: &mut Problems) {
    let Settings {
        interval_seconds,
        timeout_seconds,
        failures_to_fail,
        successes_to_recover,
    } = *settings;
    if !(Settings::INTERVAL_MIN..=Settings::INTERVAL_MAX).contains(&interval_seconds) {
        problems.add(
            "settings.interval_seconds",
            format!(
                "must be between {} and {} seconds",
                Settings::INTERVAL_MIN,
                Settings::INTERVAL_MAX
            ),
        );
    }
    if !(1..=Settings::TIMEOUT_MAX).contains(&timeout_seconds) {
        problems.add(
            "settings.timeout_seconds",
            format!("must be between 1 and {} seconds", Settings::TIMEOUT_MAX),
        );
    } else if timeout_seconds >= interval_seconds {
        problems.add(
            "settings.timeout_seconds",
            "must be shorter than the interval",
        );
    }
    for (field, value) in [
        ("settings.failures_to_fail", failures_to_fail),
        ("settings.successes_to_recover", successes_to_recover),
    ] {
        if !(1..=Settings::RUN_MAX).contains(&value) {
            problems.add(
                field,
                format!("must be between 1 and {}", Settings::RUN_MAX),
            );
        }
    }
}

/// A TCP target: an IP address (IPv6 with or without brackets) or a host name.
fn host_or_address(input: &str) -> Result<(), String> {
    let literal = input.trim().trim_start_matches('[').trim_end_matches(']');
    if literal.parse::<IpAddr>().is_ok() {
        return Ok(());
    }
    host_name(input)
}

/// A name to resolve: labels of letters, digits, `-` and `_` (as in service records), 1 to 63
/// characters each, at most 253 in all, one final dot allowed. `localhost` is a name too.
fn host_name(input: &str) -> Result<(), String> {
    const SHAPE: &str = "must be a host name like example.com (no http://, port or path)";
    let name = input.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.len() > 253 {
        return Err("must be at most 253 characters".into());
    }
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if name.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(SHAPE.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(check: &Check, settings: &Settings) -> Vec<(String, String)> {
        match validate(check, settings) {
            Ok(()) => Vec::new(),
            Err(fields) => fields
                .into_iter()
                .flat_map(|(field, all)| all.into_iter().map(move |p| (field.clone(), p)))
                .collect(),
        }
    }

    fn fields(check: &Check, settings: &Settings) -> Vec<String> {
        problems(check, settings)
            .into_iter()
            .map(|(field, _)| field)
            .collect()
    }

    #[test]
    fn a_plain_http_check_reads_from_the_least_json_with_its_defaults() {
        let check: Check =
            serde_json::from_str(r#"{"kind": "http", "url": "https://example.com/health"}"#)
                .unwrap();
        assert_eq!(check, Check::http("https://example.com/health"));
        assert!(validate(&check, &Settings::default()).is_ok());
    }

    #[test]
    fn certificates_are_watched_and_redirects_not_followed_unless_said_otherwise() {
        let plain: HttpCheck = serde_json::from_str(r#"{"url": "https://example.com/"}"#).unwrap();
        assert_eq!(plain.tls_expiry_warning_days, Some(14));
        assert!(!plain.follow_redirects);
        let chosen: HttpCheck = serde_json::from_str(
            r#"{"url": "https://example.com/", "tls_expiry_warning_days": 30,
                "follow_redirects": true}"#,
        )
        .unwrap();
        assert_eq!(chosen.tls_expiry_warning_days, Some(30));
        assert!(chosen.follow_redirects);
        let off: HttpCheck = serde_json::from_str(
            r#"{"url": "https://example.com/", "tls_expiry_warning_days": null}"#,
        )
        .unwrap();
        assert_eq!(off.tls_expiry_warning_days, None);
        assert!(validate(&Check::Http(off), &Settings::default()).is_ok());

        for (days, valid) in [(1, true), (365, true), (0, false), (366, false)] {
            let check = Check::Http(HttpCheck {
                tls_expiry_warning_days: Some(days),
                ..HttpCheck::new("https://example.com/")
            });
            let found = problems(&check, &Settings::default());
            if valid {
                assert!(found.is_empty(), "{days}: {found:?}");
            } else {
                assert_eq!(
                    found,
                    [(
                        "check.tls_expiry_warning_days".to_owned(),
                        "must be between 1 and 365 days (or null for no warning)".to_owned()
                    )],
                    "{days}"
                );
            }
        }
    }

    #[test]
    fn a_check_round_trips_through_json_with_ranges_written_as_text() {
        let check = Check::Http(HttpCheck {
            url: "https://example.com/api".into(),
            method: HttpMethod::Post,
            headers: vec![Header {
                name: "Authorization".into(),
                value: "Bearer t0ken".into(),
            }],
            body: Some("{}".into()),
            expected_statuses: vec![
                StatusRange::new(200, 204).unwrap(),
                StatusRange::new(301, 301).unwrap(),
            ],
            keyword: Some("ok".into()),
            json_path: Some(JsonExpectation {
                pointer: "/status".into(),
                expected: serde_json::json!("ok"),
            }),
            degraded_after_ms: Some(800),
            follow_redirects: true,
            tls_expiry_warning_days: None,
        });
        let json = serde_json::to_value(&check).unwrap();
        assert_eq!(json["kind"], "http");
        assert_eq!(json["method"], "POST");
        assert_eq!(json["follow_redirects"], true);
        assert_eq!(json["tls_expiry_warning_days"], serde_json::Value::Null);
        assert_eq!(
            json["expected_statuses"],
            serde_json::json!(["200-204", "301"])
        );
        assert_eq!(serde_json::from_value::<Check>(json).unwrap(), check);

        let tcp: Check =
            serde_json::from_str(r#"{"kind": "tcp", "host": "db.example.com", "port": 5432}"#)
                .unwrap();
        assert_eq!(
            tcp,
            Check::Tcp {
                host: "db.example.com".into(),
                port: 5432
            }
        );
        let dns: Check = serde_json::from_str(r#"{"kind": "dns", "name": "example.com"}"#).unwrap();
        assert_eq!(
            dns,
            Check::Dns {
                name: "example.com".into(),
                expected: None
            }
        );
    }

    #[test]
    fn status_ranges_refuse_what_is_not_a_status() {
        for text in ["200-", "abc", "99", "600", "299-200", "200-700"] {
            assert!(
                serde_json::from_value::<StatusRange>(serde_json::json!(text)).is_err(),
                "{text}"
            );
        }
        let range: StatusRange = serde_json::from_value(serde_json::json!("200-299")).unwrap();
        assert!(range.contains(200) && range.contains(299));
        assert!(!range.contains(199) && !range.contains(300));
    }

    #[test]
    fn a_header_value_never_shows_in_debug_output() {
        let check = Check::Http(HttpCheck {
            headers: vec![Header {
                name: "Authorization".into(),
                value: "Bearer s3cret".into(),
            }],
            ..HttpCheck::new("https://example.com/")
        });
        let shown = format!("{check:?}");
        assert!(shown.contains("Authorization"), "{shown}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }

    #[test]
    fn settings_outside_their_bounds_are_named() {
        let settings = Settings {
            interval_seconds: 5,
            timeout_seconds: 0,
            failures_to_fail: 0,
            successes_to_recover: 11,
        };
        assert_eq!(
            fields(&Check::http("https://example.com/"), &settings),
            [
                "settings.failures_to_fail",
                "settings.interval_seconds",
                "settings.successes_to_recover",
                "settings.timeout_seconds",
            ]
        );
        let slow = Settings {
            interval_seconds: 10,
            timeout_seconds: 10,
            ..Settings::default()
        };
        assert_eq!(
            problems(&Check::http("https://example.com/"), &slow),
            [(
                "settings.timeout_seconds".to_owned(),
                "must be shorter than the interval".to_owned()
            )]
        );
        let fastest = Settings {
            interval_seconds: 10,
            timeout_seconds: 9,
            failures_to_fail: 1,
            successes_to_recover: 1,
        };
        assert!(validate(&Check::http("https://example.com/"), &fastest).is_ok());
    }

    #[test]
    fn each_http_problem_is_named_by_its_field() {
        let check = Check::Http(HttpCheck {
            url: "ftp://example.com/".into(),
            method: HttpMethod::Head,
            headers: vec![
                Header {
                    name: "X Bad".into(),
                    value: "fine".into(),
                },
                Header {
                    name: "Content-Length".into(),
                    value: "line\nbreak".into(),
                },
            ],
            body: Some("x".repeat(BODY_MAX + 1)),
            expected_statuses: Vec::new(),
            keyword: Some(String::new()),
            json_path: Some(JsonExpectation {
                pointer: "status".into(),
                expected: serde_json::json!("ok"),
            }),
            degraded_after_ms: Some(10_000),
            follow_redirects: true,
            tls_expiry_warning_days: Some(0),
        });
        assert_eq!(
            fields(&check, &Settings::default()),
            [
                "check.body",
                "check.degraded_after_ms",
                "check.expected_statuses",
                "check.headers[0].name",
                "check.headers[1].name",
                "check.headers[1].value",
                "check.json_path.pointer",
                "check.keyword",
                "check.method",
                "check.tls_expiry_warning_days",
                "check.url",
            ]
        );
    }

    #[test]
    fn credentials_in_a_monitor_url_are_refused_with_a_hint() {
        let found = problems(
            &Check::http("https://user:pw@example.com/"),
            &Settings::default(),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "check.url");
        assert!(
            found[0].1.contains("send credentials in a header"),
            "{found:?}"
        );
    }

    #[test]
    fn tcp_and_dns_targets_are_names_or_addresses() {
        let settings = Settings::default();
        for host in [
            "db.example.com",
            "localhost",
            "10.0.0.5",
            "::1",
            "[2001:db8::1]",
        ] {
            let check = Check::Tcp {
                host: host.into(),
                port: 5432,
            };
            assert!(validate(&check, &settings).is_ok(), "{host}");
        }
        for host in ["", "http://db.example.com", "db.example.com:5432", "a b"] {
            let check = Check::Tcp {
                host: host.into(),
                port: 5432,
            };
            assert_eq!(fields(&check, &settings), ["check.host"], "{host:?}");
        }
        let dns = Check::Dns {
            name: "_sip._tcp.example.com".into(),
            expected: Some("2001:db8::1".into()),
        };
        assert!(validate(&dns, &settings).is_ok());
        let bad = Check::Dns {
            name: "example.com/x".into(),
            expected: Some("example.org".into()),
        };
        assert_eq!(fields(&bad, &settings), ["check.expected", "check.name"]);
    }
}
