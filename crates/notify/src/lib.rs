//! What Upstate tells people when something happens on a status page: the subscriber's email,
//! the Slack, Discord, Microsoft Teams and Mattermost messages, and the signed webhook for
//! integrators. Everything starts from one [`Notice`] (stored as JSON in the outbox) and ends as
//! a [`lettre::Message`], a JSON body or a list of headers.
//!
//! Nothing here does I/O: the delivery worker reads the outbox, calls these functions and sends
//! the result through `upstate-egress` (HTTP) or SMTP. So every format is tested here, against
//! the documented shape of its product, without a server.

mod chat;
mod email;
mod error;
mod notice;
mod text;
mod webhook;

pub use chat::{ChatKind, Destination, discord, mattermost, slack, teams, test_message};
pub use email::{
    AutoSubmitted, Links, ListId, ListUnsubscribe, ListUnsubscribePost, confirmation_email,
    failing_webhook_email, notice_email,
};
pub use error::NotifyError;
pub use notice::{Event, Notice};
pub use webhook::{
    SIGNATURE_HEADER, TIMESTAMP_HEADER, WEBHOOK_ID_HEADER, WebhookHeaders, WebhookSecret, sign,
    signed_headers, verify, webhook_body,
};
