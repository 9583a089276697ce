//! The anti-flap rule: a service's state changes only on a run of results that agree, so one
//! lost packet does not open an incident and one lucky answer does not close it.
//!
//! With N = `failures_to_fail` and M = `successes_to_recover`:
//! - **Worse** once the last N results are all at least that bad, to the mildest of them: N
//!   failures of any mix turn an up service degraded, and only N downs in a row turn it down. A
//!   mix of degraded and down answers means the service sometimes works: degraded, not down.
//! - **Up** again once the last M results are all up.
//! - **Down to degraded** once the last N results hold no down but at least one degraded: the
//!   service answers again, though not well.
//!
//! A single up result breaks a run of failures (the next failure starts counting from one), and
//! a single failure breaks a run of successes. A change is reported once, when it happens.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use crate::State;
use crate::definition::Settings;

/// A change of a service's decided state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub from: State,
    pub to: State,
}

/// The decided state of one monitored service and the recent results it was decided from.
#[derive(Clone, Debug)]
pub struct Decision {
    failures_to_fail: usize,
    successes_to_recover: usize,
    state: State,
    /// The last results, newest at the back, as many as the longer of the two runs.
    recent: VecDeque<State>,
}

impl Decision {
    /// A new monitor's decision: the service is taken as up until results say otherwise.
    pub fn new(settings: &Settings) -> Decision {
        Decision::resume(settings, State::Up)
    }

    /// A decision that starts from a stored state (after a restart or a lease changing hands);
    /// the runs count from zero again.
    pub fn resume(settings: &Settings, state: State) -> Decision {
        // `validate` keeps both at least 1; a zero would mean "change on no evidence".
        let failures_to_fail = settings.failures_to_fail.max(1) as usize;
        let successes_to_recover = settings.successes_to_recover.max(1) as usize;
        Decision {
            failures_to_fail,
            successes_to_recover,
            state,
            recent: VecDeque::with_capacity(failures_to_fail.max(successes_to_recover)),
        }
    }

    /// A decision as stored between two results: its state and the results it remembers
    /// (oldest first), so the next result may be judged by another replica.
    pub fn restore(settings: &Settings, state: State, recent: &[State]) -> Decision {
        let mut decision = Decision::resume(settings, state);
        let keep = decision.failures_to_fail.max(decision.successes_to_recover);
        decision
            .recent
            .extend(recent.iter().skip(recent.len().saturating_sub(keep)));
        decision
    }

    /// The results it remembers, oldest first (what [`Decision::restore`] takes back).
    pub fn recent(&self) -> Vec<State> {
        self.recent.iter().copied().collect()
    }

    /// The decided state.
    pub fn state(&self) -> State {
        self.state
    }

    /// Takes one probe's result; answers the change it causes, if any.
    pub fn observe(&mut self, result: State) -> Option<Change> {
        self.recent.push_back(result);
        while self.recent.len() > self.failures_to_fail.max(self.successes_to_recover) {
            self.recent.pop_front();
        }
        let next = self.next_state();
        if next == self.state {
            return None;
        }
        let change = Change {
            from: self.state,
            to: next,
        };
        self.state = next;
        Some(change)
    }

    fn next_state(&self) -> State {
        if self.state != State::Up
            && self
                .last(self.successes_to_recover)
                .is_some_and(|run| run.iter().all(|&result| result == State::Up))
        {
            return State::Up;
        }
        if let Some(run) = self.last(self.failures_to_fail) {
            let mildest = run.iter().copied().min().unwrap_or(State::Up);
            let worst = run.iter().copied().max().unwrap_or(State::Up);
            if mildest > self.state {
                return mildest;
            }
            if self.state == State::Down && worst == State::Degraded {
                return State::Degraded;
            }
        }
        self.state
    }

