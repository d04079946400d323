//! Recovery codes: ten single-use codes shown once, `xxxx-xxxx-xxxx` in lower-case hex (48 random bits each, as
//! fastapi-fullauth writes them), kept only as keyed digests.
//!
//! A plain hash of a 48-bit code can be found by trying every code, and one such sweep would open every account of
//! a leaked database at once. Each digest is therefore an HMAC under a key the application derives from its secret
//! key and the user (see [`recovery_code_digest`]): the database alone opens nothing.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How many recovery codes a confirmation gives.
pub const RECOVERY_CODES: usize = 10;

/// New recovery codes, and their digests under `key` comma-separated, as the MFA row keeps them.
pub fn new_recovery_codes(key: &[u8]) -> (Vec<String>, String) {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let hex = crate::random::hex(6);
            format!("{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
        })
        .collect();
    let digests: Vec<String> = codes
        .iter()
        .map(|code| recovery_code_digest(key, code))
        .collect();
    (codes, digests.join(","))
}

/// The digest a recovery code is kept as: lower-case hex HMAC-SHA256 under `key` (a key of the user's own) of the
/// code as typed, whitespace removed and lower-cased.
pub fn recovery_code_digest(key: &[u8], typed: &str) -> String {
    let normalized: String = typed
        .chars()
        .filter(|character| !character.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    #[allow(clippy::expect_used)]
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(normalized.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Whether `typed` has the shape of a recovery code (so that it is not tried as a TOTP code).
pub fn looks_like_recovery_code(typed: &str) -> bool {
    typed.contains('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_groups_of_hex_kept_as_keyed_digests() {
        let (codes, digests) = new_recovery_codes(b"key");
        assert_eq!(codes.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 14, "{code}");
            assert!(
                code.split('-')
                    .all(|group| group.len() == 4 && group.bytes().all(|b| b.is_ascii_hexdigit()))
            );
            assert!(digests.contains(&recovery_code_digest(b"key", code)));
            assert!(!digests.contains(&recovery_code_digest(b"another key", code)));
            assert!(!digests.contains(code.as_str()));
        }
        assert_eq!(
            recovery_code_digest(b"key", " A67D-6ceb-855c "),
            recovery_code_digest(b"key", "a67d-6ceb-855c")
        );
    }

    /// The digest is HMAC-SHA256 of the normalized code, nothing home-made.
    #[test]
    fn the_digest_is_hmac_sha256_of_the_normalized_code() {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"a67d-6ceb-855c");
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(recovery_code_digest(b"Jefe", " a67d-6ceb-855c\n"), expected);
        assert_eq!(recovery_code_digest(b"Jefe", "A67D-6CEB-855C"), expected);
    }
}
