//! Prometheus metrics: what the server counts, and `GET /metrics`, which shows it in the
//! OpenMetrics text format that Prometheus (and anything that reads its text format) scrapes.
//! The list of metrics, their labels and how to scrape them: `docs/metrics.md`.
//!
//! Made with `prometheus-client`, the Prometheus organization's own Rust client, rather than
//! `metrics` + `metrics-exporter-prometheus`: label sets are typed structs (a label cannot be
//! misspelt or forgotten), there is no process-global recorder behind a facade (each server,
//! and each test's server, has its own registry), and it brings no HTTP listener of its own:
//! the exposure stays ours (a bearer token on the main listener, or a listener of its own).
//!
//! Cheap on the hot path: a request costs actix's `match_pattern` (one short string), a lookup
//! in the set of interned route templates, a hash lookup in a read-locked map of label sets
//! whose values are all `&'static str` (nothing kept per request), an atomic addition and a
//! histogram bucket. Values that are cheap to read at scrape time (the pool, the queues'
//! depth, WebSocket subscribers, process memory and CPU) are read when `/metrics` is asked for,
//! and are not kept up to date in between.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric};
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{LazyLock, RwLock};
use std::time::Duration;

/// The `Content-Type` of the answer (what `prometheus-client` writes).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The `route` label of a request no route matched (unknown paths, the web app's pages): one
/// value, whatever the path, so a scan of random URLs cannot grow the series.
pub const UNMATCHED: &str = "unmatched";

