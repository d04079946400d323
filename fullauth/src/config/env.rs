use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use super::{FullAuthConfig, SecretKey};

/// A configuration value that is missing, malformed or out of range; the message names the option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    option: String,
    reason: String,
}

impl ConfigError {
    pub(crate) fn invalid(option: &str, reason: &str) -> Self {
        Self {
            option: option.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// The option or environment variable at fault.
    pub fn option(&self) -> &str {
        &self.option
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {} {}", self.option, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// Prefix of every environment variable fullauth reads.
pub const ENV_PREFIX: &str = "FULLAUTH_";

impl FullAuthConfig {
    /// The defaults, overridden by every `FULLAUTH_*` variable of the process environment.
    ///
    /// Booleans accept `true`/`false`/`1`/`0` (any case); a malformed value is an error naming the variable.
    /// Variables fullauth does not know are ignored, so that deployment files written for other features carry
    /// over.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(std::env::vars())
    }

    /// Like [`Self::from_env`], reading `(name, value)` pairs instead of the process environment.
    pub fn from_vars<I, K, V>(vars: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        let vars: HashMap<String, String> = vars
            .into_iter()
            .map(|(key, value)| (key.into(), value.into()))
            .filter(|(key, _)| key.starts_with(ENV_PREFIX))
            .collect();
        let reader = Reader { vars: &vars };
        let mut config = FullAuthConfig::default();

        if let Some(secret) = reader.raw("SECRET_KEY") {
            config.secret_key = Some(
                SecretKey::new(secret.as_bytes().to_vec())
                    .map_err(|error| ConfigError::invalid("FULLAUTH_SECRET_KEY", &error.reason))?,
            );
        }
        reader.parse("ALGORITHM", &mut config.algorithm)?;
        reader.parse(
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            &mut config.access_token_expire_minutes,
        )?;
        reader.parse(
            "REFRESH_TOKEN_EXPIRE_DAYS",
            &mut config.refresh_token_expire_days,
        )?;
        reader.flag("REFRESH_TOKEN_ROTATION", &mut config.refresh_token_rotation)?;
        reader.parse("JWT_LEEWAY_SECONDS", &mut config.jwt_leeway_seconds)?;
        reader.optional_text("JWT_ISSUER", &mut config.jwt_issuer);
        reader.optional_text("JWT_AUDIENCE", &mut config.jwt_audience);
        reader.parse("PASSWORD_MIN_LENGTH", &mut config.password_min_length)?;
        reader.parse("PASSWORD_MAX_LENGTH", &mut config.password_max_length)?;
        reader.text("LOGIN_FIELD", &mut config.login_field);
        reader.flag(
            "PREVENT_LOGIN_TIMING_ATTACKS",
            &mut config.prevent_login_timing_attacks,
        )?;
        reader.flag(
            "PREVENT_REGISTRATION_ENUMERATION",
            &mut config.prevent_registration_enumeration,
        )?;
        reader.parse("REAUTH_MAX_AGE_SECONDS", &mut config.reauth_max_age_seconds)?;
        reader.parse("ROLE_CHECK", &mut config.role_check)?;
        reader.flag("LOCKOUT_ENABLED", &mut config.lockout_enabled)?;
        reader.flag(
            "AUTH_RATE_LIMIT_ENABLED",
            &mut config.auth_rate_limit_enabled,
        )?;
        reader.parse(
            "AUTH_RATE_LIMIT_WINDOW_SECONDS",
            &mut config.auth_rate_limit_window_seconds,
        )?;
        reader.parse("LOGIN_RATE_LIMIT", &mut config.login_rate_limit)?;
        reader.parse("REGISTER_RATE_LIMIT", &mut config.register_rate_limit)?;
        reader.parse(
            "PASSWORD_RESET_RATE_LIMIT",
            &mut config.password_reset_rate_limit,
        )?;
        reader.parse("REFRESH_RATE_LIMIT", &mut config.refresh_rate_limit)?;
        reader.parse("REAUTH_RATE_LIMIT", &mut config.reauth_rate_limit)?;
        reader.list("TRUSTED_PROXY_HEADERS", &mut config.trusted_proxy_headers)?;
        reader.parse("TRUSTED_PROXY_COUNT", &mut config.trusted_proxy_count)?;
        reader.parse("MAX_LOGIN_ATTEMPTS", &mut config.max_login_attempts)?;
        reader.parse(
            "LOCKOUT_DURATION_MINUTES",
            &mut config.lockout_duration_minutes,
        )?;
        reader.text("API_PREFIX", &mut config.api_prefix);
        reader.text("AUTH_ROUTER_PREFIX", &mut config.auth_router_prefix);
        reader.parse("MAX_BODY_BYTES", &mut config.max_body_bytes)?;
        reader.parse(
            "PASSWORD_HASH_MEMORY_KIB",
            &mut config.password_hash_cost.memory_kib,
        )?;
        reader.parse(
            "PASSWORD_HASH_ITERATIONS",
            &mut config.password_hash_cost.iterations,
        )?;
        reader.parse(
            "PASSWORD_HASH_PARALLELISM",
            &mut config.password_hash_cost.parallelism,
        )?;
        if let Some(value) = reader.raw("PASSWORD_HASH_CONCURRENCY") {
            config.password_hash_concurrency =
                Some(parse_value("PASSWORD_HASH_CONCURRENCY", value)?);
        }

        reader.parse(
            "PASSWORD_RESET_EXPIRE_MINUTES",
            &mut config.password_reset_expire_minutes,
        )?;
        reader.parse(
            "EMAIL_VERIFY_EXPIRE_MINUTES",
            &mut config.email_verify_expire_minutes,
        )?;
        reader.optional_text("FRONTEND_URL", &mut config.frontend_url);
        reader.text("VERIFY_EMAIL_PATH", &mut config.verify_email_path);
        reader.text("PASSWORD_RESET_PATH", &mut config.password_reset_path);
        let mut smtp_url = None;
        reader.optional_text("SMTP_URL", &mut smtp_url);
        config.smtp_url = smtp_url.map(super::SmtpUrl);
        let mut redis_url = None;
        reader.optional_text("REDIS_URL", &mut redis_url);
        config.redis_url = redis_url.map(super::RedisUrl);
        let mut smtp_ca_file = None;
        reader.optional_text("SMTP_CA_FILE", &mut smtp_ca_file);
        config.smtp_ca_file = smtp_ca_file.map(std::path::PathBuf::from);
        reader.text("MAIL_FROM", &mut config.mail_from);
        reader.flag("COOKIE_TRANSPORT", &mut config.cookie_transport)?;
        reader.flag("COOKIE_SECURE", &mut config.cookie_secure)?;
        reader.parse("COOKIE_SAMESITE", &mut config.cookie_samesite)?;
        reader.optional_text("COOKIE_DOMAIN", &mut config.cookie_domain);
        reader.flag("COOKIE_HOST_PREFIX", &mut config.cookie_host_prefix)?;
        reader.list("CSRF_TRUSTED_ORIGINS", &mut config.csrf_trusted_origins)?;
        reader.list("CORS_ORIGINS", &mut config.cors_origins)?;

        config.validate().map_err(|error| {
            let variable = format!("{ENV_PREFIX}{}", error.option.to_ascii_uppercase());
            ConfigError::invalid(&variable, &error.reason)
        })?;
        Ok(config)
    }
}

struct Reader<'a> {
    vars: &'a HashMap<String, String>,
}

impl Reader<'_> {
    fn raw(&self, name: &str) -> Option<&str> {
        self.vars
            .get(&format!("{ENV_PREFIX}{name}"))
            .map(String::as_str)
    }

    fn parse<T: FromStr>(&self, name: &str, target: &mut T) -> Result<(), ConfigError>
    where
        T::Err: fmt::Display,
    {
        if let Some(value) = self.raw(name) {
            *target = parse_value(name, value)?;
        }
        Ok(())
    }

    fn flag(&self, name: &str, target: &mut bool) -> Result<(), ConfigError> {
        if let Some(value) = self.raw(name) {
            *target = parse_flag(name, value)?;
        }
        Ok(())
    }

    fn list(&self, name: &str, target: &mut Vec<String>) -> Result<(), ConfigError> {
        if let Some(value) = self.raw(name) {
            *target = parse_list(&format!("{ENV_PREFIX}{name}"), value)?;
        }
        Ok(())
    }

    fn text(&self, name: &str, target: &mut String) {
        if let Some(value) = self.raw(name) {
            value.trim().clone_into(target);
        }
    }

    fn optional_text(&self, name: &str, target: &mut Option<String>) {
        if let Some(value) = self.raw(name) {
            let value = value.trim();
            *target = (!value.is_empty()).then(|| value.to_owned());
        }
    }
}

fn parse_value<T: FromStr>(name: &str, value: &str) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    value.trim().parse().map_err(|error| {
        ConfigError::invalid(
            &format!("{ENV_PREFIX}{name}"),
            &format!("= {value:?}: {error}"),
        )
    })
}

