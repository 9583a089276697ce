//! The report: one Markdown table per measurement, with the machine, the command and the date,
//! and whether each target of the public read path is met.

use crate::fanout::Fanout;
use crate::lighthouse::Scores;
use crate::mixed::Mixed;
use crate::monitors::Monitors;
use crate::notify::Notify;
use crate::spa::{Asset, Paint};

/// The public pages' bundle budget (wasm + JS, brotli), as `e2e/tests/budget.rs` enforces it.
const PUBLIC_BUDGET: u64 = 150 * 1024;
/// The largest contentful paint Lighthouse must see on the status page.
const LCP_TARGET_MS: f64 = 1500.0;
use crate::stats::Spread;
use crate::writes::Writes;
use crate::wrk::Load;
use std::fmt::Write;
use std::process::Command;
use std::time::Duration;

/// The cost of computing answers after a change (the cache dropped).
pub struct Cold {
    pub summary: Spread,
    pub uptime: Spread,
}

pub struct Report {
    text: String,
    /// Seconds of each wrk run.
    seconds: u64,
}

/// Targets of the live path: subscribers, resident memory (MiB) and delivery p99 (ms).
const FANOUT_TARGETS: [(usize, f64, f64); 2] = [(10_000, 200.0, 1000.0), (50_000, 700.0, 2000.0)];
/// How much older than the last acknowledged write the summary may be.
const MIXED_STALENESS_TARGET_MS: f64 = 1000.0;
/// One update handed to every mail subscriber, and to every webhook, within (seconds).
const NOTIFY_MAIL_TARGET_SECS: f64 = 60.0;
const NOTIFY_WEBHOOK_TARGET_SECS: f64 = 10.0;
/// How much slower the summary may be while they are told (percent of requests/s).
const NOTIFY_SLOWDOWN_TARGET_PCT: f64 = 10.0;

/// Monitors: how far a gap between two checks may be from the interval (p99), the server's CPU
/// (% of one core) and how much its resident memory may grow (MiB).
const MONITOR_JITTER_P99_TARGET_MS: f64 = 1000.0;
const MONITOR_CPU_TARGET_PCT: f64 = 25.0;
const MONITOR_RSS_GROWTH_TARGET_MIB: f64 = 100.0;

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "**NOT met**" }
}

fn load_row(name: &str, load: &Load) -> String {
    format!(
        "| {name} | {:.0} | {:.2} | {:.2} | {} | {} |\n",
        load.requests_per_sec, load.p50_ms, load.p99_ms, load.requests, load.failures
    )
}

const LOAD_HEADER: &str =
    "| | requests/s | p50 ms | p99 ms | requests | failed |\n|---|---:|---:|---:|---:|---:|\n";

impl Report {
    pub fn new(seconds: u64, rounds: usize, open_files: u64) -> Report {
        let mut text = String::new();
        let now = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
        let command =
            std::env::var("UPSTATE_BENCH_COMMAND").unwrap_or_else(|_| "just bench".into());
        let _ = write!(
            text,
            "# Benchmarks\n\n\
             Produced by `{command}` on {now}. Every figure below comes from that one run; rerun \
             the command to get this machine's figures (the file is rewritten). What was \
             profiled and changed to reach them, and what is left: \
             [performance.md](performance.md).\n\n\
             ## The machine\n\n{}\n\
             Load generators run on the same machine and share its cores with the server: \
             wrk with 2 threads and 64 connections for {seconds} s per run; in section 1 the \
             runs alternate between upstate and nginx, {rounds} of each kind, and each row is \
             the run of median requests/s. Every connection is on loopback; the open-files \
             limit is raised to {open_files}.\n\n",
            machine()
        );
        Report { text, seconds }
    }

    pub fn summary(&mut self, bytes: usize, up: &Load, ng: &Load, up304: &Load, ng304: &Load) {
        let ratio = up.requests_per_sec / ng.requests_per_sec;
        let ratio304 = up304.requests_per_sec / ng304.requests_per_sec;
        let _ = write!(
            self.text,
            "## 1. Public summary against nginx\n\n\
             `GET /api/v1/public/acme/summary` of an org with 50 services in 5 groups, 5 open \
             incidents of 5 updates each and 2 years of resolved incidents and status history \
             ({bytes} bytes of JSON, no compression asked), against nginx (`nginx-light`, 2 \
             workers, no access log) serving the same bytes as a static file. The 304 rows send \
             `If-None-Match` with each server's own ETag.\n\n{LOAD_HEADER}{}{}{}{}\n\
             upstate/nginx: **{ratio:.2}** for 200, **{ratio304:.2}** for 304. Target (at least \
             nginx's requests/s): {}.\n\n",
            load_row("upstate 200", up),
            load_row("nginx 200", ng),
            load_row("upstate 304", up304),
            load_row("nginx 304", ng304),
            met(ratio >= 1.0),
        );
    }

