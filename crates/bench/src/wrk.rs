//! Throughput and latency with `wrk` (Debian's package), and nginx (`nginx-light`) serving the
//! same bytes as a static file: the reference a cached JSON answer should match.

use std::process::{Command, Stdio};

/// What one `wrk --latency` run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub requests: u64,
    /// Answers that were not 2xx or 3xx, plus socket errors: a valid run has none.
    pub failures: u64,
}

/// Runs `wrk` against `url` with 64 connections on 2 threads for `seconds`, with `headers`.
pub fn run(url: &str, seconds: u64, headers: &[(&str, &str)]) -> Load {
    let mut extra = Vec::new();
    for (name, value) in headers {
        extra.push("-H".to_owned());
        extra.push(format!("{name}: {value}"));
    }
    wrk(url, seconds, &extra)
}

/// Runs `wrk` against the server at `base` for `seconds` with a Lua `script` that makes each
/// request (its `request` function).
pub fn run_script(base: &str, seconds: u64, script: &str) -> Load {
    let dir = tempfile::tempdir().expect("a folder for the wrk script");
    let path = dir.path().join("script.lua");
    std::fs::write(&path, script).expect("write the wrk script");
    wrk(
        base,
        seconds,
        &["-s".to_owned(), path.display().to_string()],
    )
}

/// `wrk --latency` with 64 connections on 2 threads, and what it measured.
fn wrk(url: &str, seconds: u64, extra: &[String]) -> Load {
    let output = Command::new("wrk")
        .args([
            "-t2",
            "-c64",
            &format!("-d{seconds}s"),
            "--timeout",
            "5s",
            "--latency",
        ])
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .expect("wrk (Debian's package; `just bench` installs it)");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse(&text).unwrap_or_else(|| panic!("could not read wrk's report:\n{text}"))
}

/// A wrk script asking for the summary of a new random slug on every request: what an
/// attacker sends to get past caches.
pub const RANDOM_SLUGS: &str = r#"
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16))
request = function()
  counter = counter + 1
  local slug = string.format("nobody-%08x-%d", math.random(0, 0x7fffffff), counter)
  return wrk.format("GET", "/api/v1/public/" .. slug .. "/summary")
end
"#;

/// The run of median requests/s (the upper one of an even count).
pub fn median(mut runs: Vec<Load>) -> Load {
    assert!(!runs.is_empty(), "at least one run");
    runs.sort_by(|a, b| a.requests_per_sec.total_cmp(&b.requests_per_sec));
    runs.swap_remove(runs.len() / 2)
}

/// Reads `wrk --latency`'s report.
pub fn parse(report: &str) -> Option<Load> {
    let mut load = Load {
        requests_per_sec: 0.0,
        p50_ms: 0.0,
        p99_ms: 0.0,
        requests: 0,
        failures: 0,
    };
    let (mut rate, mut p50, mut p99, mut total) = (false, false, false, false);
    for line in report.lines().map(str::trim) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => {
                load.requests_per_sec = value.parse().ok()?;
                rate = true;
            }
            ["50%", value] => {
                load.p50_ms = millis(value)?;
                p50 = true;
            }
            ["99%", value] => {
                load.p99_ms = millis(value)?;
                p99 = true;
            }
            [count, "requests", "in", ..] => {
                load.requests = count.parse().ok()?;
                total = true;
            }
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                load.failures += count.parse::<u64>().ok()?;
            }
            ["Socket", "errors:", rest @ ..] => {
                // connect 0, read 0, write 0, timeout 0
                for pair in rest.chunks(2) {
                    if let [_, count] = pair {
                        load.failures += count.trim_end_matches(',').parse::<u64>().ok()?;
                    }
                }
            }
            _ => {}
        }
    }
    (rate && p50 && p99 && total).then_some(load)
}

/// `2.13ms`, `870.00us`, `1.02s` in milliseconds.
fn millis(value: &str) -> Option<f64> {
    let (number, factor) = if let Some(n) = value.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = value.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = value.strip_suffix("m") {
        (n, 60_000.0)
    } else if let Some(n) = value.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

/// nginx serving `body` at `/summary.json` (as `application/json`).
pub struct Nginx(upstate_e2e::nginx::Nginx);

impl Nginx {
    /// Serves `body` at `/summary.json` (as `application/json`) with 2 workers, no access log.
    pub fn serve(body: &[u8]) -> Nginx {
        let dir = tempfile::tempdir().expect("a folder for nginx");
        let www = dir.path().join("www");
        std::fs::create_dir_all(&www).expect("nginx's document root");
        std::fs::write(www.join("summary.json"), body).expect("the file nginx serves");
        upstate_e2e::nginx::open_to_workers(&www);
        let port = upstate_e2e::free_port();
        let http = format!(
            "    types {{ application/json json; }}
    server {{
        listen 127.0.0.1:{port};
        root {www};
        location / {{ }}
    }}",
            www = www.display(),
        );
        Nginx(upstate_e2e::nginx::Nginx::start(dir, port, &http))
    }

    pub fn url(&self, path: &str) -> String {
        self.0.url(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 10s test @ http://127.0.0.1:8080/summary.json
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.13ms    1.02ms  20.00ms   80.00%
    Req/Sec    15.12k     1.01k   17.00k    70.00%
  Latency Distribution
     50%  870.00us
     75%    2.50ms
     90%    3.00ms
     99%    1.20s
  301234 requests in 10.00s, 2.10GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:  30123.40
Transfer/sec:    210.00MB
";

    #[test]
    fn reads_wrks_report() {
        let load = parse(REPORT).unwrap();
        assert_eq!(load.requests_per_sec, 30123.40);
        assert_eq!(load.requests, 301234);
        assert!((load.p50_ms - 0.87).abs() < 1e-9);
        assert_eq!(load.p99_ms, 1200.0);
        assert_eq!(load.failures, 7);
    }

    #[test]
    fn the_median_run_is_the_middle_one_by_rate() {
        let run = |rate: f64| Load {
            requests_per_sec: rate,
            ..parse(REPORT).unwrap()
        };
        assert_eq!(
            median(vec![run(3.0), run(1.0), run(2.0)]).requests_per_sec,
            2.0
        );
        assert_eq!(median(vec![run(5.0)]).requests_per_sec, 5.0);
    }

    #[test]
    fn a_report_without_figures_is_refused() {
        assert!(parse("unable to connect to 127.0.0.1:1 Connection refused").is_none());
    }
}
