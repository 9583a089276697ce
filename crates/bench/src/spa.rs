//! The web app a visitor downloads (its wasm and JS glue, raw and brotli), and how long a status
//! page takes from navigation to the summary in the page, in headless Chromium.

use crate::stats::median;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct Asset {
    pub name: String,
    pub raw: u64,
    pub brotli: u64,
}

/// The wasm and JS files of the built app (`web/dist/assets`).
pub fn assets(dist: &Path) -> Vec<Asset> {
    let dir = dist.join("assets");
    let mut found: Vec<Asset> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{}: {err} (run `just build-web`)", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "wasm" || ext == "js")
        })
        .map(|path| {
            let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
            let brotli = path.with_extension(format!(
                "{}.br",
                path.extension().unwrap_or_default().to_string_lossy()
            ));
            Asset {
                name: path
                    .file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                raw: size(&path),
                brotli: size(&brotli),
            }
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(!found.is_empty(), "no wasm or js in {}", dir.display());
    found
}

pub struct Paint {
    /// The first load, with an empty browser cache.
    pub cold_ms: f64,
    /// Median of the later loads (the app cached, as for a visitor who reloads).
    pub warm_median_ms: f64,
    /// Median first contentful paint of the later loads (the page's skeleton).
    pub warm_fcp_ms: f64,
    pub loads: usize,
}

/// Loads `url` `loads` times in one fresh browser and reads the page's own mark
/// (`upstate:summary-painted`, set once the summary is in the DOM) from the Performance API.
pub async fn paint(url: &str, loads: usize) -> Paint {
    let browser = upstate_e2e::Browser::open().await;
    let mut summary = Vec::new();
    let mut fcp = Vec::new();
    for _ in 0..loads {
        browser.goto(url).await;
        let deadline = Instant::now() + Duration::from_secs(20);
        let (mark, first_paint) = loop {
            let found = browser
                .execute(
                    "const m = performance.getEntriesByName('upstate:summary-painted')[0];
                     const f = performance.getEntriesByName('first-contentful-paint')[0];
                     return m ? [m.startTime, f ? f.startTime : null] : null;",
                )
                .await;
            if let Some(pair) = found.as_array() {
                break (pair[0].as_f64().unwrap_or_default(), pair[1].as_f64());
            }
            assert!(
                Instant::now() < deadline,
                "the summary was not painted within 20 s at {url}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        summary.push(mark);
        if let Some(at) = first_paint {
            fcp.push(at);
        }
    }
    let errors = browser.console_errors().await;
    browser.close().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let warm = if summary.len() > 1 {
        &summary[1..]
    } else {
        &summary[..]
    };
    Paint {
        cold_ms: summary[0],
        warm_median_ms: median(warm),
        warm_fcp_ms: if fcp.len() > 1 {
            median(&fcp[1..])
        } else {
            fcp.first().copied().unwrap_or(f64::NAN)
        },
        loads,
    }
}