/// Labels of a request's metrics.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub method: &'static str,
    /// The route's template (`/api/v1/public/{org}/summary`), or [`UNMATCHED`].
    pub route: &'static str,
    /// `1xx` to `5xx`.
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AudienceLabel {
    audience: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct QueueLabel {
    queue: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LaneLabel {
    lane: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Seconds, for answers: 0.5 ms to 10 s.
const HTTP_BUCKETS: [f64; 14] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];
/// Seconds, for a monitor's check (timeouts are at most 30 s).
const CHECK_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Seconds a scheduled transition ran after its time (the scheduler looks every second).
const LAG_BUCKETS: [f64; 10] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0];

fn http_histogram() -> Histogram {
    Histogram::new(HTTP_BUCKETS)
}

/// Database errors that became a 5xx, by kind: `unavailable` (the database does not answer)
/// or `query` (anything else unexpected). Counted where `StoreError` becomes an `ApiError`
/// ([`crate::error`]), which has no server at hand: one count for the process.
static DB_ERRORS: LazyLock<Family<KindLabel, Counter>> = LazyLock::new(Family::default);

/// Counts a database error that is answered 5xx (`unavailable`: the database did not answer).
pub fn count_db_error(unavailable: bool) {
    let kind = if unavailable { "unavailable" } else { "query" };
    DB_ERRORS.get_or_create(&KindLabel { kind }).inc();
}

/// Everything the server measures, and the registry that shows it.
pub struct Metrics {
    registry: Registry,
    /// Route templates seen, each leaked once (the router has a fixed set): labels are then
    /// `&'static str`, and a request allocates no label.
    routes: RwLock<HashSet<&'static str>>,
    http_requests: Family<HttpLabels, Counter>,
    http_duration: Histograms<HttpLabels>,
    ws_subscribers: Family<AudienceLabel, Gauge>,
    queue_depth: Family<QueueLabel, Gauge>,
    delivery_failures: Family<LaneLabel, Counter>,
    monitor_checks: Family<StateLabel, Counter>,
    monitor_duration: Histogram,
    pool_connections: Family<StateLabel, Gauge>,
    pool_max: Gauge,
    scheduler_lag: Histogram,
    /// The address of the listener that serves only `/metrics` (`UPSTATE_METRICS_BIND`).
    listener: Option<SocketAddr>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("listener", &self.listener)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// A registry with every metric; the cache's counters are its own (shared here).
    pub fn new(cache: &crate::public::cache::PublicCache, listener: Option<SocketAddr>) -> Self {
        let mut registry = Registry::with_prefix("upstate");
        let http_requests = Family::<HttpLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status class",
            http_requests.clone(),
        );
        let http_duration: Histograms<HttpLabels> =
            Family::new_with_constructor(http_histogram as fn() -> Histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request (to the upgrade for WebSockets), in seconds",
            http_duration.clone(),
        );
        let ws_subscribers = Family::<AudienceLabel, Gauge>::default();
        registry.register(
            "websocket_subscribers",
            "Open WebSocket subscriptions to live events, by audience (public page or team dashboard)",
            ws_subscribers.clone(),
        );
        let (hits, misses, fills) = cache.counters();
        registry.register(
            "public_cache_hits",
            "Public answers (summaries, pages, feeds, badges) served from the cache",
            hits,
        );
        registry.register(
            "public_cache_misses",
            "Public answers not in the cache (or out of date) when asked for",
            misses,
        );
        registry.register(
            "public_cache_fills",
            "Public answers computed and put in the cache",
            fills,
        );
        let queue_depth = Family::<QueueLabel, Gauge>::default();
        registry.register(
            "outbox_depth",
            "Messages waiting to go out: `mail` (account emails in the outbox) and `notifications` (deliveries to subscribers and integrations)",
            queue_depth.clone(),
        );
        let delivery_failures = Family::<LaneLabel, Counter>::default();
        registry.register(
            "delivery_failures",
            "Failed delivery attempts (each retry counts), by lane: `mail`, `notification_email`, `notification_http`",
            delivery_failures.clone(),
        );
        let monitor_checks = Family::<StateLabel, Counter>::default();
        registry.register(
            "monitor_checks",
            "Monitor check results recorded, by the check's own result (up, degraded, down)",
            monitor_checks.clone(),
        );
        let monitor_duration = Histogram::new(CHECK_BUCKETS);
        registry.register(
            "monitor_check_duration_seconds",
            "Time a monitor's check took, in seconds",
            monitor_duration.clone(),
        );
        let pool_connections = Family::<StateLabel, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database connections open, by state (in_use, idle)",
            pool_connections.clone(),
        );
        let pool_max = Gauge::default();
        registry.register(
            "db_pool_max_connections",
            "The most database connections the pool opens (UPSTATE_DB_POOL_SIZE)",
            pool_max.clone(),
        );
        registry.register(
            "db_errors",
            "Database errors answered with a 5xx, by kind (unavailable: no answer; query: anything else)",
            DB_ERRORS.clone(),
        );
        let scheduler_lag = Histogram::new(LAG_BUCKETS);
        registry.register(
            "scheduler_lag_seconds",
            "How long after its time a scheduled maintenance transition ran, in seconds",
            scheduler_lag.clone(),
        );
        registry.register_collector(Box::new(ProcessCollector));
        Metrics {
            registry,
            routes: RwLock::default(),
            http_requests,
            http_duration,
            ws_subscribers,
            queue_depth,
            delivery_failures,
            monitor_checks,
            monitor_duration,
            pool_connections,
            pool_max,
            scheduler_lag,
            listener,
        }
    }

    /// The listener that serves only `/metrics`, when there is one.
    pub fn listener(&self) -> Option<SocketAddr> {
        self.listener
    }

    /// The template as a `&'static str`, interned on first sight.
    fn route(&self, template: Option<String>) -> &'static str {
        let Some(template) = template else {
            return UNMATCHED;
        };
        {
            let routes = self.routes.read().unwrap_or_else(|e| e.into_inner());
            if let Some(known) = routes.get(template.as_str()) {
                return known;
            }
        }
        let mut routes = self.routes.write().unwrap_or_else(|e| e.into_inner());
        if let Some(known) = routes.get(template.as_str()) {
            return known;
        }
        // Bounded: the router's patterns are a fixed set, each leaked once for the process.
        let leaked: &'static str = Box::leak(template.into_boxed_str());
        routes.insert(leaked);
        leaked
    }

    /// Counts one answered request.
    pub fn observe_request(&self, req: &HttpRequest, status: u16, elapsed: Duration) {
        let labels = HttpLabels {
            method: method_label(req.method()),
            route: self.route(req.match_pattern()),
            status: status_class(status),
        };
        self.http_requests.get_or_create(&labels).inc();
        self.http_duration
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Counts a request that failed before it had an answer.
    pub fn observe_failure(&self, method: &'static str, elapsed: Duration) {
        let labels = HttpLabels {
            method,
            route: UNMATCHED,
            status: "5xx",
        };
        self.http_requests.get_or_create(&labels).inc();
        self.http_duration
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
    }

    /// Counts one monitor check's result and how long it took.
    pub fn observe_check(&self, state: upstate_shared::monitor::MonitorState, latency_ms: u32) {
        self.monitor_checks
            .get_or_create(&StateLabel {
                state: state.as_str(),
            })
            .inc();
        self.monitor_duration
            .observe(f64::from(latency_ms) / 1000.0);
    }

    /// Records how late a scheduled transition ran.
    pub fn observe_scheduler_lag(&self, lag: chrono::Duration) {
        let seconds = lag.num_milliseconds().max(0) as f64 / 1000.0;
        self.scheduler_lag.observe(seconds);
    }

    /// Counts a failed attempt to send an account email from the outbox.
    pub fn count_mail_failure(&self) {
        self.delivery_failures
            .get_or_create(&LaneLabel { lane: "mail" })
            .inc();
    }

    /// The counters the notification worker adds its failures to.
    pub fn notification_failures(&self) -> upstate_notify::worker::Failures {
        upstate_notify::worker::Failures {
            email: self.delivery_failures.get_or_create_owned(&LaneLabel {
                lane: "notification_email",
            }),
            http: self.delivery_failures.get_or_create_owned(&LaneLabel {
                lane: "notification_http",
            }),
        }
    }

    /// The text of a scrape, after reading what is read at scrape time.
    pub async fn render(&self, state: &AppState) -> Result<String, ApiError> {
        // The queues' depth: two counts. When the database does not answer, the last values
        // stay (and `upstate_db_errors_total` says why); the rest is still worth a scrape.
        match state
            .read(|conn| {
                Ok((
                    upstate_store::outbox::pending_count(conn)?,
                    upstate_store::notifications::pending_count(conn)?,
                ))
            })
            .await
        {
            Ok((mail, notifications)) => {
                self.queue_depth
                    .get_or_create(&QueueLabel { queue: "mail" })
                    .set(mail);
                self.queue_depth
                    .get_or_create(&QueueLabel {
                        queue: "notifications",
                    })
                    .set(notifications);
            }
            Err(err) => tracing::debug!(%err, "metrics: the queues' depth was not read"),
        }
        let pool = state.db.pool_state();
        let in_use = pool.connections.saturating_sub(pool.idle);
        self.pool_connections
            .get_or_create(&StateLabel { state: "in_use" })
            .set(i64::from(in_use));
        self.pool_connections
            .get_or_create(&StateLabel { state: "idle" })
            .set(i64::from(pool.idle));
        self.pool_max.set(i64::from(pool.max));
        let (public, team) = state.hub.subscribers();
        self.ws_subscribers
            .get_or_create(&AudienceLabel { audience: "public" })
            .set(i64::try_from(public).unwrap_or(i64::MAX));
        self.ws_subscribers
            .get_or_create(&AudienceLabel { audience: "team" })
            .set(i64::try_from(team).unwrap_or(i64::MAX));
        let mut text = String::with_capacity(16 * 1024);
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|err| ApiError::Internal(format!("encoding the metrics failed: {err}")))?;
        Ok(text)
    }
}

