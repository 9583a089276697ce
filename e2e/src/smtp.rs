//! A small SMTP server on loopback that keeps what it is sent: the tests' mailbox. The servers
//! under test send their mail here through the real outbox worker and SMTP transport, so a test
//! reads a mail as its recipient would, after delivery (when the outbox row no longer holds it).
//! It can also hold every message at its `DATA` command, to catch a sender mid-delivery, or only
//! count what it is sent (the benchmark's 10,000 mails would cost more kept than sent).

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// One mail as received: headers decoded, body as text.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub from: String,
    pub subject: String,
    pub text: String,
    /// A multipart message's HTML part.
    pub html: Option<String>,
    /// The message as it came over the wire.
    pub raw: String,
}

/// The mailbox: a running SMTP server and what it received, oldest first.
#[derive(Clone)]
pub struct Sink {
    pub port: u16,
    /// False: messages are counted, not kept.
    keep: bool,
    received: Arc<Mutex<Vec<Mail>>>,
    /// Each accepted message's envelope recipients (`RCPT TO`, lower case), one entry per
    /// recipient of each message.
    delivered: Arc<Mutex<Vec<String>>>,
    /// While true, each session waits at `DATA` (answering nothing) until it is false again.
    holding: Arc<tokio::sync::watch::Sender<bool>>,
    /// How many sessions are waiting at `DATA` now.
    held: Arc<tokio::sync::watch::Sender<usize>>,
}

impl Sink {
    /// Starts a sink on a free loopback port that keeps every message.
    pub async fn start() -> Sink {
        Sink::started(true).await
    }

    /// Starts a sink that only counts messages and their recipients.
    pub async fn counting() -> Sink {
        Sink::started(false).await
    }

    async fn started(keep: bool) -> Sink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink {
            port,
            keep,
            delivered: Arc::default(),
            received: Arc::new(Mutex::new(Vec::new())),
            holding: Arc::new(tokio::sync::watch::channel(false).0),
            held: Arc::new(tokio::sync::watch::channel(0).0),
        };
        let serving = sink.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serving.clone().serve(stream));
            }
        });
        sink
    }

    /// From now on, every message waits at its `DATA` command until [`Sink::release`].
    pub fn hold(&self) {
        self.holding.send_replace(true);
    }

    /// Lets held messages go on (those whose sender is gone are dropped, never kept).
    pub fn release(&self) {
        self.holding.send_replace(false);
    }

    /// Waits until a message is held at `DATA`.
    pub async fn held(&self) {
        let mut held = self.held.subscribe();
        held.wait_for(|count| *count > 0)
            .await
            .expect("the sink runs");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every mail received so far, oldest first (none when counting).
    pub fn mails(&self) -> Vec<Mail> {
        self.received.lock().unwrap().clone()
    }

    /// The envelope recipient (lower case) of each accepted message, oldest first: a message to
    /// two recipients is there twice.
    pub fn delivered_to(&self) -> Vec<String> {
        self.delivered.lock().unwrap().clone()
    }

    /// How many deliveries went to recipients for which `wanted` holds, and to how many
    /// distinct ones, counted in place (a caller polling while 10,000 mails arrive copies
    /// nothing).
    pub fn count_where(&self, wanted: impl Fn(&str) -> bool) -> (usize, usize) {
        let delivered = self.delivered.lock().unwrap();
        let mut distinct = std::collections::HashSet::new();
        let mut deliveries = 0;
        for address in delivered.iter().filter(|a| wanted(a)) {
            deliveries += 1;
            distinct.insert(address.as_str());
        }
        (deliveries, distinct.len())
    }

    /// One SMTP session: accepts every command, keeps each message sent with DATA.
    async fn serve(self, stream: tokio::net::TcpStream) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read).lines();
        if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
            return;
        }
        let mut data = None::<String>;
        let mut to = Vec::new();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Some(body) = data.as_mut() {
                if line == "." {
                    let raw = data.take().unwrap_or_default();
                    self.delivered.lock().unwrap().extend(to.drain(..));
                    if self.keep {
                        self.received.lock().unwrap().push(parse(raw));
                    }
                    if write.write_all(b"250 queued\r\n").await.is_err() {
                        return;
                    }
                } else if self.keep {
                    // Undo the sender's dot-stuffing: a line's leading period is the one it added
                    // (RFC 5321 4.5.2).
                    body.push_str(line.strip_prefix('.').unwrap_or(&line));
                    body.push_str("\r\n");
                }
                continue;
            }
            let verb = line.split_whitespace().next().unwrap_or("").to_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" | "HELO" => b"250 sink\r\n",
                "RCPT" => {
                    // `RCPT TO:<address>`
                    if let (Some(start), Some(end)) = (line.find('<'), line.rfind('>')) {
                        to.push(line[start + 1..end].to_ascii_lowercase());
                    }
                    b"250 ok\r\n"
                }
                "RSET" => {
                    to.clear();
                    b"250 ok\r\n"
                }
                "DATA" => {
                    if *self.holding.borrow() {
                        self.held.send_modify(|count| *count += 1);
                        let mut holding = self.holding.subscribe();
                        let _ = holding.wait_for(|holding| !holding).await;
                        self.held.send_modify(|count| *count -= 1);
                    }
                    data = Some(String::new());
                    b"354 go on\r\n"
                }
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => b"250 ok\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}

fn parse(raw: String) -> Mail {
    let parsed = mailparse::parse_mail(raw.as_bytes()).expect("a well-formed message");
    let header = |name: &str| {
        mailparse::MailHeaderMap::get_first_value(parsed.headers.as_slice(), name)
            .unwrap_or_default()
    };
    let to = header("To");
    // `To: Name <address>` or a bare address: the address.
    let to = match (to.rfind('<'), to.rfind('>')) {
        (Some(start), Some(end)) if start < end => to[start + 1..end].to_owned(),
        _ => to.trim().to_owned(),
    };
    // A multipart message (text and HTML alternatives): its text part is the text.
    let part = |mime: &str| {
        fn find<'a>(
            part: &'a mailparse::ParsedMail<'a>,
            mime: &str,
        ) -> Option<&'a mailparse::ParsedMail<'a>> {
            if part.subparts.is_empty() {
                return (part.ctype.mimetype == mime).then_some(part);
            }
            part.subparts.iter().find_map(|sub| find(sub, mime))
        }
        find(&parsed, mime).map(|found| found.get_body().expect("a readable part"))
    };
    let text = if parsed.subparts.is_empty() {
        parsed.get_body().expect("a readable body")
    } else {
        part("text/plain").unwrap_or_default()
    };
    Mail {
        to,
        from: header("From"),
        subject: header("Subject"),
        text: text.replace("\r\n", "\n"),
        html: part("text/html").filter(|_| !parsed.subparts.is_empty()),
        raw,
    }
}
