//! Generic webhooks for integrators, signed by the Standard Webhooks scheme
//! (<https://www.standardwebhooks.com/>): each endpoint has its own secret (`whsec_` and base64 of
//! random bytes, shown once); a request carries `webhook-id`, `webhook-timestamp` (Unix seconds)
//! and `webhook-signature`, a space-separated list of `v1,` + base64 of
//! HMAC-SHA256(secret, `{id}.{timestamp}.{body}`).
//!
//! The body that is sent must be the very bytes that were signed: serialize once, sign those
//! bytes, send those bytes.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde_json::{Value, json};
use sha2::Sha256;
use std::fmt;

use crate::error::NotifyError;
use crate::notice::Notice;

/// The header with the message's id: the same for every attempt of one message, so that a
/// receiver can drop repeats.
pub const WEBHOOK_ID_HEADER: &str = "webhook-id";
/// The header with the attempt's time, in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// The header with the signatures.
pub const SIGNATURE_HEADER: &str = "webhook-signature";

/// The version tag of a symmetric (HMAC-SHA256) signature.
const VERSION: &str = "v1";

/// An endpoint's signing secret. Shown once, as `whsec_` and base64 of its bytes; kept by the
/// store to sign every request to that endpoint. Its `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    text: String,
    key: Vec<u8>,
}

impl WebhookSecret {
    /// What every secret's text starts with.
    pub const PREFIX: &'static str = "whsec_";
    /// The fewest bytes a secret may have (the standard's 192 bits).
    pub const MIN_BYTES: usize = 24;
    /// The most bytes a secret may have (the standard's 512 bits).
    pub const MAX_BYTES: usize = 64;
    /// How many random bytes a new secret has.
    const GENERATED_BYTES: usize = 32;

    /// A new random secret, from the operating system's randomness.
    pub fn generate() -> WebhookSecret {
        let mut key = vec![0u8; Self::GENERATED_BYTES];
        rand::rng().fill_bytes(&mut key);
        WebhookSecret::from_key(key)
    }

    fn from_key(key: Vec<u8>) -> WebhookSecret {
        WebhookSecret {
            text: format!("{}{}", Self::PREFIX, STANDARD.encode(&key)),
            key,
        }
    }

    /// The secret from its text (`whsec_...`), as shown and stored.
    pub fn parse(text: &str) -> Result<WebhookSecret, NotifyError> {
        let encoded = text
            .trim()
            .strip_prefix(Self::PREFIX)
            .ok_or(NotifyError::BadSecret("it does not start with whsec_"))?;
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| NotifyError::BadSecret("what follows whsec_ is not base64"))?;
        if !(Self::MIN_BYTES..=Self::MAX_BYTES).contains(&key.len()) {
            return Err(NotifyError::BadSecret(
                "it must hold between 24 and 64 bytes",
            ));
        }
        Ok(WebhookSecret::from_key(key))
    }

    /// The secret's text, `whsec_` and base64: what the endpoint's owner is shown once.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// HMAC-SHA256 of `{msg_id}.{timestamp}.{body}` with this secret.
    fn mac(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes a key of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(whsec_…)")
    }
}

/// The signature of one request: `v1,` and base64 of HMAC-SHA256(secret,
/// `{msg_id}.{timestamp}.{body}`). `msg_id` must not contain a `.` (ours are UUIDs).
pub fn sign(secret: &WebhookSecret, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    let tag = secret.mac(msg_id, timestamp, body).finalize().into_bytes();
    format!("{VERSION},{}", STANDARD.encode(tag))
}

/// The three headers of a signed request, names in lower case as the standard writes them.
/// (The caller adds `content-type: application/json`.)
pub fn signed_headers(
    secret: &WebhookSecret,
    msg_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(&'static str, String)> {
    vec![
        (WEBHOOK_ID_HEADER, msg_id.to_owned()),
        (TIMESTAMP_HEADER, timestamp.to_string()),
        (SIGNATURE_HEADER, sign(secret, msg_id, timestamp, body)),
    ]
}

/// A received request's three Standard Webhooks headers, as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookHeaders<'a> {
    /// `webhook-id`.
    pub id: &'a str,
    /// `webhook-timestamp`.
    pub timestamp: &'a str,
    /// `webhook-signature`.
    pub signature: &'a str,
}

