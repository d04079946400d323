//! Configuration: every option in code, and each one from a `FULLAUTH_*` environment variable.

mod env;
mod origin;
mod role_check;
mod same_site;
mod secret;

pub use env::ConfigError;
pub(crate) use origin::{normalized_origin, origin_of_url, origin_or_panic, same_host};
pub use role_check::RoleCheck;
pub use same_site::SameSite;
pub use secret::SecretKey;

use std::time::Duration;

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

/// Argon2id cost parameters for new hashes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHashCost {
    /// Memory in KiB (`m`).
    pub memory_kib: u32,
    /// Iterations (`t`).
    pub iterations: u32,
    /// Lanes (`p`).
    pub parallelism: u32,
}

impl Default for PasswordHashCost {
    /// OWASP's recommendation and the argon2 crate's default: m=19456 KiB, t=2, p=1.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

const MAX_ACCESS_MINUTES: u64 = 525_600;
const MAX_REFRESH_DAYS: u64 = 3_650;
const MAX_LEEWAY_SECONDS: u64 = 3_600;
const MAX_REAUTH_SECONDS: u64 = 86_400;
const MAX_LOCKOUT_MINUTES: u64 = 7 * 24 * 60;

/// Every option fullauth reads. Field names match fastapi-fullauth's settings; each can be set from the
/// environment as `FULLAUTH_` + its name in upper case (see [`FullAuthConfig::from_env`]).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct FullAuthConfig {
    /// HMAC key for tokens, at least 32 bytes. `None` generates a random key at start (tokens then die with the
    /// process) and logs a warning.
    pub secret_key: Option<SecretKey>,
    /// JWT signing algorithm.
    pub algorithm: JwtAlgorithm,
    /// Access-token lifetime in minutes.
    pub access_token_expire_minutes: u64,
    /// Refresh-token lifetime in days.
    pub refresh_token_expire_days: u64,
    /// Rotate refresh tokens on use, with reuse detection.
    pub refresh_token_rotation: bool,
    /// Clock skew tolerated on `exp` and `nbf`, in seconds.
    pub jwt_leeway_seconds: u64,
    /// `iss` stamped on tokens and required on decoding.
    pub jwt_issuer: Option<String>,
    /// `aud` stamped on tokens and required on decoding.
    pub jwt_audience: Option<String>,
    /// Shortest password, in characters.
    pub password_min_length: usize,
    /// Longest password, in characters (checked before hashing; 0 disables the check).
    pub password_max_length: usize,
    /// Name of the login body field that carries the email address.
    pub login_field: String,
    /// Verify against a dummy hash when the user is unknown, so timing does not reveal accounts.
    pub prevent_login_timing_attacks: bool,
    /// `POST /register` answers 202 whether or not the email was taken.
    pub prevent_registration_enumeration: bool,
    /// How recent a sign-in must be for destructive actions without the password, in seconds.
    pub reauth_max_age_seconds: u64,
    /// Whether repeated wrong passwords lock an account (keyed on its normalized email, not the client's address).
    pub lockout_enabled: bool,
    /// Wrong passwords within `lockout_duration_minutes` that lock the account.
    pub max_login_attempts: u64,
    /// How long a lock lasts, and the window in which failures are counted, in minutes.
    pub lockout_duration_minutes: u64,
    /// Whether fullauth's routes limit requests per client address (the buckets below).
    pub auth_rate_limit_enabled: bool,
    /// The length of a rate-limit window, in seconds.
    pub auth_rate_limit_window_seconds: u64,
    /// `POST /login` requests per window and client address.
    pub login_rate_limit: u64,
    /// `POST /register` requests per window and client address.
    pub register_rate_limit: u64,
    /// Requests to the four verify routes together, per window and client address.
    pub password_reset_rate_limit: u64,
    /// `POST /refresh` requests per window and client address.
    pub refresh_rate_limit: u64,
    /// `DELETE /me` and `POST /change-password` requests per window and client address.
    pub reauth_rate_limit: u64,
    /// Headers that trusted proxies set with the client's address, e.g. `X-Forwarded-For`; empty (the default):
    /// the peer address counts and no header is believed.
    pub trusted_proxy_headers: Vec<String>,
    /// How many trusted proxies stand in front: the address taken is this many entries from the right of the
    /// header's list.
    pub trusted_proxy_count: usize,
    /// Prefix of every fullauth route, e.g. `/api/v1`.
    pub api_prefix: String,
    /// Prefix of the auth routers below `api_prefix`, e.g. `/auth`.
    pub auth_router_prefix: String,
    /// Largest request body fullauth's routes accept, in bytes (413 above it).
    pub max_body_bytes: usize,
    /// Argon2id cost for new hashes; older hashes are upgraded at the next successful login.
    pub password_hash_cost: PasswordHashCost,
    /// How many password hashes may run at once (they run on blocking threads, never on the async workers).
    /// `None` = one less than the number of CPUs, at least one.
    pub password_hash_concurrency: Option<usize>,
    /// Lifetime of password-reset links, in minutes.
    pub password_reset_expire_minutes: u64,
    /// Lifetime of email-verification links, in minutes.
    pub email_verify_expire_minutes: u64,
    /// Where the front end lives, e.g. `https://app.example.com`: every link in a mail starts with it, never
    /// with the request's `Host`. Unset, links are relative (`/verify-email?token=...`), good for development
    /// only; SMTP delivery requires it.
    pub frontend_url: Option<String>,
    /// Path of the front end's email-verification page.
    pub verify_email_path: String,
    /// Path of the front end's password-reset page.
    pub password_reset_path: String,
    /// SMTP server for mails (needs the `smtp` feature): `smtps://user:pass@mail.example.com` (TLS, port 465),
    /// `smtp://user:pass@mail.example.com:587?tls=required` (STARTTLS), or `smtp://127.0.0.1:2525` (plain, for
    /// local development). Unset, mails are printed (console mailer).
    pub smtp_url: Option<SmtpUrl>,
    /// A PEM file of root certificates to trust, besides the public ones, for the SMTP server's TLS
    /// certificate: for a relay with a certificate from an internal authority.
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// Sender of every mail, e.g. `Example <no-reply@example.com>`.
    pub mail_from: String,
    /// Where role and permission guards read a user's roles: the database (default: a removed role stops
    /// working at the next request) or the access token (no query, but stale for up to one token lifetime).
    pub role_check: RoleCheck,
    /// Redis for the shared state (feature `redis`): revocations and counters shared by every instance. Unset,
    /// the state lives in this process's memory, which is right for one instance only.
    pub redis_url: Option<RedisUrl>,
    /// Carry the tokens in cookies (`fullauth_access`, `fullauth_refresh`, both `HttpOnly`) instead of leaving
    /// them to the client: login and refresh set them, the body's `refresh_token` is then `null`, every route
    /// and extractor accepts the access cookie where it accepts the `Authorization` header, `POST /refresh`
    /// reads the refresh cookie first, and logout clears both. Pair it with [`crate::FullAuth::csrf`].
    pub cookie_transport: bool,
    /// The `Secure` attribute of every cookie fullauth sets (HTTPS only; browsers also allow it on
    /// `http://localhost`).
    pub cookie_secure: bool,
    /// The `SameSite` attribute of every cookie fullauth sets.
    pub cookie_samesite: SameSite,
    /// The `Domain` attribute of every cookie fullauth sets; unset (the default), cookies belong to the exact
    /// host that set them, which is safer.
    pub cookie_domain: Option<String>,
    /// Name the cookies `__Host-fullauth_access`, `__Host-fullauth_refresh` and `__Host-fullauth_csrf`: browsers
    /// then refuse them unless they are `Secure`, for `/` and without `Domain`, so a neighbouring subdomain
    /// cannot plant or shadow them. Needs `cookie_secure` and no `cookie_domain`.
    pub cookie_host_prefix: bool,
    /// Origins besides the request's own host (and `cors_origins`) that the CSRF layer accepts in `Origin` or
    /// `Referer`, e.g. `https://app.example.com` for a front end on another host.
    pub csrf_trusted_origins: Vec<String>,
    /// Origins of front ends on other hosts that may call the API with credentials (cookies or an
    /// `Authorization` header), through [`crate::FullAuth::cors`], e.g. `https://app.example.com`. Never `*`:
    /// browsers would then send credentials for any site. The CSRF layer trusts these origins too; for its
    /// double-submit, the front end's scripts must be able to read the CSRF cookie the API sets, so set
    /// `cookie_domain` to the parent domain both share (which rules out `cookie_host_prefix`).
    pub cors_origins: Vec<String>,
}

