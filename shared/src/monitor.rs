//! A monitor as plain data (issue 17): what it checks ([`Check`]) and how often and how
//! patiently ([`Settings`]). The server checks and runs them (`upstate-monitor`); the dashboard
//! edits them; both serialize these.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How a service is doing, as one probe saw it or as the anti-flap rule decided. Ordered from
/// best to worst, so the worse of two is their `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MonitorState {
    /// Answering as expected.
    Up,
    /// Answering as expected, but slower than the owner's threshold.
    Degraded,
    /// Not answering, or answering wrongly.
    Down,
}

impl MonitorState {
    /// The state's name, as on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            MonitorState::Up => "up",
            MonitorState::Degraded => "degraded",
            MonitorState::Down => "down",
        }
    }

    /// One letter, for a compact run of results: `u`, `d`, `x`.
    pub fn letter(self) -> char {
        match self {
            MonitorState::Up => 'u',
            MonitorState::Degraded => 'd',
            MonitorState::Down => 'x',
        }
    }

    pub fn from_letter(letter: char) -> Option<MonitorState> {
        match letter {
            'u' => Some(MonitorState::Up),
            'd' => Some(MonitorState::Degraded),
            'x' => Some(MonitorState::Down),
            _ => None,
        }
    }

    /// A small number, for the results table: 0 up, 1 degraded, 2 down.
    pub fn code(self) -> i16 {
        match self {
            MonitorState::Up => 0,
            MonitorState::Degraded => 1,
            MonitorState::Down => 2,
        }
    }

    pub fn from_code(code: i16) -> MonitorState {
        match code {
            0 => MonitorState::Up,
            1 => MonitorState::Degraded,
            _ => MonitorState::Down,
        }
    }

    /// The service status a monitor in this state asks for.
    pub fn service_status(self) -> crate::ServiceStatus {
        match self {
            MonitorState::Up => crate::ServiceStatus::Operational,
            MonitorState::Degraded => crate::ServiceStatus::DegradedPerformance,
            MonitorState::Down => crate::ServiceStatus::MajorOutage,
        }
    }
}

impl std::str::FromStr for MonitorState {
    type Err = crate::ParseEnumError;

    fn from_str(text: &str) -> Result<MonitorState, Self::Err> {
        match text {
            "up" => Ok(MonitorState::Up),
            "degraded" => Ok(MonitorState::Degraded),
            "down" => Ok(MonitorState::Down),
            _ => Err(crate::ParseEnumError {
                kind: "monitor state",
                value: text.to_owned(),
                expected: &["up", "degraded", "down"],
            }),
        }
    }
}

/// What a monitor checks.
///
/// Stored and sent as JSON tagged by `kind`:
/// `{"kind": "http", "url": "https://example.com/health", "keyword": "ok"}`; the HTTP check's
/// other fields have defaults (GET, no headers, no body, any 2xx).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorCheck))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// An HTTP(S) request whose answer must match every rule given.
    Http(HttpCheck),
    /// A TCP connection to `host:port` must open.
    Tcp {
        /// A name or an IP address.
        host: String,
        port: u16,
    },
    /// `name` must resolve, and to `expected` if given. The lookup goes through the system
    /// resolver (A and AAAA records, `/etc/hosts` included); other record types come later.
    Dns {
        name: String,
        /// An IP address that must be among the answers.
        #[serde(default)]
        expected: Option<String>,
    },
    /// A job (a cron job, a backup script) calls the monitor's secret URL each time it runs;
    /// silence longer than the interval plus `grace_seconds` means it did not run. No probe is
    /// sent: the URL is the server's own (`/api/v1/heartbeats/{token}`).
    Heartbeat {
        /// How late a call may be before the job counts as down.
        #[serde(default = "Check::default_grace")]
        grace_seconds: u32,
    },
}

impl Check {
    /// Five minutes, the grace a heartbeat has unless said otherwise.
    pub fn default_grace() -> u32 {
        300
    }

    /// The kind's name, as in the JSON's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::Http(_) => "http",
            Check::Tcp { .. } => "tcp",
            Check::Dns { .. } => "dns",
            Check::Heartbeat { .. } => "heartbeat",
        }
    }

    /// Whether the server sends a probe (every kind but a heartbeat, which is called instead).
    pub fn is_probed(&self) -> bool {
        !matches!(self, Check::Heartbeat { .. })
    }

    /// An HTTP check of `url` with every default ([`HttpCheck::new`]).
    pub fn http(url: &str) -> Check {
        Check::Http(HttpCheck::new(url))
    }
}

/// An HTTP(S) request whose answer must match every rule given. Redirects are followed only when
/// asked (otherwise a 3xx is the answer); the body is read up to egress's bound (64 KiB); an
/// https answer's certificate is checked for an expiry coming soon.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorHttpCheck))]
pub struct HttpCheck {
    /// http or https, without credentials (send them in a header).
    pub url: String,
    #[serde(default)]
    pub method: HttpMethod,
    /// Sent as given; their values are never shown in outcomes or `Debug` output.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Sent as given, if any.
    #[serde(default)]
    pub body: Option<String>,
    /// The statuses that count as up: `["200-299"]` unless said otherwise.
    #[serde(default = "StatusRange::any_success")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>, example = json!(["200-299"])))]
    pub expected_statuses: Vec<StatusRange>,
    /// Text the body must contain (case-sensitive).
    #[serde(default)]
    pub keyword: Option<String>,
    /// A value the body, read as JSON, must hold at a JSON pointer.
    #[serde(default)]
    pub json_path: Option<JsonExpectation>,
    /// An answer slower than this (and otherwise right) makes the service degraded.
    #[serde(default)]
    pub degraded_after_ms: Option<u32>,
    /// Follow up to 5 redirects (301, 302, 303, 307, 308), each to an address the operator
    /// allows, and judge the last answer. The check's headers go only to the URL's own origin
    /// (scheme, host and port). Off by default: a 3xx is the answer.
    #[serde(default)]
    pub follow_redirects: bool,
    /// An https answer whose certificate expires within this many days (and otherwise right)
    /// makes the service degraded: 14 unless said otherwise, `null` for no warning. An expired
    /// or untrusted certificate is down whatever this says.
    #[serde(default = "HttpCheck::default_tls_expiry_warning_days")]
    #[cfg_attr(feature = "openapi", schema(default = 14, minimum = 1, maximum = 365))]
    pub tls_expiry_warning_days: Option<u32>,
}

