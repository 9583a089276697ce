//! The runner inside `upstate serve`: claims the checks that are due, runs them, and hands each
//! outcome to a [`Recorder`] (the server, which records it with whatever follows from it in one
//! transaction).
//!
//! The schedule is the lease: a monitor's `next_run_at` moves one interval on when a replica
//! claims it (`upstate_store::monitors::claim_due`, a conditional update), so with several
//! replicas on one PostgreSQL each check runs once per interval, and a replica that dies leaves
//! the next check to whoever is alive: within one interval, nothing to hand over.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use tokio::sync::{Notify, Semaphore};
use upstate_egress::{Policy, RootCertificates};
use upstate_store::Db;
use upstate_store::monitors::{self, Checked, Decided, Monitor};

use crate::decision::{Change, Decision};
use crate::definition::Check;
use crate::probe::{Outcome, Prober};

/// What the runner does with an outcome: the server records it (the result, the decision, the
/// service's status, incidents and alerts) in one transaction.
pub trait Recorder: Send + Sync + 'static {
    fn record(&self, monitor: Monitor, checked: Checked) -> impl Future<Output = ()> + Send;
}

/// How the runner runs.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Which addresses checks may reach.
    pub egress: Policy,
    /// Certificate authorities HTTPS checks trust besides the system's.
    pub roots: RootCertificates,
    /// The most checks running at once; further due checks wait for a free place.
    pub concurrency: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            egress: Policy::default(),
            roots: RootCertificates::default(),
            concurrency: 256,
        }
    }
}

/// Claims at most this many due checks at once.
const CLAIM_BATCH: i64 = 500;
/// The runner looks for due checks at least this often (monitors created on another replica are
/// seen this late at most).
const LONGEST_SLEEP: Duration = Duration::from_secs(1);
/// And at most this often: due checks are claimed in batches.
const SHORTEST_SLEEP: Duration = Duration::from_millis(50);

pub struct Runner<R> {
    db: Db,
    prober: Prober,
    recorder: Arc<R>,
    wake: Arc<Notify>,
    places: Arc<Semaphore>,
}

impl<R: Recorder> Runner<R> {
    /// A runner that hands outcomes to `recorder`; `wake` makes it look for due checks at once
    /// (a monitor was created or changed).
    pub fn new(
        db: Db,
        settings: Settings,
        recorder: R,
        wake: Arc<Notify>,
    ) -> Result<Runner<R>, upstate_egress::EgressError> {
        Ok(Runner {
            db,
            prober: Prober::new(settings.egress, &settings.roots)?,
            recorder: Arc::new(recorder),
            places: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            wake,
        })
    }

    /// Runs until the server stops.
    pub async fn run(self) {
        loop {
            let sleep = match self.tick().await {
                Ok(next_due) => next_due,
                Err(err) => {
                    tracing::warn!(%err, "the monitor runner failed; trying again shortly");
                    LONGEST_SLEEP
                }
            };
            let _ = tokio::time::timeout(sleep, self.wake.notified()).await;
        }
    }

    /// Claims and starts every due check; answers how long to wait for the next one.
    async fn tick(&self) -> Result<Duration, upstate_store::StoreError> {
        loop {
            let now = upstate_store::now();
            let db = self.db.clone();
            let claimed =
                blocking(move || db.write(|conn| monitors::claim_due(conn, now, CLAIM_BATCH)))
                    .await?;
            let full = claimed.len() as i64 == CLAIM_BATCH;
            for (monitor, due) in claimed {
                self.start(monitor, due).await;
            }
            if !full {
                break;
            }
        }
        let db = self.db.clone();
        let next = blocking(move || db.read(monitors::next_due)).await?;
        let now = upstate_store::now();
        Ok(match next {
            Some(next) if next > now => (next - now)
                .to_std()
                .unwrap_or(LONGEST_SLEEP)
                .clamp(SHORTEST_SLEEP, LONGEST_SLEEP),
            Some(_) => SHORTEST_SLEEP,
            None => LONGEST_SLEEP,
        })
    }

