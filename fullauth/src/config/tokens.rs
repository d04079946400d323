//! Tokens: the signing algorithm, lifetimes, rotation and the claims every token must carry.

use std::time::Duration;

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const ALGORITHM: Setting = Setting::new("tokens.algorithm", "ALGORITHM");
const ACCESS_TOKEN_EXPIRE_MINUTES: Setting = Setting::new(
    "tokens.access_token_expire_minutes",
    "ACCESS_TOKEN_EXPIRE_MINUTES",
);
const REFRESH_TOKEN_EXPIRE_DAYS: Setting = Setting::new(
    "tokens.refresh_token_expire_days",
    "REFRESH_TOKEN_EXPIRE_DAYS",
);
const REFRESH_TOKEN_ROTATION: Setting =
    Setting::new("tokens.refresh_token_rotation", "REFRESH_TOKEN_ROTATION");
const JWT_LEEWAY_SECONDS: Setting = Setting::new("tokens.jwt_leeway_seconds", "JWT_LEEWAY_SECONDS");
const JWT_ISSUER: Setting = Setting::new("tokens.jwt_issuer", "JWT_ISSUER");
const JWT_AUDIENCE: Setting = Setting::new("tokens.jwt_audience", "JWT_AUDIENCE");
const SESSION_MAX_AGE_SECONDS: Setting =
    Setting::new("tokens.session_max_age_seconds", "SESSION_MAX_AGE_SECONDS");

/// A year, in minutes: the longest access-token lifetime.
pub(crate) const MAX_MINUTES: u64 = 525_600;
const MAX_REFRESH_DAYS: u64 = 3_650;
const MAX_LEEWAY_SECONDS: u64 = 3_600;

/// How fullauth signs its JWTs, and how long they live.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TokenConfig {
    /// JWT signing algorithm (`FULLAUTH_ALGORITHM`).
    pub algorithm: JwtAlgorithm,
    /// Access-token lifetime in minutes (`FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES`).
    pub access_token_expire_minutes: u64,
    /// Refresh-token lifetime in days (`FULLAUTH_REFRESH_TOKEN_EXPIRE_DAYS`).
    pub refresh_token_expire_days: u64,
    /// Rotate refresh tokens on use, with reuse detection (`FULLAUTH_REFRESH_TOKEN_ROTATION`).
    pub refresh_token_rotation: bool,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds (`FULLAUTH_JWT_LEEWAY_SECONDS`).
    pub jwt_leeway_seconds: u64,
    /// `iss` stamped on tokens and required on decoding (`FULLAUTH_JWT_ISSUER`).
    pub jwt_issuer: Option<String>,
    /// `aud` stamped on tokens and required on decoding (`FULLAUTH_JWT_AUDIENCE`).
    pub jwt_audience: Option<String>,
    /// Absolute lifetime of a session, in seconds, counted from the sign-in that opened it, however often it is
    /// refreshed (`FULLAUTH_SESSION_MAX_AGE_SECONDS`); `None` (the default): the refresh-token lifetime. Past it,
    /// a refresh is refused and the session ends.
    pub session_max_age_seconds: Option<u64>,
}

impl Default for TokenConfig {
    fn default() -> Self {
        Self {
            algorithm: JwtAlgorithm::HS256,
            access_token_expire_minutes: 30,
            refresh_token_expire_days: 30,
            refresh_token_rotation: true,
            jwt_leeway_seconds: 30,
            jwt_issuer: None,
            jwt_audience: None,
            session_max_age_seconds: None,
        }
    }
}

impl TokenConfig {
    /// Access-token lifetime.
    pub fn access_token_lifetime(&self) -> Duration {
        Duration::from_secs(self.access_token_expire_minutes.saturating_mul(60))
    }

    /// Refresh-token lifetime.
    pub fn refresh_token_lifetime(&self) -> Duration {
        Duration::from_secs(self.refresh_token_expire_days.saturating_mul(86_400))
    }

    /// Absolute session lifetime: `session_max_age_seconds`, or the refresh-token lifetime.
    pub fn session_max_age(&self) -> Duration {
        self.session_max_age_seconds
            .map_or_else(|| self.refresh_token_lifetime(), Duration::from_secs)
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.parse(ALGORITHM, &mut self.algorithm)?;
        env.parse(
            ACCESS_TOKEN_EXPIRE_MINUTES,
            &mut self.access_token_expire_minutes,
        )?;
        env.parse(
            REFRESH_TOKEN_EXPIRE_DAYS,
            &mut self.refresh_token_expire_days,
        )?;
        env.flag(REFRESH_TOKEN_ROTATION, &mut self.refresh_token_rotation)?;
        env.parse(JWT_LEEWAY_SECONDS, &mut self.jwt_leeway_seconds)?;
        env.optional_text(JWT_ISSUER, &mut self.jwt_issuer);
        env.optional_text(JWT_AUDIENCE, &mut self.jwt_audience);
        env.optional(SESSION_MAX_AGE_SECONDS, &mut self.session_max_age_seconds)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_MINUTES).contains(&self.access_token_expire_minutes) {
            return Err(
                ACCESS_TOKEN_EXPIRE_MINUTES.invalid("must be between 1 and 525600 (a year)")
            );
        }
        if !(1..=MAX_REFRESH_DAYS).contains(&self.refresh_token_expire_days) {
            return Err(REFRESH_TOKEN_EXPIRE_DAYS.invalid("must be between 1 and 3650 (ten years)"));
        }
        if self
            .session_max_age_seconds
            .is_some_and(|seconds| !(1..=MAX_REFRESH_DAYS * 86_400).contains(&seconds))
        {
            return Err(
                SESSION_MAX_AGE_SECONDS.invalid("must be between 1 and 315360000 (ten years)")
            );
        }
        if self.jwt_leeway_seconds > MAX_LEEWAY_SECONDS {
            return Err(JWT_LEEWAY_SECONDS.invalid("must be at most 3600"));
        }
        Ok(())
    }
}

/// Signing algorithm for the JWTs fullauth issues. Only these are accepted when decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum JwtAlgorithm {
    /// HMAC with SHA-256.
    #[default]
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
}

impl JwtAlgorithm {
    /// The name used in JWT headers and in `FULLAUTH_ALGORITHM`.
    pub fn name(self) -> &'static str {
        match self {
            JwtAlgorithm::HS256 => "HS256",
            JwtAlgorithm::HS384 => "HS384",
            JwtAlgorithm::HS512 => "HS512",
        }
    }
}

impl std::str::FromStr for JwtAlgorithm {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_uppercase().as_str() {
            "HS256" => Ok(JwtAlgorithm::HS256),
            "HS384" => Ok(JwtAlgorithm::HS384),
            "HS512" => Ok(JwtAlgorithm::HS512),
            other => Err(format!(
                "unsupported algorithm `{other}`: use HS256, HS384 or HS512"
            )),
        }
    }
}
