//! WebSocket fan-out: N visitors subscribed to the public page's live events, one status
//! change, and the time until every one of them has the event. The server's memory is read
//! before and after they connect.

use crate::stats::Spread;
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Barrier, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Connections opened at once while connecting.
const CONNECTING_AT_ONCE: usize = 200;
/// Every wait of the fan-out ends within this.
const PATIENCE: Duration = Duration::from_secs(60);

pub struct Fanout {
    pub subscribers: usize,
    pub received: usize,
    pub connect_secs: f64,
    pub rss_before_mib: f64,
    pub rss_after_mib: f64,
    pub delivery: Spread,
}

/// Connects `n` subscribers to `ws_url`, then makes one change with `trigger` and times the
/// event's arrival at each.
pub async fn run<F, Fut>(n: usize, ws_url: &str, rss: impl Fn() -> f64, trigger: F) -> Fanout
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let rss_before_mib = rss();
    let connected = Arc::new(Barrier::new(n + 1));
    let (go_tx, go_rx) = watch::channel(None::<Instant>);
    let gate = Arc::new(tokio::sync::Semaphore::new(CONNECTING_AT_ONCE));
    let connect_started = Instant::now();
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        let (url, connected, gate, mut go_rx) = (
            ws_url.to_owned(),
            connected.clone(),
            gate.clone(),
            go_rx.clone(),
        );
        clients.push(tokio::spawn(async move {
            let config = WebSocketConfig::default()
                .read_buffer_size(4096)
                .write_buffer_size(0);
            let permit = gate.acquire_owned().await.expect("the gate");
            let (mut socket, _) =
                tokio_tungstenite::connect_async_with_config(&url, Some(config), false)
                    .await
                    .expect("a WebSocket connection");
            // The first frame is `hello`: subscribed.
            let hello = tokio::time::timeout(PATIENCE, socket.next())
                .await
                .expect("hello in time");
            assert!(
                matches!(hello, Some(Ok(Message::Text(ref t))) if t.contains("\"hello\"")),
                "the first frame is hello: {hello:?}"
            );
            drop(permit);
            connected.wait().await;
            let sent = loop {
                if let Some(at) = *go_rx.borrow_and_update() {
                    break at;
                }
                if go_rx.changed().await.is_err() {
                    return None;
                }
            };
            let arrival = tokio::time::timeout(PATIENCE, async {
                while let Some(frame) = socket.next().await {
                    if let Ok(Message::Text(text)) = frame
                        && !text.contains("\"hello\"")
                    {
                        return Some(sent.elapsed());
                    }
                }
                None
            })
            .await
            .ok()
            .flatten();
            let _ = socket.close(None).await;
            arrival
        }));
    }
    tokio::time::timeout(PATIENCE, connected.wait())
        .await
        .expect("every subscriber connected in time");
    let connect_secs = connect_started.elapsed().as_secs_f64();
    // Let the server settle before reading its memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after_mib = rss();
    go_tx.send_replace(Some(Instant::now()));
    trigger().await;
    let mut arrivals = Vec::with_capacity(n);
    for client in clients {
        if let Some(at) = client.await.expect("a subscriber") {
            arrivals.push(at);
        }
    }
    Fanout {
        subscribers: n,
        received: arrivals.len(),
        connect_secs,
        rss_before_mib,
        rss_after_mib,
        delivery: Spread::of(&arrivals).expect("some subscriber got the event"),
    }
}
