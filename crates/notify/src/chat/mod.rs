//! The chat integrations: a notice as the JSON body of a Slack, Discord, Microsoft Teams or
//! Mattermost incoming webhook, each in its product's documented format.

mod discord;
mod slack;
mod teams;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;
use std::str::FromStr;
use upstate_shared::ParseEnumError;

use crate::notice::Notice;

pub use discord::discord;
pub use slack::{mattermost, slack};
pub use teams::teams;

/// The chat products Upstate posts to through their incoming webhooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatKind {
    Slack,
    Discord,
    Teams,
    Mattermost,
}

impl ChatKind {
    /// Every chat product, in declaration order.
    pub const ALL: &'static [ChatKind] = &[
        ChatKind::Slack,
        ChatKind::Discord,
        ChatKind::Teams,
        ChatKind::Mattermost,
    ];

    /// Every chat product's text, in declaration order.
    pub const TEXTS: &'static [&'static str] = &["slack", "discord", "teams", "mattermost"];

    /// The product's text, as stored and on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatKind::Slack => "slack",
            ChatKind::Discord => "discord",
            ChatKind::Teams => "teams",
            ChatKind::Mattermost => "mattermost",
        }
    }

    /// The product's name, as people write it.
    pub fn label(self) -> &'static str {
        match self {
            ChatKind::Slack => "Slack",
            ChatKind::Discord => "Discord",
            ChatKind::Teams => "Microsoft Teams",
            ChatKind::Mattermost => "Mattermost",
        }
    }

    /// The body to POST to this product's incoming webhook for `notice`.
    pub fn payload(self, notice: &Notice) -> Value {
        match self {
            ChatKind::Slack => slack(notice),
            ChatKind::Discord => discord(notice),
            ChatKind::Teams => teams(notice),
            ChatKind::Mattermost => mattermost(notice),
        }
    }
}

impl fmt::Display for ChatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ChatKind {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ChatKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| ParseEnumError {
                kind: "chat kind",
                value: s.to_owned(),
                expected: ChatKind::TEXTS,
            })
    }
}

/// Where an integration delivers: a chat product's incoming webhook, or a generic signed
/// webhook of an integrator's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    Chat(ChatKind),
    Webhook,
}

impl Destination {
    /// Every destination: the chat products, then the generic webhook.
    pub const ALL: &'static [Destination] = &[
        Destination::Chat(ChatKind::Slack),
        Destination::Chat(ChatKind::Discord),
        Destination::Chat(ChatKind::Teams),
        Destination::Chat(ChatKind::Mattermost),
        Destination::Webhook,
    ];

    /// Every destination's text, in the order of [`Destination::ALL`].
    pub const TEXTS: &'static [&'static str] =
        &["slack", "discord", "teams", "mattermost", "webhook"];

    /// The destination's text: the chat product's, or `webhook`.
    pub fn as_str(self) -> &'static str {
        match self {
            Destination::Chat(kind) => kind.as_str(),
            Destination::Webhook => "webhook",
        }
    }
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Destination {
    type Err = ParseEnumError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "webhook" => Ok(Destination::Webhook),
            other => other
                .parse()
                .map(Destination::Chat)
                .map_err(|_| ParseEnumError {
                    kind: "integration kind",
                    value: s.to_owned(),
                    expected: Destination::TEXTS,
                }),
        }
    }
}

/// The body the "send a test message" button posts: a grey notice, about no incident, saying it
/// is a test from Upstate for `page_name`. The generic webhook's has the type `test`, which no
/// endpoint subscribes to and so no automation mistakes for a real event.
pub fn test_message(
    destination: Destination,
    page_name: &str,
    page_url: &str,
    at: DateTime<Utc>,
) -> Value {
    let notice = Notice::test(page_name, page_url, at);
    match destination {
        Destination::Chat(kind) => kind.payload(&notice),
        Destination::Webhook => crate::webhook::body_of_type("test", &notice),
    }
}

/// Maintenance window bounds as Unix seconds, for the products that show a time in each
/// reader's own zone.
fn window_seconds(notice: &Notice) -> Option<(i64, i64)> {
    notice
        .window
        .map(|(start, end)| (start.timestamp(), end.timestamp()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn kinds_round_trip_through_text_and_json() {
        for (kind, text) in ChatKind::ALL.iter().zip(ChatKind::TEXTS) {
            assert_eq!(kind.as_str(), *text);
            assert_eq!(text.parse::<ChatKind>().unwrap(), *kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), *text);
        }
        for (destination, text) in Destination::ALL.iter().zip(Destination::TEXTS) {
            assert_eq!(destination.as_str(), *text);
            assert_eq!(text.parse::<Destination>().unwrap(), *destination);
        }
        let err = "irc".parse::<Destination>().unwrap_err();
        assert_eq!(err.expected, Destination::TEXTS);
        assert!("webhook".parse::<ChatKind>().is_err());
    }

    #[test]
    fn every_destination_has_a_test_message_naming_the_page() {
        let at = Utc.with_ymd_and_hms(2025, 3, 4, 14, 5, 0).unwrap();
        for destination in Destination::ALL {
            let body = test_message(*destination, "Acme", "https://status.example.com/acme", at);
            let text = body.to_string();
            assert!(
                text.contains("test message from Upstate for Acme"),
                "{destination}: {text}"
            );
            assert!(
                text.contains("https://status.example.com/acme"),
                "{destination}"
            );
        }
        let webhook = test_message(Destination::Webhook, "Acme", "https://s.example", at);
        assert_eq!(webhook["type"], "test");
        let slack = test_message(
            Destination::Chat(ChatKind::Slack),
            "Acme",
            "https://s.example",
            at,
        );
        assert_eq!(slack["attachments"][0]["color"], "#9198a1");
    }
}
