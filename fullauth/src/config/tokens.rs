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
pub(crate) const PRIVATE_KEY_FILE: Setting =
    Setting::new("tokens.private_key_file", "PRIVATE_KEY_FILE");
pub(crate) const PRIVATE_KEY: Setting = Setting::new("tokens.private_key", "PRIVATE_KEY");
pub(crate) const RETIRED_KEY_FILES: Setting =
    Setting::new("tokens.retired_key_files", "RETIRED_KEY_FILES");

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
    /// The PEM file (PKCS#8) of the key that signs access tokens with an asymmetric `algorithm`
    /// (`FULLAUTH_PRIVATE_KEY_FILE`).
    pub private_key_file: Option<std::path::PathBuf>,
    /// The same key as PEM text, for deployments that pass secrets as variables (`FULLAUTH_PRIVATE_KEY`).
    /// `Debug` never shows it.
    pub private_key: Option<PrivateKeyPem>,
    /// PEM files (public or private keys) of keys that signed access tokens before and still verify them until
    /// they expire (`FULLAUTH_RETIRED_KEY_FILES`, comma-separated or a JSON list).
    pub retired_key_files: Vec<std::path::PathBuf>,
}

/// A private key in PEM form. `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyPem(pub String);

impl std::fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PrivateKeyPem(<redacted>)")
    }
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
            private_key_file: None,
            private_key: None,
            retired_key_files: Vec::new(),
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
        env.optional(SESSION_MAX_AGE_SECONDS, &mut self.session_max_age_seconds)?;
        let mut file = None;
        env.optional_text(PRIVATE_KEY_FILE, &mut file);
        if let Some(file) = file {
            self.private_key_file = Some(file.into());
        }
        if let Some(pem) = env.value(PRIVATE_KEY).filter(|pem| !pem.trim().is_empty()) {
            self.private_key = Some(PrivateKeyPem(pem.trim().to_owned()));
        }
        let mut retired = Vec::new();
        env.list(RETIRED_KEY_FILES, &mut retired)?;
        if !retired.is_empty() {
            self.retired_key_files = retired.into_iter().map(Into::into).collect();
        }
        Ok(())
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
        let keys =
            usize::from(self.private_key_file.is_some()) + usize::from(self.private_key.is_some());
        if self.algorithm.is_asymmetric() {
            if keys == 0 {
                return Err(PRIVATE_KEY_FILE.invalid(&format!(
                    "is required with the {} algorithm: the PEM file (PKCS#8) of the signing key, or its text in \
                     FULLAUTH_PRIVATE_KEY",
                    self.algorithm.name()
                )));
            }
            if keys == 2 {
                return Err(PRIVATE_KEY.invalid(
                    "and FULLAUTH_PRIVATE_KEY_FILE are both set: give the signing key one way",
                ));
            }
        } else if keys > 0 || !self.retired_key_files.is_empty() {
            return Err(ALGORITHM.invalid(&format!(
                "is {}, which signs with FULLAUTH_SECRET_KEY: a private or retired key needs EdDSA, ES256 or RS256",
                self.algorithm.name()
            )));
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
    /// Ed25519 signatures: access tokens verifiable by anyone with the published key set.
    EdDSA,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// RSA PKCS#1 v1.5 with SHA-256.
    RS256,
}

impl JwtAlgorithm {
    /// The name used in JWT headers and in `FULLAUTH_ALGORITHM`.
    pub fn name(self) -> &'static str {
        match self {
            JwtAlgorithm::HS256 => "HS256",
            JwtAlgorithm::HS384 => "HS384",
            JwtAlgorithm::HS512 => "HS512",
            JwtAlgorithm::EdDSA => "EdDSA",
            JwtAlgorithm::ES256 => "ES256",
            JwtAlgorithm::RS256 => "RS256",
        }
    }

    /// Whether access tokens are signed with a private key (and verified with its public key).
    pub fn is_asymmetric(self) -> bool {
        matches!(
            self,
            JwtAlgorithm::EdDSA | JwtAlgorithm::ES256 | JwtAlgorithm::RS256
        )
    }
}

impl std::str::FromStr for JwtAlgorithm {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_uppercase().as_str() {
            "HS256" => Ok(JwtAlgorithm::HS256),
            "HS384" => Ok(JwtAlgorithm::HS384),
            "HS512" => Ok(JwtAlgorithm::HS512),
            "EDDSA" => Ok(JwtAlgorithm::EdDSA),
            "ES256" => Ok(JwtAlgorithm::ES256),
            "RS256" => Ok(JwtAlgorithm::RS256),
            other => Err(format!(
                "unsupported algorithm `{other}`: use HS256, HS384, HS512, EdDSA, ES256 or RS256"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<TokenConfig, ConfigError> {
        let env = EnvReader::new(
            vars.iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        let mut config = TokenConfig::default();
        config.read(&env)?;
        config.validate()?;
        Ok(config)
    }

    #[test]
    fn reads_the_key_variables() {
        let config = read(&[
            ("FULLAUTH_ALGORITHM", "eddsa"),
            ("FULLAUTH_PRIVATE_KEY_FILE", "/keys/signing.pem"),
            (
                "FULLAUTH_RETIRED_KEY_FILES",
                "/keys/old.pem, /keys/older.pem",
            ),
        ])
        .unwrap();
        assert_eq!(config.algorithm, JwtAlgorithm::EdDSA);
        assert_eq!(
            config.private_key_file.as_deref(),
            Some(std::path::Path::new("/keys/signing.pem"))
        );
        assert_eq!(config.retired_key_files.len(), 2);
        let config = read(&[
            ("FULLAUTH_ALGORITHM", "RS256"),
            ("FULLAUTH_PRIVATE_KEY", "-----BEGIN PRIVATE KEY-----\n..."),
        ])
        .unwrap();
        assert!(config.private_key.is_some());
        assert!(
            !format!("{config:?}").contains("BEGIN"),
            "the key stays out of Debug"
        );
    }

    #[test]
    fn a_key_goes_with_an_asymmetric_algorithm_and_only_one_way() {
        let option = |vars: &[(&str, &str)]| read(vars).unwrap_err().option().to_owned();
        assert_eq!(
            option(&[("FULLAUTH_ALGORITHM", "ES256")]),
            "tokens.private_key_file"
        );
        assert_eq!(
            option(&[
                ("FULLAUTH_ALGORITHM", "ES256"),
                ("FULLAUTH_PRIVATE_KEY_FILE", "/k.pem"),
                ("FULLAUTH_PRIVATE_KEY", "pem"),
            ]),
            "tokens.private_key"
        );
        for vars in [
            &[("FULLAUTH_PRIVATE_KEY_FILE", "/k.pem")][..],
            &[("FULLAUTH_RETIRED_KEY_FILES", "/k.pem")][..],
        ] {
            assert_eq!(option(vars), "tokens.algorithm");
        }
        assert!(read(&[("FULLAUTH_ALGORITHM", "PS256")]).is_err());
    }
}
