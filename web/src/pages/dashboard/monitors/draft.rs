//! What the monitor pages show and send, as plain functions tested without a browser: the
//! words for kinds, targets and states, the texts the form reads (expected statuses, a JSON
//! value), and [`MonitorDraft`], the form's content, with the requests it becomes.

use crate::components::chart;
use std::collections::BTreeMap;
use upstate_shared::dto::{
    CreateMonitorRequest, IncidentTemplate, Monitor, MonitorResult, Service, UpdateMonitorRequest,
};
use upstate_shared::monitor::{
    Check, HttpCheck, HttpMethod, JsonExpectation, MonitorState, Settings, StatusRange,
};
use upstate_shared::{FieldErrors, ImpactLevel, ServiceId};

/// The longest name the API takes.
const NAME_MAX: usize = 100;

/// The kinds of check, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Http,
    Tcp,
    Dns,
    Heartbeat,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Http, Kind::Tcp, Kind::Dns, Kind::Heartbeat];

    pub fn of(check: &Check) -> Kind {
        match check {
            Check::Http(_) => Kind::Http,
            Check::Tcp { .. } => Kind::Tcp,
            Check::Dns { .. } => Kind::Dns,
            Check::Heartbeat { .. } => Kind::Heartbeat,
        }
    }

    /// The short word of the list ("HTTP").
    pub fn word(self) -> &'static str {
        match self {
            Kind::Http => "HTTP",
            Kind::Tcp => "TCP",
            Kind::Dns => "DNS",
            Kind::Heartbeat => "Heartbeat",
        }
    }

    /// The form's words for the choice.
    pub fn choice(self) -> &'static str {
        match self {
            Kind::Http => "HTTP(S) request",
            Kind::Tcp => "TCP port",
            Kind::Dns => "DNS lookup",
            Kind::Heartbeat => "Heartbeat (your job calls Upstate)",
        }
    }
}

/// The methods an HTTP check may use, in the form's order.
pub const METHODS: [HttpMethod; 7] = [
    HttpMethod::Get,
    HttpMethod::Head,
    HttpMethod::Post,
    HttpMethod::Put,
    HttpMethod::Patch,
    HttpMethod::Delete,
    HttpMethod::Options,
];

pub fn method_name(method: HttpMethod) -> &'static str {
    method.as_str()
}

/// What a check looks at, in a few words: its URL, `host:port`, the name it resolves, or
/// "heartbeat".
pub fn target(check: &Check) -> String {
    match check {
        Check::Http(http) => http.url.clone(),
        // An IPv6 address in brackets, so its port reads apart from it.
        Check::Tcp { host, port } if host.contains(':') && !host.starts_with('[') => {
            format!("[{host}]:{port}")
        }
        Check::Tcp { host, port } => format!("{host}:{port}"),
        Check::Dns { name, .. } => name.clone(),
        Check::Heartbeat { .. } => "heartbeat".to_owned(),
    }
}

/// A monitor's state as the list shows it: paused before anything else, and "pending" until
/// the first result (the API says `up` until results say otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Up,
    Degraded,
    Down,
    Paused,
    Pending,
}

impl Shown {
    pub fn of(monitor: &Monitor) -> Shown {
        if monitor.paused {
            Shown::Paused
        } else if monitor.last_result.is_none() {
            Shown::Pending
        } else {
            Shown::from(monitor.state)
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Shown::Up => "Up",
            Shown::Degraded => "Degraded",
            Shown::Down => "Down",
            Shown::Paused => "Paused",
            Shown::Pending => "Not checked yet",
        }
    }

    pub fn icon(self) -> &'static str {
        match self {
            Shown::Up => "✓",
            Shown::Degraded => "!",
            Shown::Down => "✕",
            Shown::Paused => "‖",
            Shown::Pending => "…",
        }
    }

    /// The status colours of the services: operational, degraded performance, major outage.
    pub fn class(self) -> &'static str {
        match self {
            Shown::Up => "status-operational",
            Shown::Degraded => "status-degraded",
            Shown::Down => "status-major",
            Shown::Paused | Shown::Pending => "status-idle",
        }
    }
}

impl From<MonitorState> for Shown {
    fn from(state: MonitorState) -> Shown {
        match state {
            MonitorState::Up => Shown::Up,
            MonitorState::Degraded => Shown::Degraded,
            MonitorState::Down => Shown::Down,
        }
    }
}

