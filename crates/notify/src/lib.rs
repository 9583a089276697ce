//! What Upstate tells people when something happens on a status page: the subscriber's email,
//! the Slack, Discord, Microsoft Teams and Mattermost messages, and the signed webhook for
//! integrators. Everything starts from one [`Notice`] (stored as JSON in the outbox) and ends as
//! a [`lettre::Message`], a JSON body or a list of headers.
//!
//! The formats do no I/O, so each is tested against the documented shape of its product
//! without a server; the [`worker`] fans notifications out into deliveries, sends them through
//! `upstate-egress` (HTTP) or SMTP and records every attempt.

mod chat;
mod email;
mod error;
pub mod links;
mod notice;
mod text;
mod webhook;
pub mod worker;

pub use chat::{ChatKind, Destination, discord, mattermost, slack, teams, test_message};
pub use email::{AutoSubmitted, Links, ListId, ListUnsubscribe, ListUnsubscribePost, notice_email};
pub use error::NotifyError;
pub use notice::{Event, Notice};
pub use text::escape_html;
pub use webhook::{
    SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_ID_HEADER, WebhookHeaders, WebhookSecret, sign,
    signed_headers, verify, webhook_body,
};
