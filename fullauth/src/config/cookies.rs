//! Cookies: the cookie transport of tokens, and the attributes of every cookie fullauth sets.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const TRANSPORT: Setting = Setting::new("cookies.transport", "COOKIE_TRANSPORT");
const SECURE: Setting = Setting::new("cookies.secure", "COOKIE_SECURE");
const SAMESITE: Setting = Setting::new("cookies.samesite", "COOKIE_SAMESITE");
const DOMAIN: Setting = Setting::new("cookies.domain", "COOKIE_DOMAIN");
const HOST_PREFIX: Setting = Setting::new("cookies.host_prefix", "COOKIE_HOST_PREFIX");

/// Cookies: whether tokens travel in them, and how every cookie fullauth sets is marked.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CookieConfig {
    /// Carry the tokens in cookies (`fullauth_access`, `fullauth_refresh`, both `HttpOnly`) instead of leaving
    /// them to the client: login and refresh set them, the body's `refresh_token` is then `null`, every route
    /// and extractor accepts the access cookie where it accepts the `Authorization` header, `POST /refresh`
    /// reads the refresh cookie first, and logout clears both. Pair it with [`crate::FullAuth::csrf`]
    /// (`FULLAUTH_COOKIE_TRANSPORT`).
    pub transport: bool,
    /// The `Secure` attribute of every cookie fullauth sets (HTTPS only; browsers also allow it on
    /// `http://localhost`) (`FULLAUTH_COOKIE_SECURE`).
    pub secure: bool,
    /// The `SameSite` attribute of every cookie fullauth sets (`FULLAUTH_COOKIE_SAMESITE`).
    pub samesite: SameSite,
    /// The `Domain` attribute of every cookie fullauth sets; unset (the default), cookies belong to the exact
    /// host that set them, which is safer (`FULLAUTH_COOKIE_DOMAIN`).
    pub domain: Option<String>,
    /// Name the cookies `__Host-fullauth_access`, `__Host-fullauth_refresh` and `__Host-fullauth_csrf`: browsers
    /// then refuse them unless they are `Secure`, for `/` and without `Domain`, so a neighbouring subdomain
    /// cannot plant or shadow them. Needs `secure` and no `domain` (`FULLAUTH_COOKIE_HOST_PREFIX`).
    pub host_prefix: bool,
}

impl Default for CookieConfig {
    fn default() -> Self {
        Self {
            transport: false,
            secure: true,
            samesite: SameSite::Lax,
            domain: None,
            host_prefix: false,
        }
    }
}

impl CookieConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.flag(TRANSPORT, &mut self.transport)?;
        env.flag(SECURE, &mut self.secure)?;
        env.parse(SAMESITE, &mut self.samesite)?;
        env.optional_text(DOMAIN, &mut self.domain);
        env.flag(HOST_PREFIX, &mut self.host_prefix)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if let Some(domain) = &self.domain {
            let plain = domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
            if domain.is_empty() || !plain {
                return Err(DOMAIN.invalid(
                    "must be a host name such as `example.com`, without scheme, port or path",
                ));
            }
        }
        if self.host_prefix && (!self.secure || self.domain.is_some()) {
            return Err(HOST_PREFIX.invalid(
                "needs cookies.secure = true and no cookies.domain: browsers refuse `__Host-` cookies otherwise",
            ));
        }
        if self.samesite == SameSite::None && !self.secure {
            return Err(SAMESITE.invalid(
                "= none needs cookies.secure = true: browsers refuse such cookies otherwise",
            ));
        }
        Ok(())
    }
}

/// The `SameSite` attribute of the cookies fullauth sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SameSite {
    /// Sent on same-site requests and on top-level navigations from other sites (the default).
    #[default]
    Lax,
    /// Sent on same-site requests only.
    Strict,
    /// Sent on every request, cross-site included; needs `cookies.secure`. Pair it with the CSRF layer.
    None,
}

impl SameSite {
    /// The attribute's value in a `Set-Cookie` header, as `FULLAUTH_COOKIE_SAMESITE` also accepts it.
    pub fn name(self) -> &'static str {
        match self {
            SameSite::Lax => "Lax",
            SameSite::Strict => "Strict",
            SameSite::None => "None",
        }
    }
}

impl std::str::FromStr for SameSite {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "lax" => Ok(SameSite::Lax),
            "strict" => Ok(SameSite::Strict),
            "none" => Ok(SameSite::None),
            other => Err(format!(
                "`{other}` is not a SameSite value: use lax, strict or none"
            )),
        }
    }
}
