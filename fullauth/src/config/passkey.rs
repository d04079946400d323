//! Passkeys (WebAuthn): the relying party, its origins, user verification and the ceremony lifetime.

use std::time::Duration;

use super::env_reader::EnvReader;
use super::origin::normalized_origin;
use super::setting::{ConfigError, Setting};

const ENABLED: Setting = Setting::new("passkey.enabled", "PASSKEY_ENABLED");
const RP_ID: Setting = Setting::new("passkey.rp_id", "PASSKEY_RP_ID");
const RP_NAME: Setting = Setting::new("passkey.rp_name", "PASSKEY_RP_NAME");
const ORIGINS: Setting = Setting::new("passkey.origins", "PASSKEY_ORIGINS");
/// fastapi-fullauth's origins of the front end, the passkey origins when those are not set.
const APP_ORIGINS: Setting = Setting::new("passkey.origins", "ORIGINS");
const REQUIRE_USER_VERIFICATION: Setting = Setting::new(
    "passkey.require_user_verification",
    "PASSKEY_REQUIRE_USER_VERIFICATION",
);
const CHALLENGE_TTL: Setting =
    Setting::new("passkey.challenge_ttl_seconds", "PASSKEY_CHALLENGE_TTL");
const MAX_PER_USER: Setting = Setting::new("passkey.max_per_user", "PASSKEY_MAX_PER_USER");

/// The longest a ceremony may stay open, in seconds.
const MAX_CHALLENGE_TTL_SECONDS: u64 = 600;

/// Sign-in with passkeys: on when `rp_id` is set, unless `enabled` says otherwise (and the user model declares a
/// passkey model).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PasskeyConfig {
    /// Turns passkeys on or off whatever `rp_id` says; `None` leaves it to `rp_id` (`FULLAUTH_PASSKEY_ENABLED`). Off
    /// with an `rp_id`, the configuration is kept and checked, and the routes are not mounted.
    pub enabled: Option<bool>,
    /// The relying party's id: the domain passkeys are bound to, e.g. `example.com`, with no scheme, port or
    /// path. Setting it turns passkeys on (`FULLAUTH_PASSKEY_RP_ID`).
    pub rp_id: Option<String>,
    /// The name authenticators show; the `rp_id` when unset (`FULLAUTH_PASSKEY_RP_NAME`).
    pub rp_name: Option<String>,
    /// The origins the front ends calling the passkey routes are served from, e.g. `https://example.com`
    /// (`http://localhost:<port>` for development); each one's host is the `rp_id` or a subdomain of it.
    /// Required when passkeys are on (`FULLAUTH_PASSKEY_ORIGINS`, comma-separated or a JSON list; when it is not
    /// set, fastapi-fullauth's `FULLAUTH_ORIGINS`).
    pub origins: Vec<String>,
    /// Whether every ceremony must verify the user (PIN, biometrics): the options ask for `required` and a
    /// ceremony without the authenticator's UV flag is refused. When off, the options ask for `preferred`, and
    /// only the user's presence is required (`FULLAUTH_PASSKEY_REQUIRE_USER_VERIFICATION`, default on).
    pub require_user_verification: bool,
    /// How long a ceremony may take between its begin and complete routes, in seconds
    /// (`FULLAUTH_PASSKEY_CHALLENGE_TTL`, default 60, at most 600).
    pub challenge_ttl_seconds: u64,
    /// The most passkeys one account may have; a registration beyond it is refused
    /// (`FULLAUTH_PASSKEY_MAX_PER_USER`, default 20, 1 to 100).
    pub max_per_user: usize,
}

impl Default for PasskeyConfig {
    fn default() -> Self {
        Self {
            enabled: None,
            rp_id: None,
            rp_name: None,
            origins: Vec::new(),
            require_user_verification: true,
            challenge_ttl_seconds: 60,
            max_per_user: 20,
        }
    }
}

impl PasskeyConfig {
    /// Whether passkeys are on.
    pub fn enabled(&self) -> bool {
        self.enabled.unwrap_or(self.rp_id.is_some())
    }

