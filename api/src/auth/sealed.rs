//! Secrets the server must read back (TOTP seeds) are sealed at rest with a key of their own
//! (`UPSTATE_SECRETS_KEY`, else `DATA_DIR/secrets_key`), not the JWT secret: a leaked database
//! alone does not give them away, and either key can be changed without the other.
//!
//! A sealed value is `v1.` followed by base64url of a random 24-byte nonce and the
//! XChaCha20-Poly1305 ciphertext. The version names the format, so another can follow. What a
//! value is bound to (the person it belongs to) is authenticated alongside: a sealed secret
//! copied onto another person's row does not open.
//!
//! Rotation: the server seals with the current key and opens with it or, failing that, with
//! the previous one (`UPSTATE_SECRETS_KEY_PREVIOUS`); whoever reads a value opened with the
//! previous key seals it again with the current one (see `docs/two-factor.md`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// The length of a key: 256 bits.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
const VERSION: &str = "v1.";

/// A key of [`KEY_LEN`] bytes.
pub type SecretsKey = [u8; KEY_LEN];

/// Seals with the current key; opens with the current or the previous one.
pub struct Sealer {
    current: XChaCha20Poly1305,
    previous: Option<XChaCha20Poly1305>,
}

/// What opening a sealed value gave.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub plain: Vec<u8>,
    /// Opened with the previous key: the caller should store it sealed again with the current.
    pub stale: bool,
}

/// A sealed value that does not open: damaged, of an unknown format, bound to something else,
/// or sealed with a key the server no longer has.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("a sealed secret does not open with the secrets key (or the previous one)")]
pub struct DoesNotOpen;

impl Sealer {
    pub fn new(current: &SecretsKey, previous: Option<&SecretsKey>) -> Sealer {
        Sealer {
            current: XChaCha20Poly1305::new(Key::from_slice(current)),
            previous: previous.map(|key| XChaCha20Poly1305::new(Key::from_slice(key))),
        }
    }

    /// Seals `plain`, bound to `context` (which must be given again to open it).
    pub fn seal(&self, plain: &[u8], context: &[u8]) -> String {
        let mut nonce = [0u8; NONCE_LEN];
        rand::fill(&mut nonce);
        // Encrypting into a Vec fails only past the cipher's length limit (256 GiB).
        let ciphertext = self
            .current
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: context,
                },
            )
            .unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ciphertext);
        format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Opens a value sealed for `context`.
    pub fn open(&self, sealed: &str, context: &[u8]) -> Result<Opened, DoesNotOpen> {
        let encoded = sealed.strip_prefix(VERSION).ok_or(DoesNotOpen)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| DoesNotOpen)?;
        if bytes.len() < NONCE_LEN {
            return Err(DoesNotOpen);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = || Payload {
            msg: ciphertext,
            aad: context,
        };
        let nonce = XNonce::from_slice(nonce);
        if let Ok(plain) = self.current.decrypt(nonce, payload()) {
            return Ok(Opened {
                plain,
                stale: false,
            });
        }
        let previous = self.previous.as_ref().ok_or(DoesNotOpen)?;
        let plain = previous
            .decrypt(nonce, payload())
            .map_err(|_| DoesNotOpen)?;
        Ok(Opened { plain, stale: true })
    }
}

/// A key written as 64 hexadecimal digits.
pub fn parse_key(text: &str) -> Option<SecretsKey> {
    let bytes = hex::decode(text.trim()).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: SecretsKey = [1; KEY_LEN];
    const B: SecretsKey = [2; KEY_LEN];

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context() {
        let sealer = Sealer::new(&A, None);
        let sealed = sealer.seal(b"JBSWY3DPEHPK3PXP", b"user-1");
        assert!(sealed.starts_with("v1."));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            sealer.open(&sealed, b"user-1").unwrap(),
            Opened {
                plain: b"JBSWY3DPEHPK3PXP".to_vec(),
                stale: false
            }
        );
        // A fresh nonce each time: the same secret never seals the same way twice.
        assert_ne!(sealed, sealer.seal(b"JBSWY3DPEHPK3PXP", b"user-1"));
    }

    #[test]
    fn a_wrong_key_or_context_or_a_damaged_value_is_refused() {
        let sealed = Sealer::new(&A, None).seal(b"secret", b"user-1");
        assert_eq!(
            Sealer::new(&B, None).open(&sealed, b"user-1"),
            Err(DoesNotOpen)
        );
        assert_eq!(
            Sealer::new(&A, None).open(&sealed, b"user-2"),
            Err(DoesNotOpen)
        );
        let mut damaged = sealed.clone();
        let last = damaged.pop().unwrap();
        damaged.push(if last == 'A' { 'B' } else { 'A' });
        assert_eq!(
            Sealer::new(&A, None).open(&damaged, b"user-1"),
            Err(DoesNotOpen)
        );
        assert_eq!(
            Sealer::new(&A, None).open(&sealed.replacen("v1.", "v2.", 1), b"user-1"),
            Err(DoesNotOpen)
        );
        assert_eq!(
            Sealer::new(&A, None).open("v1.", b"user-1"),
            Err(DoesNotOpen)
        );
    }

    #[test]
    fn after_a_rotation_the_previous_key_opens_old_values_and_new_ones_use_the_current() {
        let old = Sealer::new(&A, None).seal(b"secret", b"user-1");
        let rotated = Sealer::new(&B, Some(&A));
        assert_eq!(
            rotated.open(&old, b"user-1").unwrap(),
            Opened {
                plain: b"secret".to_vec(),
                stale: true
            }
        );
        let resealed = rotated.seal(b"secret", b"user-1");
        assert!(!rotated.open(&resealed, b"user-1").unwrap().stale);
        // Once the previous key is dropped, only what was sealed again opens.
        let after = Sealer::new(&B, None);
        assert_eq!(after.open(&old, b"user-1"), Err(DoesNotOpen));
        assert!(after.open(&resealed, b"user-1").is_ok());
    }

    #[test]
    fn keys_are_64_hex_digits() {
        assert_eq!(parse_key(&"01".repeat(32)), Some(A));
        assert_eq!(parse_key("0102"), None);
        assert_eq!(parse_key(&"zz".repeat(32)), None);
    }
}
