//! `exit-stress`: runs many short processes that hold pooled PostgreSQL connections busy and
//! exit while they are, and counts the ones that did not end with status 0.
//!
//! Every connection here is a TLS connection when the server speaks TLS (libpq's default,
//! `sslmode=prefer`). libpq initialises OpenSSL 3 with an exit handler that frees its state, and
//! enters the Kerberos library (GSSAPI) on every connection, whose finalizer destroys its
//! mutexes at exit; when other threads are still in either at that moment the process dies by
//! SIGSEGV or SIGABRT after its work was done (issue 21). The store's connect path
//! ([`upstate_store::db::connect_postgres`]) avoids both; this tool proves it, and reproduces
//! the crash on code without it (docs/reliability.md).
//!
//! ```text
//! exit-stress [--url URL] [--runs 300] [--parallel 8] [--threads 8]
//! ```
//!
//! The URL defaults to `UPSTATE_TEST_POSTGRES_URL` (or the local test server). The processes
//! only run `SELECT`s; they create nothing on the server.

use diesel::connection::SimpleConnection;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use upstate_store::{Db, PoolOptions};

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

struct Options {
    url: String,
    runs: usize,
    parallel: usize,
    threads: usize,
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut options = Options {
        url: std::env::var("UPSTATE_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_URL.into()),
        runs: 300,
        parallel: 8,
        threads: 8,
    };
    let mut child_delay: Option<u64> = None;
    while let Some(flag) = args.next() {
        let mut value = || args.next().unwrap_or_default();
        match flag.as_str() {
            "--url" => options.url = value(),
            "--runs" => options.runs = number(&flag, &value()),
            "--parallel" => options.parallel = number(&flag, &value()).max(1),
            "--threads" => options.threads = number(&flag, &value()).max(1),
            // Internal: one process of the run, exiting after this many milliseconds of work.
            "--child-exit-after-ms" => child_delay = Some(number(&flag, &value()) as u64),
            "-h" | "--help" => {
                println!("exit-stress [--url URL] [--runs N] [--parallel N] [--threads N]");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("exit-stress: unknown argument `{other}` (see --help)");
                return ExitCode::from(2);
            }
        }
    }
    match child_delay {
        Some(delay) => child(&options, Duration::from_millis(delay)),
        None => parent(&options),
    }
}

fn number(flag: &str, value: &str) -> usize {
    value.parse().unwrap_or_else(|_| {
        eprintln!("exit-stress: {flag} takes a whole number, not `{value}`");
        std::process::exit(2)
    })
}

/// One process, as a test process or the server is at its end: half its threads query through
/// a pool, the other half open a fresh connection for each query (a pool refilling itself), and
/// `main` returns while they are at it. Exits 0 unless the process is torn down under them.
fn child(options: &Options, exit_after: Duration) -> ExitCode {
    let db = match Db::connect(
        &options.url,
        PoolOptions {
            max_size: options.threads as u32,
            connection_timeout: Duration::from_secs(10),
        },
    ) {
        Ok(db) => db,
        Err(err) => {
            eprintln!("exit-stress: {err}");
            return ExitCode::from(3);
        }
    };
    let started_threads = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicBool::new(false));
    for thread in 0..options.threads {
        let db = db.clone();
        let url = options.url.clone();
        let started_threads = started_threads.clone();
        let failed = failed.clone();
        std::thread::spawn(move || {
            // Bounded: a process lives well under a second, this is only a ceiling.
            for iteration in 0..100_000 {
                let result = if thread % 2 == 0 {
                    db.read(|conn| Ok(conn.batch_execute(QUERY)?))
                } else {
                    fresh_connection(&url)
                };
                if let Err(err) = result {
                    eprintln!("exit-stress: {err}");
                    failed.store(true, Ordering::Relaxed);
                    return;
                }
                if iteration == 0 {
                    started_threads.fetch_add(1, Ordering::Relaxed);
                }
            }
        });
    }
    let started = Instant::now();
    while started_threads.load(Ordering::Relaxed) < options.threads {
        if failed.load(Ordering::Relaxed) {
            return ExitCode::from(5);
        }
        if started.elapsed() > Duration::from_secs(20) {
            eprintln!("exit-stress: the queries did not start within 20 s");
            return ExitCode::from(4);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    std::thread::sleep(exit_after);
    // Returning from main runs the process's exit handlers while every thread is busy.
    ExitCode::SUCCESS
}

const QUERY: &str = "SELECT count(*) FROM generate_series(1, 200)";

/// Connects, queries once and disconnects.
fn fresh_connection(url: &str) -> upstate_store::StoreResult<()> {
    let mut conn = upstate_store::db::connect_postgres(url)
        .map_err(|err| upstate_store::StoreError::Unavailable(err.to_string()))?;
    conn.batch_execute(QUERY)?;
    Ok(())
}

/// Runs the processes, `parallel` at a time, and tells how each ended.
fn parent(options: &Options) -> ExitCode {
    let Ok(me) = std::env::current_exe() else {
        eprintln!("exit-stress: cannot find its own executable");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let mut clean = 0usize;
    let mut failed: Vec<String> = Vec::new();
    let mut signals: std::collections::BTreeMap<String, usize> = Default::default();
    let mut first_report: Option<String> = None;
    let mut next = 0usize;
    let mut running: Vec<std::process::Child> = Vec::new();
    while next < options.runs || !running.is_empty() {
        while running.len() < options.parallel && next < options.runs {
            let child = Command::new(&me)
                .args(["--url", &options.url])
                .args(["--threads", &options.threads.to_string()])
                .args(["--child-exit-after-ms", &(next % 25).to_string()])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn();
            match child {
                Ok(child) => running.push(child),
                Err(err) => {
                    eprintln!("exit-stress: cannot start a process: {err}");
                    return ExitCode::from(2);
                }
            }
            next += 1;
        }
        std::thread::sleep(Duration::from_millis(2));
        let mut still = Vec::with_capacity(running.len());
        for mut child in running.drain(..) {
            match child.try_wait() {
                Ok(None) => still.push(child),
                Ok(Some(_)) | Err(_) => {
                    let output = match child.wait_with_output() {
                        Ok(output) => output,
                        Err(err) => {
                            failed.push(format!("could not wait for a process: {err}"));
                            continue;
                        }
                    };
                    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_owned();
                    match (output.status.code(), signal_of(&output.status)) {
                        (Some(0), _) => clean += 1,
                        (_, Some(signal)) => {
                            *signals.entry(signal_name(signal)).or_default() += 1;
                            if first_report.is_none() {
                                first_report = Some(format!(
                                    "killed by {}; its stderr: {}",
                                    signal_name(signal),
                                    if stderr.is_empty() {
                                        "(empty)"
                                    } else {
                                        &stderr
                                    }
                                ));
                            }
                        }
                        (code, None) => failed.push(format!("exit status {code:?}: {stderr}")),
                    }
                }
            }
        }
        running = still;
    }
    let killed: usize = signals.values().sum();
    let by_signal = signals
        .iter()
        .map(|(name, count)| format!("{name} {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    println!(
        "exit-stress: {} processes ({} at a time, {} busy connections each) in {:.1} s: \
         {clean} exited 0, {killed} killed by a signal{}, {} failed otherwise",
        options.runs,
        options.parallel,
        options.threads,
        started.elapsed().as_secs_f64(),
        if by_signal.is_empty() {
            String::new()
        } else {
            format!(" ({by_signal})")
        },
        failed.len(),
    );
    if let Some(report) = first_report {
        println!("exit-stress: first crash: {report}");
    }
    if let Some(first) = failed.first() {
        println!("exit-stress: first failure: {first}");
    }
    if killed == 0 && failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_status: &std::process::ExitStatus) -> Option<i32> {
    None
}

fn signal_name(signal: i32) -> String {
    match signal {
        6 => "SIGABRT".into(),
        7 => "SIGBUS".into(),
        9 => "SIGKILL".into(),
        11 => "SIGSEGV".into(),
        other => format!("signal {other}"),
    }
}