impl HttpCheck {
    /// A check of `url` with every default: GET, no headers, no body, any 2xx, no keyword, no
    /// JSON rule, no latency threshold, no redirect followed, a warning 14 days before the
    /// certificate expires. Change a field with `HttpCheck { keyword, ..new(url) }`.
    pub fn new(url: &str) -> HttpCheck {
        HttpCheck {
            url: url.to_owned(),
            method: HttpMethod::default(),
            headers: Vec::new(),
            body: None,
            expected_statuses: StatusRange::any_success(),
            keyword: None,
            json_path: None,
            degraded_after_ms: None,
            follow_redirects: false,
            tls_expiry_warning_days: HttpCheck::default_tls_expiry_warning_days(),
        }
    }

    /// 14 days: a certificate renewed automatically (Let's Encrypt and the like, every 60 days
    /// of 90) never comes this close, one renewed by hand still has two weeks.
    pub fn default_tls_expiry_warning_days() -> Option<u32> {
        Some(14)
    }
}

/// The methods an HTTP check may use (no CONNECT or TRACE: they probe proxies, not services).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorHttpMethod))]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    #[default]
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
}

impl HttpMethod {
    /// The method's name, as on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
        }
    }
}

/// One request header of an HTTP check.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorHeader))]
pub struct Header {
    pub name: String,
    /// Often a credential (`Authorization: Bearer ...`), so `Debug` hides it.
    pub value: String,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("name", &self.name)
            .field("value", &"<hidden>")
            .finish()
    }
}

/// A range of HTTP statuses that count as up, written `200-299` or `204`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatusRange {
    from: u16,
    to: u16,
}

impl StatusRange {
    /// `from` to `to`, both included: statuses between 100 and 599, `from` not above `to`.
    pub fn new(from: u16, to: u16) -> Result<StatusRange, String> {
        if !(100..=599).contains(&from) || !(100..=599).contains(&to) {
            return Err("statuses are between 100 and 599".into());
        }
        if from > to {
            return Err(format!("{from}-{to} is backwards; write {to}-{from}"));
        }
        Ok(StatusRange { from, to })
    }

    /// `["200-299"]`: the default.
    pub fn any_success() -> Vec<StatusRange> {
        vec![StatusRange { from: 200, to: 299 }]
    }

    pub fn contains(&self, status: u16) -> bool {
        (self.from..=self.to).contains(&status)
    }
}

impl TryFrom<String> for StatusRange {
    type Error = String;

    fn try_from(text: String) -> Result<StatusRange, String> {
        let number = |part: &str| {
            part.trim()
                .parse::<u16>()
                .map_err(|_| format!("{text:?} is not a status or a range like 200-299"))
        };
        match text.split_once('-') {
            Some((from, to)) => StatusRange::new(number(from)?, number(to)?),
            None => {
                let status = number(&text)?;
                StatusRange::new(status, status)
            }
        }
    }
}

impl From<StatusRange> for String {
    fn from(range: StatusRange) -> String {
        range.to_string()
    }
}

impl fmt::Display for StatusRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}-{}", self.from, self.to)
        }
    }
}

/// The value the answer's JSON must hold at `pointer` (RFC 6901: `/status/indicator`,
/// `/checks/0/ok`; the empty pointer is the whole document).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorJsonExpectation))]
pub struct JsonExpectation {
    pub pointer: String,
    /// Compared as JSON: `"ok"` is a string, `true` a boolean, `1` a number.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub expected: serde_json::Value,
}

/// How often a monitor runs and how many results it takes to change a service's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = MonitorSettings))]
pub struct Settings {
    /// Seconds between two probes, at least [`Settings::INTERVAL_MIN`].
    #[cfg_attr(feature = "openapi", schema(minimum = 10, maximum = 86400))]
    pub interval_seconds: u32,
    /// Seconds a probe may take, shorter than the interval.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    pub timeout_seconds: u32,
    /// Consecutive failures (N) before the service turns degraded or down.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub failures_to_fail: u32,
    /// Consecutive successes (M) before it is up again.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10))]
    pub successes_to_recover: u32,
}

impl Default for Settings {
    /// Every minute, 10 s to answer, down after 3 failures, up after 2 successes.
    fn default() -> Settings {
        Settings {
            interval_seconds: 60,
            timeout_seconds: 10,
            failures_to_fail: 3,
            successes_to_recover: 2,
        }
    }
}

impl Settings {
    /// The shortest interval: more often would make Upstate a load generator.
    pub const INTERVAL_MIN: u32 = 10;
    /// The longest interval, a day.
    pub const INTERVAL_MAX: u32 = 86_400;
    /// The longest timeout.
    pub const TIMEOUT_MAX: u32 = 60;
    /// The most results N or M may ask for.
    pub const RUN_MAX: u32 = 10;

    pub fn interval(&self) -> Duration {
        Duration::from_secs(self.interval_seconds.into())
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds.into())
    }
}