/// An SMTP URL; its `Debug` output hides the credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(pub String);

/// A Redis URL (`redis://[:password@]host:port/db`, `rediss://` for TLS); its `Debug` output hides the
/// credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisUrl(pub String);

/// A URL as `Debug` shows it: anything before `@` replaced.
fn redacted_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://<credentials>@{host}"),
            None => url.to_owned(),
        },
        None => "<invalid>".to_owned(),
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SmtpUrl")
            .field(&redacted_url(&self.0))
            .finish()
    }
}

impl std::fmt::Debug for RedisUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("RedisUrl")
            .field(&redacted_url(&self.0))
            .finish()
    }
}

impl Default for FullAuthConfig {
    fn default() -> Self {
        Self {
            secret_key: None,
            algorithm: JwtAlgorithm::HS256,
            access_token_expire_minutes: 30,
            refresh_token_expire_days: 30,
            refresh_token_rotation: true,
            jwt_leeway_seconds: 30,
            jwt_issuer: None,
            jwt_audience: None,
            password_min_length: 8,
            password_max_length: 4096,
            login_field: "email".to_owned(),
            prevent_login_timing_attacks: true,
            prevent_registration_enumeration: true,
            reauth_max_age_seconds: 300,
            lockout_enabled: true,
            max_login_attempts: 5,
            lockout_duration_minutes: 15,
            auth_rate_limit_enabled: true,
            auth_rate_limit_window_seconds: 60,
            login_rate_limit: 5,
            register_rate_limit: 3,
            password_reset_rate_limit: 3,
            refresh_rate_limit: 30,
            reauth_rate_limit: 5,
            trusted_proxy_headers: Vec::new(),
            trusted_proxy_count: 1,
            api_prefix: "/api/v1".to_owned(),
            auth_router_prefix: "/auth".to_owned(),
            max_body_bytes: 256 * 1024,
            password_hash_cost: PasswordHashCost::default(),
            password_hash_concurrency: None,
            password_reset_expire_minutes: 15,
            email_verify_expire_minutes: 1440,
            frontend_url: None,
            verify_email_path: "/verify-email".to_owned(),
            password_reset_path: "/reset-password".to_owned(),
            smtp_url: None,
            smtp_ca_file: None,
            mail_from: "fullauth <no-reply@localhost>".to_owned(),
            role_check: RoleCheck::Database,
            redis_url: None,
            cookie_transport: false,
            cookie_secure: true,
            cookie_samesite: SameSite::Lax,
            cookie_domain: None,
            cookie_host_prefix: false,
            csrf_trusted_origins: Vec::new(),
            cors_origins: Vec::new(),
        }
    }
}

