//! Monitors at scale (issue 17's target): many HTTP monitors, created through the API, checking
//! an HTTP receiver on loopback that notes when each request arrives (each monitor its own
//! path). After a warm-up interval, the server is measured over a window of several intervals:
//! how far each gap between two checks of a monitor is from the interval (at the receiver, and
//! between the check times the runner stored), the server's CPU time against the same server
//! idle before the monitors existed, and its resident memory before and after.

use crate::notify::at_low_priority;
use crate::server;
use crate::stats::Spread;
use chrono::NaiveDateTime;
use futures_util::StreamExt;
use serde_json::json;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use upstate_e2e::receiver::Receiver;
use upstate_e2e::{Api, Server};
use upstate_shared::monitor::MonitorState;
use upstate_store::{Db, PoolOptions};

/// The org's slug.
const ORG: &str = "monitored";
/// The monitors are spread evenly over this many services.
pub const SERVICES: usize = 10;
/// Monitors created through the API at once.
pub const CREATING_AT_ONCE: usize = 8;
/// Each check's timeout, and the anti-flap rule (the API's example settings).
pub const TIMEOUT_SECS: u64 = 5;
pub const FAILURES_TO_FAIL: u32 = 3;
pub const SUCCESSES_TO_RECOVER: u32 = 2;
/// After the last monitor is created, one interval and this much more before the window opens
/// (every first check has run by then).
const WARM_UP_MARGIN: Duration = Duration::from_secs(1);

/// What to run.
pub struct Plan {
    pub monitors: usize,
    pub interval_secs: u32,
    /// The measuring window, and the idle server's before the monitors exist.
    pub window_secs: u64,
    pub idle_secs: u64,
}

pub struct Monitors {
    pub plan: Plan,
    /// How long creating them took through the API.
    pub create_secs: f64,
    /// Gaps between two consecutive checks of a monitor that end in the window, less the
    /// interval (absolute): as the receiver saw the requests arrive, and between the check times
    /// stored with the results.
    pub arrival_jitter: Option<Spread>,
    pub arrival_gaps: usize,
    pub stored_jitter: Option<Spread>,
    pub stored_gaps: usize,
    /// Requests at the receiver in the window, and results stored for checks started in it.
    pub arrivals: usize,
    pub results: usize,
    /// Of those results, how many were not up (a timeout, a refused connection), and their most
    /// frequent messages with how many said each (at most three).
    pub results_not_up: usize,
    pub not_up_messages: Vec<(String, usize)>,
    /// Monitors of which the receiver saw no request in the window.
    pub silent_monitors: usize,
    /// The probe's latency of the results in the window (as stored, whole milliseconds).
    pub latency: Option<Spread>,
    /// The server's CPU time in % of one core: idle (no monitors) and in the window.
    pub idle_cpu_pct: f64,
    pub cpu_pct: f64,
    /// Resident memory (MiB) before the monitors were created, the most sampled once a second
    /// in the window, and at its end.
    pub rss_before_mib: f64,
    pub rss_max_mib: f64,
    pub rss_after_mib: f64,
    /// The machine's 1-minute load average at the window's end (it is shared).
    pub load_average: String,
}

impl Monitors {
    /// Checks expected in the window: every monitor once per interval.
    pub fn expected(&self) -> f64 {
        self.plan.monitors as f64 * self.plan.window_secs as f64
            / f64::from(self.plan.interval_secs)
    }
}

