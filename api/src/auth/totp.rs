//! Time-based one-time passwords (RFC 6238, with `totp-rs`): SHA-1, 6 digits, 30-second steps,
//! the settings every authenticator app takes from an `otpauth://` URI. A code of the step
//! before or after the current one is accepted too (clocks drift), and the step a code matched
//! is answered so the caller can refuse it a second time.
//!
//! Also the recovery codes: ten per person, shown once, stored as their SHA-256 (they carry 64
//! random bits each, and the sign-in rate limit stands before any guess).

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

/// Seconds per time step.
pub const STEP_SECS: u64 = 30;
const DIGITS: usize = 6;
/// Steps accepted on either side of the current one.
const SKEW: i64 = 1;
/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
const SECRET_LEN: usize = 20;
/// The issuer shown by authenticator apps.
const ISSUER: &str = "Upstate";
/// How many recovery codes a person gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// A new random secret.
pub fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_LEN];
    rand::fill(&mut secret[..]);
    secret
}

/// The secret as authenticator apps take it typed in: base32 without padding.
pub fn base32(secret: &[u8]) -> String {
    totp_rs::Secret::Raw(secret.to_vec())
        .to_encoded()
        .to_string()
}

fn totp(secret: &[u8], account: &str) -> Result<TOTP, String> {
    // `:` separates issuer and account in the URI's label: an address has none, but a
    // stray one must not make enrolment fail.
    let account = account.replace(':', "");
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECS,
        secret.to_vec(),
        Some(ISSUER.to_owned()),
        account,
    )
    .map_err(|err| format!("a TOTP cannot be made: {err}"))
}

/// The `otpauth://totp/...` URI an authenticator app scans.
pub fn otpauth_uri(secret: &[u8], account: &str) -> Result<String, String> {
    Ok(totp(secret, account)?.get_url())
}

/// The URI as a QR code: an SVG document, drawn black on white whatever the page's colours.
pub fn qr_svg(uri: &str) -> Result<String, String> {
    let code = qrcode::QrCode::new(uri.as_bytes())
        .map_err(|err| format!("the QR code cannot be drawn: {err}"))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build())
}

/// The time step `code` belongs to, if it is right for `secret` at `unix_time` (give or take a
/// step); `None` for a wrong or malformed code.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let generator = totp(secret, "").ok()?;
    let now = i64::try_from(unix_time / STEP_SECS).ok()?;
    let mut found = None;
    // Every candidate is computed and compared in constant time: how long it takes says
    // nothing about which step matched.
    for step in (now - SKEW)..=(now + SKEW) {
        let Ok(at) = u64::try_from(step) else {
            continue;
        };
        let expected = generator.generate(at * STEP_SECS);
        if bool::from(expected.as_bytes().ct_eq(code.as_bytes())) {
            found = Some(step);
        }
    }
    found
}

/// Now, in seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// Whether `text` looks like a TOTP code (six digits) rather than a recovery code.
pub fn looks_like_code(text: &str) -> bool {
    let text = text.trim();
    text.len() == DIGITS && text.bytes().all(|b| b.is_ascii_digit())
}

/// Ten new recovery codes, as shown to the person: `xxxx-xxxx-xxxx-xxxx` (hex, 64 bits).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 8];
            rand::fill(&mut bytes);
            let hex = hex::encode(bytes);
            format!(
                "{}-{}-{}-{}",
                &hex[0..4],
                &hex[4..8],
                &hex[8..12],
                &hex[12..16]
            )
        })
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of its digits, without dashes or spaces and
/// in lower case, so it is accepted however it is typed back.
pub fn recovery_code_hash(code: &str) -> String {
    let plain: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    crate::auth::tokens::hash_token(&plain)
}

/// After a rotation of the secrets key (a previous key is set): seals every secret that opens
/// only with the previous key again with the current one, at start, so the previous key can be
/// dropped at the next restart. Answers how many were sealed again; a secret that opens with
/// neither key is left as it is (and logged).
pub fn reseal_stale(
    conn: &mut upstate_store::DbConnection,
    sealer: &crate::auth::sealed::Sealer,
) -> upstate_store::StoreResult<usize> {
    let mut resealed = 0;
    for (user, sealed) in upstate_store::two_factor::sealed_secrets(conn)? {
        match sealer.open(&sealed, user.as_str().as_bytes()) {
            Ok(opened) if opened.stale => {
                let again = sealer.seal(&opened.plain, user.as_str().as_bytes());
                upstate_store::two_factor::reseal(conn, &user, &again)?;
                resealed += 1;
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(user = %user.as_str(), "{err}"),
        }
    }
    Ok(resealed)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238's Appendix B secret for SHA-1 ("12345678901234567890") and its 8-digit values,
    /// whose last six digits are the 6-digit codes.
    #[test]
    fn codes_match_rfc_6238_appendix_b() {
        let secret = b"12345678901234567890";
        for (time, eight) in [
            (59u64, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            let code = &eight[2..];
            assert_eq!(
                matching_step(secret, code, time),
                Some(i64::try_from(time / 30).unwrap())
            );
        }
    }

    #[test]
    fn a_neighbouring_step_is_accepted_and_a_farther_one_is_not() {
        let secret = b"12345678901234567890";
        // 287082 is the code of step 1 (t = 59).
        assert_eq!(matching_step(secret, "287082", 59 + 30), Some(1));
        assert_eq!(matching_step(secret, "287082", 59 + 60), None);
        assert_eq!(matching_step(secret, "28708", 59), None);
        assert_eq!(matching_step(secret, "abcdef", 59), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        let code = &codes[0];
        assert_eq!(
            recovery_code_hash(code),
            recovery_code_hash(&code.replace('-', " ").to_uppercase())
        );
        assert!(!looks_like_code(code));
        assert!(looks_like_code("123456"));
    }

    #[test]
    fn the_uri_names_the_issuer_account_and_parameters() {
        let secret = new_secret();
        let uri = otpauth_uri(&secret, "ada@example.com").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/Upstate:ada%40example.com?"),
            "{uri}"
        );
        assert!(
            uri.contains(&format!("secret={}", base32(&secret))),
            "{uri}"
        );
        assert!(qr_svg(&uri).unwrap().starts_with("<?xml"));
    }
}