    /// Random slugs against the cached summary: requests/s and what they leave in memory.
    pub fn unknown_pages(
        &mut self,
        unknown: &Load,
        summary: &Load,
        before_mib: f64,
        after_mib: f64,
    ) {
        let ratio = unknown.requests_per_sec / summary.requests_per_sec;
        let grown = after_mib - before_mib;
        let _ = write!(
            self.text,
            "### Pages that do not exist\n\n\
             `GET /api/v1/public/{{random slug}}/summary` with a new random slug on every \
             request (a wrk script), each answered 404 (counted as failed by wrk), against the \
             cached summary above:\n\n{LOAD_HEADER}{}{}\n\
             unknown/summary: **{ratio:.2}** (target at least 0.5: {}). Resident memory \
             {before_mib:.1} → {after_mib:.1} MiB after {} requests: **{grown:+.1} MiB** \
             (target less than 8 MiB for 200,000: {}).\n\n",
            load_row("random slugs", unknown),
            load_row("cached summary", summary),
            met(ratio >= 0.5),
            unknown.requests,
            met(grown < 8.0),
        );
    }

    pub fn growth(&mut self, day: &Load, decade: &Load, day_cold: &Cold, decade_cold: &Cold) {
        let ratio = decade.requests_per_sec / day.requests_per_sec;
        let cold_ratio = decade_cold.summary.p50_ms / day_cold.summary.p50_ms;
        let uptime_ratio = decade_cold.uptime.p50_ms / day_cold.uptime.p50_ms;
        let _ = write!(
            self.text,
            "## 2. Cost growth with history\n\n\
             The same summary for two orgs of the same shape, one with 1 day of history and one \
             with 10 years (a resolved incident every 2 days, with its updates and status \
             changes). Served from the cache:\n\n{LOAD_HEADER}{}{}\n\
             10 years / 1 day: **{ratio:.2}** (near 1 is the target).\n\n\
             Computed after a change (each round: a status change drops the org's cached answers, \
             then one timed GET; median and p99 of the rounds, milliseconds, including the HTTP \
             round trip):\n\n\
             | | summary p50 | summary p99 | 90-day uptime p50 | uptime p99 |\n|---|---:|---:|---:|---:|\n\
             | 1 day | {:.2} | {:.2} | {:.2} | {:.2} |\n\
             | 10 years | {:.2} | {:.2} | {:.2} | {:.2} |\n\n\
             10 years / 1 day: summary **{cold_ratio:.2}**, uptime **{uptime_ratio:.2}**.\n\n",
            load_row("1 day", day),
            load_row("10 years", decade),
            day_cold.summary.p50_ms,
            day_cold.summary.p99_ms,
            day_cold.uptime.p50_ms,
            day_cold.uptime.p99_ms,
            decade_cold.summary.p50_ms,
            decade_cold.summary.p99_ms,
            decade_cold.uptime.p50_ms,
            decade_cold.uptime.p99_ms,
        );
    }

    pub fn writes(&mut self, sqlite: &Writes, postgres: &Writes) {
        let row = |name: &str, w: &Writes| {
            format!(
                "| {name} | {:.0} | {} | {:.2} | {:.2} |\n",
                w.per_sec, w.count, w.latency.p50_ms, w.latency.p99_ms
            )
        };
        let _ = write!(
            self.text,
            "## 3. Writes\n\n\
             Status changes through the API (`PATCH /api/v1/orgs/acme/services/{{id}}` with an \
             API key), {} clients at once, each flipping its own service; each change is one \
             transaction with its history row, realtime event and audit entry. PostgreSQL is the \
             local server on loopback.\n\n\
             | engine | writes/s | writes | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|\n{}{}\n",
            crate::writes::WRITERS,
            row("SQLite", sqlite),
            row("PostgreSQL", postgres),
        );
    }

