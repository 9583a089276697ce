//! Reads while writing: wrk on the cached public summary while [`WRITERS`] clients change
//! service statuses through the API, and a checker beside wrk reading the summary in a loop
//! and noting how stale each answer is: how long before the request the first acknowledged
//! write it does not show had been answered (0 when it shows every acknowledged write). The
//! writes may go to one server and the reads to another (replicas on PostgreSQL, where the
//! change crosses by NOTIFY).

use crate::seed::Seeded;
use crate::stats::Spread;
use crate::writes::{self, Acks, WRITERS, Writes};
use crate::wrk::{self, Load};
use std::time::{Duration, Instant};

pub struct Mixed {
    /// Where the writes and reads went: "1 server (SQLite)", ...
    pub setup: String,
    pub reads: Load,
    pub writes: Writes,
    /// The checker's reads, and those missing an acknowledged write.
    pub checks: usize,
    pub stale_checks: usize,
    /// Of every checked answer (0 for the fresh ones).
    pub staleness: Spread,
}

/// `seconds` of wrk on `read_base`'s summary of `seeded` while its services are changed
/// through `write_base`.
pub async fn run(
    setup: &str,
    write_base: &str,
    read_base: &str,
    seeded: &Seeded,
    seconds: u64,
) -> Mixed {
    let summary_url = format!("{read_base}/api/v1/public/{}/summary", seeded.slug);
    let acks: Acks = Default::default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let reads = tokio::task::spawn_blocking({
        let url = summary_url.clone();
        move || wrk::run(&url, seconds, &[])
    });
    let checker = tokio::spawn(check(
        summary_url,
        (0..WRITERS)
            .map(|w| writes::service_of(seeded, w).to_owned())
            .collect(),
        acks.clone(),
        deadline,
    ));
    let writes = writes::run(write_base, seeded, seconds, Some(acks)).await;
    let reads = reads.await.expect("wrk");
    let samples = checker.await.expect("the checker");
    Mixed {
        setup: setup.to_owned(),
        reads,
        writes,
        checks: samples.len(),
        stale_checks: samples.iter().filter(|s| !s.is_zero()).count(),
        staleness: Spread::of(&samples).expect("at least one check"),
    }
}

/// Reads the summary until `deadline`; for each answer, how stale it was.
async fn check(url: String, services: Vec<String>, acks: Acks, deadline: Instant) -> Vec<Duration> {
    let http = reqwest::Client::new();
    let mut samples = Vec::new();
    while Instant::now() < deadline {
        let asked = Instant::now();
        let summary: serde_json::Value = http
            .get(&url)
            .send()
            .await
            .expect("the summary")
            .json()
            .await
            .expect("the summary's JSON");
        let acks = acks.lock().expect("the acks").clone();
        let stale = services
            .iter()
            .zip(&acks)
            .map(|(id, acked)| staleness(shown_write(&summary, id), acked, asked))
            .max()
            .unwrap_or_default();
        samples.push(stale);
    }
    samples
}

/// The number of the last write the summary shows for service `id` (0: none of the run's).
fn shown_write(summary: &serde_json::Value, id: &str) -> usize {
    let service = summary["services"]
        .as_array()
        .expect("the summary's services")
        .iter()
        .find(|s| s["id"] == id)
        .expect("the written service is on the page");
    writes::write_number(service["description"].as_str().unwrap_or_default()).unwrap_or(0)
}

/// How stale an answer asked at `asked` that shows write `shown` is, given when each write was
/// acknowledged: since the first acknowledged write it misses, or zero.
fn staleness(shown: usize, acked: &[Instant], asked: Instant) -> Duration {
    match acked.get(shown) {
        Some(&first_missed) if first_missed < asked => asked - first_missed,
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_stale_from_the_first_acknowledged_write_it_misses() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let acked = [at(10), at(20), at(30)];
        assert_eq!(
            staleness(3, &acked, at(40)),
            Duration::ZERO,
            "shows every write"
        );
        assert_eq!(staleness(1, &acked, at(40)), Duration::from_millis(20));
        assert_eq!(staleness(0, &acked, at(40)), Duration::from_millis(30));
        // Write 2 was answered after the summary was asked for: not missing yet.
        assert_eq!(staleness(1, &acked, at(15)), Duration::ZERO);
    }
}
