//! Access tokens (JWT, HS256 pinned) and the random tokens Upstate hands out (refresh tokens,
//! reset links, invitations, API keys), which are stored only as their SHA-256.
//!
//! An access token names its user (`sub`), its session (`sid`: the refresh-token family of the
//! sign-in), what it is (`typ: "access"`), who issued it (`iss: "upstate"`) and for whom
//! (`aud: "upstate-api"`); all are checked, so a token another system signs with a shared
//! secret does not pass. (Not the public URL as issuer: changing it, or a replica started with
//! another, would sign everyone out.) The session is checked on every request too
//! (see `auth::caller`), so a token is refused as soon as its session is revoked.

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
/// How long an email verification link works.
pub const VERIFY_TTL: Duration = Duration::days(7);
/// How long an invitation can be accepted.
pub const INVITATION_TTL: Duration = Duration::days(7);

/// Prefixes, so a leaked token is recognised in logs and by secret scanners.
pub const API_KEY_PREFIX: &str = "upk_";
pub const REFRESH_PREFIX: &str = "upr_";
pub const RESET_PREFIX: &str = "ups_";
pub const INVITATION_PREFIX: &str = "upi_";
pub const VERIFY_PREFIX: &str = "upv_";
/// The prefix of an email change's confirmation token.
pub const EMAIL_CHANGE_PREFIX: &str = "upe_";

/// The issuer of access tokens.
pub const ISSUER: &str = "upstate";
/// The audience of access tokens: this API.
pub const AUDIENCE: &str = "upstate-api";
/// The `typ` of an access token (nothing else Upstate signs may pass for one).
const ACCESS_TYP: &str = "access";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    sid: String,
    typ: String,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// What a valid access token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub user: UserId,
    /// The session (refresh-token family) it was issued for.
    pub session: String,
    pub expires_at: DateTime<Utc>,
}

/// Signs and checks access tokens.
pub struct Jwt {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
}

impl Jwt {
    /// Tokens signed with `secret`, issued by `issuer` ([`ISSUER`]; tests use others).
    pub fn new(secret: &str, issuer: &str) -> Jwt {
        // HS256 only: a token naming another algorithm (none, RS256 with our key...) is refused.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 5;
        Jwt {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            validation,
            issuer: issuer.to_owned(),
        }
    }

    /// A new access token for `user` in `session`, and when it expires.
    pub fn issue(
        &self,
        user: &UserId,
        session: &str,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        self.issue_for(user, session, ACCESS_TTL)
    }

    /// An access token that lives `ttl` (tests of expiry use a short one).
    pub fn issue_for(
        &self,
        user: &UserId,
        session: &str,
        ttl: Duration,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        let now = Utc::now();
        let expires_at = now + ttl;
        let claims = Claims {
            sub: user.0.clone(),
            sid: session.to_owned(),
            typ: ACCESS_TYP.to_owned(),
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, expires_at))
    }

    /// What a valid, unexpired access token says (its session is checked by the caller).
    pub fn verify(&self, token: &str) -> Option<Access> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).ok()?;
        let claims = data.claims;
        if claims.typ != ACCESS_TYP || claims.sid.is_empty() {
            return None;
        }
        Some(Access {
            user: UserId(claims.sub),
            session: claims.sid,
            expires_at: DateTime::from_timestamp(claims.exp, 0)?,
        })
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

    const SECRET: &str = "a-secret-of-at-least-32-characters!!";
    const ISSUER: &str = "https://status.example.com";

    fn sign(claims: &serde_json::Value, algorithm: Algorithm) -> String {
        jsonwebtoken::encode(
            &Header::new(algorithm),
            claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    }

    fn claims(change: impl FnOnce(&mut serde_json::Value)) -> serde_json::Value {
        let now = Utc::now().timestamp();
        let mut claims = serde_json::json!({
            "sub": "u1", "sid": "s1", "typ": "access", "iss": ISSUER, "aud": AUDIENCE,
            "iat": now, "exp": now + 600,
        });
        change(&mut claims);
        claims
    }

    #[test]
    fn access_tokens_verify_and_carry_the_user_and_session() {
        let jwt = Jwt::new(SECRET, ISSUER);
        let (token, expires_at) = jwt.issue(&UserId("u1".into()), "s1").unwrap();
        let access = jwt.verify(&token).unwrap();
        assert_eq!(access.user, UserId("u1".into()));
        assert_eq!(access.session, "s1");
        assert_eq!(access.expires_at.timestamp(), expires_at.timestamp());
        let lifetime = expires_at - Utc::now();
        assert!(lifetime <= ACCESS_TTL && lifetime > ACCESS_TTL - Duration::seconds(5));
        let other = Jwt::new("another-secret-of-at-least-32-chars!", ISSUER);
        assert_eq!(
            other.verify(&token),
            None,
            "a token signed with another key"
        );
        let elsewhere = Jwt::new(SECRET, "https://other.example.com");
        assert_eq!(elsewhere.verify(&token), None, "a token of another server");
        assert!(
            jwt.verify(&sign(&claims(|_| {}), Algorithm::HS256))
                .is_some()
        );
    }

    #[test]
    fn tokens_without_the_right_claims_are_refused() {
        let jwt = Jwt::new(SECRET, ISSUER);
        type Change = fn(&mut serde_json::Value);
        let refused: [(&str, Change); 7] = [
            ("expired", |c| {
                c["exp"] = (Utc::now().timestamp() - 300).into()
            }),
            ("no session", |c| {
                c.as_object_mut().unwrap().remove("sid");
            }),
            ("another type", |c| c["typ"] = "refresh".into()),
            ("another audience", |c| c["aud"] = "something-else".into()),
            ("no audience", |c| {
                c.as_object_mut().unwrap().remove("aud");
            }),
            ("another issuer", |c| {
                c["iss"] = "https://evil.example.com".into()
            }),
            ("no issuer", |c| {
                c.as_object_mut().unwrap().remove("iss");
            }),
        ];
        for (what, change) in refused {
            assert_eq!(
                jwt.verify(&sign(&claims(change), Algorithm::HS256)),
                None,
                "{what}"
            );
        }
        // {"alg":"none"}, or another algorithm with the same key: refused, HS256 is pinned.
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims(|_| {}).to_string().as_bytes());
        assert_eq!(jwt.verify(&format!("{header}.{body}.")), None);
        assert_eq!(jwt.verify(&sign(&claims(|_| {}), Algorithm::HS512)), None);
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
