//! [`MfaKeys`]: the keys of the second factors, derived from the secret key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::SecretKey;
use crate::sealing::Sealer;

/// The keys of the second factors, derived from the secret key: the sealer of TOTP secrets, and the key under which
/// each user's recovery codes are digested. `Debug` shows neither.
pub(crate) struct MfaKeys {
    pub(super) sealer: Sealer,
    recovery: Vec<u8>,
}

impl std::fmt::Debug for MfaKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MfaKeys(<redacted>)")
    }
}

impl MfaKeys {
    pub(crate) fn new(secret: &SecretKey) -> Self {
        Self {
            sealer: Sealer::for_totp_secrets(secret),
            recovery: hmac_sha256(secret.as_bytes(), b"fullauth recovery code digests"),
        }
    }

    /// The key of `user_id`'s recovery-code digests: the same code digests differently for another user.
    pub(crate) fn recovery_key(&self, user_id: &str) -> Vec<u8> {
        hmac_sha256(&self.recovery, user_id.as_bytes())
    }
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    #[allow(clippy::expect_used)]
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}