/// The `method` label: the standard methods by name, anything else as `OTHER` (bounded).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// `1xx` to `5xx`.
fn status_class(status: u16) -> &'static str {
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// The method label of a request (taken before the request is handed on).
pub fn method_of(req: &ServiceRequest) -> &'static str {
    method_label(req.method())
}

/// Process memory and CPU, read from `/proc/self` at scrape time (Linux; elsewhere nothing).
#[derive(Debug)]
struct ProcessCollector;

impl Collector for ProcessCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let Some(process) = read_process() else {
            return Ok(());
        };
        let resident = ConstGauge::new(process.resident_bytes);
        resident.encode(encoder.encode_descriptor(
            "process_resident_memory_bytes",
            "Resident memory of the server process, in bytes",
            None,
            resident.metric_type(),
        )?)?;
        let cpu = ConstCounter::new(process.cpu_seconds);
        cpu.encode(encoder.encode_descriptor(
            "process_cpu_seconds",
            "CPU time the server process used (user and system), in seconds",
            None,
            cpu.metric_type(),
        )?)?;
        Ok(())
    }
}

struct Process {
    resident_bytes: i64,
    cpu_seconds: f64,
}

/// Resident set from `/proc/self/statm` (pages) and CPU from `/proc/self/stat` (ticks).
fn read_process() -> Option<Process> {
    // SAFETY: sysconf only reads a system constant.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    // SAFETY: as above.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let resident_pages: i64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces and parentheses): the 14th and
    // 15th fields of the line, utime and stime, are the 12th and 13th after `) `.
    let after_name = &stat[stat.rfind(')')? + 2..];
    let mut fields = after_name.split_whitespace().skip(11);
    let utime: f64 = fields.next()?.parse().ok()?;
    let stime: f64 = fields.next()?.parse().ok()?;
    Some(Process {
        resident_bytes: resident_pages.saturating_mul(page.max(1)),
        cpu_seconds: (utime + stime) / (ticks.max(1) as f64),
    })
}