/// Expected statuses as the form reads them: `200-299, 301`.
pub fn parse_statuses(text: &str) -> Result<Vec<StatusRange>, String> {
    let mut ranges = Vec::new();
    let mut wrong = Vec::new();
    for part in text.split([',', ';']).map(str::trim) {
        if part.is_empty() {
            continue;
        }
        match StatusRange::try_from(part.to_owned()) {
            Ok(range) => ranges.push(range),
            Err(why) => wrong.push(why),
        }
    }
    if !wrong.is_empty() {
        return Err(wrong.join("; "));
    }
    if ranges.is_empty() {
        return Err("name at least one status or range, such as 200-299".to_owned());
    }
    Ok(ranges)
}

/// Expected statuses as the form shows them.
pub fn statuses_text(ranges: &[StatusRange]) -> String {
    ranges
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The value a JSON rule expects, as typed: JSON (`true`, `3`, `"ok"`, `{"a": 1}`), or else a
/// plain word taken as a string (`ok`), so nobody has to type quotes for the usual case. Text
/// that starts like a string, object or array must be valid JSON.
pub fn parse_expected_json(text: &str) -> Result<serde_json::Value, String> {
    let text = text.trim();
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(_) if text.starts_with(['{', '[', '"']) => {
            Err("is not valid JSON; write a word, a number, true, false, null, or JSON".to_owned())
        }
        Err(_) => Ok(serde_json::Value::String(text.to_owned())),
    }
}

/// The value a JSON rule expects, as the form shows it: a string bare when it reads back as
/// the same string, JSON otherwise (`"true"` stays quoted: bare, it would be a boolean).
pub fn expected_json_text(value: &serde_json::Value) -> String {
    if let serde_json::Value::String(text) = value
        && parse_expected_json(text).as_ref() == Ok(value)
    {
        return text.clone();
    }
    value.to_string()
}

/// The command a job runs to call its heartbeat URL.
pub fn curl_example(url: &str) -> String {
    format!("curl -fsS -m 10 --retry 3 \"{url}\"")
}

/// `url` as an address to call from anywhere: the API may answer a path on its own origin.
pub fn absolute_url(url: &str, origin: &str) -> String {
    if url.starts_with("http://") || url.starts_with("https://") {
        url.to_owned()
    } else if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        format!("{origin}/{url}")
    }
}

/// The DOM id of the input for a request field: `check.headers[1].name` →
/// `monitor-check-headers-1-name`. Every input of the form takes its id this way, so a problem
/// under any path finds its input (and one that finds none is listed at the form's end).
pub fn field_id(path: &str) -> String {
    let mut id = String::from("monitor-");
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

/// The problems whose field has no input on the form (`is_shown` says which ids are there),
/// as "field: problem" lines.
pub fn unplaced_problems(fields: &FieldErrors, is_shown: impl Fn(&str) -> bool) -> Vec<String> {
    fields
        .iter()
        .filter(|(path, _)| !is_shown(&field_id(path)))
        .map(|(path, problems)| format!("{path}: {}", problems.join("; ")))
        .collect()
}

/// What the form holds. Values with a typed input are kept typed, where the request has them
/// (the settings, and the HTTP check itself: method, headers, body, keyword, the latency
/// threshold and whatever option it gains later); text that becomes a value only when sent
/// (expected statuses, the JSON rule) is kept as typed. Each kind keeps its own fields, so
/// switching kinds and back loses nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorDraft {
    pub name: String,
    /// The chosen service's id, empty until one is chosen.
    pub service_id: String,
    pub kind: Kind,
    /// The HTTP check; its `expected_statuses` and `json_path` come from the texts below.
    pub http: HttpCheck,
    pub statuses: String,
    pub json_pointer: String,
    pub json_expected: String,
    pub tcp_host: String,
    pub tcp_port: Option<u32>,
    pub dns_name: String,
    pub dns_expected: String,
    pub grace_seconds: u32,
    pub settings: Settings,
    pub paused: bool,
    /// Whether the monitor opens an incident; `incident` is kept while this is off.
    pub auto_incident: bool,
    pub incident: IncidentTemplate,
    /// Inputs whose text is no value (letters in a number), by field path, with the problem.
    pub unreadable: BTreeMap<String, String>,
}

/// What the form sends, checked: the values of both the create and the update request.
#[derive(Debug, Clone, PartialEq)]
pub struct MonitorParts {
    pub service_id: ServiceId,
    pub name: String,
    pub check: Check,
    pub settings: Settings,
    pub paused: bool,
    pub auto_incident: Option<IncidentTemplate>,
}

