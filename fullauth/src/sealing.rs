//! Secrets at rest (OAuth provider tokens, TOTP secrets): sealed with ChaCha20-Poly1305 under a key derived from
//! the secret key, one key per purpose.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::SecretKey;

/// The version prefix of a sealed value, so that another scheme can be introduced beside this one.
const PREFIX: &str = "v1.";
const NONCE_BYTES: usize = 12;

/// Seals and opens the secrets of one purpose. `Debug` shows nothing of the key.
#[derive(Clone)]
pub(crate) struct Sealer {
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(<key redacted>)")
    }
}

impl Sealer {
    /// The sealer of provider tokens.
    #[cfg(feature = "oauth")]
    pub(crate) fn for_provider_tokens(secret: &SecretKey) -> Self {
        Self::new(secret, b"fullauth oauth provider token sealing")
    }

    /// The sealer of TOTP secrets.
    #[cfg(feature = "mfa")]
    pub(crate) fn for_totp_secrets(secret: &SecretKey) -> Self {
        Self::new(secret, b"fullauth totp secret sealing")
    }

    /// A sealer keyed by HMAC-SHA256(`secret`, `purpose`): the secrets of one purpose never open with another's
    /// key.
    fn new(secret: &SecretKey, purpose: &[u8]) -> Self {
        #[allow(clippy::expect_used)]
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(purpose);
        let key = mac.finalize().into_bytes();
        Self {
            cipher: ChaCha20Poly1305::new(&key),
        }
    }

    /// `plaintext` sealed under a fresh random nonce and bound to `context` (the row it belongs in, say: a
    /// sealed value moved to another context does not open), as text for a database column.
    pub(crate) fn seal(&self, plaintext: &str, context: &[u8]) -> String {
        let mut nonce = [0_u8; NONCE_BYTES];
        crate::random::fill(&mut nonce);
        // Encryption with a valid key and nonce cannot fail; a failure would be a bug in the cipher crate.
        let ciphertext = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context,
                },
            )
            .unwrap_or_default();
        let mut sealed = nonce.to_vec();
        sealed.extend_from_slice(&ciphertext);
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(sealed))
    }

    /// The plaintext of a value [`Self::seal`] produced under the same secret key and `context`; `None` for
    /// anything else (another key or context, a changed byte).
    pub(crate) fn open(&self, sealed: &str, context: &[u8]) -> Option<String> {
        let bytes = URL_SAFE_NO_PAD.decode(sealed.strip_prefix(PREFIX)?).ok()?;
        if bytes.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce = <[u8; NONCE_BYTES]>::try_from(nonce).ok()?;
        let plaintext = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context,
                },
            )
            .ok()?;
        String::from_utf8(plaintext).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(secret: &str) -> Sealer {
        Sealer::for_provider_tokens(&SecretKey::new(secret).unwrap())
    }

    #[test]
    fn sealed_tokens_open_only_under_the_same_key_and_unchanged() {
        let sealer = sealer("0123456789abcdef0123456789abcdef");
        let sealed = sealer.seal("gho_provider-access-token", b"github\x00101");
        assert!(!sealed.contains("gho_"));
        assert_ne!(
            sealed,
            sealer.seal("gho_provider-access-token", b"github\x00101"),
            "fresh nonce each time"
        );
        assert_eq!(
            sealer.open(&sealed, b"github\x00101").as_deref(),
            Some("gho_provider-access-token")
        );
        assert_eq!(sealer.open(&sealed, b"github\x00102"), None);
        let other = super::tests::sealer("fedcba9876543210fedcba9876543210");
        assert_eq!(other.open(&sealed, b"github\x00101"), None);
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 1;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            sealer.open(&String::from_utf8(tampered).unwrap(), b"github\x00101"),
            None
        );
        assert_eq!(sealer.open("gho_plain", b""), None);
        assert!(!format!("{sealer:?}").contains("0123"));
    }
}
