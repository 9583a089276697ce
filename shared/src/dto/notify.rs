//! Subscribing to a status page and what subscribers see of their subscription; the team's
//! integrations and their delivery log.

use crate::{Channel, DeliveryId, NotificationEvent, ServiceId, SubscriptionId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/public/{org}/subscriptions` (and the subscribe form): by email, or by webhook
/// with a contact address. The answer is the same whether or not the address was subscribed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscribeRequest {
    /// The address notifications go to; with `webhook_url`, the address that confirms the
    /// subscription and hears when the webhook keeps failing.
    #[cfg_attr(
        feature = "openapi",
        schema(format = Email, example = "ada@example.com", max_length = 254)
    )]
    pub email: String,
    /// Subscribe a webhook instead: each notification is POSTed there, signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://example.com/upstate-hook", max_length = 2000)
    )]
    pub webhook_url: Option<String>,
    /// Only incidents and maintenance of these services; empty: all of them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub service_ids: Vec<ServiceId>,
    /// The language of the subscriber's mails (a BCP 47 tag of a language the public pages
    /// speak). Absent: the request's `Accept-Language`, else the page's default language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, pattern = "^(en|de|fr|es|pt-BR|ja)$", example = "de")
    )]
    pub language: Option<String>,
}

/// The answer to a subscribe request: what happens next, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscribeAccepted {
    pub message: String,
}

/// A subscription, as its own link shows it to the subscriber.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSubscription {
    pub channel: Channel,
    /// The email address or the webhook's URL.
    pub target: String,
    pub confirmed: bool,
    /// Only these services; empty: all of them.
    pub service_ids: Vec<ServiceId>,
}

/// `POST /api/v1/public/{org}/subscriptions/{token}/confirm`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmedSubscription {
    pub subscription: PublicSubscription,
    /// A webhook's signing secret (`whsec_...`): shown this once, when it is confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// `PATCH /api/v1/public/{org}/subscriptions/{token}`: which services it hears about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateSubscriptionRequest {
    /// Only these services; empty: all of them.
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub service_ids: Vec<ServiceId>,
}

/// A team integration: where the team hears about the page's incidents and maintenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Integration {
    pub id: SubscriptionId,
    /// `slack`, `discord`, `teams`, `mattermost` or `webhook`.
    pub kind: Channel,
    pub name: String,
    /// The incoming webhook's URL.
    pub url: String,
    /// The events it hears; `null`: all of them.
    pub events: Option<Vec<NotificationEvent>>,
    /// Only incidents and maintenance of these services; empty: all of them.
    pub service_ids: Vec<ServiceId>,
    /// Who hears when it keeps failing.
    pub contact_email: Option<String>,
    pub enabled: bool,
    /// Why it was disabled (by an admin, or after failing in a row).
    pub disabled_reason: Option<String>,
    /// Failed attempts in a row.
    pub failures: u32,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/orgs/{org}/integrations`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateIntegrationRequest {
    /// `slack`, `discord`, `teams`, `mattermost` or `webhook` (not `email`: that is for
    /// subscribers).
    pub kind: Option<Channel>,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "#ops")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            max_length = 2048,
            example = "https://hooks.slack.com/services/T000/B000/XXXX"
        )
    )]
    pub url: String,
    /// Only these events; absent or `null`: all of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<NotificationEvent>>,
    /// Only these services; empty: all of them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 100))]
    pub service_ids: Vec<ServiceId>,
    /// Who hears when it keeps failing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub contact_email: Option<String>,
}

/// The answer to a new integration: a webhook's signing secret is in it, this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedIntegration {
    pub integration: Integration,
    /// A `webhook` integration's signing secret (`whsec_...`): shown only in this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// `PATCH /api/v1/orgs/{org}/integrations/{integration_id}`: any subset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateIntegrationRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2048))]
    pub url: Option<String>,
    /// `null`: every event.
    #[serde(
        default,
        deserialize_with = "super::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub events: Option<Option<Vec<NotificationEvent>>>,
    /// `null`: nobody.
    #[serde(
        default,
        deserialize_with = "super::double_option",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254))]
    pub contact_email: Option<Option<String>>,
    /// `true` enables it again (and forgets its failures); `false` disables it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// One attempt of a delivery, in an integration's delivery log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    pub delivery_id: DeliveryId,
    /// The event it told (`incident.updated`, ...).
    pub event: String,
    pub at: DateTime<Utc>,
    /// The HTTP status of the answer, when one came.
    pub status_code: Option<u16>,
    pub latency_ms: u64,
    /// What went wrong; `null`: delivered.
    pub error: Option<String>,
    /// Where the delivery stands now: `delivered`, `retrying` or `abandoned`.
    pub state: String,
}

/// The answer to "send a test message".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TestDelivery {
    pub ok: bool,
    pub status_code: Option<u16>,
    pub latency_ms: u64,
    pub error: Option<String>,
}

/// A subscriber of the org's status page, as its admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subscriber {
    pub id: SubscriptionId,
    /// `email` or `webhook`.
    pub channel: Channel,
    /// The email address or the webhook's URL.
    pub target: String,
    /// A webhook's contact address.
    pub contact_email: Option<String>,
    /// Whether the subscriber followed the confirmation link (or was imported): only confirmed
    /// subscribers hear anything.
    pub confirmed: bool,
    /// Only these services; empty: all of them.
    pub service_ids: Vec<ServiceId>,
    pub created_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// `false` once a webhook kept failing (its contact was told).
    pub enabled: bool,
    pub disabled_reason: Option<String>,
}

/// How many subscribers of one kind an org has.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCounts {
    pub confirmed: u64,
    /// Asked to subscribe and not confirmed yet.
    pub pending: u64,
}

/// `GET /api/v1/orgs/{org}/subscriber-counts`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriberCounts {
    pub email: KindCounts,
    pub webhook: KindCounts,
}

/// The answer to a CSV import of email subscribers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubscriberImport {
    /// Addresses subscribed by the import, confirmed (the admin vouches for them): new ones,
    /// and ones that had asked and not confirmed yet.
    pub imported: u64,
    /// Addresses confirmed already (left as they were).
    pub already_subscribed: u64,
    /// Rows whose `confirmed` column says `false` (they never confirmed, so they are not
    /// subscribed by an import).
    pub not_confirmed: u64,
}
