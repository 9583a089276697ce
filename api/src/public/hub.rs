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
    /// The last `seq` sent; older events (heard twice: locally and by NOTIFY) are skipped.
    last_seq: u64,
}

#[derive(Default)]
pub struct Hub {
    channels: Mutex<HashMap<OrgId, Channel>>,
}

impl Hub {
    /// Subscribes to the org's events in one form. `seq` is the org's current seq as the caller
    /// knows it, so the channel does not replay older events.
    pub fn subscribe(
        &self,
        org: &OrgId,
        audience: Audience,
        seq: u64,
    ) -> broadcast::Receiver<Frame> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let channel = channels.entry(org.clone()).or_insert_with(|| Channel {
            public: broadcast::channel(BUFFER).0,
            members: broadcast::channel(BUFFER).0,
            last_seq: seq,
        });
        match audience {
            Audience::Public => channel.public.subscribe(),
            Audience::Members => channel.members.subscribe(),
        }
    }

    /// The last seq sent for the org, when it has subscribers.
    pub fn last_seq(&self, org: &OrgId) -> Option<u64> {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        channels.get(org).map(|c| c.last_seq)
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
            if seq <= channel.last_seq {
                continue;
            }
            channel.last_seq = seq;
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
