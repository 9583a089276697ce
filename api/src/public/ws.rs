//! One WebSocket client: the `hello` frame with the current `seq`, then each event of its org
//! in `seq` order. Pings every 30 s and drops a client that stops answering; a client that falls
//! behind, or sends anything (this channel takes no messages) or an oversize frame, is closed
//! with a close code. Nothing it does touches the other clients.
//!
//! What a client sends is read frame by frame: every complete frame in the buffer is handled
//! before the socket is read again, so the buffer never holds more than one partial frame
//! ([`MAX_BUFFERED`] at most, else 1009). Control frames (ping, pong) are limited to
//! [`CONTROL_FRAMES_PER_SECOND`] (else 1008): a flood of them costs the server nothing but the
//! close (docs/security.md).
//!
//! The connection is the 101 answer's body: a stream that writes the frames and reads the
//! client's from the request's payload, with actix-http's WebSocket codec. No task and no
//! channel per client besides it, so 10,000 subscribers cost what their sockets cost
//! (docs/performance.md).

use crate::public::hub::Frame;
use crate::public::sockets::Slot;
use actix_codec::{Decoder, Encoder};
use actix_http::ws::{self, CloseCode, CloseReason, Codec, Message, ProtocolError};
use actix_web::error::PayloadError;
use actix_web::web::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use upstate_shared::ServerFrame;

/// How often the server pings.
pub const PING_EVERY: Duration = Duration::from_secs(30);
/// Largest frame a client may send.
const MAX_FRAME: usize = 4 * 1024;
/// The most a connection holds of what its client sent and the server has not read as frames:
/// one frame of [`MAX_FRAME`] and its header, with room to spare.
pub const MAX_BUFFERED: usize = 2 * MAX_FRAME;
/// Pings and pongs a client may send per second: a browser sends none of its own and answers
/// the server's one ping every 30 s.
pub const CONTROL_FRAMES_PER_SECOND: u32 = 10;

fn reason(code: CloseCode, text: &str) -> Option<CloseReason> {
    Some(CloseReason {
        code,
        description: Some(text.to_owned()),
    })
}

enum Phase {
    Hello,
    Open,
    /// The close frame to send: ours (then wait for the client's), or the echo of the
    /// client's (then the connection is over).
    Closing(Option<CloseReason>),
    Echoing(Option<CloseReason>),
    /// Close sent: reading until the client's close (or its leaving, or a second), so that
    /// unread bytes do not turn the TCP close into a reset that loses our close frame.
    Draining(tokio::time::Instant),
    Done,
}

/// How long a closed connection waits for the client's close frame.
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// How much a closed connection reads while waiting for it: a client still flooding is cut off.
const CLOSE_READ_LIMIT: usize = 64 * 1024;

struct Client<P> {
    /// Given back when the connection ends (the caps on open sockets).
    _slot: Slot,
    /// Resolves when the credential behind the connection ends (members: the access token's
    /// expiry, logout, removal, ...), with the close frame to send; never for visitors.
    ended: Ended,
    payload: P,
    /// What the client sent that is not a whole frame yet.
    received: BytesMut,
    codec: Codec,
    events: Receiver<Frame>,
    hello_seq: u64,
    heartbeat: tokio::time::Interval,
    last_heard: Instant,
    /// Control frames received in the current one-second window, and when it began.
    control_frames: u32,
    control_window: Instant,
    phase: Phase,
}

/// When the credential behind a connection ends: the reason to close with.
pub type Ended = futures_util::future::LocalBoxFuture<'static, CloseReason>;

impl<P> Client<P> {
    fn encode(&mut self, message: Message) -> std::io::Result<Bytes> {
        let mut out = BytesMut::new();
        self.codec
            .encode(message, &mut out)
            .map_err(std::io::Error::other)?;
        Ok(out.freeze())
    }
}

/// The frames of one client, as the body of the handshake's answer: `hello`, then its org's
/// events after `hello_seq`, pings, and the close frame when either side ends it.
pub fn frames<P>(
    payload: P,
    events: Receiver<Frame>,
    hello_seq: u64,
    slot: Slot,
    ended: Option<Ended>,
) -> impl Stream<Item = std::io::Result<Bytes>> + 'static
where
    P: Stream<Item = Result<Bytes, PayloadError>> + Unpin + 'static,
{
    let client = Client {
        _slot: slot,
        ended: ended.unwrap_or_else(|| Box::pin(futures_util::future::pending())),
        payload,
        received: BytesMut::new(),
        codec: Codec::new().max_size(MAX_FRAME),
        events,
        hello_seq,
        heartbeat: tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY),
        last_heard: Instant::now(),
        control_frames: 0,
        control_window: Instant::now(),
        phase: Phase::Hello,
    };
    futures_util::stream::unfold(client, |mut client| async move {
        let message = next_message(&mut client).await?;
        let frame = client.encode(message);
        Some((frame, client))
    })
}

