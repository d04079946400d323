//! Account lockout: wrong passwords counted per account.

use std::time::Duration;

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const ENABLED: Setting = Setting::new("lockout.enabled", "LOCKOUT_ENABLED");
const MAX_LOGIN_ATTEMPTS: Setting =
    Setting::new("lockout.max_login_attempts", "MAX_LOGIN_ATTEMPTS");
const DURATION_MINUTES: Setting =
    Setting::new("lockout.duration_minutes", "LOCKOUT_DURATION_MINUTES");

const MAX_LOCKOUT_MINUTES: u64 = 7 * 24 * 60;

/// When repeated wrong passwords lock an account (keyed on its normalized email, not the client's address).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct LockoutConfig {
    /// Whether wrong passwords lock accounts at all (`FULLAUTH_LOCKOUT_ENABLED`).
    pub enabled: bool,
    /// Wrong passwords within `duration_minutes` that lock the account (`FULLAUTH_MAX_LOGIN_ATTEMPTS`).
    pub max_login_attempts: u64,
    /// How long a lock lasts, and the window in which failures are counted, in minutes
    /// (`FULLAUTH_LOCKOUT_DURATION_MINUTES`).
    pub duration_minutes: u64,
}

impl Default for LockoutConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            max_login_attempts: 5,
            duration_minutes: 15,
        }
    }
}

impl LockoutConfig {
    /// How long a lock lasts.
    pub fn duration(&self) -> Duration {
        Duration::from_secs(self.duration_minutes.saturating_mul(60))
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.flag(ENABLED, &mut self.enabled)?;
        env.parse(MAX_LOGIN_ATTEMPTS, &mut self.max_login_attempts)?;
        env.parse(DURATION_MINUTES, &mut self.duration_minutes)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.enabled && self.max_login_attempts == 0 {
            return Err(MAX_LOGIN_ATTEMPTS.invalid("must be at least 1"));
        }
        if self.enabled && !(1..=MAX_LOCKOUT_MINUTES).contains(&self.duration_minutes) {
            return Err(DURATION_MINUTES.invalid("must be between 1 and 10080 (a week)"));
        }
        Ok(())
    }
}
