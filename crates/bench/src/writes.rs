//! Writes per second through the API: concurrent clients each flipping a service's status with
//! `PATCH /orgs/{org}/services/{id}` (each one transaction: the change, its history row, its
//! event and its audit entry), for a bounded time.

use crate::stats::Spread;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How many clients write at once.
pub const WRITERS: usize = 8;

pub struct Writes {
    pub per_sec: f64,
    pub count: usize,
    pub latency: Spread,
}

/// When each write was acknowledged, per writer: `acks[w][k]` is when writer `w`'s write
/// number `k + 1` was answered 2xx. Kept by [`run`] when it is given one, for the mixed run's
/// staleness check.
pub type Acks = Arc<Mutex<Vec<Vec<Instant>>>>;

/// The service writer `w` changes.
pub fn service_of(seeded: &crate::seed::Seeded, w: usize) -> &str {
    &seeded.service_ids[(w * 3 + 1) % seeded.service_ids.len()]
}

/// The description writer's write number `k` gives its service (with `acks`): the summary
/// then says which writes it includes.
pub fn description(k: usize) -> String {
    format!("write {k}")
}

/// The write number a description of [`description`] gives.
pub fn write_number(description: &str) -> Option<usize> {
    description.strip_prefix("write ")?.parse().ok()
}

/// Flips statuses of the org's services from `WRITERS` clients for `seconds`. With `acks`,
/// each write also numbers the service's description and notes when it was acknowledged.
pub async fn run(
    base: &str,
    seeded: &crate::seed::Seeded,
    seconds: u64,
    acks: Option<Acks>,
) -> Writes {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    if let Some(acks) = &acks {
        *acks.lock().expect("the acks") = vec![Vec::new(); WRITERS];
    }
    let mut workers = Vec::new();
    for w in 0..WRITERS {
        let http = reqwest::Client::new();
        let url = format!(
            "{base}/api/v1/orgs/{}/services/{}",
            seeded.slug,
            service_of(seeded, w)
        );
        let key = seeded.api_key.clone();
        let acks = acks.clone();
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
                let mut change = serde_json::json!({ "status": status });
                if acks.is_some() {
                    change["description"] = description(latencies.len() + 1).into();
                }
                let sent = Instant::now();
                let response = http
                    .patch(&url)
                    .bearer_auth(&key)
                    .json(&change)
                    .send()
                    .await
                    .expect("the API answers");
                let code = response.status();
                let _ = response.bytes().await;
                assert!(code.is_success(), "a status change answered {code}");
                if let Some(acks) = &acks {
                    acks.lock().expect("the acks")[w].push(Instant::now());
                }
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
