//! On PostgreSQL: one dedicated connection `LISTEN`s for the events every replica announces at
//! commit. For each, this replica drops its cached answers about the org and, when the org has
//! subscribers here, reads the new events and hands them to the hub. The connection is made
//! again when it drops; on reconnect everything cached is dropped and subscribed orgs catch up.
//! An announcement that the orgs' slugs or custom domains changed reloads the directory of status pages, and so
//! does every reconnection (a page created elsewhere while this replica was not listening is
//! missed until then: the price of answering unknown pages without the database).

use crate::public::cache::PublicCache;
use crate::public::directory::Directory;
use crate::public::hub::Hub;
use std::sync::Arc;
use std::time::Duration;
use upstate_shared::OrgId;
use upstate_store::{Db, events, listen::Listener, organizations};

/// How often the listener looks for announcements.
const POLL: Duration = Duration::from_millis(50);
/// The longest wait between attempts to connect again: this replica's sockets and cached
/// answers hear nothing of the others until then, so it stays short (an attempt is one
/// refused connection). It was 30 s: a replica caught up half a minute after the database
/// came back (e2e/tests/outage.rs).
const MOST_BACKOFF: Duration = Duration::from_secs(2);

/// Runs on its own thread for the life of the process.
pub fn spawn(
    url: String,
    db: Db,
    hub: Arc<Hub>,
    cache: Arc<PublicCache>,
    directory: Arc<Directory>,
) {
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
                        reload(&db, &directory);
                        for org in hub.orgs() {
                            catch_up(&db, &hub, &org, None);
                        }
                        loop {
                            match listener.poll() {
                                Ok(announced) => {
                                    if announced.addresses_changed {
                                        reload(&db, &directory);
                                        // A page that became private or public again is
                                        // drawn anew (its `noindex`).
                                        cache.clear();
                                    }
                                    for (org, seq) in announced.events {
                                        cache.invalidate(&org);
                                        catch_up(&db, &hub, &org, Some(seq));
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
                backoff = (backoff * 2).min(MOST_BACKOFF);
            }
        })
        .expect("spawning a thread at start-up");
}

/// Loads every org's slug and custom domain, and the rules of the private pages, into the
/// directory (which keeps what it had when the read fails).
pub fn reload(db: &Db, directory: &Directory) {
    // The rules first: the directory is trusted once the addresses are in.
    match db.read(upstate_store::page_access::all_private) {
        Ok(rules) => directory.load_rules(rules),
        Err(err) => tracing::warn!(%err, "reading the private pages' rules failed"),
    }
    match db.read(organizations::all_addresses) {
        Ok(addresses) => directory.load(addresses),
        Err(err) => tracing::warn!(%err, "reading the orgs' addresses failed"),
    }
}

/// Sends the org's events the hub has not sent yet (when it has subscribers here). A channel
/// whose first subscriber is still reading its seq gets the announced event and what follows.
fn catch_up(db: &Db, hub: &Hub, org: &OrgId, announced: Option<i64>) {
    if !hub.follows(org) {
        return;
    }
    let after = match (hub.last_seq(org), announced) {
        (Some(last), _) => last as i64,
        (None, Some(seq)) => seq - 1,
        (None, None) => return,
    };
    match db.read(|conn| events::after(conn, org, after, 500)) {
        Ok(new) => hub.publish(org, &new),
        Err(err) => tracing::warn!(%err, org = %org, "reading announced events failed"),
    }
}
