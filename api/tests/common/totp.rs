//! An RFC 6238 implementation of the tests' own (HMAC-SHA1 from the `hmac` and `sha1` crates,
//! checked against RFC 6238's Appendix B in tests/two_factor.rs), never the server's, to compute
//! the codes a person's authenticator app would show.

use super::{Account, TestApp};
use hmac::{Hmac, Mac};
use serde_json::json;

/// HOTP (RFC 4226) of `counter` with `digits` digits: HMAC-SHA1, dynamic truncation.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(secret).unwrap();
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = (u32::from(hash[offset]) & 0x7f) << 24
        | u32::from(hash[offset + 1]) << 16
        | u32::from(hash[offset + 2]) << 8
        | u32::from(hash[offset + 3]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(digits),
        width = digits as usize
    )
}

/// The 6-digit TOTP code of time step `step` (30 s steps from the Unix epoch).
pub fn code_at(secret: &[u8], step: u64) -> String {
    hotp(secret, step, 6)
}

/// RFC 4648 base32, as the server hands the secret out (upper case, no padding).
pub fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let value = ALPHABET.iter().position(|&a| a == c).unwrap() as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The current time step, once at least 15 seconds of it are left: a test uses the codes of
/// the step before, this one and the next (the server accepts one step either side), and must
/// not see the server's clock move two steps meanwhile.
pub async fn fresh_step() -> u64 {
    loop {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        if now % 30 <= 15 {
            return now / 30;
        }
        tokio::time::sleep(std::time::Duration::from_secs(30 - now % 30)).await;
    }
}

/// Turns two-factor sign-in on for `account` as its person would (the secret from the
/// enrolment, the first code confirming it); answers the secret.
pub async fn turn_on(app: &TestApp, account: &Account) -> Vec<u8> {
    let started = app
        .post_as("/api/v1/account/two-factor/totp", &account.token, json!({}))
        .await;
    assert_eq!(started.status, 200, "{:?}", started.body);
    let secret = base32_decode(started.body["secret"].as_str().unwrap());
    let step = fresh_step().await;
    let confirmed = app
        .post_as(
            "/api/v1/account/two-factor/totp/confirm",
            &account.token,
            json!({ "code": code_at(&secret, step) }),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{:?}", confirmed.body);
    secret
}
