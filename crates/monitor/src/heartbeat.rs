//! Heartbeat monitors: a cron job or a backup script calls a secret URL each time it runs;
//! silence longer than its period plus a grace time means it did not run.

use chrono::{DateTime, TimeDelta, Utc};

use crate::State;

/// Whether a heartbeat monitor is up at `now`: down once the silence since the last ping (or,
/// before the first ping, since the monitor was created) is longer than `period + grace`. A
/// new monitor thus gets one full period and its grace to hear from its job before it is down.
///
/// The result is already patient (the grace is its anti-flap margin); a runner may still feed it
/// to a [`Decision`](crate::Decision) with N = M = 1.
pub fn heartbeat_state(
    last_ping: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
    period: TimeDelta,
    grace: TimeDelta,
) -> State {
    // A ping recorded before the monitor's creation cannot happen; if clocks say so, the
    // later of the two counts.
    let since = last_ping.map_or(created_at, |ping| ping.max(created_at));
    let allowed = period.checked_add(&grace).unwrap_or(TimeDelta::MAX);
    if now.signed_duration_since(since) > allowed {
        State::Down
    } else {
        State::Up
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::minutes(minutes)
    }

    const HOURLY: TimeDelta = TimeDelta::hours(1);
    const FIVE_MINUTES: TimeDelta = TimeDelta::minutes(5);

    #[test]
    fn a_ping_within_the_period_and_grace_keeps_it_up() {
        let created = at(0);
        assert_eq!(
            heartbeat_state(Some(at(100)), created, at(130), HOURLY, FIVE_MINUTES),
            State::Up
        );
        // Exactly at the end of the grace: not yet longer than allowed.
        assert_eq!(
            heartbeat_state(Some(at(100)), created, at(165), HOURLY, FIVE_MINUTES),
            State::Up
        );
    }

    #[test]
    fn silence_longer_than_period_plus_grace_is_down() {
        let created = at(0);
        assert_eq!(
            heartbeat_state(Some(at(100)), created, at(166), HOURLY, FIVE_MINUTES),
            State::Down
        );
        // A ping after the silence brings it back up.
        assert_eq!(
            heartbeat_state(Some(at(170)), created, at(171), HOURLY, FIVE_MINUTES),
            State::Up
        );
    }

    #[test]
    fn a_monitor_never_pinged_is_down_only_after_period_plus_grace_since_its_creation() {
        let created = at(0);
        assert_eq!(
            heartbeat_state(None, created, at(1), HOURLY, FIVE_MINUTES),
            State::Up
        );
        assert_eq!(
            heartbeat_state(None, created, at(65), HOURLY, FIVE_MINUTES),
            State::Up
        );
        assert_eq!(
            heartbeat_state(None, created, at(66), HOURLY, FIVE_MINUTES),
            State::Down
        );
    }

    #[test]
    fn a_ping_dated_before_creation_counts_from_creation() {
        assert_eq!(
            heartbeat_state(Some(at(-600)), at(0), at(30), HOURLY, FIVE_MINUTES),
            State::Up
        );
        assert_eq!(
            heartbeat_state(Some(at(-600)), at(0), at(70), HOURLY, FIVE_MINUTES),
            State::Down
        );
    }

    #[test]
    fn a_ping_from_a_clock_ahead_of_ours_is_up() {
        assert_eq!(
            heartbeat_state(Some(at(10)), at(0), at(5), HOURLY, TimeDelta::zero()),
            State::Up
        );
    }
}
