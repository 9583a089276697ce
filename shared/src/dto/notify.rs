//! Subscribing to a status page and what subscribers see of their subscription.

use crate::{Channel, ServiceId};
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
