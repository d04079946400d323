//! Signing in and proving presence: the login field, what failed attempts reveal, re-authentication.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const LOGIN_FIELD: Setting = Setting::new("sign_in.login_field", "LOGIN_FIELD");
const PREVENT_LOGIN_TIMING_ATTACKS: Setting = Setting::new(
    "sign_in.prevent_login_timing_attacks",
    "PREVENT_LOGIN_TIMING_ATTACKS",
);
const PREVENT_REGISTRATION_ENUMERATION: Setting = Setting::new(
    "sign_in.prevent_registration_enumeration",
    "PREVENT_REGISTRATION_ENUMERATION",
);
const REAUTH_MAX_AGE_SECONDS: Setting =
    Setting::new("sign_in.reauth_max_age_seconds", "REAUTH_MAX_AGE_SECONDS");

const MAX_REAUTH_SECONDS: u64 = 86_400;

/// How sign-ins and registrations behave.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SignInConfig {
    /// Name of the login body field that carries the email address (`FULLAUTH_LOGIN_FIELD`).
    pub login_field: String,
    /// Verify against a dummy hash when the user is unknown, so timing does not reveal accounts
    /// (`FULLAUTH_PREVENT_LOGIN_TIMING_ATTACKS`).
    pub prevent_login_timing_attacks: bool,
    /// `POST /register` answers 202 whether or not the email was taken
    /// (`FULLAUTH_PREVENT_REGISTRATION_ENUMERATION`).
    pub prevent_registration_enumeration: bool,
    /// How recent a sign-in must be for destructive actions without the password, in seconds
    /// (`FULLAUTH_REAUTH_MAX_AGE_SECONDS`).
    pub reauth_max_age_seconds: u64,
}

impl Default for SignInConfig {
    fn default() -> Self {
        Self {
            login_field: "email".to_owned(),
            prevent_login_timing_attacks: true,
            prevent_registration_enumeration: true,
            reauth_max_age_seconds: 300,
        }
    }
}

impl SignInConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.text(LOGIN_FIELD, &mut self.login_field);
        env.flag(
            PREVENT_LOGIN_TIMING_ATTACKS,
            &mut self.prevent_login_timing_attacks,
        )?;
        env.flag(
            PREVENT_REGISTRATION_ENUMERATION,
            &mut self.prevent_registration_enumeration,
        )?;
        env.parse(REAUTH_MAX_AGE_SECONDS, &mut self.reauth_max_age_seconds)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.reauth_max_age_seconds > MAX_REAUTH_SECONDS {
            return Err(REAUTH_MAX_AGE_SECONDS.invalid("must be at most 86400 (a day)"));
        }
        if self.login_field.trim().is_empty() || self.login_field == "password" {
            return Err(LOGIN_FIELD.invalid("must name a body field other than `password`"));
        }
        Ok(())
    }
}
