//! Outbound email through the outbox. A worker inside `upstate serve` claims due messages,
//! delivers them with SMTP (lettre) when `UPSTATE_SMTP_URL` is set, or writes them to the log
//! at info level so a self-hoster without mail can still follow a reset or invitation link,
//! and retries failures with a growing delay.

use crate::config::StartError;
use crate::state::AppState;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use upstate_shared::{OrgId, UserId};
use upstate_store::outbox;
use upstate_store::{DbConnection, StoreResult};

/// The outbox kind of emails.
pub const EMAIL: &str = "email";

/// An email as queued in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
}

impl Email {
    /// The outbox payload: this email as JSON (three strings: it cannot fail to serialize).
    fn payload(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    /// Queues this email in the outbox, in the caller's transaction (wake the worker after it
    /// commits: `state.outbox_wake`).
    pub fn queue(&self, conn: &mut DbConnection, org: Option<&OrgId>) -> StoreResult<String> {
        outbox::enqueue(conn, org, EMAIL, &self.payload())
    }

    /// Queues this email as sent on `sender`'s behalf: counted against their hourly limit
    /// ([`outbox::MAX_ON_BEHALF_PER_HOUR`]), `Limited` beyond it.
    pub fn queue_on_behalf(
        &self,
        conn: &mut DbConnection,
        org: Option<&OrgId>,
        sender: &UserId,
    ) -> StoreResult<String> {
        outbox::enqueue_on_behalf(conn, org, sender, EMAIL, &self.payload())
    }
}

/// How emails leave.
pub enum Mailer {
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
    Log,
}

impl Mailer {
    /// SMTP when a URL is given (`smtp://`, `smtps://user:pass@host:port`), else the log.
    pub fn new(smtp_url: Option<&str>, from: &str) -> Result<Mailer, StartError> {
        let Some(url) = smtp_url else {
            // Said once, loudly: the links in these mails (password resets, invitations,
            // address confirmations) are secrets, and the log is where they will be.
            tracing::warn!(
                "no UPSTATE_SMTP_URL: emails are written to this log instead of being sent, \
                 with the links in them (password resets, invitations); set UPSTATE_SMTP_URL \
                 in production"
            );
            return Ok(Mailer::Log);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|err| StartError(format!("UPSTATE_SMTP_URL is not usable: {err}")))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let transport = Box::new(transport);
        let from = from.parse().map_err(|err| {
            StartError(format!(
                "UPSTATE_MAIL_FROM `{from}` is not an address: {err}"
            ))
        })?;
        Ok(Mailer::Smtp { transport, from })
    }

    async fn send(&self, email: &Email) -> Result<(), String> {
        match self {
            Mailer::Log => {
                tracing::info!(to = %email.to, subject = %email.subject, "email (no SMTP configured):\n{}", email.text);
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let to: Mailbox = email
                    .to
                    .parse()
                    .map_err(|err| format!("bad recipient {}: {err}", email.to))?;
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(&email.subject)
                    // Said, so that a mail client reads more than ASCII right (without it, the
                    // text is taken for US-ASCII: a German or Japanese mail would be garbled).
                    .header(lettre::message::header::ContentType::TEXT_PLAIN)
                    .body(email.text.clone())
                    .map_err(|err| err.to_string())?;
                transport
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|err| err.to_string())
            }
        }
    }
}

/// Delivers due messages until the server stops: at once when woken, else every few seconds.
pub async fn run_outbox(state: AppState) {
    loop {
        match deliver_due(&state).await {
            Ok(0) => {
                let _ = tokio::time::timeout(Duration::from_secs(5), state.outbox_wake.notified())
                    .await;
            }
            Ok(_) => {}
            Err(err) => {
                tracing::warn!(%err, "outbox delivery failed; trying again shortly");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

/// How long a claimed message is its worker's: longer than a delivery can take (the SMTP
/// timeout), short enough that a message whose worker died mid-delivery (a crash, a killed
/// replica) goes out soon after.
const LEASE_SECS: i64 = 30;

/// Each SMTP command gives up well inside the lease.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Claims and delivers the next due message; answers how many were claimed (0 or 1). One at a
/// time, so a message is leased only while it is being delivered and a crash strands at most
/// that one, for at most the lease.
pub async fn deliver_due(state: &AppState) -> Result<usize, crate::error::ApiError> {
    let batch = state
        .write(|conn| outbox::claim_due(conn, 1, chrono::Duration::seconds(LEASE_SECS)))
        .await?;
    let count = batch.len();
    for message in batch {
        let result = match message.kind.as_str() {
            EMAIL => match serde_json::from_str::<Email>(&message.payload) {
                Ok(email) => state.mailer.send(&email).await,
                Err(err) => Err(format!("unreadable email payload: {err}")),
            },
            other => Err(format!("no delivery for outbox kind `{other}`")),
        };
        let id = message.id.clone();
        match result {
            Ok(()) => {
                state
                    .write(move |conn| outbox::delivered(conn, &id))
                    .await?
            }
            Err(err) => {
                // 1, 2, 4, ... minutes, at most an hour apart.
                let delay = chrono::Duration::minutes(1i64 << message.attempts.clamp(0, 6));
                tracing::warn!(message = %message.id, attempts = message.attempts + 1, %err, "delivery failed");
                state.metrics.count_mail_failure();
                state
                    .write(move |conn| outbox::failed(conn, &id, &err, delay))
                    .await?
            }
        }
    }
    Ok(count)
}
