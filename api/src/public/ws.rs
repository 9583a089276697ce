//! One WebSocket client: the `hello` frame with the current `seq`, then each event of its org
//! in `seq` order. Pings every 30 s and drops a client that stops answering; a client that falls
//! behind, or sends anything (this channel takes no messages) or an oversize frame, is closed
//! with a close code. Nothing it does touches the other clients.

use crate::public::hub::Frame;
use actix_ws::{CloseCode, CloseReason, Message, MessageStream, ProtocolError, Session};
use std::time::{Duration, Instant};
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::RecvError;
use upstate_shared::ServerFrame;

/// How often the server pings.
pub const PING_EVERY: Duration = Duration::from_secs(30);
/// Largest frame a client may send.
const MAX_FRAME: usize = 4 * 1024;

fn reason(code: CloseCode, text: &str) -> Option<CloseReason> {
    Some(CloseReason {
        code,
        description: Some(text.to_owned()),
    })
}

/// Serves the client until either side ends it.
pub async fn serve(
    mut session: Session,
    stream: MessageStream,
    mut events: Receiver<Frame>,
    hello_seq: u64,
) {
    let mut stream = stream.max_frame_size(MAX_FRAME);
    let hello = serde_json::to_string(&ServerFrame::hello(hello_seq)).unwrap_or_default();
    if session.text(hello).await.is_err() {
        return;
    }
    let mut heartbeat =
        tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    let mut last_heard = Instant::now();
    let close = loop {
        tokio::select! {
            message = stream.recv() => match message {
                Some(Ok(Message::Ping(bytes))) => {
                    last_heard = Instant::now();
                    if session.pong(&bytes).await.is_err() {
                        break None;
                    }
                }
                Some(Ok(Message::Pong(_))) => last_heard = Instant::now(),
                Some(Ok(Message::Close(reason))) => break reason,
                Some(Ok(Message::Text(_) | Message::Binary(_))) => {
                    break reason(CloseCode::Unsupported, "this channel takes no messages");
                }
                Some(Ok(_)) => {}
                Some(Err(ProtocolError::Overflow)) => break reason(CloseCode::Size, "frame too large"),
                Some(Err(_)) => break reason(CloseCode::Protocol, "not a valid WebSocket frame"),
                None => break None,
            },
            frame = events.recv() => match frame {
                Ok((seq, text)) => {
                    if seq > hello_seq && session.text(text).await.is_err() {
                        break None;
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    break reason(CloseCode::Again, "too far behind; reconnect and resync");
                }
                Err(RecvError::Closed) => break reason(CloseCode::Restart, "the channel closed"),
            },
            _ = heartbeat.tick() => {
                if last_heard.elapsed() > PING_EVERY * 2 {
                    break reason(CloseCode::Policy, "no answer to pings");
                }
                if session.ping(b"").await.is_err() {
                    break None;
                }
            }
        }
    };
    let _ = session.close(close).await;
}