/// The next frame to send, or `None` once the connection is over.
async fn next_message<P>(client: &mut Client<P>) -> Option<Message>
where
    P: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    loop {
        match std::mem::replace(&mut client.phase, Phase::Open) {
            Phase::Done => {
                client.phase = Phase::Done;
                return None;
            }
            Phase::Hello => {
                let hello = serde_json::to_string(&ServerFrame::hello(client.hello_seq))
                    .unwrap_or_default();
                return Some(Message::Text(hello.into()));
            }
            Phase::Closing(close) => {
                client.phase = Phase::Draining(tokio::time::Instant::now() + CLOSE_GRACE);
                return Some(Message::Close(close));
            }
            Phase::Echoing(close) => {
                client.phase = Phase::Done;
                return Some(Message::Close(close));
            }
            Phase::Draining(deadline) => {
                drain(client, deadline).await;
                client.phase = Phase::Done;
                return None;
            }
            Phase::Open => {}
        }
        // Every complete frame the client already sent, before reading more.
        if let Some(reply) = read_frames(client) {
            return Some(reply);
        }
        if !matches!(client.phase, Phase::Open) {
            continue;
        }
        tokio::select! {
            chunk = client.payload.next() => match chunk {
                Some(Ok(bytes)) => client.received.extend_from_slice(&bytes),
                // The client went away: nothing more to send.
                Some(Err(_)) | None => client.phase = Phase::Done,
            },
            event = client.events.recv() => match event {
                Ok((seq, text)) if seq > client.hello_seq => return Some(Message::Text(text)),
                Ok(_) => {}
                Err(RecvError::Lagged(_)) => {
                    client.phase = Phase::Closing(reason(
                        CloseCode::Again,
                        "too far behind; reconnect and resync",
                    ));
                }
                Err(RecvError::Closed) => {
                    client.phase = Phase::Closing(reason(CloseCode::Restart, "the channel closed"));
                }
            },
            close = &mut client.ended => client.phase = Phase::Closing(Some(close)),
            _ = client.heartbeat.tick() => {
                if client.last_heard.elapsed() > PING_EVERY * 2 {
                    client.phase = Phase::Closing(reason(CloseCode::Policy, "no answer to pings"));
                } else {
                    return Some(Message::Ping(Bytes::new()));
                }
            }
        }
    }
}

/// Handles the complete frames in the buffer: the pong to send when one was a ping (the next
/// call goes on with the rest), else `None` with every complete frame handled or the phase
/// moved to closing.
fn read_frames<P>(client: &mut Client<P>) -> Option<Message> {
    loop {
        let frame = match client.codec.decode(&mut client.received) {
            Ok(Some(frame)) => frame,
            Ok(None) => break,
            Err(ProtocolError::Overflow) => {
                client.phase = Phase::Closing(reason(CloseCode::Size, "frame too large"));
                return None;
            }
            Err(_) => {
                client.phase =
                    Phase::Closing(reason(CloseCode::Protocol, "not a valid WebSocket frame"));
                return None;
            }
        };
        match frame {
            ws::Frame::Ping(_) | ws::Frame::Pong(_) if !client.count_control_frame() => {
                client.phase = Phase::Closing(reason(CloseCode::Policy, "too many control frames"));
                return None;
            }
            ws::Frame::Ping(bytes) => {
                client.last_heard = Instant::now();
                return Some(Message::Pong(bytes));
            }
            ws::Frame::Pong(_) => client.last_heard = Instant::now(),
            ws::Frame::Close(close) => {
                client.phase = Phase::Echoing(close);
                return None;
            }
            ws::Frame::Text(_) | ws::Frame::Binary(_) | ws::Frame::Continuation(_) => {
                client.phase = Phase::Closing(reason(
                    CloseCode::Unsupported,
                    "this channel takes no messages",
                ));
                return None;
            }
        }
    }
    // What is left is one partial frame, which the codec bounds; anything more is a defect.
    if client.received.len() > MAX_BUFFERED {
        client.received.clear();
        client.phase = Phase::Closing(reason(CloseCode::Size, "too much unread data"));
    }
    None
}

impl<P> Client<P> {
    /// Counts a control frame; false once the client is over its rate.
    fn count_control_frame(&mut self) -> bool {
        if self.control_window.elapsed() >= Duration::from_secs(1) {
            self.control_window = Instant::now();
            self.control_frames = 0;
        }
        self.control_frames += 1;
        self.control_frames <= CONTROL_FRAMES_PER_SECOND
    }
}

/// After our close frame: discards what the client sends until its close frame arrives, it
/// leaves, `deadline` passes, or it sent [`CLOSE_READ_LIMIT`] bytes more.
async fn drain<P>(client: &mut Client<P>, deadline: tokio::time::Instant)
where
    P: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    let mut read = 0usize;
    loop {
        loop {
            match client.codec.decode(&mut client.received) {
                Ok(Some(ws::Frame::Close(_))) => return,
                Ok(Some(_)) => {}
                Ok(None) => break,
                // What follows a bad frame cannot be read as frames: keep discarding.
                Err(_) => {
                    client.received.clear();
                    break;
                }
            }
        }
        match tokio::time::timeout_at(deadline, client.payload.next()).await {
            Ok(Some(Ok(bytes))) if read + bytes.len() <= CLOSE_READ_LIMIT => {
                read += bytes.len();
                client.received.extend_from_slice(&bytes);
            }
            Ok(Some(_) | None) | Err(_) => return,
        }
    }
}
