//! Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), always off the async workers.
//! Verifying against a dummy hash when the account does not exist makes a sign-in for an
//! unknown email cost what a wrong password costs.

use crate::error::ApiError;
use actix_web::web;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::LazyLock;

fn argon2() -> Argon2<'static> {
    // 19 MiB, 2 iterations, 1 lane: OWASP's recommended minimum for Argon2id.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Password hashes computed by this process (tests count them: costly work must not be free to
/// ask for).
static HASHES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many password hashes this process has computed.
pub fn hashes_computed() -> u64 {
    HASHES.load(std::sync::atomic::Ordering::Relaxed)
}

fn hash_now(password: &str) -> Result<String, ApiError> {
    HASHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| ApiError::Internal(format!("hashing a password failed: {err}")))
}

fn verify_now(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of nothing anyone knows, verified against when the account does not exist.
static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_now("no account has this password").unwrap_or_default());

/// Hashes a password on the blocking pool.
pub async fn hash(password: String) -> Result<String, ApiError> {
    web::block(move || hash_now(&password)).await?
}

/// Verifies a password on the blocking pool; with no hash (unknown account), verifies against
/// the dummy hash and answers false.
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, ApiError> {
    Ok(web::block(move || match hash {
        Some(hash) => verify_now(&password, &hash),
        None => {
            verify_now(&password, &DUMMY_HASH);
            false
        }
    })
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let hash = hash_now("correct horse").unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_now("correct horse", &hash));
        assert!(!verify_now("wrong horse", &hash));
        assert_ne!(hash, hash_now("correct horse").unwrap(), "salted");
        assert!(!verify_now("anything", "not a hash"));
    }

    #[test]
    fn an_unknown_account_costs_what_a_wrong_password_costs() {
        // The unknown-account path verifies against the dummy hash, so its cost is an Argon2id
        // verification at exactly the parameters of a real account's hash. (Wall-clock
        // comparisons here measured the allocator and the machine's load, not this property.)
        let real = hash_now("correct horse").unwrap();
        let params = |hash: &str| hash.split('$').take(4).collect::<Vec<_>>().join("$");
        assert_eq!(params(&DUMMY_HASH), params(&real));
        assert_eq!(params(&real), "$argon2id$v=19$m=19456,t=2,p=1");
        assert!(
            PasswordHash::new(&DUMMY_HASH).is_ok(),
            "the dummy hash parses, so it is verified"
        );
    }
}