/// Checks a received request as a receiver should: its timestamp is within `tolerance` of `now`
/// (either way), and one of its `v1` signatures is the one `secret` makes for this id,
/// timestamp and body, compared in constant time. Signatures of other versions are skipped.
pub fn verify(
    secret: &WebhookSecret,
    headers: &WebhookHeaders<'_>,
    body: &[u8],
    now: DateTime<Utc>,
    tolerance: TimeDelta,
) -> Result<(), NotifyError> {
    if headers.id.trim().is_empty() {
        return Err(NotifyError::BadHeader(WEBHOOK_ID_HEADER));
    }
    let timestamp: i64 = headers
        .timestamp
        .trim()
        .parse()
        .map_err(|_| NotifyError::BadHeader(TIMESTAMP_HEADER))?;
    let tolerance = tolerance.num_seconds();
    let now = now.timestamp();
    if now.saturating_sub(timestamp) > tolerance {
        return Err(NotifyError::TimestampTooOld);
    }
    if timestamp.saturating_sub(now) > tolerance {
        return Err(NotifyError::TimestampInFuture);
    }
    let expected = secret.mac(headers.id, timestamp, body);
    let matches = headers
        .signature
        .split(' ')
        .filter_map(|candidate| candidate.split_once(','))
        .filter(|(version, _)| *version == VERSION)
        .filter_map(|(_, encoded)| STANDARD.decode(encoded).ok())
        .any(|tag| expected.clone().verify_slice(&tag).is_ok());
    if matches {
        Ok(())
    } else {
        Err(NotifyError::SignatureMismatch)
    }
}

/// The JSON body of a generic webhook for `notice`, in the standard's envelope:
/// `{"type": "incident.updated", "timestamp": ..., "data": {...}}`.
pub fn webhook_body(notice: &Notice) -> Value {
    body_of_type(notice.event.as_str(), notice)
}

