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
const AUTH_RATE_LIMITS: Setting = Setting::new("rate_limits", "AUTH_RATE_LIMITS");

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
        if let Some(json) = env.value(AUTH_RATE_LIMITS) {
            self.read_json(json)?;
        }
        env.parse(WINDOW_SECONDS, &mut self.window_seconds)?;
        env.parse(LOGIN, &mut self.login)?;
        env.parse(REGISTER, &mut self.register)?;
        env.parse(PASSWORD_RESET, &mut self.password_reset)?;
        env.parse(REFRESH, &mut self.refresh)?;
        env.parse(REAUTH, &mut self.reauth)?;
        env.parse(PASSKEY_AUTH, &mut self.passkey_auth)?;
        env.parse(MFA, &mut self.mfa)
    }

    /// fastapi-fullauth's `FULLAUTH_AUTH_RATE_LIMITS`: a JSON object of bucket names and limits, each at least 1,
    /// e.g. `{"login": 10, "register": 5}`. The variables of single buckets, read after it, win.
    fn read_json(&mut self, json: &str) -> Result<(), ConfigError> {
        let invalid = |reason: String| AUTH_RATE_LIMITS.invalid(&reason).in_environment();
        let limits: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)
            .map_err(|error| invalid(format!("is not a JSON object of limits: {error}")))?;
        for (name, value) in limits {
            let limit = value.as_u64().filter(|limit| *limit >= 1).ok_or_else(|| {
                invalid(format!(
                    "has {name} = {value}: each limit is a whole number, at least 1"
                ))
            })?;
            let bucket = match name.as_str() {
                "login" => &mut self.login,
                "register" => &mut self.register,
                "password_reset" => &mut self.password_reset,
                "refresh" => &mut self.refresh,
                "reauth" => &mut self.reauth,
                "passkey_auth" => &mut self.passkey_auth,
                "mfa" => &mut self.mfa,
                other => {
                    return Err(invalid(format!(
                        "names `{other}`, which is no bucket: login, register, password_reset, refresh, reauth, \
                         passkey_auth or mfa"
                    )));
                }
            };
            *bucket = limit;
        }
        Ok(())
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.enabled && !(1..=86_400).contains(&self.window_seconds) {
            return Err(WINDOW_SECONDS.invalid("must be between 1 and 86400 (a day)"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<RateLimitConfig, ConfigError> {
        let env = EnvReader::new(
            vars.iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        let mut config = RateLimitConfig::default();
        config.read(&env)?;
        Ok(config)
    }

    #[test]
    fn reads_fastapi_fullauths_json_of_limits() {
        let config = read(&[(
            "FULLAUTH_AUTH_RATE_LIMITS",
            r#"{"login": 10, "register": 5, "mfa": 2}"#,
        )])
        .unwrap();
        assert_eq!((config.login, config.register, config.mfa), (10, 5, 2));
        assert_eq!(config.refresh, 30, "the others keep their defaults");
        let config = read(&[
            ("FULLAUTH_AUTH_RATE_LIMITS", r#"{"login": 10}"#),
            ("FULLAUTH_LOGIN_RATE_LIMIT", "7"),
        ])
        .unwrap();
        assert_eq!(config.login, 7, "a single bucket's variable wins");
        for bad in [
            r#"{"login": 0}"#,
            r#"{"login": -1}"#,
            r#"{"login": "10"}"#,
            r#"{"logins": 10}"#,
            r#"[10]"#,
            "login=10",
        ] {
            let error = read(&[("FULLAUTH_AUTH_RATE_LIMITS", bad)]).unwrap_err();
            assert_eq!(error.option(), "FULLAUTH_AUTH_RATE_LIMITS", "{bad}");
        }
    }
}
