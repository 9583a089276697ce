//! A subscription's links (confirm, manage, unsubscribe): their token is derived from the
//! subscription's id with the server's secret, so any replica writes the same links into any
//! mail at any time, and the database keeps only the token's hash.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use upstate_shared::SubscriptionId;

/// The token of a subscription's links.
pub fn token(key: &str, id: &SubscriptionId) -> String {
    // A key of any length is accepted by HMAC; `new_from_slice` cannot fail for it.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(b"upstate subscription link v1\0");
    mac.update(id.as_str().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The hash under which a token is stored.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The stored hash of a subscription's token.
pub fn token_hash(key: &str, id: &SubscriptionId) -> String {
    hash(&token(key, id))
}

/// The absolute links of one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionLinks {
    /// The confirmation mail's link: a page with a button that confirms.
    pub confirm: String,
    /// Where the subscriber chooses services or unsubscribes.
    pub manage: String,
    /// One click from a mail client (RFC 8058 `POST`), or a page with a button (`GET`).
    pub unsubscribe: String,
}

impl SubscriptionLinks {
    /// The links of subscription `id` of the page `slug`, on the server at `public_url`.
    pub fn of(public_url: &str, slug: &str, key: &str, id: &SubscriptionId) -> SubscriptionLinks {
        let base = format!(
            "{}/status/{slug}/subscriptions/{}",
            public_url.trim_end_matches('/'),
            token(key, id)
        );
        SubscriptionLinks {
            confirm: format!("{base}/confirm"),
            unsubscribe: format!("{base}/unsubscribe"),
            manage: base,
        }
    }

    /// The two links every notification mail carries.
    pub fn for_email(&self) -> crate::Links {
        crate::Links {
            unsubscribe: self.unsubscribe.clone(),
            manage: self.manage.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_the_same_for_one_id_and_key_and_differs_otherwise() {
        let id = SubscriptionId::from("sub_1".to_owned());
        let other = SubscriptionId::from("sub_2".to_owned());
        let key = "a-server-secret-of-thirty-two-chars!";
        assert_eq!(token(key, &id), token(key, &id));
        assert_ne!(token(key, &id), token(key, &other));
        assert_ne!(
            token(key, &id),
            token("another-secret-of-thirty-two-chars", &id)
        );
        assert_eq!(token(key, &id).len(), 43, "256 bits, base64url");
        assert_eq!(token_hash(key, &id), hash(&token(key, &id)));
        let links = SubscriptionLinks::of("https://status.example.com/", "acme", key, &id);
        assert_eq!(
            links.unsubscribe,
            format!(
                "https://status.example.com/status/acme/subscriptions/{}/unsubscribe",
                token(key, &id)
            )
        );
        assert!(links.confirm.ends_with("/confirm"));
    }
}
