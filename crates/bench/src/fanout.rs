//! WebSocket fan-out: N visitors subscribed to the public page's live events (on one server,
//! or spread over replicas), one status change, and the time until every one of them has the
//! event. Each server's memory is read before and after they connect.
//!
//! The visitors live in child processes of this program (`--subscribe`), at most
//! [`PER_PROCESS`] each: a process may hold only so many open files (20,000 on the machine
//! this was written on, with no way to raise it), and the load client must never be what
//! limits the measurement. Each child connects its share, says `ready`, notes the wall-clock
//! time the first event reaches each of its visitors, and prints those times; the parent
//! subtracts the time it sent the change (one clock: the same machine).

use crate::stats::Spread;
use futures_util::StreamExt;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpSocket;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;

/// Visitors per child process.
const PER_PROCESS: usize = 12_500;
/// Connections a child opens at once while connecting.
const CONNECTING_AT_ONCE: usize = 100;
/// Every wait of the fan-out ends within this.
const PATIENCE: Duration = Duration::from_secs(90);
/// Loopback addresses the visitors connect from, in turn: one source address has about
/// 28,000 ports (the kernel's ephemeral range), fewer than the visitors of the largest run.
const SOURCE_ADDRESSES: usize = 8;

pub struct Fanout {
    /// Where the subscribers were: "1 server (SQLite)", "3 replicas (PostgreSQL)".
    pub setup: String,
    pub subscribers: usize,
    pub received: usize,
    pub connect_secs: f64,
    /// Each server's resident memory before the subscribers connected, and after.
    pub rss_before_mib: Vec<f64>,
    pub rss_after_mib: Vec<f64>,
    pub delivery: Spread,
}

impl Fanout {
    /// Memory the subscribers added, over all servers, per subscriber.
    pub fn kib_per_subscriber(&self) -> f64 {
        let added: f64 =
            self.rss_after_mib.iter().sum::<f64>() - self.rss_before_mib.iter().sum::<f64>();
        added * 1024.0 / self.subscribers as f64
    }
}

/// Connects `n` subscribers, spread evenly over `ws_urls` (one per server), then makes one
/// change with `trigger` and times the event's arrival at each. `rss` reads each server's
/// memory, in the order of `ws_urls`.
pub async fn run<F, Fut>(
    setup: String,
    n: usize,
    ws_urls: &[String],
    rss: impl Fn() -> Vec<f64>,
    trigger: F,
) -> Fanout
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let rss_before_mib = rss();
    let connect_started = Instant::now();
    let mut children = Vec::new();
    let mut first = 0;
    while first < n {
        let count = PER_PROCESS.min(n - first);
        children.push(Subscribers::spawn(first, count, ws_urls));
        first += count;
    }
    for child in &mut children {
        tokio::time::timeout(PATIENCE, child.ready())
            .await
            .expect("every subscriber connected in time");
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    // Let the servers settle before reading their memory.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after_mib = rss();
    let sent = SystemTime::now();
    trigger().await;
    let mut arrivals = Vec::with_capacity(n);
    for child in children {
        for arrived in child.arrivals().await {
            arrivals.push(arrived.duration_since(sent).unwrap_or_default());
        }
    }
    Fanout {
        setup,
        subscribers: n,
        received: arrivals.len(),
        connect_secs,
        rss_before_mib,
        rss_after_mib,
        delivery: Spread::of(&arrivals).expect("some subscriber got the event"),
    }
}

/// A child process holding some of the visitors.
struct Subscribers {
    child: Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
}

impl Subscribers {
    /// Starts visitors `first..first + count` (their number picks their server and source
    /// address).
    fn spawn(first: usize, count: usize, ws_urls: &[String]) -> Subscribers {
        let mut child = Command::new(std::env::current_exe().expect("this program"))
            .args(["--subscribe", &format!("{first}:{count}"), "--ws-urls"])
            .arg(ws_urls.join(","))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("a subscribers process");
        let stdout = child.stdout.take().expect("its output");
        Subscribers {
            child,
            lines: BufReader::new(stdout).lines(),
        }
    }