/// Starts `binary` (SQLite, loopback targets allowed) and a receiver at the lowest priority,
/// measures the idle server, creates `plan.monitors` monitors and measures the window.
pub async fn run(binary: &std::path::Path, plan: Plan) -> Monitors {
    // The receiver stands in for the monitored services on other machines: at the lowest
    // priority, so what the measurement sees is Upstate's own cost (as in section 7).
    let target = at_low_priority(|| async {
        let receiver = Receiver::start().await;
        receiver.answer(200);
        receiver
    });
    let server =
        Server::start_configured(binary, None, &[("UPSTATE_ALLOW_PRIVATE_TARGETS", "true")]).await;
    let base = server.url("");
    let (admin, service_ids) = org_with_services(&base).await;

    eprintln!(
        "bench: the idle server, {} s (no monitors yet)",
        plan.idle_secs
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle_cpu_pct, _) = cpu_over(&server, Duration::from_secs(plan.idle_secs), |_| {}).await;
    let rss_before_mib = server::rss_mib(&server);

    eprintln!(
        "bench: creating {} HTTP monitors every {} s",
        plan.monitors, plan.interval_secs
    );
    let created = Instant::now();
    futures_util::stream::iter(0..plan.monitors)
        .map(|n| {
            let (admin, url) = (&admin, target.url(&format!("/m/{n}")));
            let service = &service_ids[n % service_ids.len()];
            let interval = plan.interval_secs;
            async move {
                admin
                    .post(
                        &format!("/api/v1/orgs/{ORG}/monitors"),
                        json!({"service_id": service, "name": format!("Endpoint {n}"),
                               "check": {"kind": "http", "url": url},
                               "settings": {"interval_seconds": interval,
                                            "timeout_seconds": TIMEOUT_SECS,
                                            "failures_to_fail": FAILURES_TO_FAIL,
                                            "successes_to_recover": SUCCESSES_TO_RECOVER}}),
                    )
                    .await;
            }
        })
        .buffer_unordered(CREATING_AT_ONCE)
        .for_each(|()| std::future::ready(()))
        .await;
    let create_secs = created.elapsed().as_secs_f64();
    let interval = Duration::from_secs(plan.interval_secs.into());
    eprintln!(
        "bench: created in {create_secs:.1} s; warming up for {} s",
        (interval + WARM_UP_MARGIN).as_secs()
    );
    tokio::time::sleep(interval + WARM_UP_MARGIN).await;

    eprintln!("bench: measuring {} s", plan.window_secs);
    let opened = Instant::now();
    let opened_at = upstate_store::now();
    let mut rss_max_mib: f64 = 0.0;
    let (cpu_pct, closed) = cpu_over(&server, Duration::from_secs(plan.window_secs), |server| {
        rss_max_mib = rss_max_mib.max(server::rss_mib(server));
    })
    .await;
    let closed_at = upstate_store::now();
    let rss_after_mib = server::rss_mib(&server);
    let load_average = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());

    // At the receiver: each monitor's requests, by path.
    let mut by_path: HashMap<String, Vec<Instant>> = HashMap::new();
    for request in target.requests() {
        by_path
            .entry(request.path)
            .or_default()
            .push(request.received_at);
    }
    let in_window = |at: &Instant| *at >= opened && *at < closed;
    let arrivals = by_path
        .values()
        .flatten()
        .filter(|at| in_window(at))
        .count();
    let silent_monitors = (0..plan.monitors)
        .filter(|n| {
            by_path
                .get(&format!("/m/{n}"))
                .is_none_or(|times| !times.iter().any(in_window))
        })
        .count();
    let arrival_deviations = deviations(by_path.into_values(), interval, in_window);

    // As stored: the check times of the results (when each check started).
    let stored = stored_results(server.database_url());
    let in_stored_window = |at: &NaiveDateTime| *at >= opened_at && *at < closed_at;
    let mut by_monitor: HashMap<String, Vec<NaiveDateTime>> = HashMap::new();
    let (mut results, mut results_not_up, mut latencies) = (0, 0, Vec::new());
    let mut messages: HashMap<String, usize> = HashMap::new();
    for (monitor, at, state, latency_ms, message) in stored {
        if in_stored_window(&at) {
            results += 1;
            if MonitorState::from_code(state) != MonitorState::Up {
                results_not_up += 1;
                *messages.entry(message.unwrap_or_default()).or_default() += 1;
            }
            latencies.push(Duration::from_millis(
                u64::try_from(latency_ms).unwrap_or(0),
            ));
        }
        by_monitor.entry(monitor).or_default().push(at);
    }
    let stored_deviations = deviations(by_monitor.into_values(), interval, |at: &NaiveDateTime| {
        in_stored_window(at)
    });
    drop(server);
    let mut not_up_messages: Vec<(String, usize)> = messages.into_iter().collect();
    not_up_messages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    not_up_messages.truncate(3);

    Monitors {
        plan,
        create_secs,
        arrival_jitter: Spread::of(&arrival_deviations),
        arrival_gaps: arrival_deviations.len(),
        stored_jitter: Spread::of(&stored_deviations),
        stored_gaps: stored_deviations.len(),
        arrivals,
        results,
        results_not_up,
        not_up_messages,
        silent_monitors,
        latency: Spread::of(&latencies),
        idle_cpu_pct,
        cpu_pct,
        rss_before_mib,
        rss_max_mib,
        rss_after_mib,
        load_average,
    }
}

