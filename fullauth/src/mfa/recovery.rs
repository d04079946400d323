//! Recovery codes: ten single-use codes shown once, `xxxx-xxxx-xxxx` in lower-case hex (48 random bits each, as
//! fastapi-fullauth writes them), kept only as SHA-256 digests.

use sha2::{Digest as _, Sha256};

/// How many recovery codes a confirmation gives.
pub const RECOVERY_CODES: usize = 10;

/// New recovery codes, and their digests comma-separated, as the MFA row keeps them.
pub fn new_recovery_codes() -> (Vec<String>, String) {
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let hex = crate::random::hex(6);
            format!("{}-{}-{}", &hex[0..4], &hex[4..8], &hex[8..12])
        })
        .collect();
    let digests: Vec<String> = codes
        .iter()
        .map(|code| recovery_code_digest(code))
        .collect();
    (codes, digests.join(","))
}

/// The digest a recovery code is kept as: lower-case hex SHA-256 of the code as typed, spaces removed and
/// lower-cased.
pub fn recovery_code_digest(typed: &str) -> String {
    let normalized: String = typed
        .chars()
        .filter(|character| !character.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    Sha256::digest(normalized.as_bytes())
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
    fn codes_are_ten_groups_of_hex_kept_as_digests() {
        let (codes, digests) = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        for code in &codes {
            assert_eq!(code.len(), 14, "{code}");
            assert!(
                code.split('-')
                    .all(|group| group.len() == 4 && group.bytes().all(|b| b.is_ascii_hexdigit()))
            );
            assert!(digests.contains(&recovery_code_digest(code)));
            assert!(!digests.contains(code.as_str()));
        }
        assert_eq!(
            recovery_code_digest(" A67D-6ceb-855c "),
            recovery_code_digest("a67d-6ceb-855c")
        );
    }
}