/// The envelope with a given type: an event's, or `test` for the test message.
pub(crate) fn body_of_type(kind: &str, notice: &Notice) -> Value {
    let time = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    json!({
        "type": kind,
        "timestamp": time(notice.at),
        "data": {
            "org": {"slug": notice.org_slug, "name": notice.page_name},
            "page_url": notice.page_url,
            "id": notice.subject_id,
            "title": notice.title,
            "status": notice.status,
            "impact": notice.impact.map(|impact| impact.as_str()),
            "message": notice.message,
            "message_html": notice.message_html,
            "services": notice.services,
            "link": notice.link,
            "window": notice.window.map(|(start, end)| json!({
                "starts_at": time(start),
                "ends_at": time(end),
            })),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::tests::{incident, maintenance};
    use chrono::TimeZone;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const PAYLOAD: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn secret() -> WebhookSecret {
        WebhookSecret::parse(SECRET).unwrap()
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    fn headers(signature: &str) -> WebhookHeaders<'_> {
        WebhookHeaders {
            id: MSG_ID,
            timestamp: "1614265330",
            signature,
        }
    }

    fn check(headers: &WebhookHeaders<'_>, body: &[u8], now: i64) -> Result<(), NotifyError> {
        verify(&secret(), headers, body, at(now), TimeDelta::minutes(5))
    }

    #[test]
    fn signatures_match_the_reference_libraries() {
        assert_eq!(sign(&secret(), MSG_ID, TIMESTAMP, PAYLOAD), SIGNATURE);
        // The Rust reference library's own vector.
        let other = WebhookSecret::parse("whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD").unwrap();
        assert_eq!(
            sign(
                &other,
                "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk",
                1649367553,
                br#"{"email":"test@example.com","username":"test_user"}"#
            ),
            "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw="
        );
    }

    #[test]
    fn a_signed_request_verifies_within_the_tolerance() {
        check(&headers(SIGNATURE), PAYLOAD, TIMESTAMP).unwrap();
        check(&headers(SIGNATURE), PAYLOAD, TIMESTAMP + 300).unwrap();
        check(&headers(SIGNATURE), PAYLOAD, TIMESTAMP - 300).unwrap();
    }

    #[test]
    fn tampering_and_replays_are_refused() {
        let tampered = br#"{"test": 2432232315}"#;
        assert!(matches!(
            check(&headers(SIGNATURE), tampered, TIMESTAMP),
            Err(NotifyError::SignatureMismatch)
        ));
        let other_id = WebhookHeaders {
            id: "msg_other",
            ..headers(SIGNATURE)
        };
        assert!(matches!(
            check(&other_id, PAYLOAD, TIMESTAMP),
            Err(NotifyError::SignatureMismatch)
        ));
        let other_secret = WebhookSecret::generate();
        assert!(matches!(
            verify(
                &other_secret,
                &headers(SIGNATURE),
                PAYLOAD,
                at(TIMESTAMP),
                TimeDelta::minutes(5)
            ),
            Err(NotifyError::SignatureMismatch)
        ));
        assert!(matches!(
            check(&headers(SIGNATURE), PAYLOAD, TIMESTAMP + 301),
            Err(NotifyError::TimestampTooOld)
        ));
        assert!(matches!(
            check(&headers(SIGNATURE), PAYLOAD, TIMESTAMP - 301),
            Err(NotifyError::TimestampInFuture)
        ));
        // The timestamp is signed: moving it to look fresh breaks the signature.
        let moved = WebhookHeaders {
            timestamp: "1614265630",
            ..headers(SIGNATURE)
        };
        assert!(matches!(
            check(&moved, PAYLOAD, TIMESTAMP + 600),
            Err(NotifyError::SignatureMismatch)
        ));
    }

    #[test]
    fn malformed_headers_are_named() {
        let no_time = WebhookHeaders {
            timestamp: "yesterday",
            ..headers(SIGNATURE)
        };
        let err = check(&no_time, PAYLOAD, TIMESTAMP).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the webhook-timestamp header is missing or malformed"
        );
        let no_id = WebhookHeaders {
            id: "",
            ..headers(SIGNATURE)
        };
        assert!(matches!(
            check(&no_id, PAYLOAD, TIMESTAMP),
            Err(NotifyError::BadHeader("webhook-id"))
        ));
        for signature in [
            "",
            "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            "v1,???",
            "v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ] {
            assert!(
                matches!(
                    check(&headers(signature), PAYLOAD, TIMESTAMP),
                    Err(NotifyError::SignatureMismatch)
                ),
                "{signature}"
            );
        }
    }

    #[test]
    fn any_of_several_signatures_may_match_during_a_rotation() {
        let list = format!(
            "v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== \
             v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= {SIGNATURE}"
        );
        check(&headers(&list), PAYLOAD, TIMESTAMP).unwrap();
    }

    #[test]
    fn generated_secrets_are_random_and_read_back() {
        let one = WebhookSecret::generate();
        let two = WebhookSecret::generate();
        assert_ne!(one, two);
        assert!(one.as_str().starts_with("whsec_"));
        assert_eq!(one.key.len(), 32);
        assert_eq!(WebhookSecret::parse(one.as_str()).unwrap(), one);
        assert!(!format!("{one:?}").contains(&one.as_str()[6..]));
    }

    #[test]
    fn secrets_that_are_not_whsec_base64_of_24_to_64_bytes_are_refused() {
        let short = format!("whsec_{}", STANDARD.encode([7u8; 16]));
        let long = format!("whsec_{}", STANDARD.encode([7u8; 65]));
        for bad in [
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "whsec_not base64!",
            short.as_str(),
            long.as_str(),
        ] {
            assert!(
                matches!(WebhookSecret::parse(bad), Err(NotifyError::BadSecret(_))),
                "{bad}"
            );
        }
        let longest = format!("whsec_{}", STANDARD.encode([7u8; 64]));
        WebhookSecret::parse(&longest).unwrap();
    }

    #[test]
    fn signed_headers_are_the_standard_three() {
        let headers = signed_headers(&secret(), MSG_ID, TIMESTAMP, PAYLOAD);
        assert_eq!(
            headers,
            vec![
                ("webhook-id", MSG_ID.to_owned()),
                ("webhook-timestamp", "1614265330".to_owned()),
                ("webhook-signature", SIGNATURE.to_owned()),
            ]
        );
    }

    #[test]
    fn the_body_is_the_standard_envelope_with_the_notice_in_data() {
        let body = webhook_body(&incident());
        assert_eq!(
            body,
            json!({
                "type": "incident.updated",
                "timestamp": "2025-03-04T14:05:00Z",
                "data": {
                    "org": {"slug": "acme", "name": "Acme"},
                    "page_url": "https://status.example.com/acme",
                    "id": "inc_123",
                    "title": "Elevated API errors",
                    "status": "Identified",
                    "impact": "major",
                    "message": "We found the **cause** and are rolling back.",
                    "message_html": "<p>We found the <strong>cause</strong> and are rolling back.</p>",
                    "services": ["API", "Dashboard"],
                    "link": "https://status.example.com/acme/incidents/inc_123",
                    "window": null,
                },
            })
        );
        let body = webhook_body(&maintenance());
        assert_eq!(body["type"], "maintenance.started");
        assert!(body["data"]["impact"].is_null());
        assert_eq!(
            body["data"]["window"],
            json!({"starts_at": "2025-03-04T14:00:00Z", "ends_at": "2025-03-04T16:00:00Z"})
        );
    }

    #[test]
    fn a_body_signed_as_sent_verifies() {
        let secret = WebhookSecret::generate();
        let bytes = serde_json::to_vec(&webhook_body(&incident())).unwrap();
        let now = Utc::now();
        let headers = signed_headers(&secret, "01956f7e-aaaa", now.timestamp(), &bytes);
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
                .unwrap()
        };
        let received = WebhookHeaders {
            id: get(WEBHOOK_ID_HEADER),
            timestamp: get(TIMESTAMP_HEADER),
            signature: get(SIGNATURE_HEADER),
        };
        verify(&secret, &received, &bytes, now, TimeDelta::minutes(5)).unwrap();
    }
}