/// An account, the org, an admin API key and [`SERVICES`] services, through the API.
async fn org_with_services(base: &str) -> (Api, Vec<String>) {
    let owner = Api::register_at(base, &format!("owner@{ORG}.bench")).await;
    owner
        .post(
            "/api/v1/orgs",
            json!({"name": "Bench monitored", "slug": ORG}),
        )
        .await;
    let key = owner
        .post(
            &format!("/api/v1/orgs/{ORG}/api-keys"),
            json!({"name": "bench", "role": "admin"}),
        )
        .await;
    let admin = Api::at(base, key["key"].as_str().expect("the key"));
    let mut service_ids = Vec::new();
    for s in 0..SERVICES {
        let service = admin
            .post(
                &format!("/api/v1/orgs/{ORG}/services"),
                json!({"name": format!("Service {}", s + 1)}),
            )
            .await;
        service_ids.push(service["id"].as_str().expect("an id").to_owned());
    }
    (admin, service_ids)
}

/// The server's CPU time over `length` from now, in % of one core, and when it ended; `each_second`
/// is called once a second meanwhile.
async fn cpu_over(
    server: &Server,
    length: Duration,
    mut each_second: impl FnMut(&Server),
) -> (f64, Instant) {
    let started = Instant::now();
    let cpu_before = server::cpu_secs(server);
    let deadline = started + length;
    loop {
        each_second(server);
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        tokio::time::sleep((deadline - now).min(Duration::from_secs(1))).await;
    }
    let cpu = server::cpu_secs(server) - cpu_before;
    let ended = Instant::now();
    (100.0 * cpu / (ended - started).as_secs_f64(), ended)
}

/// Per monitor (one list of check times each, in any order): each gap between consecutive
/// checks whose later check falls in the window, less `interval`, as an absolute duration.
fn deviations<T, I>(
    monitors: I,
    interval: Duration,
    in_window: impl Fn(&T) -> bool,
) -> Vec<Duration>
where
    T: Ord + Copy + Gap,
    I: IntoIterator<Item = Vec<T>>,
{
    let mut out = Vec::new();
    for mut times in monitors {
        times.sort();
        for pair in times.windows(2) {
            if in_window(&pair[1]) {
                out.push(pair[1].since(pair[0]).abs_diff(interval));
            }
        }
    }
    out
}

/// The time between two instants of one clock (the later first).
trait Gap {
    fn since(self, earlier: Self) -> Duration;
}

impl Gap for Instant {
    fn since(self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }
}

impl Gap for NaiveDateTime {
    fn since(self, earlier: NaiveDateTime) -> Duration {
        (self - earlier).to_std().unwrap_or_default()
    }
}

/// Every stored result: monitor, check time, state code, latency and message (kept for results
/// not up).
type Stored = (String, NaiveDateTime, i16, i32, Option<String>);

fn stored_results(database_url: &str) -> Vec<Stored> {
    use diesel::prelude::*;
    use upstate_store::schema::monitor_results;
    let db = Db::connect(database_url, PoolOptions::default()).expect("the bench database");
    db.read(|conn| {
        Ok(monitor_results::table
            .select((
                monitor_results::monitor_id,
                monitor_results::checked_at,
                monitor_results::state,
                monitor_results::latency_ms,
                monitor_results::message,
            ))
            .load(conn)?)
    })
    .expect("the monitors' results")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_ending_in_the_window_less_the_interval() {
        let t0 = Instant::now();
        let at = |ms: u64| t0 + Duration::from_millis(ms);
        let interval = Duration::from_millis(1000);
        // One monitor: checks at 0, 1010, 1990 (in the window from 500 on), 3000 (after it).
        let monitors = vec![vec![at(1990), at(0), at(3000), at(1010)], vec![at(700)]];
        let window = |t: &Instant| *t >= at(500) && *t < at(2500);
        let mut found = deviations(monitors, interval, window);
        found.sort();
        assert_eq!(
            found,
            vec![Duration::from_millis(10), Duration::from_millis(20)]
        );
    }
}
