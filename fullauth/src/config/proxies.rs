//! Proxies: which headers tell the client's address, when fullauth runs behind proxies that set them.

use super::env_reader::EnvReader;
use super::network::IpNetwork;
use super::setting::{ConfigError, Setting};

const TRUSTED_HEADERS: Setting = Setting::new("proxies.trusted_headers", "TRUSTED_PROXY_HEADERS");
const TRUSTED_COUNT: Setting = Setting::new("proxies.trusted_count", "TRUSTED_PROXY_COUNT");
const TRUSTED_PROXIES: Setting = Setting::new("proxies.trusted_proxies", "TRUSTED_PROXIES");

/// Where the client's address comes from: the peer, or the headers of trusted proxies.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProxyConfig {
    /// Headers that trusted proxies set with the client's address, e.g. `X-Forwarded-For`; empty (the default):
    /// the peer address counts and no header is believed (`FULLAUTH_TRUSTED_PROXY_HEADERS`).
    pub trusted_headers: Vec<String>,
    /// How many trusted proxies stand in front: the address taken is this many entries from the right of the
    /// header's list (`FULLAUTH_TRUSTED_PROXY_COUNT`). Used only while [`Self::trusted_proxies`] is empty.
    pub trusted_count: usize,
    /// The addresses and networks of your proxies (`FULLAUTH_TRUSTED_PROXIES`, e.g. `10.0.0.0/8,127.0.0.1`).
    /// When set, [`Self::trusted_headers`] are read only from a peer in this list, and the client is the
    /// right-most address of the header that is not itself one of these proxies. Empty (the default) with
    /// trusted headers set: the headers are believed from any peer, which lets a client that reaches the
    /// server directly choose its own address; fullauth warns about it at start.
    pub trusted_proxies: Vec<IpNetwork>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self {
            trusted_headers: Vec::new(),
            trusted_count: 1,
            trusted_proxies: Vec::new(),
        }
    }
}

impl ProxyConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.list(TRUSTED_HEADERS, &mut self.trusted_headers)?;
        env.parse(TRUSTED_COUNT, &mut self.trusted_count)?;
        let mut proxies = Vec::new();
        env.list(TRUSTED_PROXIES, &mut proxies)?;
        if !proxies.is_empty() {
            self.trusted_proxies = proxies
                .iter()
                .map(|text| text.parse())
                .collect::<Result<_, _>>()
                .map_err(|error: super::network::InvalidNetwork| {
                    TRUSTED_PROXIES.invalid(&error.to_string()).in_environment()
                })?;
        }
        Ok(())
    }

    /// Whether forwarded headers are believed from every peer: trusted headers without a list of proxies.
    pub(crate) fn believes_anyone(&self) -> bool {
        !self.trusted_headers.is_empty() && self.trusted_proxies.is_empty()
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