impl FullAuthConfig {
    /// The defaults, with a secret key.
    pub fn with_secret(secret: impl Into<Vec<u8>>) -> Result<Self, ConfigError> {
        Ok(Self {
            secret_key: Some(SecretKey::new(secret)?),
            ..Self::default()
        })
    }

    /// Access-token lifetime.
    pub fn access_token_lifetime(&self) -> Duration {
        Duration::from_secs(self.access_token_expire_minutes.saturating_mul(60))
    }

    /// Refresh-token lifetime.
    pub fn refresh_token_lifetime(&self) -> Duration {
        Duration::from_secs(self.refresh_token_expire_days.saturating_mul(86_400))
    }

    /// The link a mail carries: `frontend_url` + `path` + `?token=<token>`.
    pub fn mail_link(&self, path: &str, token: &str) -> String {
        let base = self
            .frontend_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/');
        format!("{base}{path}?token={token}")
    }

    /// `api_prefix` + `auth_router_prefix`, normalized (leading slash, no trailing slash).
    pub fn mount_path(&self) -> String {
        let joined = format!(
            "{}/{}",
            self.api_prefix.trim_end_matches('/'),
            self.auth_router_prefix.trim_matches('/')
        );
        let trimmed = joined.trim_end_matches('/');
        if trimmed.starts_with('/') {
            trimmed.to_owned()
        } else {
            format!("/{trimmed}")
        }
    }

