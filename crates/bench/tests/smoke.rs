//! `just bench` at a tiny scale, so that the measuring code cannot rot between runs: every
//! section runs against the debug server and lands in the report with real figures (the
//! monitors' section in a test of its own: it waits whole intervals).

use std::path::PathBuf;
use std::process::Command;

fn upstate_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("UPSTATE_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("debug/upstate")
}

#[test]
fn every_measurement_lands_in_the_report() {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("benchmarks.md");
    let run = Command::new(env!("CARGO_BIN_EXE_upstate-bench"))
        .arg("--binary")
        .arg(upstate_binary())
        .args([
            "--seconds",
            "1",
            "--write-seconds",
            "1",
            "--subscribers",
            "20,60",
            "--replica-subscribers",
            "40",
        ])
        .args(["--loads", "2", "--rounds", "3", "--summary-rounds", "1"])
        .args(["--lighthouse-runs", "1"])
        // Every section but the monitors' (below).
        .args(["--only", "summary,growth,writes,fanout,mixed,spa,notify"])
        .arg("--out")
        .arg(&report)
        .output()
        .expect("run upstate-bench");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "upstate-bench failed:\n{stderr}");
    let text = std::fs::read_to_string(&report).expect("the report");
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        text,
        "the report is printed too"
    );
    for heading in [
        "## The machine",
        "## 1. Public summary against nginx",
        "### Pages that do not exist",
        "## 2. Cost growth with history",
        "## 3. Writes",
        "## 4. WebSocket fan-out",
        "## 5. Reads while writing",
        "## 6. The web app",
    ] {
        assert!(text.contains(heading), "no “{heading}” in:\n{text}");
    }
    // A row's first figure is a real measurement, not zero.
    let figure = |row_start: &str| -> f64 {
        let row = text
            .lines()
            .find(|l| l.starts_with(row_start))
            .unwrap_or_else(|| panic!("no row “{row_start}” in:\n{text}"));
        row.split('|').nth(2).unwrap().trim().parse().unwrap()
    };
    for row in [
        "| upstate 200 ",
        "| nginx 200 ",
        "| upstate 304 ",
        "| nginx 304 ",
        "| 1 day ",
        "| 10 years ",
        "| SQLite ",
        "| PostgreSQL ",
    ] {
        assert!(figure(row) > 0.0, "{row} measured nothing:\n{text}");
    }
    // Every subscriber got the event, in every fan-out: on one server, and over two replicas
    // that hear of the change by NOTIFY.
    for (setup, n) in [
        ("1 server (SQLite)", "20"),
        ("1 server (SQLite)", "60"),
        ("2 replicas (PostgreSQL)", "40"),
    ] {
        let start = format!("| {setup} | {n} | ");
        let row = text
            .lines()
            .find(|l| l.starts_with(&start))
            .unwrap_or_else(|| panic!("no fan-out row “{start}”:\n{text}"));
        assert!(row.starts_with(&format!("{start}{n} |")), "{row}");
    }
    // Reads while writing: reads and writes measured, and the checker read the summary.
    let mixed = text
        .split("## 5. Reads while writing")
        .nth(1)
        .expect("the mixed section");
    for setup in [
        "| 1 server (SQLite) | ",
        "| 2 replicas (PostgreSQL): writes to one, reads from the other | ",
    ] {
        let row = mixed
            .lines()
            .find(|l| l.starts_with(setup))
            .unwrap_or_else(|| panic!("no mixed row “{setup}”:\n{text}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let reads: f64 = cells[2].parse().unwrap();
        let writes: f64 = cells[6].parse().unwrap();
        let checked: u64 = cells[7].parse().unwrap();
        assert!(reads > 0.0 && writes > 0.0 && checked > 0, "{row}");
    }
    assert!(text.contains("_bg.wasm`"), "the wasm's size: {text}");
    // Both bundles, and Lighthouse's four scores of the status page.
    for bundle in ["| `upstate-public` | ", "| `upstate-web` | "] {
        assert!(figure(bundle) > 0.0, "{bundle} measured nothing:\n{text}");
    }
    let scores = text
        .lines()
        .skip_while(|l| !l.starts_with("| performance | accessibility |"))
        .nth(2)
        .unwrap_or_else(|| panic!("no Lighthouse row:\n{text}"));
    let cells: Vec<&str> = scores.split('|').map(str::trim).collect();
    for (cell, category) in
        cells[1..5]
            .iter()
            .zip(["performance", "accessibility", "best practices", "SEO"])
    {
        let score: u32 = cell
            .parse()
            .unwrap_or_else(|_| panic!("{category}: {scores}"));
        assert!(score > 0 && score <= 100, "{category}: {scores}");
    }
}

#[test]
fn the_monitors_section_lands_in_the_report() {
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("benchmarks.md");
    // 20 monitors at the shortest interval the API allows: one interval of warm-up, then one
    // measured, so each monitor has one gap in the window.
    let run = Command::new(env!("CARGO_BIN_EXE_upstate-bench"))
        .arg("--binary")
        .arg(upstate_binary())
        .args([
            "--only",
            "monitors",
            "--monitors",
            "20",
            "--monitor-interval",
            "10",
        ])
        .args(["--monitor-seconds", "10", "--monitor-idle-seconds", "1"])
        .arg("--out")
        .arg(&report)
        .output()
        .expect("run upstate-bench");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "upstate-bench failed:\n{stderr}");
    let text = std::fs::read_to_string(&report).expect("the report");
    assert!(
        text.contains("## 8. Monitors"),
        "no monitors' section in:\n{text}"
    );
    let cells = |row_start: &str| -> Vec<String> {
        let row = text
            .lines()
            .find(|l| l.starts_with(row_start))
            .unwrap_or_else(|| panic!("no row “{row_start}” in:\n{text}"));
        row.split('|').map(|cell| cell.trim().to_owned()).collect()
    };
    // Jitter measured from gaps at the receiver and in the stored results.
    for row in ["| arrivals at the receiver ", "| stored check times "] {
        let cells = cells(row);
        let gaps: usize = cells[2].parse().unwrap();
        let p99: f64 = cells[4]
            .parse()
            .unwrap_or_else(|_| panic!("{row}: {cells:?}"));
        assert!(gaps > 0 && p99 >= 0.0, "{row}: {cells:?}");
    }
    // Checks arrived and were stored; the CPU and memory rows hold figures.
    for row in ["| requests at the receiver ", "| results stored "] {
        let counted: usize = cells(row)[2].parse().unwrap();
        assert!(counted > 0, "{row} counted nothing:\n{text}");
    }
    let busy = cells("| 20 monitors ");
    let cpu: f64 = busy[2].parse().unwrap();
    assert!(cpu > 0.0, "no CPU time measured: {busy:?}");
    let idle = cells("| idle, no monitors ");
    let rss: f64 = idle[3].parse().unwrap();
    assert!(rss > 0.0, "no memory measured: {idle:?}");
}