    async fn line(&mut self) -> String {
        self.lines
            .next_line()
            .await
            .expect("the subscribers' output")
            .expect("a subscribers process ended early (its error is above)")
    }

    async fn ready(&mut self) {
        let line = self.line().await;
        assert_eq!(line, "ready", "a subscribers process");
    }

    /// When the event reached each visitor that got it.
    async fn arrivals(mut self) -> Vec<SystemTime> {
        let line = self.line().await;
        let times = line
            .strip_prefix("arrivals")
            .expect("the arrivals line")
            .split_whitespace()
            .map(|micros| UNIX_EPOCH + Duration::from_micros(micros.parse().expect("micros")))
            .collect();
        let _ = self.child.wait().await;
        times
    }
}

/// The child's side (`--subscribe FIRST:COUNT --ws-urls ...`): connects the visitors, prints
/// `ready` once each has its `hello`, then `arrivals` and the wall-clock time (microseconds
/// since the epoch) the first event reached each visitor that got one.
pub async fn subscribe(first: usize, count: usize, ws_urls: &[String]) {
    let gate = Arc::new(tokio::sync::Semaphore::new(CONNECTING_AT_ONCE));
    let (connected_tx, mut connected_rx) = tokio::sync::mpsc::channel::<()>(count);
    let mut visitors = Vec::with_capacity(count);
    for i in first..first + count {
        let url = ws_urls[i % ws_urls.len()].clone();
        let (gate, connected) = (gate.clone(), connected_tx.clone());
        visitors.push(tokio::spawn(async move {
            let config = WebSocketConfig::default()
                .read_buffer_size(4096)
                .write_buffer_size(0);
            let permit = gate.acquire_owned().await.expect("the gate");
            let source = Ipv4Addr::new(127, 0, 0, 1 + (i % SOURCE_ADDRESSES) as u8);
            let tcp = connect_from(source, &url).await;
            let (mut socket, _) =
                tokio_tungstenite::client_async_with_config(&url, tcp, Some(config))
                    .await
                    .expect("a WebSocket handshake");
            // The first frame is `hello`: subscribed.
            let hello = tokio::time::timeout(PATIENCE, socket.next())
                .await
                .expect("hello in time");
            assert!(
                matches!(hello, Some(Ok(Message::Text(ref t))) if t.contains("\"hello\"")),
                "the first frame is hello: {hello:?}"
            );
            drop(permit);
            let _ = connected.send(()).await;
            let arrival = tokio::time::timeout(PATIENCE, async {
                while let Some(frame) = socket.next().await {
                    if let Ok(Message::Text(text)) = frame
                        && !text.contains("\"hello\"")
                    {
                        return Some(SystemTime::now());
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
    drop(connected_tx);
    for _ in 0..count {
        connected_rx.recv().await.expect("a visitor connected");
    }
    println!("ready");
    let mut line = String::from("arrivals");
    for visitor in visitors {
        if let Some(at) = visitor.await.expect("a visitor") {
            let micros = at
                .duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_micros();
            line.push_str(&format!(" {micros}"));
        }
    }
    println!("{line}");
}

/// A TCP connection from `source` (a loopback address) to the host and port of `ws_url`.
async fn connect_from(source: Ipv4Addr, ws_url: &str) -> tokio::net::TcpStream {
    let authority = ws_url
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .expect("a ws:// URL");
    let server: SocketAddr = authority.parse().expect("an IP address and port");
    let socket = TcpSocket::new_v4().expect("a socket");
    // Ports of the previous run may still be in TIME_WAIT.
    socket.set_reuseaddr(true).expect("SO_REUSEADDR");
    socket
        .bind(SocketAddr::from((source, 0)))
        .expect("a port on the source address");
    socket.connect(server).await.expect("a TCP connection")
}