impl MonitorDraft {
    /// A new monitor's form: an HTTP check with every default, the default settings, the only
    /// service chosen when there is one.
    pub fn new(services: &[Service]) -> MonitorDraft {
        let only = match services {
            [one] => one.id.to_string(),
            _ => String::new(),
        };
        let http = HttpCheck::new("");
        MonitorDraft {
            name: String::new(),
            service_id: only,
            kind: Kind::Http,
            statuses: statuses_text(&http.expected_statuses),
            http,
            json_pointer: String::new(),
            json_expected: String::new(),
            tcp_host: String::new(),
            tcp_port: None,
            dns_name: String::new(),
            dns_expected: String::new(),
            grace_seconds: Check::default_grace(),
            settings: Settings::default(),
            paused: false,
            auto_incident: false,
            incident: IncidentTemplate {
                title: String::new(),
                message: String::new(),
                impact: ImpactLevel::Major,
                resolution: IncidentTemplate::default_resolution(),
            },
            unreadable: BTreeMap::new(),
        }
    }

    /// The form of an existing monitor.
    pub fn of(monitor: &Monitor) -> MonitorDraft {
        let mut draft = MonitorDraft::new(&[]);
        draft.name = monitor.name.clone();
        draft.service_id = monitor.service_id.to_string();
        draft.kind = Kind::of(&monitor.check);
        match &monitor.check {
            Check::Http(http) => {
                draft.http = http.clone();
                draft.statuses = statuses_text(&http.expected_statuses);
                if let Some(json) = &http.json_path {
                    draft.json_pointer = json.pointer.clone();
                    draft.json_expected = expected_json_text(&json.expected);
                }
            }
            Check::Tcp { host, port } => {
                draft.tcp_host = host.clone();
                draft.tcp_port = Some(u32::from(*port));
            }
            Check::Dns { name, expected } => {
                draft.dns_name = name.clone();
                draft.dns_expected = expected.clone().unwrap_or_default();
            }
            Check::Heartbeat { grace_seconds } => draft.grace_seconds = *grace_seconds,
        }
        draft.settings = monitor.settings;
        draft.paused = monitor.paused;
        if let Some(template) = &monitor.auto_incident {
            draft.auto_incident = true;
            draft.incident = template.clone();
        }
        draft
    }

    /// The check of the chosen kind, or its fields' problems (added to `problems`).
    fn check(&self, problems: &mut FieldErrors) -> Option<Check> {
        let mut problem = |field: &str, text: &str| {
            problems
                .entry(field.to_owned())
                .or_default()
                .push(text.to_owned());
        };
        match self.kind {
            Kind::Http => {
                // Every field of the edited check goes as it is (options added to `HttpCheck`
                // later too); only those typed as text are read here.
                let mut http = self.http.clone();
                http.url = http.url.trim().to_owned();
                if http.url.is_empty() {
                    problem("check.url", "enter the URL to check");
                }
                for (index, header) in http.headers.iter_mut().enumerate() {
                    header.name = header.name.trim().to_owned();
                    if header.name.is_empty() {
                        problem(
                            &format!("check.headers[{index}].name"),
                            "enter a header name, or remove the row",
                        );
                    }
                }
                match parse_statuses(&self.statuses) {
                    Ok(ranges) => http.expected_statuses = ranges,
                    Err(why) => problem("check.expected_statuses", &why),
                }
                let pointer = self.json_pointer.trim();
                http.json_path = if self.json_expected.trim().is_empty() {
                    if !pointer.is_empty() {
                        problem(
                            "check.json_path.expected",
                            "enter the value expected at this pointer",
                        );
                    }
                    None
                } else {
                    match parse_expected_json(&self.json_expected) {
                        Ok(expected) => Some(JsonExpectation {
                            pointer: pointer.to_owned(),
                            expected,
                        }),
                        Err(why) => {
                            problem("check.json_path.expected", &why);
                            None
                        }
                    }
                };
                Some(Check::Http(http))
            }
            Kind::Tcp => {
                let host = self.tcp_host.trim();
                if host.is_empty() {
                    problem("check.host", "enter a host name or an IP address");
                }
                let port = self.tcp_port.and_then(|port| u16::try_from(port).ok());
                match port {
                    Some(port) if port > 0 => Some(Check::Tcp {
                        host: host.to_owned(),
                        port,
                    }),
                    _ => {
                        if !self.unreadable.contains_key("check.port") {
                            problem("check.port", "enter a port, from 1 to 65535");
                        }
                        None
                    }
                }
            }
            Kind::Dns => {
                let name = self.dns_name.trim();
                if name.is_empty() {
                    problem("check.name", "enter the name to resolve");
                }
                let expected = self.dns_expected.trim();
                Some(Check::Dns {
                    name: name.to_owned(),
                    expected: (!expected.is_empty()).then(|| expected.to_owned()),
                })
            }
            Kind::Heartbeat => Some(Check::Heartbeat {
                grace_seconds: self.grace_seconds,
            }),
        }
    }

