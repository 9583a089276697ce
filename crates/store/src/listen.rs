//! Across replicas on PostgreSQL: every committed event is announced with `NOTIFY` (see
//! [`crate::events::append`]); each replica listens on one dedicated connection and learns which
//! org has new events up to which `seq`.

use crate::db::Target;
use crate::error::{StoreError, StoreResult};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use upstate_shared::OrgId;

/// The channel events are announced on.
pub const CHANNEL: &str = "upstate_events";
/// The channel on which a change of the orgs' addresses (a creation, rename or deletion, a
/// custom domain set or cleared) is announced.
pub const ORGS_CHANNEL: &str = "upstate_orgs";

/// What was announced since the last poll.
#[derive(Debug, Default)]
pub struct Announcements {
    /// New events: `(org, seq)`.
    pub events: Vec<(OrgId, i64)>,
    /// Whether the orgs' slugs or custom domains changed.
    pub addresses_changed: bool,
}

/// A dedicated connection that `LISTEN`s for events.
pub struct Listener {
    conn: PgConnection,
}

impl Listener {
    /// Connects to the PostgreSQL database of `url` and starts listening.
    pub fn connect(url: &str) -> StoreResult<Listener> {
        let Target::Postgres(url) = Target::parse(url)? else {
            return Err(StoreError::Config(
                "only PostgreSQL announces events across replicas".into(),
            ));
        };
        let mut conn = crate::db::connect_postgres(&url).map_err(|err| {
            StoreError::Unavailable(format!("the event listener cannot connect: {err}"))
        })?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {ORGS_CHANNEL};"))?;
        Ok(Listener { conn })
    }

    /// The announcements received since the last call, without waiting.
    /// An error means the connection is lost; connect again.
    pub fn poll(&mut self) -> StoreResult<Announcements> {
        let mut announced = Announcements::default();
        for notification in self.conn.notifications_iter() {
            let notification = notification?;
            if notification.channel == ORGS_CHANNEL {
                announced.addresses_changed = true;
            } else if let Some((org, seq)) = notification.payload.rsplit_once(':')
                && let Ok(seq) = seq.parse::<i64>()
            {
                announced.events.push((OrgId(org.to_owned()), seq));
            }
        }
        Ok(announced)
    }
}
