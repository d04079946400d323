//! The `otpauth://` URI authenticator apps scan, written as fastapi-fullauth (pyotp) writes it.

/// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`; SHA-1, 6 digits and 30 s are the
/// defaults every app assumes, so they are not written.
pub fn provisioning_uri(secret: &str, account: &str, issuer: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}",
        escape(issuer, true),
        escape(account, true),
        escape(secret, false),
        escape(issuer, false)
    )
}

/// Percent-encodes all but the unreserved characters (and `/` in the path).
fn escape(text: &str, in_path: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (in_path && byte == b'/');
        if keep {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::provisioning_uri;

    #[test]
    fn the_uri_is_pyotps() {
        assert_eq!(
            provisioning_uri("JBSWY3DPEHPK3PXP", "alice@example.com", "My App"),
            "otpauth://totp/My%20App:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
        );
        assert_eq!(
            provisioning_uri("AB", "a+b@x.io", "Acme/Ops"),
            "otpauth://totp/Acme/Ops:a%2Bb%40x.io?secret=AB&issuer=Acme%2FOps"
        );
    }
}