    /// How long a ceremony may take.
    pub fn challenge_ttl(&self) -> Duration {
        Duration::from_secs(self.challenge_ttl_seconds)
    }

    /// The name authenticators show.
    pub fn relying_party_name(&self) -> &str {
        self.rp_name
            .as_deref()
            .or(self.rp_id.as_deref())
            .unwrap_or_default()
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        if env.value(ENABLED).is_some() {
            let mut enabled = false;
            env.flag(ENABLED, &mut enabled)?;
            self.enabled = Some(enabled);
        }
        env.optional_text(RP_ID, &mut self.rp_id);
        env.optional_text(RP_NAME, &mut self.rp_name);
        env.list(APP_ORIGINS, &mut self.origins)?;
        env.list(ORIGINS, &mut self.origins)?;
        env.flag(
            REQUIRE_USER_VERIFICATION,
            &mut self.require_user_verification,
        )?;
        env.parse(CHALLENGE_TTL, &mut self.challenge_ttl_seconds)?;
        env.parse(MAX_PER_USER, &mut self.max_per_user)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_CHALLENGE_TTL_SECONDS).contains(&self.challenge_ttl_seconds) {
            return Err(CHALLENGE_TTL.invalid("must be between 1 and 600 seconds"));
        }
        if !(1..=100).contains(&self.max_per_user) {
            return Err(MAX_PER_USER.invalid("must be between 1 and 100"));
        }
        let Some(rp_id) = &self.rp_id else {
            if self.enabled == Some(true) {
                return Err(RP_ID.invalid(
                    "is required when passkeys are on: the domain passkeys belong to, e.g. `example.com`",
                ));
            }
            return Ok(());
        };
        if !self.enabled() {
            return Ok(());
        }
        if !is_domain(rp_id) {
            return Err(RP_ID.invalid(
                "must be a domain, e.g. `example.com` or `localhost`, with no scheme, port or path",
            ));
        }
        if self.origins.is_empty() {
            return Err(ORIGINS.invalid(
                "is required when passkeys are on: list the origins of the front ends, e.g. \
                 `https://example.com` (or `http://localhost:8000` for development)",
            ));
        }
        for origin in &self.origins {
            let Some(normalized) = normalized_origin(origin) else {
                return Err(ORIGINS.invalid(&format!(
                    "has `{origin}`, which is not an origin: write `https://example.com`, without a path"
                )));
            };
            if !origin_fits_rp_id(&normalized, rp_id) {
                return Err(ORIGINS.invalid(&format!(
                    "has `{origin}`, whose host is neither `{rp_id}` (the passkey RP id) nor a subdomain of \
                     it: browsers refuse passkeys there"
                )));
            }
        }
        Ok(())
    }
}

/// A lower-case DNS name: labels of letters, digits and hyphens, separated by dots.
fn is_domain(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        })
}

