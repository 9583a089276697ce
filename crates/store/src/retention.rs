//! Keeping the tables that grow with time bounded: what is only needed for a while is deleted
//! once that while is over. Run by the server now and then (every replica; deleting twice is
//! harmless). The history a status page shows (incidents, status changes, maintenance) and the
//! audit log are kept.

use crate::db::DbConnection;
use crate::error::StoreResult;
use crate::schema::{
    events, invitations, link_tokens, monitor_hours, monitor_results, outbox, refresh_tokens,
};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long each kind of record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Realtime events: only clients catching up read them; one that fell further behind
    /// resyncs from the summary.
    pub events: Duration,
    /// Delivered outbox messages.
    pub delivered: Duration,
    /// Sessions, reset and verification links and invitations, after they expired.
    pub expired: Duration,
    /// Each monitor check's own result (the 24-hour chart and the results list read them).
    pub monitor_results: Duration,
    /// Monitor results summed per hour (the 7- and 30-day charts, uptime).
    pub monitor_hours: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            events: Duration::days(7),
            delivered: Duration::days(7),
            expired: Duration::days(30),
            monitor_results: Duration::hours(48),
            monitor_hours: Duration::days(400),
        }
    }
}

/// How many rows each kind lost.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub events: usize,
    pub outbox: usize,
    pub refresh_tokens: usize,
    /// Password-reset and address-confirmation links.
    pub link_tokens: usize,
    pub invitations: usize,
    pub monitor_results: usize,
    pub monitor_hours: usize,
}

impl Pruned {
    pub fn total(&self) -> usize {
        self.events
            + self.outbox
            + self.refresh_tokens
            + self.link_tokens
            + self.invitations
            + self.monitor_results
            + self.monitor_hours
    }
}

/// Deletes what `policy` no longer keeps at `now`.
pub fn prune(conn: &mut DbConnection, now: NaiveDateTime, policy: Policy) -> StoreResult<Pruned> {
    let expired = now - policy.expired;
    Ok(Pruned {
        events: diesel::delete(events::table.filter(events::created_at.lt(now - policy.events)))
            .execute(conn)?,
        outbox: diesel::delete(
            outbox::table.filter(outbox::delivered_at.lt(now - policy.delivered)),
        )
        .execute(conn)?,
        refresh_tokens: diesel::delete(
            refresh_tokens::table.filter(refresh_tokens::expires_at.lt(expired)),
        )
        .execute(conn)?,
        link_tokens: diesel::delete(link_tokens::table.filter(link_tokens::expires_at.lt(expired)))
            .execute(conn)?,
        invitations: diesel::delete(invitations::table.filter(invitations::expires_at.lt(expired)))
            .execute(conn)?,
        monitor_results: diesel::delete(
            monitor_results::table
                .filter(monitor_results::checked_at.lt(now - policy.monitor_results)),
        )
        .execute(conn)?,
        monitor_hours: diesel::delete(
            monitor_hours::table.filter(monitor_hours::hour.lt(now - policy.monitor_hours)),
        )
        .execute(conn)?,
    })
}
