//! Reading the configuration from `FULLAUTH_*` environment variables.

use super::env_reader::EnvReader;
use super::full_auth_config::FullAuthConfig;
use super::secret::SecretKey;
use super::setting::{ConfigError, ENV_PREFIX, Setting};

const SECRET_KEY: Setting = Setting::new("secret_key", "SECRET_KEY");

impl FullAuthConfig {
    /// The defaults, overridden by every `FULLAUTH_*` variable of the process environment.
    ///
    /// Booleans accept `true`/`false`/`1`/`0` (any case); lists a JSON array of strings or comma-separated
    /// values. A malformed value is an error naming the variable, and so is a value that is not UTF-8; the
    /// variables without the prefix are not looked at. Variables fullauth does not know are ignored, so that
    /// deployment files written for other features carry over ([`Self::unread_variables`] names them).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(prefixed_variables(std::env::vars_os())?)
    }

    /// Like [`Self::from_env`], reading `(name, value)` pairs instead of the process environment.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self::read(&reader(vars))
    }

    pub(super) fn read(env: &EnvReader) -> Result<Self, ConfigError> {
        let mut config = FullAuthConfig::default();
        if let Some(secret) = env.value(SECRET_KEY) {
            let key = SecretKey::new(secret.as_bytes().to_vec())
                .map_err(|error| SECRET_KEY.invalid(error.reason()).in_environment())?;
            config.secret_key = Some(key);
        }
        config.tokens.read(env)?;
        config.passwords.read(env)?;
        config.sign_in.read(env)?;
        config.lockout.read(env)?;
        config.rate_limits.read(env)?;
        config.proxies.read(env)?;
        config.routes.read(env)?;
        config.mail.read(env)?;
        config.roles.read(env)?;
        config.shared_state.read(env)?;
        config.cookies.read(env)?;
        config.csrf.read(env)?;
        config.cors.read(env)?;
        config.oauth.read(env)?;
        config.passkey.read(env)?;
        config.mfa.read(env)?;
        config.validate().map_err(ConfigError::in_environment)?;
        Ok(config)
    }
}

/// The `FULLAUTH_*` pairs of an environment as text; a value that is not UTF-8 is refused, naming its variable.
/// Other variables are passed over unread, whatever bytes they hold.
fn prefixed_variables(
    vars: impl Iterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
) -> Result<Vec<(String, String)>, ConfigError> {
    vars.filter_map(|(name, value)| {
        let name = name.into_string().ok()?;
        name.starts_with(ENV_PREFIX).then_some((name, value))
    })
    .map(|(name, value)| match value.into_string() {
        Ok(value) => Ok((name, value)),
        Err(_) => Err(ConfigError::invalid(&name, "is not valid UTF-8")),
    })
    .collect()
}

