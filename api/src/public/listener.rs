//! On PostgreSQL: one dedicated connection `LISTEN`s for the events every replica announces at
//! commit. For each, this replica drops its cached answers about the org and, when the org has
//! subscribers here, reads the new events and hands them to the hub. The connection is made
//! again when it drops; on reconnect everything cached is dropped and subscribed orgs catch up.

use crate::public::cache::PublicCache;
use crate::public::hub::Hub;
use std::sync::Arc;
use std::time::Duration;
use upstate_shared::OrgId;
use upstate_store::{Db, events, listen::Listener};

/// How often the listener looks for announcements.
const POLL: Duration = Duration::from_millis(50);

/// Runs on its own thread for the life of the process.
pub fn spawn(url: String, db: Db, hub: Arc<Hub>, cache: Arc<PublicCache>) {
    std::thread::Builder::new()
        .name("upstate-listen".into())
        .spawn(move || {
            let mut backoff = Duration::from_millis(500);
            loop {
                match Listener::connect(&url) {
                    Ok(mut listener) => {
                        backoff = Duration::from_millis(500);
                        // Whatever happened while not listening: forget it and catch up.
                        cache.clear();
                        for org in hub.orgs() {
                            catch_up(&db, &hub, &org);
                        }
                        loop {
                            match listener.poll() {
                                Ok(announced) => {
                                    for (org, _seq) in announced {
                                        cache.invalidate(&org);
                                        catch_up(&db, &hub, &org);
                                    }
                                }
                                Err(err) => {
                                    tracing::warn!(%err, "the event listener lost its connection");
                                    break;
                                }
                            }
                            std::thread::sleep(POLL);
                        }
                    }
                    Err(err) => tracing::warn!(%err, "the event listener cannot connect; retrying"),
                }
                std::thread::sleep(backoff);
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        })
        .expect("spawning a thread at start-up");
}

/// Sends the org's events the hub has not sent yet (when it has subscribers here).
fn catch_up(db: &Db, hub: &Hub, org: &OrgId) {
    let Some(last) = hub.last_seq(org) else {
        return;
    };
    match db.read(|conn| events::after(conn, org, last as i64, 500)) {
        Ok(new) => hub.publish(org, &new),
        Err(err) => tracing::warn!(%err, org = %org, "reading announced events failed"),
    }
}
