use std::fmt;

use super::setting::ConfigError;

/// An HMAC key of at least 32 bytes. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    /// Shortest accepted key, in bytes.
    pub const MIN_LENGTH: usize = 32;

    /// Wraps a key; shorter than [`Self::MIN_LENGTH`] bytes is an error.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, ConfigError> {
        let bytes = bytes.into();
        if bytes.len() < Self::MIN_LENGTH {
            return Err(ConfigError::invalid(
                "secret_key",
                &format!(
                    "is {} bytes long; it must be at least {} bytes (e.g. `openssl rand -base64 48`)",
                    bytes.len(),
                    Self::MIN_LENGTH
                ),
            ));
        }
        Ok(Self(bytes))
    }

    /// 48 random bytes from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = vec![0_u8; 48];
        crate::random::fill(&mut bytes);
        Self(bytes)
    }

    /// The key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// A URL as `Debug` shows it: anything before `@` replaced.
pub(super) fn redacted_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://<credentials>@{host}"),
            None => url.to_owned(),
        },
        None => "<invalid>".to_owned(),
    }
}