/// The `FULLAUTH_*` pairs of `vars`, ready to be read.
pub(super) fn reader<I, K, V>(vars: I) -> EnvReader
where
    I: IntoIterator<Item = (K, V)>,
    K: Into<String>,
    V: Into<String>,
{
    EnvReader::new(
        vars.into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .filter(|(key, _)| key.starts_with(ENV_PREFIX)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_variables_and_keeps_defaults() {
        let config = FullAuthConfig::from_vars([
            ("FULLAUTH_SECRET_KEY", "0123456789abcdef0123456789abcdef"),
            ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "5"),
            ("FULLAUTH_PREVENT_REGISTRATION_ENUMERATION", "FALSE"),
            ("FULLAUTH_JWT_ISSUER", "https://auth.example.com"),
            ("FULLAUTH_SOMETHING_ELSE", "ignored"),
            ("PATH", "/bin"),
        ])
        .unwrap();
        assert_eq!(config.tokens.access_token_expire_minutes, 5);
        assert!(!config.sign_in.prevent_registration_enumeration);
        assert_eq!(
            config.tokens.jwt_issuer.as_deref(),
            Some("https://auth.example.com")
        );
        assert_eq!(config.tokens.refresh_token_expire_days, 30);
    }

    #[cfg(unix)]
    #[test]
    fn only_the_prefixed_variables_must_be_text() {
        use std::ffi::OsString;
        use std::os::unix::ffi::OsStringExt as _;

        let bytes = || OsString::from_vec(vec![0x66, 0xff, 0x6f]);
        let vars = vec![
            (
                OsString::from("FULLAUTH_JWT_ISSUER"),
                OsString::from("https://a.example"),
            ),
            (OsString::from("OTHER"), bytes()),
            (bytes(), OsString::from("value")),
        ];
        assert_eq!(
            prefixed_variables(vars.into_iter()).unwrap(),
            [(
                "FULLAUTH_JWT_ISSUER".to_owned(),
                "https://a.example".to_owned()
            )]
        );
        let refused = prefixed_variables(
            vec![(OsString::from("FULLAUTH_JWT_AUDIENCE"), bytes())].into_iter(),
        )
        .unwrap_err();
        assert_eq!(refused.option(), "FULLAUTH_JWT_AUDIENCE");
    }

    #[test]
    fn reads_the_mail_variables() {
        let config = FullAuthConfig::from_vars([
            ("FULLAUTH_SMTP_URL", "smtps://mailer:pw@mail.example.com"),
            ("FULLAUTH_FRONTEND_URL", "https://app.example.com"),
            ("FULLAUTH_MAIL_FROM", "Example <no-reply@example.com>"),
            ("FULLAUTH_PASSWORD_RESET_EXPIRE_MINUTES", "30"),
            ("FULLAUTH_EMAIL_VERIFY_EXPIRE_MINUTES", "60"),
            ("FULLAUTH_VERIFY_EMAIL_PATH", "/account/verify"),
            ("FULLAUTH_PASSWORD_RESET_PATH", "/account/reset"),
        ])
        .unwrap();
        assert_eq!(
            config.mail.smtp_url,
            Some(super::super::SmtpUrl(
                "smtps://mailer:pw@mail.example.com".into()
            ))
        );
        assert_eq!(
            config.mail.frontend_url.as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(config.mail.from, "Example <no-reply@example.com>");
        assert_eq!(
            (
                config.mail.password_reset_expire_minutes,
                config.mail.email_verify_expire_minutes
            ),
            (30, 60)
        );
        assert_eq!(
            config.mail.link(&config.mail.password_reset_path, "abc"),
            "https://app.example.com/account/reset?token=abc"
        );
        assert_eq!(config.mail.verify_email_path, "/account/verify");
    }

    #[test]
    fn reads_fastapi_fullauths_backend_choices_as_one_shared_state() {
        let redis = ("FULLAUTH_REDIS_URL", "redis://127.0.0.1:6379");
        for backend in [
            "FULLAUTH_BACKEND",
            "FULLAUTH_LOCKOUT_BACKEND",
            "FULLAUTH_RATE_LIMIT_BACKEND",
            "FULLAUTH_BLACKLIST_BACKEND",
            "FULLAUTH_PASSKEY_CHALLENGE_BACKEND",
        ] {
            assert!(FullAuthConfig::from_vars([(backend, "memory")]).is_ok());
            assert!(FullAuthConfig::from_vars([(backend, "redis"), redis]).is_ok());
            for refused in [
                vec![(backend, "redis")],
                vec![(backend, "memory"), redis],
                vec![(backend, "disk")],
            ] {
                let error = FullAuthConfig::from_vars(refused).unwrap_err();
                assert_eq!(error.option(), backend);
            }
        }
        let mixed = FullAuthConfig::from_vars([
            ("FULLAUTH_BACKEND", "redis"),
            ("FULLAUTH_LOCKOUT_BACKEND", "memory"),
            redis,
        ])
        .unwrap_err();
        assert_eq!(mixed.option(), "FULLAUTH_LOCKOUT_BACKEND");
    }

    #[test]
    fn booleans_read_as_pydantic_reads_them() {
        for (word, expected) in [
            ("true", true),
            ("On", true),
            ("yes", true),
            ("1", true),
            ("t", true),
            ("Y", true),
            ("false", false),
            ("off", false),
            ("NO", false),
            ("0", false),
            ("f", false),
            ("n", false),
        ] {
            let config =
                FullAuthConfig::from_vars([("FULLAUTH_REFRESH_TOKEN_ROTATION", word)]).unwrap();
            assert_eq!(config.tokens.refresh_token_rotation, expected, "{word}");
        }
        let refused =
            FullAuthConfig::from_vars([("FULLAUTH_REFRESH_TOKEN_ROTATION", "maybe")]).unwrap_err();
        assert_eq!(refused.option(), "FULLAUTH_REFRESH_TOKEN_ROTATION");
    }

    #[test]
    fn switches_for_what_fullauth_always_does_accept_only_true() {
        for switch in ["FULLAUTH_BLACKLIST_ENABLED", "FULLAUTH_OAUTH_PKCE_ENABLED"] {
            assert!(FullAuthConfig::from_vars([(switch, "true")]).is_ok());
            let error = FullAuthConfig::from_vars([(switch, "false")]).unwrap_err();
            assert_eq!(error.option(), switch);
            assert!(
                error.to_string().contains("cannot turn this off"),
                "{error}"
            );
        }
    }

    #[test]
    fn names_the_malformed_variable() {
        let error =
            FullAuthConfig::from_vars([("FULLAUTH_REFRESH_TOKEN_ROTATION", "maybe")]).unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_REFRESH_TOKEN_ROTATION");
        let error = FullAuthConfig::from_vars([("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "soon")])
            .unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES");
        let error =
            FullAuthConfig::from_vars([("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "0")]).unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES");
        for threads in ["0", "257"] {
            let error =
                FullAuthConfig::from_vars([("FULLAUTH_PASSWORD_HASH_CONCURRENCY", threads)])
                    .unwrap_err();
            assert_eq!(error.option(), "FULLAUTH_PASSWORD_HASH_CONCURRENCY");
        }
        let config =
            FullAuthConfig::from_vars([("FULLAUTH_PASSWORD_HASH_CONCURRENCY", "256")]).unwrap();
        assert_eq!(config.passwords.hash_concurrency, Some(256));
    }

    #[test]
    fn reads_the_session_max_age() {
        let default = FullAuthConfig::from_vars(Vec::<(String, String)>::new()).unwrap();
        assert_eq!(
            default.tokens.session_max_age(),
            default.tokens.refresh_token_lifetime()
        );
        let config =
            FullAuthConfig::from_vars([("FULLAUTH_SESSION_MAX_AGE_SECONDS", "86400")]).unwrap();
        assert_eq!(
            config.tokens.session_max_age(),
            std::time::Duration::from_secs(86_400)
        );
        for malformed in ["0", "a day", "-5", "315360001"] {
            let error =
                FullAuthConfig::from_vars([("FULLAUTH_SESSION_MAX_AGE_SECONDS", malformed)])
                    .unwrap_err();
            assert_eq!(
                error.option(),
                "FULLAUTH_SESSION_MAX_AGE_SECONDS",
                "{malformed}"
            );
        }
    }

    #[test]
    fn reads_the_trusted_proxies() {
        let config = FullAuthConfig::from_vars([
            ("FULLAUTH_TRUSTED_PROXY_HEADERS", "X-Forwarded-For"),
            (
                "FULLAUTH_TRUSTED_PROXIES",
                "10.0.0.0/8, 127.0.0.1,2001:db8::/32",
            ),
        ])
        .unwrap();
        let networks: Vec<String> = config
            .proxies
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(networks, ["10.0.0.0/8", "127.0.0.1/32", "2001:db8::/32"]);
        assert!(!config.proxies.believes_anyone());
        let json = FullAuthConfig::from_vars([("FULLAUTH_TRUSTED_PROXIES", r#"["192.0.2.0/24"]"#)])
            .unwrap();
        assert_eq!(json.proxies.trusted_proxies.len(), 1);
        for malformed in ["10.0.0.0/33", "proxy.internal", "10.0.0.0/8,,x"] {
            let error =
                FullAuthConfig::from_vars([("FULLAUTH_TRUSTED_PROXIES", malformed)]).unwrap_err();
            assert_eq!(error.option(), "FULLAUTH_TRUSTED_PROXIES", "{malformed}");
        }
        let anyone =
            FullAuthConfig::from_vars([("FULLAUTH_TRUSTED_PROXY_HEADERS", "X-Forwarded-For")])
                .unwrap();
        assert!(anyone.proxies.believes_anyone());
    }

    #[test]
    fn reads_the_cookie_variables() {
        let config = FullAuthConfig::from_vars([
            ("FULLAUTH_COOKIE_TRANSPORT", "1"),
            ("FULLAUTH_COOKIE_SAMESITE", "Strict"),
            ("FULLAUTH_COOKIE_HOST_PREFIX", "true"),
            (
                "FULLAUTH_CSRF_TRUSTED_ORIGINS",
                "https://app.example.com, http://localhost:5173",
            ),
        ])
        .unwrap();
        assert!(config.cookies.transport && config.cookies.secure && config.cookies.host_prefix);
        assert_eq!(config.cookies.samesite, crate::SameSite::Strict);
        assert_eq!(
            config.csrf.trusted_origins,
            ["https://app.example.com", "http://localhost:5173"]
        );
        let error =
            FullAuthConfig::from_vars([("FULLAUTH_COOKIE_SAMESITE", "sometimes")]).unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_COOKIE_SAMESITE");
        let error = FullAuthConfig::from_vars([
            ("FULLAUTH_COOKIE_HOST_PREFIX", "true"),
            ("FULLAUTH_COOKIE_DOMAIN", "example.com"),
        ])
        .unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_COOKIE_HOST_PREFIX");
        let error = FullAuthConfig::from_vars([
            ("FULLAUTH_COOKIE_SECURE", "false"),
            ("FULLAUTH_COOKIE_SAMESITE", "none"),
        ])
        .unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_COOKIE_SAMESITE");
        let error =
            FullAuthConfig::from_vars([("FULLAUTH_CSRF_TRUSTED_ORIGINS", "https://a.example/x")])
                .unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_CSRF_TRUSTED_ORIGINS");
        assert!(error.to_string().contains("https://a.example/x"));
        let error = FullAuthConfig::from_vars([("FULLAUTH_CORS_ORIGINS", "*")]).unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_CORS_ORIGINS");
        assert!(error.to_string().contains("cannot be `*`"), "{error}");
        let config =
            FullAuthConfig::from_vars([("FULLAUTH_CORS_ORIGINS", r#"["http://localhost:5173"]"#)])
                .unwrap();
        assert_eq!(config.cors.origins, ["http://localhost:5173"]);
        let error = FullAuthConfig::from_vars([("FULLAUTH_COOKIE_DOMAIN", "https://example.com")])
            .unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_COOKIE_DOMAIN");
    }

    #[test]
    fn refuses_a_short_secret() {
        let error = FullAuthConfig::from_vars([("FULLAUTH_SECRET_KEY", "short")]).unwrap_err();
        assert_eq!(error.option(), "FULLAUTH_SECRET_KEY");
        assert!(error.to_string().contains("at least 32 bytes"));
    }
}
