//! Writes per second through the API: concurrent clients each flipping a service's status with
//! `PATCH /orgs/{org}/services/{id}` (each one transaction: the change, its history row, its
//! event and its audit entry), for a bounded time.

use crate::stats::Spread;
use std::time::{Duration, Instant};

/// How many clients write at once.
pub const WRITERS: usize = 8;

pub struct Writes {
    pub per_sec: f64,
    pub count: usize,
    pub latency: Spread,
}

/// Flips statuses of the org's services from `WRITERS` clients for `seconds`.
pub async fn run(base: &str, seeded: &crate::seed::Seeded, seconds: u64) -> Writes {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..WRITERS {
        let http = reqwest::Client::new();
        let url = format!(
            "{base}/api/v1/orgs/{}/services/{}",
            seeded.slug,
            seeded.service_ids[(w * 3 + 1) % seeded.service_ids.len()]
        );
        let key = seeded.api_key.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut flip = false;
            while Instant::now() < deadline {
                flip = !flip;
                let status = if flip {
                    "degraded_performance"
                } else {
                    "operational"
                };
                let sent = Instant::now();
                let response = http
                    .patch(&url)
                    .bearer_auth(&key)
                    .json(&serde_json::json!({ "status": status }))
                    .send()
                    .await
                    .expect("the API answers");
                let code = response.status();
                let _ = response.bytes().await;
                assert!(code.is_success(), "a status change answered {code}");
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::new();
    for worker in workers {
        latencies.extend(worker.await.expect("a writer"));
    }
    let elapsed = started.elapsed().as_secs_f64();
    Writes {
        per_sec: latencies.len() as f64 / elapsed,
        count: latencies.len(),
        latency: Spread::of(&latencies).expect("at least one write"),
    }
}
