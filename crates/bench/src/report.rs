//! The report: one Markdown table per measurement, with the machine, the command and the date,
//! and whether each target of the public read path is met.

use crate::fanout::Fanout;
use crate::spa::{Asset, Paint};
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
}

/// Targets of the public read path.
const FANOUT_TARGET_SUBSCRIBERS: usize = 10_000;
const FANOUT_RSS_TARGET_MIB: f64 = 200.0;
const FANOUT_P99_TARGET_MS: f64 = 1000.0;

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
        Report { text }
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

    pub fn fanout(&mut self, runs: &[Fanout]) {
        let _ = write!(
            self.text,
            "## 4. WebSocket fan-out\n\n\
             N clients (the Rust load client of `crates/bench`, in one process) subscribe to \
             `/api/v1/public/acme/ws` and wait for `hello`; then one status change is sent through \
             the API, and each client notes when the event arrives, counted from the moment the \
             change request was sent. RSS is the server's resident memory.\n\n\
             | subscribers | received | connect s | RSS before MiB | RSS after MiB | KiB per subscriber | p50 ms | p99 ms | max ms |\n\
             |---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        );
        for run in runs {
            let _ = writeln!(
                self.text,
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} |",
                run.subscribers,
                run.received,
                run.connect_secs,
                run.rss_before_mib,
                run.rss_after_mib,
                (run.rss_after_mib - run.rss_before_mib) * 1024.0 / run.subscribers as f64,
                run.delivery.p50_ms,
                run.delivery.p99_ms,
                run.delivery.max_ms
            );
        }
        if let Some(big) = runs
            .iter()
            .find(|r| r.subscribers >= FANOUT_TARGET_SUBSCRIBERS)
        {
            let _ = write!(
                self.text,
                "\nTargets at {} subscribers: RSS under {FANOUT_RSS_TARGET_MIB} MiB: {}; p99 \
                 under {FANOUT_P99_TARGET_MS} ms: {}; every subscriber got the event: {}.\n\n",
                big.subscribers,
                met(big.rss_after_mib < FANOUT_RSS_TARGET_MIB),
                met(big.delivery.p99_ms < FANOUT_P99_TARGET_MS),
                met(big.received == big.subscribers),
            );
        } else {
            self.text.push('\n');
        }
    }

    pub fn spa(&mut self, assets: &[Asset], paint: &Paint) {
        let _ = write!(
            self.text,
            "## 5. The web app\n\n\
             What a visitor of a status page downloads besides the page itself (one app serves \
             the public page and the dashboard):\n\n\
             | file | raw bytes | brotli bytes |\n|---|---:|---:|\n"
        );
        for asset in assets {
            let _ = writeln!(
                self.text,
                "| `{}` | {} | {} |",
                asset.name, asset.raw, asset.brotli
            );
        }
        let _ = write!(
            self.text,
            "\nFrom navigation to the summary in the page (the app's own Performance mark \
             `upstate:summary-painted`), `/status/acme` in headless Chromium, {} loads in one \
             browser:\n\n\
             | first load (empty cache) ms | later loads, median ms | first contentful paint, median ms |\n\
             |---:|---:|---:|\n| {:.0} | {:.0} | {:.0} |\n\n",
            paint.loads, paint.cold_ms, paint.warm_median_ms, paint.warm_fcp_ms
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
