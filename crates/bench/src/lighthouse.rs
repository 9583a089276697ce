//! Lighthouse's scores of the public status page: npm's `lighthouse` (installed by
//! `scripts/setup.sh bench`) driving Debian's Chromium headless, its defaults (mobile, simulated
//! throttling: a slow 4G network and a 4× slower CPU), several runs, the median by performance.
//! With `UPSTATE_LIGHTHOUSE_REPORT=file.json` each run's whole report is written there (the
//! last run's remains), to see which tasks block and what the page weighs.

use std::path::PathBuf;
use std::process::Command;

/// The Lighthouse version `scripts/setup.sh bench` installs.
pub const VERSION: &str = "12.8.2";

#[derive(Debug, Clone)]
pub struct Scores {
    pub performance: u32,
    pub accessibility: u32,
    pub best_practices: u32,
    pub seo: u32,
    pub lcp_ms: f64,
    pub fcp_ms: f64,
    pub tbt_ms: f64,
    pub cls: f64,
    /// The audits that did not pass, as `category: audit title`.
    pub failing: Vec<String>,
}

fn binary() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
        });
    let tools = std::env::var_os("UPSTATE_TOOLS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| cache.join("upstate/tools"));
    tools.join(format!("lighthouse-{VERSION}/node_modules/.bin/lighthouse"))
}

/// One Lighthouse run of `url`.
fn run(url: &str) -> Scores {
    let lighthouse = binary();
    assert!(
        lighthouse.exists(),
        "no lighthouse at {} (run `scripts/setup.sh bench`)",
        lighthouse.display()
    );
    let output = Command::new(&lighthouse)
        .arg(url)
        .args([
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            "--only-categories=performance,accessibility,best-practices,seo",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ])
        .env("CHROME_PATH", "/usr/bin/chromium")
        .output()
        .expect("run lighthouse");
    assert!(
        output.status.success(),
        "lighthouse failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(path) = std::env::var_os("UPSTATE_LIGHTHOUSE_REPORT") {
        std::fs::write(path, &output.stdout).expect("write the Lighthouse report");
    }
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("lighthouse's JSON report");
    let score = |category: &str| {
        (report["categories"][category]["score"]
            .as_f64()
            .unwrap_or(0.0)
            * 100.0)
            .round() as u32
    };
    let numeric = |audit: &str| {
        report["audits"][audit]["numericValue"]
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    let mut failing = Vec::new();
    for category in ["performance", "accessibility", "best-practices", "seo"] {
        for reference in report["categories"][category]["auditRefs"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let Some(id) = reference["id"].as_str() else {
                continue;
            };
            let audit = &report["audits"][id];
            let weighted = reference["weight"].as_f64().unwrap_or(0.0) > 0.0;
            if weighted && audit["score"].as_f64().is_some_and(|s| s < 1.0) {
                failing.push(format!(
                    "{category}: {} ({})",
                    audit["title"].as_str().unwrap_or(id),
                    audit["displayValue"].as_str().unwrap_or("failed")
                ));
            }
        }
    }
    Scores {
        performance: score("performance"),
        accessibility: score("accessibility"),
        best_practices: score("best-practices"),
        seo: score("seo"),
        lcp_ms: numeric("largest-contentful-paint"),
        fcp_ms: numeric("first-contentful-paint"),
        tbt_ms: numeric("total-blocking-time"),
        cls: numeric("cumulative-layout-shift"),
        failing,
    }
}

/// `runs` runs of `url`; the median one by performance (then LCP).
pub fn scores(url: &str, runs: usize) -> Scores {
    let mut all: Vec<Scores> = (0..runs.max(1)).map(|_| run(url)).collect();
    all.sort_by(|a, b| {
        a.performance
            .cmp(&b.performance)
            .then(b.lcp_ms.total_cmp(&a.lcp_ms))
    });
    all.swap_remove(all.len() / 2)
}
