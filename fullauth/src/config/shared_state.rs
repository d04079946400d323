//! The shared state: where revocations and counters live when several instances serve one application.

use super::env_reader::EnvReader;
use super::secret::redacted_url;
use super::setting::{ConfigError, Setting};

const REDIS_URL: Setting = Setting::new("shared_state.redis_url", "REDIS_URL");

/// Where the ephemeral state shared by every instance lives.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SharedStateConfig {
    /// Redis for the shared state (feature `redis`): revocations and counters shared by every instance. Unset,
    /// the state lives in this process's memory, which is right for one instance only (`FULLAUTH_REDIS_URL`).
    pub redis_url: Option<RedisUrl>,
}

impl SharedStateConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        let mut url = None;
        env.optional_text(REDIS_URL, &mut url);
        if url.is_some() {
            self.redis_url = url.map(RedisUrl);
        }
        Ok(())
    }
}

/// A Redis URL (`redis://[:password@]host:port/db`, `rediss://` for TLS); its `Debug` output hides the
/// credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisUrl(pub String);

impl std::fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RedisUrl")
            .field(&redacted_url(&self.0))
            .finish()
    }
}