/// The metrics answer (200, OpenMetrics text).
pub async fn answer(state: &AppState) -> Result<HttpResponse, ApiError> {
    let text = state.metrics.render(state).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Content-Type", CONTENT_TYPE))
        .insert_header(("Cache-Control", "no-store"))
        .body(text))
}

/// The 404 of a path with nothing there (`/metrics` without any exposure setting).
pub fn not_found() -> ApiError {
    ApiError::NotFound("There is nothing at this path.".into())
}

/// Whether `given` is `secret`, in time that depends on neither (both are hashed first, so
/// not even the length shows).
pub fn same_secret(given: &str, secret: &str) -> bool {
    use sha2::{Digest, Sha256};
    use subtle::ConstantTimeEq;
    Sha256::digest(given.as_bytes())
        .ct_eq(&Sha256::digest(secret.as_bytes()))
        .into()
}

/// The outermost middleware: a request to the metrics listener (`UPSTATE_METRICS_BIND`) gets
/// the metrics at `/metrics`, without a token, and a 404 anywhere else; it never reaches the
/// API, the pages or the request metrics. Requests to the main listener pass on untouched.
pub async fn separate_listener(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let on_metrics_listener = state.as_ref().is_some_and(|state| {
        state
            .metrics
            .listener()
            .is_some_and(|addr| addr == req.app_config().local_addr())
    });
    let Some(state) = state.filter(|_| on_metrics_listener) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let response = if req.path() == "/metrics" && req.method() == Method::GET {
        answer(&state)
            .await
            .unwrap_or_else(|err| err.error_response())
    } else if req.path() == "/metrics" {
        ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: "GET".into(),
        }
        .error_response()
    } else {
        not_found().error_response()
    };
    Ok(req.into_response(response).map_into_right_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_compared_whole() {
        assert!(same_secret("s3cret-token", "s3cret-token"));
        assert!(!same_secret("s3cret-toke", "s3cret-token"));
        assert!(!same_secret("", "s3cret-token"));
    }

    #[test]
    fn process_memory_and_cpu_are_read() {
        let process = read_process().expect("/proc/self is readable on Linux");
        assert!(
            process.resident_bytes > 1024 * 1024,
            "{}",
            process.resident_bytes
        );
        assert!(process.cpu_seconds >= 0.0);
    }
}