/// Parses `true`/`false`/`1`/`0` in any case.
/// A list: a JSON array of strings, or comma-separated values; blanks dropped.
fn parse_list(name: &str, value: &str) -> Result<Vec<String>, ConfigError> {
    let trimmed = value.trim();
    if trimmed.starts_with('[') {
        return serde_json::from_str::<Vec<String>>(trimmed).map_err(|error| {
            ConfigError::invalid(name, &format!("is not a JSON list of strings: {error}"))
        });
    }
    Ok(trimmed
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect())
}

pub(crate) fn parse_flag(name: &str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(ConfigError::invalid(
            &format!("{ENV_PREFIX}{name}"),
            &format!("= {value:?}: expected true, false, 1 or 0"),
        )),
    }
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
        assert_eq!(config.access_token_expire_minutes, 5);
        assert!(!config.prevent_registration_enumeration);
        assert_eq!(
            config.jwt_issuer.as_deref(),
            Some("https://auth.example.com")
        );
        assert_eq!(config.refresh_token_expire_days, 30);
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
            config.smtp_url,
            Some(super::super::SmtpUrl(
                "smtps://mailer:pw@mail.example.com".into()
            ))
        );
        assert_eq!(
            config.frontend_url.as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(config.mail_from, "Example <no-reply@example.com>");
        assert_eq!(
            (
                config.password_reset_expire_minutes,
                config.email_verify_expire_minutes
            ),
            (30, 60)
        );
        assert_eq!(
            config.mail_link(&config.password_reset_path, "abc"),
            "https://app.example.com/account/reset?token=abc"
        );
        assert_eq!(config.verify_email_path, "/account/verify");
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
        assert!(config.cookie_transport && config.cookie_secure && config.cookie_host_prefix);
        assert_eq!(config.cookie_samesite, crate::SameSite::Strict);
        assert_eq!(
            config.csrf_trusted_origins,
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
        assert_eq!(config.cors_origins, ["http://localhost:5173"]);
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