    pub fn fanout(&mut self, runs: &[Fanout], server_cap: usize) {
        let _ = write!(
            self.text,
            "## 4. WebSocket fan-out\n\n\
             N clients (the Rust load client of `crates/bench`, in child processes of 12,500 \
             clients each, connecting from 8 loopback addresses) subscribe to `/api/v1/public/acme/ws` and wait for `hello`; \
             then one status change is sent through the API, and each client notes when the \
             event arrives, counted from the moment the change request was sent. RSS is the \
             server's resident memory (each replica's, over replicas). Over replicas, the clients \
             are spread evenly, the change is made on the first, and the others hear it by \
             PostgreSQL NOTIFY. One server here holds at most {server_cap} sockets: the \
             open-files limit of a process on this machine less the 2,048 files the server \
             keeps for the rest; the replica run uses as many replicas as 50,000 need.\n\n\
             | setup | subscribers | received | connect s | RSS before MiB | RSS after MiB | KiB per subscriber | p50 ms | p99 ms | max ms |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        );
        let mib = |values: &[f64]| {
            values
                .iter()
                .map(|v| format!("{v:.1}"))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        for run in runs {
            let _ = writeln!(
                self.text,
                "| {} | {} | {} | {:.1} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                run.setup,
                run.subscribers,
                run.received,
                run.connect_secs,
                mib(&run.rss_before_mib),
                mib(&run.rss_after_mib),
                run.kib_per_subscriber(),
                run.delivery.p50_ms,
                run.delivery.p99_ms,
                run.delivery.max_ms
            );
        }
        self.text.push('\n');
        for (subscribers, rss_mib, p99_ms) in FANOUT_TARGETS {
            let measured: Vec<&Fanout> = runs
                .iter()
                .filter(|r| r.subscribers == subscribers)
                .collect();
            let one_server = measured.iter().any(|r| r.rss_after_mib.len() == 1);
            let single: Vec<&Fanout> = runs.iter().filter(|r| r.rss_after_mib.len() == 1).collect();
            if !one_server && !single.is_empty() {
                // Conservative: the first run's starting memory, and the most any run added per
                // subscriber (later runs reuse memory freed by earlier ones, so add less).
                let base = single[0].rss_before_mib[0];
                let per_subscriber = single
                    .iter()
                    .map(|r| r.kib_per_subscriber())
                    .fold(0.0, f64::max);
                let projected = base + per_subscriber * subscribers as f64 / 1024.0;
                let _ = writeln!(
                    self.text,
                    "{subscribers} subscribers on one server: not measurable on this machine (at \
                     most {server_cap} sockets per server). Projected: {projected:.0} MiB \
                     ({base:.1} MiB at start + {per_subscriber:.1} KiB per subscriber, the most \
                     any run above added), target under {rss_mib} MiB: {} (a projection, not a \
                     measurement).\n",
                    met(projected < rss_mib),
                );
            }
            for run in measured {
                let rss = run.rss_after_mib.iter().copied().fold(0.0, f64::max);
                let _ = writeln!(
                    self.text,
                    "Targets at {subscribers} subscribers, {}: RSS under {rss_mib} MiB (per \
                     server): {}; p99 under {p99_ms} ms: {}; every subscriber got the event: {}.\n",
                    run.setup,
                    met(rss < rss_mib),
                    met(run.delivery.p99_ms < p99_ms),
                    met(run.received == run.subscribers),
                );
            }
        }
    }

    pub fn mixed(&mut self, runs: &[Mixed]) {
        let _ = write!(
            self.text,
            "## 5. Reads while writing\n\n\
             wrk on the cached summary (`GET /api/v1/public/acme/summary`) while {} clients \
             change service statuses through the API (as in section 3, each write also numbering \
             its service's description), for {} s. Beside wrk, a checker reads the summary in a \
             loop: an answer is stale by the time since the first acknowledged (2xx) write it \
             does not show was answered, else 0.\n\n\
             | setup | reads/s | read p50 ms | read p99 ms | failed | writes/s | checked answers | stale | staleness p99 ms | staleness max ms |\n\
             |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            crate::writes::WRITERS,
            self.seconds,
        );
        for run in runs {
            let _ = writeln!(
                self.text,
                "| {} | {:.0} | {:.2} | {:.2} | {} | {:.0} | {} | {} | {:.1} | {:.1} |",
                run.setup,
                run.reads.requests_per_sec,
                run.reads.p50_ms,
                run.reads.p99_ms,
                run.reads.failures,
                run.writes.per_sec,
                run.checks,
                run.stale_checks,
                run.staleness.p99_ms,
                run.staleness.max_ms,
            );
        }
        let worst = runs.iter().map(|r| r.staleness.max_ms).fold(0.0, f64::max);
        let _ = write!(
            self.text,
            "\nTarget (never older than the last acknowledged write by more than \
             {MIXED_STALENESS_TARGET_MS} ms): {}.\n\n",
            met(worst <= MIXED_STALENESS_TARGET_MS)
        );
    }

    pub fn spa(&mut self, assets: &[Asset], paint: &Paint, scores: &Scores) {
        let _ = write!(
            self.text,
            "## 6. The web app\n\n\
             Two bundles: the public pages' (`upstate-public`, all a visitor of a status page \
             downloads besides the page itself) and the dashboard's (`upstate-web`, only for \
             members). Budget of the public bundle, wasm + JS as sent: {} KB brotli.\n\n\
             | file | raw bytes | brotli bytes |\n|---|---:|---:|\n",
            PUBLIC_BUDGET / 1024
        );
        for asset in assets {
            let _ = writeln!(
                self.text,
                "| `{}` | {} | {} |",
                asset.name, asset.raw, asset.brotli
            );
        }
        let _ = writeln!(
            self.text,
            "\n| bundle (wasm + JS) | raw bytes | brotli bytes | budget |\n|---|---:|---:|---|"
        );
        for (bundle, budget) in [
            ("upstate-public", Some(PUBLIC_BUDGET)),
            ("upstate-web", None),
        ] {
            let files = assets.iter().filter(|a| {
                a.name
                    .strip_prefix(bundle)
                    .is_some_and(|rest| rest.starts_with('-'))
            });
            let (raw, brotli) = files.fold((0, 0), |(r, b), a| (r + a.raw, b + a.brotli));
            let _ = writeln!(
                self.text,
                "| `{bundle}` | {raw} | {brotli} | {} |",
                budget.map_or("none (members only)".to_owned(), |limit| format!(
                    "{} KB: {}",
                    limit / 1024,
                    met(brotli <= limit)
                ))
            );
        }
        let _ = write!(
            self.text,
            "\n`/status/acme` in headless Chromium, {} loads in one browser: the first contentful \
             paint is the page the server drew; the bundle then takes it over (its Performance \
             mark `upstate:summary-painted`) and keeps it live:\n\n\
             | first load (empty cache): taken over, ms | later loads: taken over, median ms | first contentful paint, median ms |\n\
             |---:|---:|---:|\n| {:.0} | {:.0} | {:.0} |\n\n",
            paint.loads, paint.cold_ms, paint.warm_median_ms, paint.warm_fcp_ms
        );
        let _ = write!(
            self.text,
            "Lighthouse {} on `/status/acme` (mobile, simulated throttling: slow 4G and a 4× \
             slower CPU; Debian's Chromium headless; the median of its runs by performance). \
             Target: 100 in all four, largest contentful paint under {:.1} s.\n\n\
             | performance | accessibility | best practices | SEO | largest contentful paint ms | first contentful paint ms | total blocking time ms | cumulative layout shift | target |\n\
             |---:|---:|---:|---:|---:|---:|---:|---:|---|\n\
             | {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.3} | {} |\n\n",
            crate::lighthouse::VERSION,
            LCP_TARGET_MS / 1000.0,
            scores.performance,
            scores.accessibility,
            scores.best_practices,
            scores.seo,
            scores.lcp_ms,
            scores.fcp_ms,
            scores.tbt_ms,
            scores.cls,
            met([
                scores.performance,
                scores.accessibility,
                scores.best_practices,
                scores.seo
            ]
            .iter()
            .all(|s| *s == 100)
                && scores.lcp_ms < LCP_TARGET_MS)
        );
        if !scores.failing.is_empty() {
            let _ = writeln!(self.text, "Audits below full marks:\n");
            for audit in &scores.failing {
                let _ = writeln!(self.text, "- {audit}");
            }
            let _ = writeln!(self.text);
        }
    }

    pub fn notify(&mut self, told: &Notify) {
        let secs =
            |t: Option<f64>| t.map_or("not all within 300 s".to_owned(), |t| format!("{t:.1}"));
        let slowdown = 100.0 * (1.0 - told.during.requests_per_sec / told.before.requests_per_sec);
        let (mails, webhooks) = (crate::notify::MAIL_SUBSCRIBERS, crate::notify::WEBHOOKS);
        let _ = write!(
            self.text,
            "## 7. Telling subscribers\n\n\
             One incident update (`POST /api/v1/orgs/notify/incidents/{{id}}/updates`) of an org \
             seeded as in section 1 (with 30 days of history), with {mails} confirmed email \
             subscribers (imported through the store's admin import) and {webhooks} webhook \
             integrations (added through the API, each its own path on one HTTP receiver on \
             loopback that answers 204). The server's own worker sends them (SQLite; \
             `UPSTATE_SMTP_URL` an SMTP server on loopback that answers at once and counts \
             messages and distinct recipients; `UPSTATE_ALLOW_PRIVATE_TARGETS=true`; the default \
             `UPSTATE_MAILS_PER_SECOND`). The SMTP server and the HTTP receiver stand in for \
             other machines: they run at the lowest CPU priority (nice 19). Times run \
             from the update's request to the last one handed over. Meanwhile wrk reads the \
             org's summary for {} s from the update's request on ({:.1} s of it while \
             deliveries were still going out), against {} s of wrk just before.\n\n\
             | | handed over | of | messages or requests | seconds | target s | |\n\
             |---|---:|---:|---:|---:|---:|---|\n\
             | email (distinct recipients) | {} | {mails} | {} | {} | {NOTIFY_MAIL_TARGET_SECS:.0} | {} |\n\
             | webhooks (distinct endpoints) | {} | {webhooks} | {} | {} | {NOTIFY_WEBHOOK_TARGET_SECS:.0} | {} |\n\n\
             {LOAD_HEADER}{}{}\n\
             The summary while they are told: **{slowdown:+.1}%** slower in requests/s (target \
             at most {NOTIFY_SLOWDOWN_TARGET_PCT:.0}%: {}).\n\n",
            self.seconds,
            told.overlap_secs,
            self.seconds,
            told.mail_recipients,
            told.mails,
            secs(told.mail_secs),
            met(told.mail_recipients == mails
                && told.mails == mails
                && told.mail_secs.is_some_and(|t| t <= NOTIFY_MAIL_TARGET_SECS)),
            told.webhook_endpoints,
            told.webhook_requests,
            secs(told.webhook_secs),
            met(told.webhook_endpoints == webhooks
                && told.webhook_requests == webhooks
                && told
                    .webhook_secs
                    .is_some_and(|t| t <= NOTIFY_WEBHOOK_TARGET_SECS)),
            load_row("summary before", &told.before),
            load_row("summary while telling", &told.during),
            met(slowdown <= NOTIFY_SLOWDOWN_TARGET_PCT),
        );
    }

    pub fn monitors(&mut self, m: &Monitors) {
        let plan = &m.plan;
        let spread_row = |name: &str, gaps: usize, spread: Option<crate::stats::Spread>| {
            spread.map_or(format!("| {name} | {gaps} | – | – | – |\n"), |s| {
                format!(
                    "| {name} | {gaps} | {:.1} | {:.1} | {:.1} |\n",
                    s.p50_ms, s.p99_ms, s.max_ms
                )
            })
        };
        let expected = m.expected();
        let growth = m.rss_after_mib - m.rss_before_mib;
        let jitter_p99 = m.arrival_jitter.map_or(f64::INFINITY, |s| s.p99_ms);
        let (latency_p50, latency_p99) =
            m.latency.map_or(("–".to_owned(), "–".to_owned()), |s| {
                (format!("{:.0}", s.p50_ms), format!("{:.0}", s.p99_ms))
            });
        let _ = write!(
            self.text,
            "## 8. Monitors\n\n\
             {} HTTP monitors created through the API (`POST /api/v1/orgs/monitored/monitors`, \
             spread over {} services of one org, {} at a time; {:.1} s for all), every {} s, \
             timeout {} s, failing after {} and recovering after {} results, each `GET`ting its \
             own path (`/m/{{n}}`) on one HTTP receiver on loopback that answers 200 at once and \
             notes when each request arrives. The server is started for this section alone \
             (SQLite, `UPSTATE_ALLOW_PRIVATE_TARGETS=true`, the runner's defaults); the receiver \
             stands in for the monitored services on other machines: it runs at the lowest CPU \
             priority (nice 19). The first check of a monitor falls at random in its first \
             interval, so the window opens one interval (and 1 s) after the last monitor was \
             created, and lasts {} s. The machine is shared with other work (1-minute load \
             average {} at the window's end, on {} cores).\n\n\
             Schedule jitter: per monitor, each gap between two consecutive checks that ends in \
             the window, less the interval (absolute), in ms: as the requests arrived at the \
             receiver (what a monitored service sees, connection set-up included), and between \
             the check times the runner stored with the results (when each probe started).\n\n\
             | | gaps | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n{}{}\n\
             | checks in the window | counted | expected |\n|---|---:|---:|\n\
             | requests at the receiver | {} | {expected:.0} |\n\
             | results stored | {} | {expected:.0} |\n\
             | results not up | {} | 0 |\n\
             | monitors not checked | {} | 0 |\n\n\
             Probe latency of the stored results (whole ms, the connection included): p50 \
             {latency_p50}, p99 {latency_p99}.{}\n\n\
             CPU: user and system time of the server process (`/proc/{{pid}}/stat`, all its \
             threads) over the window, in % of one core, against the same server for {} s \
             before any monitor existed. Memory: its resident set (`VmRSS`) before the monitors \
             were created, at most (sampled once a second in the window) and at the window's \
             end.\n\n\
             | | CPU % of one core | RSS MiB |\n|---|---:|---:|\n\
             | idle, no monitors ({} s) | {:.2} | {:.1} |\n\
             | {} monitors ({} s) | {:.2} | {:.1} (at most {:.1}) |\n\
             | the monitors' share | {:+.2} | {growth:+.1} |\n\n\
             Targets: jitter p99 at the receiver under {:.0} s: {}; CPU under \
             {MONITOR_CPU_TARGET_PCT:.0}% of one core (the whole process): {}; resident memory \
             growth under {MONITOR_RSS_GROWTH_TARGET_MIB:.0} MiB: {}; every check ran (requests \
             at the receiver within 1% of expected, all up): {}.\n\n",
            plan.monitors,
            crate::monitors::SERVICES,
            crate::monitors::CREATING_AT_ONCE,
            m.create_secs,
            plan.interval_secs,
            crate::monitors::TIMEOUT_SECS,
            crate::monitors::FAILURES_TO_FAIL,
            crate::monitors::SUCCESSES_TO_RECOVER,
            plan.window_secs,
            m.load_average,
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            spread_row("arrivals at the receiver", m.arrival_gaps, m.arrival_jitter),
            spread_row("stored check times", m.stored_gaps, m.stored_jitter),
            m.arrivals,
            m.results,
            m.results_not_up,
            m.silent_monitors,
            if m.not_up_messages.is_empty() {
                String::new()
            } else {
                let said: Vec<String> = m
                    .not_up_messages
                    .iter()
                    .map(|(message, n)| format!("“{message}” ({n})"))
                    .collect();
                format!(" The results not up said most often: {}.", said.join(", "))
            },
            plan.idle_secs,
            plan.idle_secs,
            m.idle_cpu_pct,
            m.rss_before_mib,
            plan.monitors,
            plan.window_secs,
            m.cpu_pct,
            m.rss_after_mib,
            m.rss_max_mib,
            m.cpu_pct - m.idle_cpu_pct,
            MONITOR_JITTER_P99_TARGET_MS / 1000.0,
            met(jitter_p99 < MONITOR_JITTER_P99_TARGET_MS),
            met(m.cpu_pct < MONITOR_CPU_TARGET_PCT),
            met(growth < MONITOR_RSS_GROWTH_TARGET_MIB),
            met((m.arrivals as f64 - expected).abs() <= expected / 100.0
                && m.results_not_up == 0
                && m.silent_monitors == 0),
        );
    }

    pub fn finish(&mut self, took: Duration) {
        let _ = writeln!(
            self.text,
            "The whole run took {:.0} s (after the build).",
            took.as_secs_f64()
        );
    }

    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The machine, as `/proc` and the tools describe it.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or("unknown".into(), |kib| {
            format!("{:.1} GiB", kib / 1024.0 / 1024.0)
        });
    let os = std::fs::read_to_string("/etc/os-release")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|l| l.trim_matches('"').to_owned())
        .unwrap_or_else(|| "unknown".into());
    let version = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .ok()
            .map(|o| {
                let out = String::from_utf8_lossy(&o.stdout).into_owned()
                    + &String::from_utf8_lossy(&o.stderr);
                out.lines().next().unwrap_or_default().trim().to_owned()
            })
            .unwrap_or_else(|| "not found".into())
    };
    format!(
        "| | |\n|---|---|\n| CPU | {cpu}, {cores} cores |\n| memory | {memory} |\n| OS | {os}, \
         kernel {} |\n| rustc | {} |\n| wrk | {} |\n| nginx | {} |\n| Chromium | {} |\n",
        version("uname", "-r"),
        version("rustc", "-V"),
        version("wrk", "-v"),
        version("/usr/sbin/nginx", "-v"),
        version("chromium", "--version"),
    )
}
