//! How many WebSockets are open, in total and per client address: each connection takes a slot
//! at the upgrade and gives it back when it ends. Beyond either cap the upgrade is refused
//! with 503 and `Retry-After`, so one address cannot hold the server's sockets and memory.
//! An address with no open socket leaves nothing behind.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The caps (settings `UPSTATE_WS_MAX_CONNECTIONS` and `UPSTATE_WS_MAX_PER_ADDRESS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    pub total: usize,
    pub per_address: usize,
}

#[derive(Default)]
struct Counts {
    total: usize,
    by_address: HashMap<String, usize>,
}

/// The open sockets.
#[derive(Default)]
pub struct Sockets {
    counts: Arc<Mutex<Counts>>,
}

/// Open files the server keeps for everything but WebSockets: the listener, the database pool,
/// outgoing mail, the SQLite files, and room for HTTP requests.
pub const FILES_FOR_THE_REST: u64 = 2048;

/// Raises the process's open-files limit as far as the system allows (the soft limit to the
/// hard one: systemd's 1024 soft limit would otherwise stop the server near 1,000 sockets),
/// and the total cap it can keep: at most the limit less [`FILES_FOR_THE_REST`]. A socket past
/// the limit would make `accept` fail for every client, HTTP ones too; a refused upgrade
/// answers one client 503.
pub fn fit_to_open_files(total: usize) -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(err) => {
            tracing::warn!(%err, "could not read the open-files limit; WebSocket cap unchanged");
            return total;
        }
    };
    let fitted = within_open_files(total, files);
    if fitted < total {
        tracing::warn!(
            open_files = files,
            configured = total,
            cap = fitted,
            "the open-files limit lowers UPSTATE_WS_MAX_CONNECTIONS; raise LimitNOFILE (ulimit -n)"
        );
    }
    fitted
}

/// `total`, lowered to what `files` open files leave for WebSockets.
fn within_open_files(total: usize, files: u64) -> usize {
    let room = usize::try_from(files.saturating_sub(FILES_FOR_THE_REST)).unwrap_or(usize::MAX);
    total.min(room)
}

/// Which cap refused a new socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Server,
    Address,
}

impl Sockets {
    /// A slot for a new socket from `address` (its rate-limit key: an IPv6 address by /64).
    pub fn take(&self, address: &str, caps: Caps) -> Result<Slot, Full> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.total >= caps.total {
            return Err(Full::Server);
        }
        let mine = counts.by_address.get(address).copied().unwrap_or(0);
        if mine >= caps.per_address {
            return Err(Full::Address);
        }
        counts.total += 1;
        counts.by_address.insert(address.to_owned(), mine + 1);
        Ok(Slot {
            counts: self.counts.clone(),
            address: address.to_owned(),
        })
    }

    /// Open sockets in total, and how many addresses hold one.
    pub fn open(&self) -> (usize, usize) {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        (counts.total, counts.by_address.len())
    }
}

/// One open socket's place; given back when dropped.
pub struct Slot {
    counts: Arc<Mutex<Counts>>,
    address: String,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts.total = counts.total.saturating_sub(1);
        if let Some(mine) = counts.by_address.get_mut(&self.address) {
            *mine -= 1;
            if *mine == 0 {
                counts.by_address.remove(&self.address);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAPS: Caps = Caps {
        total: 3,
        per_address: 2,
    };

    #[test]
    fn each_address_gets_its_share_and_the_server_its_total() {
        let sockets = Sockets::default();
        let a1 = sockets.take("192.0.2.1", CAPS).unwrap();
        let _a2 = sockets.take("192.0.2.1", CAPS).unwrap();
        assert_eq!(sockets.take("192.0.2.1", CAPS).err(), Some(Full::Address));
        let _b1 = sockets.take("192.0.2.2", CAPS).unwrap();
        assert_eq!(sockets.take("192.0.2.3", CAPS).err(), Some(Full::Server));
        drop(a1);
        assert!(sockets.take("192.0.2.1", CAPS).is_ok(), "a slot given back");
    }

    #[test]
    fn the_cap_leaves_open_files_for_the_rest_of_the_server() {
        assert_eq!(within_open_files(60_000, 1_048_576), 60_000);
        assert_eq!(within_open_files(60_000, 20_000), 20_000 - 2048);
        assert_eq!(
            within_open_files(60_000, 1024),
            0,
            "no sockets before the rest"
        );
    }

    #[test]
    fn the_open_files_limit_is_raised_to_what_the_cap_needs() {
        // From a low soft limit (systemd's 1024), the soft limit goes up to the hard one. This
        // test has its own process (nextest), so lowering its limit touches nothing else.
        let (_, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
        rlimit::setrlimit(rlimit::Resource::NOFILE, 1024.min(hard), hard).unwrap();
        let fitted = fit_to_open_files(60_000);
        let (soft, hard) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap();
        assert_eq!(soft, hard, "the soft limit is raised to the hard one");
        assert_eq!(fitted, within_open_files(60_000, soft));
    }

    #[test]
    fn an_address_with_no_socket_leaves_nothing_behind() {
        let sockets = Sockets::default();
        let slots: Vec<Slot> = (0..100)
            .map(|n| {
                sockets.take(
                    &format!("198.51.100.{n}"),
                    Caps {
                        total: 1000,
                        per_address: 1,
                    },
                )
            })
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(sockets.open(), (100, 100));
        drop(slots);
        assert_eq!(sockets.open(), (0, 0));
    }
}
