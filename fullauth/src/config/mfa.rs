//! TOTP multi-factor authentication: whether it is on, the issuer authenticator apps show, how long the step
//! between a right password and a code may take, and whether a verified passkey counts as both factors.

use std::time::Duration;

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const ENABLED: Setting = Setting::new("mfa.enabled", "MFA_ENABLED");
const ISSUER: Setting = Setting::new("mfa.issuer", "MFA_ISSUER");
const PENDING_EXPIRE_SECONDS: Setting =
    Setting::new("mfa.pending_expire_seconds", "MFA_PENDING_EXPIRE_SECONDS");
const VERIFIED_PASSKEY_IS_TWO_FACTORS: Setting = Setting::new(
    "mfa.verified_passkey_is_two_factors",
    "MFA_VERIFIED_PASSKEY_IS_TWO_FACTORS",
);

/// The longest the second step of a sign-in may wait, in seconds.
const MAX_PENDING_EXPIRE_SECONDS: u64 = 3_600;
/// The longest issuer name, in characters.
const MAX_ISSUER_LENGTH: usize = 100;

/// Multi-factor authentication with TOTP codes: on when `issuer` is set, unless `enabled` says otherwise (and the
/// user model declares an MFA model).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MfaConfig {
    /// Turns MFA on or off whatever `issuer` says; `None` leaves it to `issuer` (`FULLAUTH_MFA_ENABLED`).
    pub enabled: Option<bool>,
    /// The name authenticator apps show beside the account, e.g. `Example`; setting it turns MFA on
    /// (`FULLAUTH_MFA_ISSUER`). Required when MFA is on.
    pub issuer: Option<String>,
    /// How long the `mfa_token` of a sign-in that waits for its code lives, in seconds
    /// (`FULLAUTH_MFA_PENDING_EXPIRE_SECONDS`, default 300, 1 to 3600).
    pub pending_expire_seconds: u64,
    /// Whether a passkey sign-in whose authenticator verified the user (PIN, biometrics) counts as both factors
    /// (something the user has and something they know or are), so that it asks for no code
    /// (`FULLAUTH_MFA_VERIFIED_PASSKEY_IS_TWO_FACTORS`, default on). A passkey sign-in with presence only
    /// always asks for the code of a user with MFA on.
    pub verified_passkey_is_two_factors: bool,
}

impl Default for MfaConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            issuer: None,
            pending_expire_seconds: 300,
            verified_passkey_is_two_factors: true,
        }
    }
}

impl MfaConfig {
    /// Whether MFA is on.
    pub fn is_on(&self) -> bool {
        self.enabled.unwrap_or(self.issuer.is_some())
    }

    /// How long a sign-in may wait for its code.
    pub fn pending_lifetime(&self) -> Duration {
        Duration::from_secs(self.pending_expire_seconds)
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        if env.value(ENABLED).is_some() {
            let mut enabled = false;
            env.flag(ENABLED, &mut enabled)?;
            self.enabled = Some(enabled);
        }
        env.optional_text(ISSUER, &mut self.issuer);
        env.parse(PENDING_EXPIRE_SECONDS, &mut self.pending_expire_seconds)?;
        env.flag(
            VERIFIED_PASSKEY_IS_TWO_FACTORS,
            &mut self.verified_passkey_is_two_factors,
        )
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_PENDING_EXPIRE_SECONDS).contains(&self.pending_expire_seconds) {
            return Err(PENDING_EXPIRE_SECONDS.invalid("must be between 1 and 3600 seconds"));
        }
        match &self.issuer {
            None if self.is_on() => Err(ISSUER.invalid(
                "is required when MFA is on: it is the name authenticator apps show beside the account, e.g. \
                 `Example`",
            )),
            Some(issuer)
                if issuer.trim().is_empty()
                    || issuer.chars().count() > MAX_ISSUER_LENGTH
                    || issuer.contains(':')
                    || issuer.chars().any(char::is_control) =>
            {
                Err(ISSUER.invalid(
                    "must be a name of 1 to 100 characters without `:` or control characters (authenticator \
                     apps read `issuer:account`)",
                ))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<MfaConfig, ConfigError> {
        let env = EnvReader::new(
            vars.iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
        );
        let mut config = MfaConfig::default();
        config.read(&env)?;
        config.validate()?;
        Ok(config)
    }

    #[test]
    fn off_until_an_issuer_is_set() {
        let config = read(&[]).unwrap();
        assert!(!config.is_on());
        let config = read(&[("FULLAUTH_MFA_ISSUER", "Example")]).unwrap();
        assert!(config.is_on());
        assert_eq!(config.pending_lifetime(), Duration::from_secs(300));
        assert!(config.verified_passkey_is_two_factors);
    }

    #[test]
    fn enabled_false_wins_over_the_issuer() {
        let config = read(&[
            ("FULLAUTH_MFA_ISSUER", "Example"),
            ("FULLAUTH_MFA_ENABLED", "false"),
        ])
        .unwrap();
        assert!(!config.is_on());
    }

    #[test]
    fn enabled_needs_an_issuer() {
        let error = read(&[("FULLAUTH_MFA_ENABLED", "true")]).unwrap_err();
        assert_eq!(error.option(), "mfa.issuer");
        assert!(read(&[("FULLAUTH_MFA_ENABLED", "yes please")]).is_err());
    }

    #[test]
    fn reads_every_variable() {
        let config = read(&[
            ("FULLAUTH_MFA_ENABLED", "1"),
            ("FULLAUTH_MFA_ISSUER", " Example "),
            ("FULLAUTH_MFA_PENDING_EXPIRE_SECONDS", "120"),
            ("FULLAUTH_MFA_VERIFIED_PASSKEY_IS_TWO_FACTORS", "false"),
        ])
        .unwrap();
        assert!(config.is_on());
        assert_eq!(config.issuer.as_deref(), Some("Example"));
        assert_eq!(config.pending_lifetime(), Duration::from_secs(120));
        assert!(!config.verified_passkey_is_two_factors);
    }

    #[test]
    fn refuses_what_apps_cannot_show_or_a_step_that_never_ends() {
        for vars in [
            &[("FULLAUTH_MFA_ISSUER", "Example:Corp")][..],
            &[("FULLAUTH_MFA_ISSUER", "Exam\nple")][..],
            &[
                ("FULLAUTH_MFA_ISSUER", "Example"),
                ("FULLAUTH_MFA_PENDING_EXPIRE_SECONDS", "0"),
            ][..],
            &[
                ("FULLAUTH_MFA_ISSUER", "Example"),
                ("FULLAUTH_MFA_PENDING_EXPIRE_SECONDS", "3601"),
            ][..],
        ] {
            assert!(read(vars).is_err(), "{vars:?}");
        }
        let long = "x".repeat(101);
        assert!(read(&[("FULLAUTH_MFA_ISSUER", &long)]).is_err());
    }
}