    /// Checks that the options fit together; [`crate::FullAuth::builder`] calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |name: &str, reason: &str| Err(ConfigError::invalid(name, reason));
        if !(1..=MAX_ACCESS_MINUTES).contains(&self.access_token_expire_minutes) {
            return invalid(
                "access_token_expire_minutes",
                "must be between 1 and 525600 (a year)",
            );
        }
        if !(1..=MAX_REFRESH_DAYS).contains(&self.refresh_token_expire_days) {
            return invalid(
                "refresh_token_expire_days",
                "must be between 1 and 3650 (ten years)",
            );
        }
        if self.jwt_leeway_seconds > MAX_LEEWAY_SECONDS {
            return invalid("jwt_leeway_seconds", "must be at most 3600");
        }
        if self.reauth_max_age_seconds > MAX_REAUTH_SECONDS {
            return invalid("reauth_max_age_seconds", "must be at most 86400 (a day)");
        }
        if self.auth_rate_limit_enabled
            && !(1..=86_400).contains(&self.auth_rate_limit_window_seconds)
        {
            return invalid(
                "auth_rate_limit_window_seconds",
                "must be between 1 and 86400 (a day)",
            );
        }
        if self.trusted_proxy_count == 0 {
            return invalid("trusted_proxy_count", "must be at least 1");
        }
        if self
            .trusted_proxy_headers
            .iter()
            .any(|name| axum::http::HeaderName::from_bytes(name.as_bytes()).is_err())
        {
            return invalid("trusted_proxy_headers", "must be header names");
        }
        if self.lockout_enabled && self.max_login_attempts == 0 {
            return invalid("max_login_attempts", "must be at least 1");
        }
        if self.lockout_enabled
            && !(1..=MAX_LOCKOUT_MINUTES).contains(&self.lockout_duration_minutes)
        {
            return invalid(
                "lockout_duration_minutes",
                "must be between 1 and 10080 (a week)",
            );
        }
        if self.password_min_length == 0 {
            return invalid("password_min_length", "must be at least 1");
        }
        if self.password_max_length != 0 && self.password_max_length < self.password_min_length {
            return invalid(
                "password_max_length",
                "must not be below password_min_length",
            );
        }
        if self.login_field.trim().is_empty() || self.login_field == "password" {
            return invalid(
                "login_field",
                "must name a body field other than `password`",
            );
        }
        if self.max_body_bytes < 1024 {
            return invalid("max_body_bytes", "must be at least 1024");
        }
        if self.password_hash_concurrency == Some(0) {
            return invalid("password_hash_concurrency", "must be at least 1");
        }
        let cost = self.password_hash_cost;
        if argon2::Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None).is_err() {
            return invalid("password_hash_cost", "is not a valid Argon2 parameter set");
        }
        if !(1..=MAX_ACCESS_MINUTES).contains(&self.password_reset_expire_minutes) {
            return invalid(
                "password_reset_expire_minutes",
                "must be between 1 and 525600",
            );
        }
        if !(1..=MAX_ACCESS_MINUTES).contains(&self.email_verify_expire_minutes) {
            return invalid(
                "email_verify_expire_minutes",
                "must be between 1 and 525600",
            );
        }
        if let Some(url) = &self.frontend_url {
            let scheme = url.starts_with("https://") || url.starts_with("http://");
            let host = url.split("://").nth(1).unwrap_or_default();
            if !scheme
                || host.is_empty()
                || host.starts_with('/')
                || url.contains(['?', '#', ' ', '\t', '\n', '\r'])
            {
                return invalid(
                    "frontend_url",
                    "must be an absolute http:// or https:// URL without query or fragment",
                );
            }
        }
        if self.smtp_ca_file.is_some() && self.smtp_url.is_none() {
            return invalid(
                "smtp_ca_file",
                "is set without smtp_url: it is for the SMTP server's certificate",
            );
        }
        if self.smtp_url.is_some() && self.frontend_url.is_none() {
            return invalid(
                "frontend_url",
                "must be set when mails are delivered over SMTP: links in mails need an absolute address",
            );
        }
        for (name, path) in [
            ("verify_email_path", &self.verify_email_path),
            ("password_reset_path", &self.password_reset_path),
        ] {
            if !path.starts_with('/') || path.contains(['?', '#']) {
                return invalid(name, "must be a path starting with `/`, without `?` or `#`");
            }
        }
        let floor = PasswordHashCost::default();
        if cost.memory_kib < floor.memory_kib
            || cost.iterations < floor.iterations
            || cost.parallelism < 1
        {
            return invalid(
                "password_hash_cost",
                "must not be weaker than m=19456 KiB, t=2, p=1",
            );
        }
        for (name, prefix) in [
            ("api_prefix", &self.api_prefix),
            ("auth_router_prefix", &self.auth_router_prefix),
        ] {
            if prefix.contains(['{', '}', '*', '?', '#']) {
                return invalid(
                    name,
                    "must be a plain path without `{`, `}`, `*`, `?` or `#`",
                );
            }
        }
        self.validate_cookies()
    }

    fn validate_cookies(&self) -> Result<(), ConfigError> {
        let invalid = |name: &str, reason: &str| Err(ConfigError::invalid(name, reason));
        if let Some(domain) = &self.cookie_domain {
            let plain = domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
            if domain.is_empty() || !plain {
                return invalid(
                    "cookie_domain",
                    "must be a host name such as `example.com`, without scheme, port or path",
                );
            }
        }
        if self.cookie_host_prefix && (!self.cookie_secure || self.cookie_domain.is_some()) {
            return invalid(
                "cookie_host_prefix",
                "needs cookie_secure = true and no cookie_domain: browsers refuse `__Host-` cookies otherwise",
            );
        }
        if self.cookie_samesite == SameSite::None && !self.cookie_secure {
            return invalid(
                "cookie_samesite",
                "= none needs cookie_secure = true: browsers refuse such cookies otherwise",
            );
        }
        for (name, origins) in [
            ("csrf_trusted_origins", &self.csrf_trusted_origins),
            ("cors_origins", &self.cors_origins),
        ] {
            if origins.iter().any(|origin| origin.trim() == "*") {
                return invalid(
                    name,
                    "cannot be `*`: list the front ends' origins, e.g. `https://app.example.com`",
                );
            }
            if let Some(origin) = origins
                .iter()
                .find(|origin| normalized_origin(origin).is_none())
            {
                return invalid(
                    name,
                    &format!(
                        "has `{origin}`, which is not an origin: write `https://app.example.com` (scheme, host and \
                         optional port, no path)"
                    ),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_lifetimes_that_cannot_be_represented() {
        for change in [
            (|c: &mut FullAuthConfig| c.access_token_expire_minutes = u64::MAX)
                as fn(&mut FullAuthConfig),
            |c| c.refresh_token_expire_days = 100_000,
            |c| c.jwt_leeway_seconds = u64::MAX,
            |c| c.reauth_max_age_seconds = u64::MAX,
            |c| c.password_hash_cost.iterations = 1,
        ] {
            let mut config = FullAuthConfig::default();
            change(&mut config);
            assert!(config.validate().is_err(), "{config:?}");
        }
        assert!(FullAuthConfig::default().validate().is_ok());
    }

    #[test]
    fn mail_options_are_checked() {
        let valid = |change: fn(&mut FullAuthConfig)| {
            let mut config = FullAuthConfig::default();
            change(&mut config);
            config.validate().is_ok()
        };
        assert!(valid(
            |c| c.frontend_url = Some("https://app.example.com/base".into())
        ));
        assert!(valid(
            |c| c.frontend_url = Some("http://localhost:3000".into())
        ));
        assert!(!valid(|c| c.frontend_url = Some("app.example.com".into())));
        assert!(!valid(|c| c.frontend_url = Some("https://".into())));
        assert!(!valid(
            |c| c.frontend_url = Some("javascript:alert(1)".into())
        ));
        assert!(!valid(
            |c| c.frontend_url = Some("https://app.example.com/?next=x".into())
        ));
        assert!(!valid(|c| c.verify_email_path = "verify".into()));
        assert!(!valid(|c| c.password_reset_path = "/reset?x=1".into()));
        assert!(!valid(|c| c.password_reset_expire_minutes = 0));
        assert!(!valid(
            |c| c.smtp_url = Some(SmtpUrl("smtp://127.0.0.1:2525".into()))
        ));
        assert!(valid(|c| {
            c.smtp_url = Some(SmtpUrl("smtp://127.0.0.1:2525".into()));
            c.frontend_url = Some("https://app.example.com".into());
        }));
    }

    #[test]
    fn links_start_with_the_front_end() {
        let mut config = FullAuthConfig::default();
        assert_eq!(
            config.mail_link("/verify-email", "t.k.n"),
            "/verify-email?token=t.k.n"
        );
        config.frontend_url = Some("https://app.example.com/".into());
        assert_eq!(
            config.mail_link("/reset-password", "t.k.n"),
            "https://app.example.com/reset-password?token=t.k.n"
        );
    }

    #[test]
    fn smtp_credentials_stay_out_of_debug_output() {
        let url = SmtpUrl("smtps://mailer:s3cret@mail.example.com:465".into());
        let shown = format!("{url:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("mailer"),
            "{shown}"
        );
        assert!(shown.contains("mail.example.com:465"), "{shown}");
    }

    #[test]
    fn mount_path_joins_prefixes() {
        let mut config = FullAuthConfig::default();
        assert_eq!(config.mount_path(), "/api/v1/auth");
        config.api_prefix = "api/".into();
        config.auth_router_prefix = "/".into();
        assert_eq!(config.mount_path(), "/api");
    }
}