/// Whether a normalized origin's host is `rp_id` or one of its subdomains.
fn origin_fits_rp_id(origin: &str, rp_id: &str) -> bool {
    let authority = origin.split_once("://").map_or("", |(_, rest)| rest);
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    host == rp_id || host.ends_with(&format!(".{rp_id}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured(rp_id: &str, origins: &[&str]) -> PasskeyConfig {
        PasskeyConfig {
            rp_id: Some(rp_id.to_owned()),
            origins: origins.iter().map(|origin| (*origin).to_owned()).collect(),
            ..PasskeyConfig::default()
        }
    }

    #[test]
    fn off_until_an_rp_id_is_set() {
        let config = PasskeyConfig::default();
        assert!(!config.enabled());
        assert!(config.validate().is_ok());
    }

    #[test]
    fn enabled_false_wins_over_the_rp_id_and_true_needs_one() {
        let mut config = configured("example.com", &[]);
        config.enabled = Some(false);
        assert!(!config.enabled());
        assert!(
            config.validate().is_ok(),
            "off, the origins are not required"
        );
        let config = PasskeyConfig {
            enabled: Some(true),
            ..PasskeyConfig::default()
        };
        assert_eq!(config.validate().unwrap_err().option(), "passkey.rp_id");
        let env = EnvReader::new(
            [
                ("FULLAUTH_PASSKEY_ENABLED", "false"),
                ("FULLAUTH_PASSKEY_RP_ID", "example.com"),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned())),
        );
        let mut config = PasskeyConfig::default();
        config.read(&env).unwrap();
        assert!(!config.enabled());
    }

    #[test]
    fn origins_must_be_the_rp_id_or_its_subdomains() {
        assert!(
            configured("localhost", &["http://localhost:8000"])
                .validate()
                .is_ok()
        );
        assert!(
            configured(
                "example.com",
                &["https://example.com", "https://app.example.com"]
            )
            .validate()
            .is_ok()
        );
        for origins in [
            &[][..],
            &["https://example.org"][..],
            &["https://badexample.com"][..],
            &["https://example.com/login"][..],
            &["example.com"][..],
        ] {
            let error = configured("example.com", origins).validate().unwrap_err();
            assert_eq!(error.option(), "passkey.origins", "{origins:?}");
        }
    }

    #[test]
    fn the_rp_id_is_a_bare_domain() {
        for rp_id in [
            "https://example.com",
            "example.com:443",
            "example.com/",
            "",
            "Example.com",
        ] {
            let error = configured(rp_id, &["https://example.com"])
                .validate()
                .unwrap_err();
            assert_eq!(error.option(), "passkey.rp_id", "{rp_id}");
        }
    }

    #[test]
    fn the_passkeys_of_an_account_are_bounded() {
        for max_per_user in [0, 101] {
            let config = PasskeyConfig {
                max_per_user,
                ..PasskeyConfig::default()
            };
            assert_eq!(
                config.validate().unwrap_err().option(),
                "passkey.max_per_user"
            );
        }
    }

    #[test]
    fn the_ceremony_lifetime_is_bounded() {
        for ttl in [0, 601] {
            let config = PasskeyConfig {
                challenge_ttl_seconds: ttl,
                ..PasskeyConfig::default()
            };
            assert_eq!(
                config.validate().unwrap_err().option(),
                "passkey.challenge_ttl_seconds"
            );
        }
    }

    #[test]
    fn the_front_ends_origins_stand_for_the_passkey_origins_unless_those_are_set() {
        let read = |vars: &[(&str, &str)]| {
            let env = EnvReader::new(
                vars.iter()
                    .map(|(name, value)| ((*name).to_owned(), (*value).to_owned())),
            );
            let mut config = PasskeyConfig::default();
            config.read(&env).unwrap();
            config.origins
        };
        assert_eq!(
            read(&[("FULLAUTH_ORIGINS", "https://app.example.com")]),
            ["https://app.example.com"]
        );
        assert_eq!(
            read(&[
                ("FULLAUTH_ORIGINS", "https://app.example.com"),
                ("FULLAUTH_PASSKEY_ORIGINS", "https://login.example.com"),
            ]),
            ["https://login.example.com"]
        );
    }

    #[test]
    fn reads_the_python_library_variables() {
        let env = EnvReader::new(
            [
                ("FULLAUTH_PASSKEY_RP_ID", "example.com"),
                ("FULLAUTH_PASSKEY_RP_NAME", "Example"),
                (
                    "FULLAUTH_PASSKEY_ORIGINS",
                    "https://example.com, https://app.example.com",
                ),
                ("FULLAUTH_PASSKEY_REQUIRE_USER_VERIFICATION", "false"),
                ("FULLAUTH_PASSKEY_CHALLENGE_TTL", "120"),
                ("FULLAUTH_PASSKEY_MAX_PER_USER", "5"),
            ]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned())),
        );
        let mut config = PasskeyConfig::default();
        config.read(&env).unwrap();
        assert_eq!(config.rp_id.as_deref(), Some("example.com"));
        assert_eq!(config.relying_party_name(), "Example");
        assert_eq!(
            config.origins,
            ["https://example.com", "https://app.example.com"]
        );
        assert!(!config.require_user_verification);
        assert_eq!(config.challenge_ttl(), Duration::from_secs(120));
        assert_eq!(config.max_per_user, 5);
        assert!(config.validate().is_ok());
    }
}