    /// The request's values, or every field's problem at once (under the API's paths).
    pub fn parts(&self) -> Result<MonitorParts, FieldErrors> {
        let mut problems = FieldErrors::new();
        let problem = |problems: &mut FieldErrors, field: &str, text: &str| {
            problems
                .entry(field.to_owned())
                .or_default()
                .push(text.to_owned());
        };
        let name = self.name.trim();
        if name.is_empty() {
            problem(&mut problems, "name", "enter a name");
        } else if name.chars().count() > NAME_MAX {
            problem(
                &mut problems,
                "name",
                &format!("must be at most {NAME_MAX} characters"),
            );
        }
        if self.service_id.is_empty() {
            problem(
                &mut problems,
                "service_id",
                "choose the service this monitor checks",
            );
        }
        let check = self.check(&mut problems);
        let auto_incident = self.auto_incident.then(|| {
            let template = IncidentTemplate {
                title: self.incident.title.trim().to_owned(),
                message: self.incident.message.trim().to_owned(),
                impact: self.incident.impact,
                resolution: self.incident.resolution.trim().to_owned(),
            };
            for (field, text, what) in [
                (
                    "auto_incident.title",
                    &template.title,
                    "enter the incident's title",
                ),
                (
                    "auto_incident.message",
                    &template.message,
                    "enter its first update",
                ),
                (
                    "auto_incident.resolution",
                    &template.resolution,
                    "enter the update that resolves it",
                ),
            ] {
                if text.is_empty() {
                    problem(&mut problems, field, what);
                }
            }
            template
        });
        for (field, why) in &self.unreadable {
            problem(&mut problems, field, why);
        }
        match check {
            Some(check) if problems.is_empty() => Ok(MonitorParts {
                service_id: ServiceId(self.service_id.clone()),
                name: name.to_owned(),
                check,
                settings: self.settings,
                paused: self.paused,
                auto_incident,
            }),
            _ => Err(problems),
        }
    }
}

impl MonitorParts {
    pub fn create(self) -> CreateMonitorRequest {
        CreateMonitorRequest {
            service_id: self.service_id,
            name: self.name,
            check: self.check,
            settings: Some(self.settings),
            paused: self.paused,
            auto_incident: self.auto_incident,
        }
    }

    /// The update of `before`: only what changed, since a changed check or settings starts its
    /// run of results over.
    pub fn update(self, before: &Monitor) -> UpdateMonitorRequest {
        fn changed<T: PartialEq>(now: T, before: &T) -> Option<T> {
            (now != *before).then_some(now)
        }
        UpdateMonitorRequest {
            service_id: changed(self.service_id, &before.service_id),
            name: changed(self.name, &before.name),
            check: changed(self.check, &before.check),
            settings: changed(self.settings, &before.settings),
            paused: changed(self.paused, &before.paused),
            auto_incident: changed(self.auto_incident, &before.auto_incident),
        }
    }
}

/// The service's name, or words for one that is gone.
pub fn service_name(id: &ServiceId, services: &[Service]) -> String {
    services
        .iter()
        .find(|s| &s.id == id)
        .map_or_else(|| "a removed service".to_owned(), |s| s.name.clone())
}

/// A result in a line: "HTTP 200 · 87 ms".
pub fn result_line(result: &MonitorResult) -> String {
    format!(
        "{} · {}",
        result.message,
        chart::format_latency(result.latency_ms)
    )
}