    /// Runs one claimed check in a task of its own, once a place is free.
    async fn start(&self, monitor: Monitor, due: NaiveDateTime) {
        let Ok(place) = self.places.clone().acquire_owned().await else {
            return;
        };
        let recorder = self.recorder.clone();
        let prober = self.prober.clone();
        tokio::spawn(async move {
            let checked = check(&monitor, due, &prober).await;
            drop(place);
            recorder.record(monitor, checked).await;
        });
    }
}

/// Runs `monitor`'s check once (a heartbeat claimed by the runner has been silent too long).
pub async fn check(monitor: &Monitor, due: NaiveDateTime, prober: &Prober) -> Checked {
    let at = upstate_store::now();
    let outcome = match serde_json::from_str::<Check>(&monitor.definition) {
        Ok(Check::Heartbeat { grace_seconds }) => silent_since(monitor, due, grace_seconds),
        Ok(check) => {
            let timeout = Duration::from_secs(u64::try_from(monitor.timeout_seconds).unwrap_or(10));
            prober.probe(&check, timeout).await
        }
        Err(err) => Outcome {
            state: crate::State::Down,
            latency_ms: 0,
            message: format!("the monitor's definition cannot be read: {err}"),
        },
    };
    Checked {
        at,
        state: outcome.state,
        latency_ms: u32::try_from(outcome.latency_ms).unwrap_or(u32::MAX),
        message: outcome.message,
    }
}

/// A heartbeat's check comes due only when no call came for its interval plus its grace.
fn silent_since(monitor: &Monitor, due: NaiveDateTime, grace_seconds: u32) -> Outcome {
    let waited = monitor.interval() + TimeDelta::seconds(i64::from(grace_seconds));
    let since = due - waited;
    let last = match monitor.last_checked_at {
        Some(last) if monitor.recent().last() == Some(&crate::State::Up) => {
            format!("no call since {} UTC", last.format("%Y-%m-%d %H:%M:%S"))
        }
        _ => format!("no call since {} UTC", since.format("%Y-%m-%d %H:%M:%S")),
    };
    Outcome {
        state: crate::State::Down,
        latency_ms: 0,
        message: format!(
            "{last} (expected every {} s, {} s of grace)",
            monitor.interval_seconds, grace_seconds
        ),
    }
}

/// What the anti-flap rule decides from `monitor`'s stored decision and a new result.
pub fn decide(monitor: &Monitor, result: crate::State) -> (Decided, Option<Change>) {
    let mut decision = Decision::restore(&monitor.settings(), monitor.state, &monitor.recent());
    let change = decision.observe(result);
    (
        Decided {
            state: decision.state(),
            recent: decision.recent(),
        },
        change,
    )
}

/// When a heartbeat monitor's next check is due after a call at `at`.
pub fn heartbeat_deadline(
    monitor: &Monitor,
    grace_seconds: u32,
    at: NaiveDateTime,
) -> NaiveDateTime {
    at + monitor.interval() + TimeDelta::seconds(i64::from(grace_seconds))
}

/// When a new (or resumed, or rescheduled) monitor's first check is due: at a random point of
/// its first interval, so that monitors created together (an import, a script) spread over the
/// interval for good instead of all running in the same instant every time. ("Test now" shows
/// a result at once.)
pub fn first_run(interval_seconds: u32, now: NaiveDateTime) -> NaiveDateTime {
    let spread_ms = u64::from(interval_seconds) * 1000;
    let offset = rand::random_range(0..spread_ms.max(1));
    now + TimeDelta::milliseconds(i64::try_from(offset).unwrap_or(0))
}

async fn blocking<T, F>(f: F) -> Result<T, upstate_store::StoreError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, upstate_store::StoreError> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|err| {
        upstate_store::StoreError::Unavailable(format!("a database task failed: {err}"))
    })?
}