    /// The last `count` results, once there are that many.
    fn last(&self, count: usize) -> Option<Vec<State>> {
        (self.recent.len() >= count).then(|| {
            self.recent
                .iter()
                .skip(self.recent.len() - count)
                .copied()
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::{Degraded as Deg, Down, Up};

    fn settings(n: u32, m: u32) -> Settings {
        Settings {
            failures_to_fail: n,
            successes_to_recover: m,
            ..Settings::default()
        }
    }

    /// Feeds `results` in order; answers the changes with the 1-based index of the result that
    /// caused each.
    fn changes(n: u32, m: u32, results: &[State]) -> Vec<(usize, State)> {
        let mut decision = Decision::new(&settings(n, m));
        results
            .iter()
            .enumerate()
            .filter_map(|(i, &result)| decision.observe(result).map(|c| (i + 1, c.to)))
            .collect()
    }

    #[test]
    fn a_restored_decision_goes_on_where_the_stored_one_stopped() {
        let settings = settings(3, 2);
        let mut whole = Decision::new(&settings);
        let mut stored = (whole.state(), whole.recent());
        let mut changes_whole = Vec::new();
        let mut changes_split = Vec::new();
        for result in [Down, Down, Up, Down, Down, Down, Up, Up, Deg] {
            changes_whole.push(whole.observe(result));
            // As if each result were judged by another replica, from what was stored.
            let mut again = Decision::restore(&settings, stored.0, &stored.1);
            changes_split.push(again.observe(result));
            stored = (again.state(), again.recent());
        }
        assert_eq!(changes_whole, changes_split);
        assert_eq!(stored.0, whole.state());
        assert_eq!(stored.1.len(), 3, "it remembers as many as the longer run");
    }

    #[test]
    fn down_only_after_n_consecutive_downs_and_reported_once() {
        assert_eq!(changes(3, 2, &[Down, Down]), []);
        assert_eq!(changes(3, 2, &[Down, Down, Down]), [(3, Down)]);
        assert_eq!(
            changes(3, 2, &[Down, Down, Down, Down, Down, Down]),
            [(3, Down)]
        );
    }

    #[test]
    fn one_success_in_a_run_of_failures_starts_the_count_again() {
        assert_eq!(changes(3, 2, &[Down, Down, Up, Down, Down]), []);
        assert_eq!(
            changes(3, 2, &[Down, Down, Up, Down, Down, Down]),
            [(6, Down)]
        );
    }

    #[test]
    fn up_again_only_after_m_consecutive_successes() {
        let failing = [Down, Down];
        let mut results = failing.to_vec();
        results.extend([Up, Up]);
        assert_eq!(changes(2, 3, &results), [(2, Down)]);
        results.push(Up);
        assert_eq!(changes(2, 3, &results), [(2, Down), (5, Up)]);
        // One failure during recovery starts the count of successes again.
        assert_eq!(
            changes(2, 3, &[Down, Down, Up, Up, Down, Up, Up, Up]),
            [(2, Down), (8, Up)]
        );
    }

    #[test]
    fn alternating_results_never_change_the_state() {
        let flapping: Vec<State> = (0..40)
            .map(|i| if i % 2 == 0 { Up } else { Down })
            .collect();
        assert_eq!(changes(2, 2, &flapping), []);
        let mut decision = Decision::resume(&settings(2, 2), Down);
        for &result in &flapping {
            assert_eq!(decision.observe(result), None);
        }
        assert_eq!(decision.state(), Down);
    }

    #[test]
    fn n_and_m_of_one_follow_every_result() {
        assert_eq!(
            changes(1, 1, &[Down, Up, Deg, Deg, Down, Up]),
            [(1, Down), (2, Up), (3, Deg), (5, Down), (6, Up)]
        );
    }

    #[test]
    fn slow_answers_make_a_service_degraded_not_down() {
        assert_eq!(changes(2, 2, &[Deg, Deg, Deg]), [(2, Deg)]);
        assert_eq!(changes(2, 2, &[Deg, Deg, Up, Up]), [(2, Deg), (4, Up)]);
    }

    #[test]
    fn a_mix_of_degraded_and_down_is_degraded_and_down_needs_n_downs_in_a_row() {
        let mixed: Vec<State> = (0..20)
            .map(|i| if i % 2 == 0 { Deg } else { Down })
            .collect();
        assert_eq!(changes(2, 2, &mixed), [(2, Deg)]);
        assert_eq!(
            changes(2, 2, &[Down, Deg, Down, Down]),
            [(2, Deg), (4, Down)]
        );
        assert_eq!(
            changes(3, 2, &[Deg, Deg, Deg, Down, Down, Down]),
            [(3, Deg), (6, Down)]
        );
    }

    #[test]
    fn a_down_service_answering_slowly_again_becomes_degraded_after_n_results() {
        assert_eq!(changes(2, 2, &[Down, Down, Deg]), [(2, Down)]);
        assert_eq!(
            changes(2, 2, &[Down, Down, Deg, Deg]),
            [(2, Down), (4, Deg)]
        );
        // One slow answer among downs is not enough.
        assert_eq!(
            changes(2, 2, &[Down, Down, Deg, Down, Deg, Down]),
            [(2, Down)]
        );
        // Up and degraded answers without any down: degraded, until M ups.
        assert_eq!(
            changes(2, 2, &[Down, Down, Up, Deg, Up, Up]),
            [(2, Down), (4, Deg), (6, Up)]
        );
    }

    #[test]
    fn a_resumed_decision_starts_from_the_stored_state() {
        let mut decision = Decision::resume(&settings(3, 2), Down);
        assert_eq!(decision.state(), Down);
        assert_eq!(decision.observe(Up), None);
        assert_eq!(decision.observe(Up), Some(Change { from: Down, to: Up }));
    }

    /// Every sequence of up to 8 results, for every N and M from 1 to 3: each reported change
    /// is a real change and is justified by the run just before it, and no run that justifies
    /// a change goes unreported.
    #[test]
    fn every_change_is_justified_by_the_run_before_it() {
        const ALL: [State; 3] = [Up, Deg, Down];
        for n in 1..=3 {
            for m in 1..=3 {
                for length in 1..=8u32 {
                    for code in 0..3usize.pow(length) {
                        let results: Vec<State> =
                            (0..length).map(|i| ALL[code / 3usize.pow(i) % 3]).collect();
                        check_sequence(n, m, &results);
                    }
                }
            }
        }
    }

    fn check_sequence(n: usize, m: usize, results: &[State]) {
        let mut decision = Decision::new(&settings(n as u32, m as u32));
        let mut state = Up;
        for (i, &result) in results.iter().enumerate() {
            let seen = &results[..=i];
            let last = |k: usize| (seen.len() >= k).then(|| &seen[seen.len() - k..]);
            let change = decision.observe(result);
            let context = format!("N={n} M={m} {results:?} at {}", i + 1);
            match change {
                Some(Change { from, to }) => {
                    assert_eq!(from, state, "{context}");
                    assert_ne!(from, to, "{context}");
                    let justified = match to {
                        Up => last(m).is_some_and(|run| run.iter().all(|&r| r == Up)),
                        Down => last(n).is_some_and(|run| run.iter().all(|&r| r == Down)),
                        Deg => last(n).is_some_and(|run| {
                            if from == Up {
                                run.iter().all(|&r| r != Up)
                            } else {
                                !run.contains(&Down) && run.contains(&Deg)
                            }
                        }),
                    };
                    assert!(justified, "unjustified change to {to:?}: {context}");
                    state = to;
                }
                None => {
                    let up_due =
                        state != Up && last(m).is_some_and(|run| run.iter().all(|&r| r == Up));
                    let down_due =
                        state != Down && last(n).is_some_and(|run| run.iter().all(|&r| r == Down));
                    assert!(!up_due && !down_due, "missed change: {context}");
                }
            }
            assert_eq!(decision.state(), state, "{context}");
        }
    }
}
