//! The hub: one broadcast channel per org that has subscribers (per audience: the public page's
//! or the members'), created on the first subscriber and dropped with the last. Each event is
//! framed once per audience; a client that falls behind the channel's bounded buffer is
//! disconnected (it resyncs on reconnect), so it never slows the others or grows memory.

use bytestring::ByteString;
use std::collections::HashMap;
use std::sync::Mutex;
use tokio::sync::broadcast;
use upstate_shared::OrgId;
use upstate_store::events::Event;

/// Frames kept for a slow client before it is dropped.
pub const BUFFER: usize = 256;

/// Which form of the events a subscriber gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Public,
    Members,
}

/// A framed event: its `seq` and the text to send.
pub type Frame = (u64, ByteString);

struct Channel {
    public: broadcast::Sender<Frame>,
    members: broadcast::Sender<Frame>,
    /// The last `seq` sent, or known from the database; older events (heard twice: locally and
    /// by NOTIFY) are skipped. `None` until the first subscriber has read it.
    last_seq: Option<u64>,
}

#[derive(Default)]
pub struct Hub {
    channels: Mutex<HashMap<OrgId, Channel>>,
}

impl Hub {
    /// Subscribes to the org's events in one form, with the last `seq` the channel sent: the
    /// `hello` of a new client, read from memory. `None` for an org nobody followed yet (or
    /// whose first subscriber is still reading it): then the caller reads the current seq from
    /// the database *after* subscribing, so no event falls between the two, and hands it to
    /// [`Hub::observe`].
    pub fn subscribe(
        &self,
        org: &OrgId,
        audience: Audience,
    ) -> (broadcast::Receiver<Frame>, Option<u64>) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let channel = channels.entry(org.clone()).or_insert_with(|| Channel {
            public: broadcast::channel(BUFFER).0,
            members: broadcast::channel(BUFFER).0,
            last_seq: None,
        });
        let receiver = match audience {
            Audience::Public => channel.public.subscribe(),
            Audience::Members => channel.members.subscribe(),
        };
        (receiver, channel.last_seq)
    }

    /// Ends every public live connection of the org (its page became private, or its rule
    /// changed): their channel closes, and each client reconnects through the gate of
    /// `crate::public::access`, which lets in only those still allowed.
    pub fn close_public(&self, org: &OrgId) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = channels.get_mut(org) {
            channel.public = broadcast::channel(BUFFER).0;
        }
    }

    /// Records the org's current seq as read from the database (it only moves forward).
    pub fn observe(&self, org: &OrgId, seq: u64) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(channel) = channels.get_mut(org) {
            channel.last_seq = Some(channel.last_seq.map_or(seq, |last| last.max(seq)));
        }
    }

    /// The last seq sent for the org, when it has subscribers and it is known.
    pub fn last_seq(&self, org: &OrgId) -> Option<u64> {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.get(org).and_then(|c| c.last_seq)
    }

    /// Whether the org has a channel here.
    pub fn follows(&self, org: &OrgId) -> bool {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.contains_key(org)
    }

    /// The orgs that have subscribers.
    pub fn orgs(&self) -> Vec<OrgId> {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.keys().cloned().collect()
    }

    /// Sends committed events of `org` (in seq order) to its subscribers.
    pub fn publish(&self, org: &OrgId, events: &[Event]) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let Some(channel) = channels.get_mut(org) else {
            return;
        };
        for event in events {
            let seq = event.seq.max(0) as u64;
            if channel.last_seq.is_some_and(|last| seq <= last) {
                continue;
            }
            channel.last_seq = Some(seq);
            if channel.public.receiver_count() > 0 {
                let _ = channel.public.send((seq, frame(event, &event.payload)));
            }
            if channel.members.receiver_count() > 0 {
                let data = event.member_payload.as_deref().unwrap_or(&event.payload);
                let _ = channel.members.send((seq, frame(event, data)));
            }
        }
        if channel.public.receiver_count() == 0 && channel.members.receiver_count() == 0 {
            channels.remove(org);
        }
    }

    /// Drops the channels nobody listens to any more.
    pub fn sweep(&self) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.retain(|_, c| c.public.receiver_count() > 0 || c.members.receiver_count() > 0);
    }

    /// Subscribers now: of public pages, and of team dashboards (for metrics). A subscriber
    /// leaves when its socket ends and drops its receiver.
    pub fn subscribers(&self) -> (usize, usize) {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.values().fold((0, 0), |(public, team), c| {
            (
                public + c.public.receiver_count(),
                team + c.members.receiver_count(),
            )
        })
    }

    /// How many channels are open (for tests and metrics).
    pub fn channel_count(&self) -> usize {
        self.channels
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len()
    }
}

/// `{"type": ..., "seq": ..., "at": ..., "data": ...}` around an already-serialized payload.
fn frame(event: &Event, data: &str) -> ByteString {
    let at = event
        .created_at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    ByteString::from(format!(
        r#"{{"type":"{}","seq":{},"at":"{}","data":{}}}"#,
        event.event_type.as_str(),
        event.seq,
        at,
        data
    ))
}
