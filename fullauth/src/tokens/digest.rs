use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of a token: what the database stores instead of the token.
pub fn token_digest(token: &str) -> String {
    lower_hex(&Sha256::digest(token.as_bytes()))
}

/// `bytes` as lower-case hex.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        hex.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
    }
    hex
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_the_known_sha256() {
        assert_eq!(
            super::token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
