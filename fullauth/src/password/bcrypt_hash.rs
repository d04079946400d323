//! Verifying bcrypt hashes, which fastapi-fullauth writes with its bcrypt option: such accounts sign in with
//! their passwords, and the hash is replaced by an Argon2id one at once.

use super::Verification;

/// The prefixes of the bcrypt variants in use (`$2a$`, `$2b$`, `$2y$`); older `$2$` and `$2x$` hashes are not
/// accepted.
const PREFIXES: [&str; 3] = ["$2a$", "$2b$", "$2y$"];

/// bcrypt reads at most this many bytes of a password; a longer one never matches, as in fastapi-fullauth,
/// rather than matching on its first 72 bytes.
const MAX_PASSWORD_BYTES: usize = 72;

/// The highest cost a stored hash may ask for: 2^14 rounds take about a second already, and a hash asking for
/// more would tie a hashing thread up for longer at every attempt.
const MAX_COST: u32 = 14;

/// Whether `stored` is a bcrypt hash.
pub(super) fn is_bcrypt(stored: &str) -> bool {
    PREFIXES.iter().any(|prefix| stored.starts_with(prefix))
}

/// Checks `password` against the bcrypt hash `stored`; a match always needs a rehash, into Argon2id.
pub(super) fn verify(password: &str, stored: &str) -> Verification {
    let Some(cost) = stored
        .get(4..6)
        .and_then(|digits| digits.parse::<u32>().ok())
    else {
        tracing::warn!("stored bcrypt hash has no readable cost; refusing it");
        return Verification::Invalid;
    };
    if cost > MAX_COST {
        tracing::warn!(
            cost,
            "stored bcrypt hash exceeds the verification limits; refusing it"
        );
        return Verification::Invalid;
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Verification::Invalid;
    }
    match bcrypt::verify(password, stored) {
        Ok(true) => Verification::Valid { needs_rehash: true },
        Ok(false) => Verification::Invalid,
        Err(error) => {
            tracing::warn!(%error, "stored bcrypt hash is malformed; refusing it");
            Verification::Invalid
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written by Python's `bcrypt.hashpw(b"correct horse 1", bcrypt.gensalt(4))`.
    const PYTHON_HASH: &str = "$2b$04$69.K37mV3Rz0GuM/Niya1uyK/TKbWiSmAqB.dkg8XCF1lhE0Jbela";
    /// Written by Python's bcrypt for a password of 72 `x`.
    const PYTHON_HASH_OF_72_BYTES: &str =
        "$2b$04$.GptivDNpy0ofbFQpF9XxOqAwpl7IMaGqm3t3DTpBOCsswq9JDCt.";

    #[test]
    fn recognizes_the_bcrypt_variants() {
        assert!(is_bcrypt(PYTHON_HASH));
        assert!(is_bcrypt("$2a$10$abc"));
        assert!(is_bcrypt("$2y$10$abc"));
        assert!(!is_bcrypt("$argon2id$v=19$m=19456,t=2,p=1$abc"));
        assert!(!is_bcrypt("$2x$10$abc"));
    }

    #[test]
    fn python_hashes_verify_and_ask_for_a_rehash() {
        assert_eq!(
            verify("correct horse 1", PYTHON_HASH),
            Verification::Valid { needs_rehash: true }
        );
        assert_eq!(
            verify("correct horse 2", PYTHON_HASH),
            Verification::Invalid
        );
        assert_eq!(verify("", PYTHON_HASH), Verification::Invalid);
    }

    #[test]
    fn a_password_longer_than_bcrypt_reads_never_matches() {
        let seventy_two = "x".repeat(72);
        assert_eq!(
            verify(&seventy_two, PYTHON_HASH_OF_72_BYTES),
            Verification::Valid { needs_rehash: true }
        );
        let longer = "x".repeat(73);
        assert_eq!(
            verify(&longer, PYTHON_HASH_OF_72_BYTES),
            Verification::Invalid
        );
    }

    #[test]
    fn malformed_and_too_costly_hashes_are_refused() {
        for stored in [
            "$2b$",
            "$2b$xx$69.K37mV3Rz0GuM/Niya1uyK/TKbWiSmAqB.dkg8XCF1lhE0Jbela",
            "$2b$04$tooshort",
            "$2b$31$69.K37mV3Rz0GuM/Niya1uyK/TKbWiSmAqB.dkg8XCF1lhE0Jbela",
        ] {
            assert_eq!(
                verify("correct horse 1", stored),
                Verification::Invalid,
                "{stored}"
            );
        }
    }
}
