//! Per-route rate limits: requests per client address and window, in buckets.

use std::time::Duration;

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const ENABLED: Setting = Setting::new("rate_limits.enabled", "AUTH_RATE_LIMIT_ENABLED");
const WINDOW_SECONDS: Setting = Setting::new(
    "rate_limits.window_seconds",
    "AUTH_RATE_LIMIT_WINDOW_SECONDS",
);
const LOGIN: Setting = Setting::new("rate_limits.login", "LOGIN_RATE_LIMIT");
const REGISTER: Setting = Setting::new("rate_limits.register", "REGISTER_RATE_LIMIT");
const PASSWORD_RESET: Setting =
    Setting::new("rate_limits.password_reset", "PASSWORD_RESET_RATE_LIMIT");
const REFRESH: Setting = Setting::new("rate_limits.refresh", "REFRESH_RATE_LIMIT");
const REAUTH: Setting = Setting::new("rate_limits.reauth", "REAUTH_RATE_LIMIT");
const PASSKEY_AUTH: Setting = Setting::new("rate_limits.passkey_auth", "PASSKEY_AUTH_RATE_LIMIT");
const MFA: Setting = Setting::new("rate_limits.mfa", "MFA_RATE_LIMIT");

/// How many requests fullauth's routes take per client address and window.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RateLimitConfig {
    /// Whether fullauth's routes limit requests at all (`FULLAUTH_AUTH_RATE_LIMIT_ENABLED`).
    pub enabled: bool,
    /// The length of a window, in seconds (`FULLAUTH_AUTH_RATE_LIMIT_WINDOW_SECONDS`).
    pub window_seconds: u64,
    /// `POST /login` requests per window (`FULLAUTH_LOGIN_RATE_LIMIT`).
    pub login: u64,
    /// `POST /register` requests per window (`FULLAUTH_REGISTER_RATE_LIMIT`).
    pub register: u64,
    /// Requests to the four verify routes together, per window (`FULLAUTH_PASSWORD_RESET_RATE_LIMIT`).
    pub password_reset: u64,
    /// `POST /refresh` requests per window (`FULLAUTH_REFRESH_RATE_LIMIT`).
    pub refresh: u64,
    /// `DELETE /me` and `POST /change-password` requests, and MFA enrolments and disablings that give a password,
    /// per window (`FULLAUTH_REAUTH_RATE_LIMIT`).
    pub reauth: u64,
    /// Passkey sign-in requests (`authenticate/begin` and `authenticate/complete` together) per window
    /// (`FULLAUTH_PASSKEY_AUTH_RATE_LIMIT`).
    pub passkey_auth: u64,
    /// Codes sent to `POST /mfa/confirm` and `POST /mfa/verify` together, per window (`FULLAUTH_MFA_RATE_LIMIT`).
    pub mfa: u64,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            window_seconds: 60,
            login: 5,
            register: 3,
            password_reset: 3,
            refresh: 30,
            reauth: 5,
            passkey_auth: 10,
            mfa: 5,
        }
    }
}

impl RateLimitConfig {
    /// The length of a window.
    pub fn window(&self) -> Duration {
        Duration::from_secs(self.window_seconds)
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.flag(ENABLED, &mut self.enabled)?;
        env.parse(WINDOW_SECONDS, &mut self.window_seconds)?;
        env.parse(LOGIN, &mut self.login)?;
        env.parse(REGISTER, &mut self.register)?;
        env.parse(PASSWORD_RESET, &mut self.password_reset)?;
        env.parse(REFRESH, &mut self.refresh)?;
        env.parse(REAUTH, &mut self.reauth)?;
        env.parse(PASSKEY_AUTH, &mut self.passkey_auth)?;
        env.parse(MFA, &mut self.mfa)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.enabled && !(1..=86_400).contains(&self.window_seconds) {
            return Err(WINDOW_SECONDS.invalid("must be between 1 and 86400 (a day)"));
        }
        Ok(())
    }
}
