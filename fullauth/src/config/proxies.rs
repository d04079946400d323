//! Proxies: which headers tell the client's address, when fullauth runs behind proxies that set them.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const TRUSTED_HEADERS: Setting = Setting::new("proxies.trusted_headers", "TRUSTED_PROXY_HEADERS");
const TRUSTED_COUNT: Setting = Setting::new("proxies.trusted_count", "TRUSTED_PROXY_COUNT");

/// Where the client's address comes from: the peer, or the headers of trusted proxies.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProxyConfig {
    /// Headers that trusted proxies set with the client's address, e.g. `X-Forwarded-For`; empty (the default):
    /// the peer address counts and no header is believed (`FULLAUTH_TRUSTED_PROXY_HEADERS`).
    pub trusted_headers: Vec<String>,
    /// How many trusted proxies stand in front: the address taken is this many entries from the right of the
    /// header's list (`FULLAUTH_TRUSTED_PROXY_COUNT`).
    pub trusted_count: usize,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            trusted_headers: Vec::new(),
            trusted_count: 1,
        }
    }
}

impl ProxyConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.list(TRUSTED_HEADERS, &mut self.trusted_headers)?;
        env.parse(TRUSTED_COUNT, &mut self.trusted_count)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.trusted_count == 0 {
            return Err(TRUSTED_COUNT.invalid("must be at least 1"));
        }
        if self
            .trusted_headers
            .iter()
            .any(|name| axum::http::HeaderName::from_bytes(name.as_bytes()).is_err())
        {
            return Err(TRUSTED_HEADERS.invalid("must be header names"));
        }
        Ok(())
    }
}
