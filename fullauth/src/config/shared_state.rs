//! The shared state: where revocations and counters live when several instances serve one application.

use super::env_reader::EnvReader;
use super::secret::redacted_url;
use super::setting::{ConfigError, Setting};

const REDIS_URL: Setting = Setting::new("shared_state.redis_url", "REDIS_URL");
/// fastapi-fullauth's choices of where each kind of state lives: read so that they agree with the one shared
/// state fullauth has.
const BACKENDS: [Setting; 5] = [
    Setting::new("shared_state", "BACKEND"),
    Setting::new("shared_state", "LOCKOUT_BACKEND"),
    Setting::new("shared_state", "RATE_LIMIT_BACKEND"),
    Setting::new("shared_state", "BLACKLIST_BACKEND"),
    Setting::new("shared_state", "PASSKEY_CHALLENGE_BACKEND"),
];
/// fastapi-fullauth's switch for the revocation list, which fullauth always keeps.
const BLACKLIST_ENABLED: Setting = Setting::new("shared_state.revocations", "BLACKLIST_ENABLED");

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
        env.always_on(
            BLACKLIST_ENABLED,
            "signing out, ending a session and changing a password revoke the access tokens already issued",
        )?;
        self.check_backends(env)
    }

    /// fastapi-fullauth chooses memory or Redis per kind of state; fullauth keeps all of it in Redis when
    /// `FULLAUTH_REDIS_URL` is set and in memory otherwise. Choices that agree with that are accepted; any other
    /// is refused, since honouring half of them would split the state.
    fn check_backends(&self, env: &EnvReader) -> Result<(), ConfigError> {
        let with_redis = self.redis_url.is_some();
        for setting in BACKENDS {
            let Some(value) = env.value(setting) else {
                continue;
            };
            match value.trim().to_ascii_lowercase().as_str() {
                "redis" if with_redis => {}
                "memory" if !with_redis => {}
                "redis" => {
                    return Err(setting
                        .invalid("= redis, but FULLAUTH_REDIS_URL is not set: set it to the Redis server")
                        .in_environment());
                }
                "memory" => {
                    return Err(setting
                        .invalid(
                            "= memory, but FULLAUTH_REDIS_URL is set: fullauth keeps all of its shared state \
                             (revocations, counters, challenges) in Redis when the URL is set; remove one of the two",
                        )
                        .in_environment());
                }
                _ => {
                    return Err(setting
                        .invalid(&format!("= {value:?}: expected memory or redis"))
                        .in_environment());
                }
            }
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
