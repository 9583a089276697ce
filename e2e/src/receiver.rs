//! A small HTTP server on loopback that keeps the requests it is sent: the tests' webhook
//! endpoint. It answers every request with the status it is told to (204 by default), so a
//! test can make an endpoint fail and then recover. It can also hold its answers (keeping the
//! requests), to catch a sender mid-delivery, and answer with a body or after a delay, to stand
//! in for a monitored service that is healthy, failing or slow.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// One request as received.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Header names in lowercase.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When its head had arrived.
    pub received_at: std::time::Instant,
}

impl Request {
    /// The first value of the header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// The endpoint: a running server and what it received, oldest first.
#[derive(Clone)]
pub struct Receiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Request>>>,
    answer: Arc<Mutex<Answer>>,
    hold: Hold,
}

/// What every request is answered with.
#[derive(Clone)]
struct Answer {
    status: u16,
    body: String,
    delay: Duration,
}

/// While `holding` names a path, each request to it is kept but not answered until it names
/// none again; `held` counts the requests waiting.
#[derive(Clone)]
struct Hold {
    holding: Arc<tokio::sync::watch::Sender<Option<String>>>,
    held: Arc<tokio::sync::watch::Sender<usize>>,
}

impl Receiver {
    /// Starts listening on a free loopback port.
    pub async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let receiver = Receiver {
            port,
            received: Arc::default(),
            answer: Arc::new(Mutex::new(Answer {
                status: 204,
                body: String::new(),
                delay: Duration::ZERO,
            })),
            hold: Hold {
                holding: Arc::new(tokio::sync::watch::channel(None).0),
                held: Arc::new(tokio::sync::watch::channel(0).0),
            },
        };
        let serving = receiver.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let serving = serving.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, serving.received, serving.answer, serving.hold).await;
                });
            }
        });
        receiver
    }

    /// From now on, every request to `path` is kept and then waits for its answer until
    /// [`Receiver::release`].
    pub fn hold(&self, path: &str) {
        self.hold.holding.send_replace(Some(path.to_owned()));
    }

    /// Answers the held requests (those whose sender is gone are answered to no one).
    pub fn release(&self) {
        self.hold.holding.send_replace(None);
    }

    /// Waits until `count` requests are held (at most `within`).
    pub async fn held(&self, count: usize, within: std::time::Duration) {
        let mut held = self.hold.held.subscribe();
        let waited = tokio::time::timeout(within, held.wait_for(|held| *held >= count))
            .await
            .is_ok_and(|held| held.is_ok());
        assert!(
            waited,
            "{} of {count} requests held within {within:?}",
            *held.borrow()
        );
    }

    /// The URL of `path` on this endpoint.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Answers every request from now on with `status` and an empty body.
    pub fn answer(&self, status: u16) {
        self.answer_with(status, "");
    }

    /// Answers every request from now on with `status` and `body` (a health page, a JSON
    /// document).
    pub fn answer_with(&self, status: u16, body: &str) {
        let mut answer = self.answer.lock().unwrap_or_else(|e| e.into_inner());
        answer.status = status;
        answer.body = body.to_owned();
    }

    /// From now on, waits `delay` before each answer: a slow service.
    pub fn answer_after(&self, delay: Duration) {
        self.answer.lock().unwrap_or_else(|e| e.into_inner()).delay = delay;
    }

    /// What was received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits until `count` requests came (at most `within`); answers them all.
    pub async fn wait_for(&self, count: usize, within: std::time::Duration) -> Vec<Request> {
        let deadline = std::time::Instant::now() + within;
        loop {
            let got = self.requests();
            if got.len() >= count {
                return got;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} of {count} requests within {within:?}",
                got.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// One connection: requests one after another (keep-alive), each recorded and answered.
async fn serve(
    stream: tokio::net::TcpStream,
    received: Arc<Mutex<Vec<Request>>>,
    answer: Arc<Mutex<Answer>>,
    hold: Hold,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        loop {
            let mut header = String::new();
            reader.read_line(&mut header).await?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let length = headers
            .iter()
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        reader.read_exact(&mut body).await?;
        let held = hold.holding.borrow().as_deref() == Some(path.as_str());
        received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(Request {
                received_at: std::time::Instant::now(),
                method,
                path,
                headers,
                body,
            });
        if held {
            hold.held.send_modify(|count| *count += 1);
            let mut holding = hold.holding.subscribe();
            let _ = holding.wait_for(Option::is_none).await;
            hold.held.send_modify(|count| *count -= 1);
        }
        let Answer {
            status,
            body,
            delay,
        } = answer.lock().unwrap_or_else(|e| e.into_inner()).clone();
        tokio::time::sleep(delay).await;
        let length = body.len();
        write
            .write_all(
                format!("HTTP/1.1 {status} Answer\r\ncontent-length: {length}\r\n\r\n{body}")
                    .as_bytes(),
            )
            .await?;
    }
}