/// A check's rules as terms and values (a header's value, often a credential, is not shown).
pub fn check_details(check: &Check) -> Vec<(&'static str, String)> {
    match check {
        Check::Http(http) => {
            let mut rules = vec![
                (
                    "Request",
                    format!("{} {}", method_name(http.method), http.url),
                ),
                ("Expected statuses", statuses_text(&http.expected_statuses)),
            ];
            if !http.headers.is_empty() {
                let names: Vec<&str> = http.headers.iter().map(|h| h.name.as_str()).collect();
                rules.push(("Headers", names.join(", ")));
            }
            if let Some(keyword) = &http.keyword {
                rules.push(("Must contain", keyword.clone()));
            }
            if let Some(json) = &http.json_path {
                let pointer = if json.pointer.is_empty() {
                    "the whole answer"
                } else {
                    json.pointer.as_str()
                };
                rules.push(("JSON", format!("{pointer} = {}", json.expected)));
            }
            if let Some(ms) = http.degraded_after_ms {
                rules.push(("Degraded after", chart::format_latency(ms)));
            }
            rules
        }
        Check::Tcp { .. } => vec![("Connects to", target(check))],
        Check::Dns { name, expected } => {
            let mut rules = vec![("Resolves", name.clone())];
            if let Some(ip) = expected {
                rules.push(("Expected address", ip.clone()));
            }
            rules
        }
        Check::Heartbeat { grace_seconds } => {
            vec![("Grace", format!("{grace_seconds} s after the interval"))]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};
    use upstate_shared::MonitorId;
    use upstate_shared::monitor::Header;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    /// A service as the API sends it (from JSON: fields the API adds later keep their defaults).
    fn service(id: &str, name: &str) -> Service {
        serde_json::from_str(&format!(
            r#"{{"id": "{id}", "name": "{name}", "description": "", "status": "operational",
                "manual_status": "operational", "group_id": null, "position": 0,
                "created_at": "2026-11-30T10:00:00Z", "updated_at": "2026-11-30T10:00:00Z"}}"#
        ))
        .unwrap()
    }

    fn monitor(check: Check) -> Monitor {
        Monitor {
            id: MonitorId("mon_1".to_owned()),
            service_id: ServiceId("svc_1".to_owned()),
            name: "API".to_owned(),
            check,
            settings: Settings::default(),
            paused: false,
            state: MonitorState::Up,
            service_status: None,
            last_result: None,
            next_check_at: None,
            auto_incident: None,
            open_incident_id: None,
            heartbeat_url: None,
            created_at: at("2026-11-30T10:00:00Z"),
            updated_at: at("2026-11-30T10:00:00Z"),
        }
    }

    fn filled() -> MonitorDraft {
        let mut draft = MonitorDraft::new(&[service("svc_1", "API")]);
        draft.name = "  API health ".to_owned();
        draft.http.url = " https://example.com/health ".to_owned();
        draft
    }

    fn problem_fields(draft: &MonitorDraft) -> Vec<String> {
        draft.parts().unwrap_err().into_keys().collect()
    }

    #[test]
    fn statuses_read_as_lists_of_codes_and_ranges() {
        let ranges = parse_statuses("200-299, 301;  404 ").unwrap();
        assert_eq!(statuses_text(&ranges), "200-299, 301, 404");
        assert!(ranges[0].contains(204) && ranges[1].contains(301) && !ranges[1].contains(302));
        assert_eq!(
            statuses_text(&parse_statuses("200 - 204").unwrap()),
            "200-204"
        );
        assert!(parse_statuses("").unwrap_err().contains("at least one"));
        assert!(parse_statuses(" , ").is_err());
        let wrong = parse_statuses("200, abc, 299-200").unwrap_err();
        assert!(wrong.contains("\"abc\""), "{wrong}");
        assert!(wrong.contains("backwards"), "{wrong}");
        assert!(parse_statuses("700").is_err());
    }

    #[test]
    fn an_expected_json_value_is_json_or_else_a_plain_word() {
        // JSON as the API sends it (the layers test keeps `json!` out of the web app).
        use serde_json::Value;
        let v = |text: &str| serde_json::from_str::<Value>(text).unwrap();
        assert_eq!(parse_expected_json("ok"), Ok(Value::String("ok".into())));
        assert_eq!(
            parse_expected_json(" all good "),
            Ok(Value::String("all good".into()))
        );
        assert_eq!(parse_expected_json("true"), Ok(v("true")));
        assert_eq!(parse_expected_json("3"), Ok(v("3")));
        assert_eq!(parse_expected_json("\"true\""), Ok(v("\"true\"")));
        assert_eq!(parse_expected_json("{\"a\": [1]}"), Ok(v(r#"{"a": [1]}"#)));
        assert!(parse_expected_json("{\"a\": 1").is_err());
        assert!(parse_expected_json("\"unclosed").is_err());
        // What the form shows reads back as the same value.
        for value in [
            r#""ok""#,
            r#""true""#,
            r#""3""#,
            r#"" padded""#,
            "null",
            "false",
            r#"{"a": 1}"#,
            r#""{x""#,
        ]
        .map(v)
        {
            let text = expected_json_text(&value);
            assert_eq!(parse_expected_json(&text), Ok(value.clone()), "{text}");
        }
        assert_eq!(expected_json_text(&v(r#""ok""#)), "ok");
        assert_eq!(expected_json_text(&v(r#""true""#)), "\"true\"");
    }

    #[test]
    fn targets_read_as_people_write_them() {
        assert_eq!(
            target(&Check::http("https://example.com/health")),
            "https://example.com/health"
        );
        assert_eq!(
            target(&Check::Tcp {
                host: "db.example.com".into(),
                port: 5432
            }),
            "db.example.com:5432"
        );
        assert_eq!(
            target(&Check::Tcp {
                host: "2001:db8::1".into(),
                port: 443
            }),
            "[2001:db8::1]:443"
        );
        assert_eq!(
            target(&Check::Tcp {
                host: "[2001:db8::1]".into(),
                port: 443
            }),
            "[2001:db8::1]:443"
        );
        assert_eq!(
            target(&Check::Dns {
                name: "example.com".into(),
                expected: None
            }),
            "example.com"
        );
        assert_eq!(
            target(&Check::Heartbeat { grace_seconds: 300 }),
            "heartbeat"
        );
    }

    #[test]
    fn paused_and_unchecked_monitors_say_so_before_their_state() {
        let mut m = monitor(Check::http("https://example.com"));
        assert_eq!(Shown::of(&m), Shown::Pending);
        m.last_result = Some(MonitorResult {
            checked_at: at("2026-11-30T10:01:00Z"),
            state: MonitorState::Down,
            latency_ms: 1200,
            message: "HTTP 503 (expected 200-299)".to_owned(),
        });
        m.state = MonitorState::Down;
        assert_eq!(Shown::of(&m), Shown::Down);
        assert_eq!(Shown::Down.word(), "Down");
        m.paused = true;
        assert_eq!(Shown::of(&m), Shown::Paused);
        assert_eq!(
            result_line(m.last_result.as_ref().unwrap()),
            "HTTP 503 (expected 200-299) · 1.2 s"
        );
    }

    #[test]
    fn a_new_form_has_every_default() {
        let draft = MonitorDraft::new(&[service("svc_1", "API"), service("svc_2", "Web")]);
        // Two services: none is chosen for the person.
        assert_eq!(draft.service_id, "");
        assert_eq!(draft.statuses, "200-299");
        assert_eq!(draft.settings, Settings::default());
        assert_eq!(draft.grace_seconds, 300);
        assert_eq!(
            draft.incident.resolution,
            IncidentTemplate::default_resolution()
        );
        assert_eq!(
            MonitorDraft::new(&[service("svc_1", "API")]).service_id,
            "svc_1"
        );
    }

    #[test]
    fn a_filled_http_form_becomes_a_create_request() {
        let mut draft = filled();
        draft.http.headers.push(Header {
            name: " Authorization ".into(),
            value: "Bearer x".into(),
        });
        draft.statuses = "200-299, 301".to_owned();
        draft.json_pointer = "/status".to_owned();
        draft.json_expected = "ok".to_owned();
        draft.http.degraded_after_ms = Some(800);
        let request = draft.parts().unwrap().create();
        assert_eq!(request.name, "API health");
        assert_eq!(request.service_id, ServiceId("svc_1".into()));
        assert_eq!(request.settings, Some(Settings::default()));
        assert_eq!(request.auto_incident, None);
        let Check::Http(http) = &request.check else {
            panic!("not http: {:?}", request.check)
        };
        assert_eq!(http.url, "https://example.com/health");
        assert_eq!(http.headers[0].name, "Authorization");
        assert_eq!(statuses_text(&http.expected_statuses), "200-299, 301");
        assert_eq!(
            http.json_path,
            Some(JsonExpectation {
                pointer: "/status".into(),
                expected: serde_json::Value::String("ok".into())
            })
        );
        assert_eq!(http.degraded_after_ms, Some(800));
        // On the wire as the API reads it.
        let wire = serde_json::to_value(&request).unwrap();
        assert_eq!(wire["check"]["kind"], "http");
        assert_eq!(
            wire["check"]["expected_statuses"],
            serde_json::from_str::<serde_json::Value>(r#"["200-299", "301"]"#).unwrap()
        );
    }

    #[test]
    fn problems_are_named_by_the_api_paths() {
        let mut draft = MonitorDraft::new(&[]);
        draft.http.headers.push(Header {
            name: "X-Ok".into(),
            value: "1".into(),
        });
        draft.http.headers.push(Header {
            name: " ".into(),
            value: "2".into(),
        });
        draft.statuses = "abc".to_owned();
        draft.json_pointer = "/status".to_owned();
        draft.auto_incident = true;
        draft.incident.resolution = String::new();
        draft.unreadable.insert(
            "settings.interval_seconds".into(),
            "must be a whole number".into(),
        );
        assert_eq!(
            problem_fields(&draft),
            [
                "auto_incident.message",
                "auto_incident.resolution",
                "auto_incident.title",
                "check.expected_statuses",
                "check.headers[1].name",
                "check.json_path.expected",
                "check.url",
                "name",
                "service_id",
                "settings.interval_seconds",
            ]
        );
    }

    #[test]
    fn each_kind_checks_its_own_fields_and_keeps_the_others() {
        let mut draft = filled();
        draft.kind = Kind::Tcp;
        assert_eq!(problem_fields(&draft), ["check.host", "check.port"]);
        draft.tcp_host = "db.example.com".into();
        draft.tcp_port = Some(70_000);
        assert_eq!(problem_fields(&draft), ["check.port"]);
        draft.tcp_port = Some(5432);
        assert_eq!(
            draft.parts().unwrap().check,
            Check::Tcp {
                host: "db.example.com".into(),
                port: 5432
            }
        );
        // Text that is no number is named as such, not as a missing port.
        draft.tcp_port = None;
        draft
            .unreadable
            .insert("check.port".into(), "must be a whole number".into());
        assert_eq!(
            draft.parts().unwrap_err()["check.port"],
            ["must be a whole number"]
        );
        draft.unreadable.clear();

        draft.kind = Kind::Dns;
        assert_eq!(problem_fields(&draft), ["check.name"]);
        draft.dns_name = "example.com".into();
        draft.dns_expected = " 203.0.113.7 ".into();
        assert_eq!(
            draft.parts().unwrap().check,
            Check::Dns {
                name: "example.com".into(),
                expected: Some("203.0.113.7".into())
            }
        );

        draft.kind = Kind::Heartbeat;
        draft.grace_seconds = 600;
        assert_eq!(
            draft.parts().unwrap().check,
            Check::Heartbeat { grace_seconds: 600 }
        );

        // Back to HTTP: what was typed there is still there.
        draft.kind = Kind::Http;
        assert_eq!(
            draft.parts().unwrap().check,
            Check::http("https://example.com/health")
        );
    }

    #[test]
    fn an_existing_monitor_fills_the_form_and_reads_back_the_same() {
        let mut http = HttpCheck::new("https://example.com/health");
        http.method = HttpMethod::Post;
        http.headers = vec![Header {
            name: "Authorization".into(),
            value: "Bearer x".into(),
        }];
        http.body = Some("{}".into());
        http.expected_statuses = parse_statuses("200, 204-206").unwrap();
        http.keyword = Some("ok".into());
        http.json_path = Some(JsonExpectation {
            pointer: "/ok".into(),
            expected: serde_json::Value::String("true".into()),
        });
        http.degraded_after_ms = Some(500);
        let mut m = monitor(Check::Http(http));
        m.paused = true;
        m.settings.interval_seconds = 120;
        m.auto_incident = Some(IncidentTemplate {
            title: "API down".into(),
            message: "We are looking into it.".into(),
            impact: ImpactLevel::Critical,
            resolution: "Back.".into(),
        });
        let draft = MonitorDraft::of(&m);
        assert_eq!(draft.statuses, "200, 204-206");
        assert_eq!(draft.json_expected, "\"true\"");
        let parts = draft.parts().unwrap();
        assert_eq!(parts.check, m.check);
        assert_eq!(parts.settings, m.settings);
        assert!(parts.paused);
        assert_eq!(parts.auto_incident, m.auto_incident);
        // Nothing changed: the update sends nothing, so the run of results is not started over.
        let update = parts.update(&m);
        assert_eq!(update, UpdateMonitorRequest::default());
        assert_eq!(
            serde_json::to_value(&update).unwrap()["auto_incident"],
            serde_json::Value::Null
        );
        assert!(
            serde_json::to_value(&update)
                .unwrap()
                .get("auto_incident")
                .is_none()
        );

        for check in [
            Check::Tcp {
                host: "db".into(),
                port: 5432,
            },
            Check::Dns {
                name: "example.com".into(),
                expected: None,
            },
            Check::Heartbeat { grace_seconds: 60 },
        ] {
            let m = monitor(check.clone());
            assert_eq!(MonitorDraft::of(&m).parts().unwrap().check, check);
        }
    }

    #[test]
    fn an_edit_sends_only_what_changed() {
        let mut m = monitor(Check::http("https://example.com"));
        m.auto_incident = Some(IncidentTemplate {
            title: "Down".into(),
            message: "Looking.".into(),
            impact: ImpactLevel::Major,
            resolution: "Back.".into(),
        });
        let mut draft = MonitorDraft::of(&m);
        draft.name = "Website".into();
        draft.auto_incident = false;
        let update = draft.parts().unwrap().update(&m);
        assert_eq!(update.name.as_deref(), Some("Website"));
        assert_eq!(update.check, None);
        assert_eq!(update.settings, None);
        // Turned off: `null`, not absent.
        assert_eq!(update.auto_incident, Some(None));
        let wire = serde_json::to_value(&update).unwrap();
        assert_eq!(wire["auto_incident"], serde_json::Value::Null);
        assert!(wire.as_object().unwrap().contains_key("auto_incident"));

        let mut draft = MonitorDraft::of(&m);
        draft.settings.timeout_seconds = 5;
        draft.http.url = "https://example.com/v2".into();
        let update = draft.parts().unwrap().update(&m);
        assert_eq!(update.settings.map(|s| s.timeout_seconds), Some(5));
        assert_eq!(update.check, Some(Check::http("https://example.com/v2")));
        assert_eq!(update.name, None);
    }

    #[test]
    fn field_ids_follow_the_api_paths() {
        assert_eq!(field_id("check.url"), "monitor-check-url");
        assert_eq!(
            field_id("check.headers[1].name"),
            "monitor-check-headers-1-name"
        );
        assert_eq!(
            field_id("settings.interval_seconds"),
            "monitor-settings-interval_seconds"
        );
        assert_eq!(field_id("service_id"), "monitor-service_id");
        let mut fields = FieldErrors::new();
        fields.insert("check.url".into(), vec!["bad".into()]);
        fields.insert("check".into(), vec!["unknown kind".into(), "again".into()]);
        let shown = |id: &str| id == "monitor-check-url";
        assert_eq!(
            unplaced_problems(&fields, shown),
            ["check: unknown kind; again"]
        );
    }

    #[test]
    fn a_heartbeat_url_is_shown_whole_with_a_command() {
        let origin = "https://status.example.com";
        assert_eq!(
            absolute_url("/api/v1/heartbeats/abc", origin),
            "https://status.example.com/api/v1/heartbeats/abc"
        );
        assert_eq!(
            absolute_url("api/v1/heartbeats/abc", origin),
            "https://status.example.com/api/v1/heartbeats/abc"
        );
        assert_eq!(
            absolute_url("https://up.example.com/api/v1/heartbeats/abc", origin),
            "https://up.example.com/api/v1/heartbeats/abc"
        );
        assert_eq!(
            curl_example("https://up.example.com/api/v1/heartbeats/abc"),
            "curl -fsS -m 10 --retry 3 \"https://up.example.com/api/v1/heartbeats/abc\""
        );
    }

    #[test]
    fn check_details_name_each_rule() {
        let mut http = HttpCheck::new("https://example.com");
        http.keyword = Some("ok".into());
        http.headers = vec![Header {
            name: "Authorization".into(),
            value: "secret".into(),
        }];
        let details = check_details(&Check::Http(http));
        assert_eq!(
            details[0],
            ("Request", "GET https://example.com".to_owned())
        );
        // A header's value is often a credential: only its name is shown.
        assert!(details.iter().all(|(_, v)| !v.contains("secret")));
        assert!(details.contains(&("Must contain", "ok".to_owned())));
    }
}
