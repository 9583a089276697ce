//! Access tokens (JWT, HS256 pinned) and the random tokens Upstate hands out (refresh tokens,
//! reset links, invitations, API keys), which are stored only as their SHA-256.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use upstate_shared::UserId;

/// How long an access token lives.
pub const ACCESS_TTL: Duration = Duration::minutes(15);
/// How long a session lasts without use.
pub const REFRESH_TTL: Duration = Duration::days(30);
/// How long a password reset link works.
pub const RESET_TTL: Duration = Duration::hours(1);
/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// Prefixes, so a leaked token is recognised in logs and by secret scanners.
pub const API_KEY_PREFIX: &str = "upk_";
pub const REFRESH_PREFIX: &str = "upr_";
pub const RESET_PREFIX: &str = "ups_";
pub const INVITATION_PREFIX: &str = "upi_";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: i64,
    exp: i64,
}

/// Signs and checks access tokens.
pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl Jwt {
    pub fn new(secret: &str) -> Jwt {
        // HS256 only: a token naming another algorithm (none, RS256 with our key...) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        validation.leeway = 5;
        Jwt {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// A new access token for `user`, and when it expires.
    pub fn issue(
        &self,
        user: &UserId,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        let now = Utc::now();
        let expires_at = now + ACCESS_TTL;
        let claims = Claims {
            sub: user.0.clone(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, expires_at))
    }

    /// The user of a valid, unexpired token.
    pub fn verify(&self, token: &str) -> Option<UserId> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| UserId(data.claims.sub))
    }
}

/// A new random token: the prefix and 256 random bits.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored of a token: its SHA-256, in hex. (The tokens carry 256 random bits, so a
/// fast hash is enough; passwords are another matter.)
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_tokens_verify_and_carry_the_user() {
        let jwt = Jwt::new("a-secret-of-at-least-32-characters!!");
        let (token, expires_at) = jwt.issue(&UserId("u1".into())).unwrap();
        assert_eq!(jwt.verify(&token), Some(UserId("u1".into())));
        let lifetime = expires_at - Utc::now();
        assert!(lifetime <= ACCESS_TTL && lifetime > ACCESS_TTL - Duration::seconds(5));
        let other = Jwt::new("another-secret-of-at-least-32-chars!");
        assert_eq!(
            other.verify(&token),
            None,
            "a token signed with another key"
        );
    }

    #[test]
    fn expired_and_unsigned_tokens_are_refused() {
        let jwt = Jwt::new("a-secret-of-at-least-32-characters!!");
        let past = Claims {
            sub: "u1".into(),
            iat: (Utc::now() - Duration::hours(1)).timestamp(),
            exp: (Utc::now() - Duration::minutes(5)).timestamp(),
        };
        let expired =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &past, &jwt.encoding).unwrap();
        assert_eq!(jwt.verify(&expired), None);
        // {"alg":"none"} with the same claims: refused, the algorithm is pinned.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(
            format!(
                r#"{{"sub":"u1","iat":{},"exp":{}}}"#,
                Utc::now().timestamp(),
                Utc::now().timestamp() + 600
            )
            .as_bytes(),
        );
        assert_eq!(jwt.verify(&format!("{header}.{body}.")), None);
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &Claims {
                sub: "u1".into(),
                iat: Utc::now().timestamp(),
                exp: Utc::now().timestamp() + 600,
            },
            &jwt.encoding,
        )
        .unwrap();
        assert_eq!(jwt.verify(&hs512), None);
    }

    #[test]
    fn random_tokens_are_prefixed_unique_and_hashed() {
        let a = random_token(API_KEY_PREFIX);
        let b = random_token(API_KEY_PREFIX);
        assert!(a.starts_with("upk_") && a.len() == 4 + 43);
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
