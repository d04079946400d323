//! Front ends on other origins: the CSRF layer's trusted origins and the CORS layer's allowed ones.

use super::env_reader::EnvReader;
use super::origin::normalized_origin;
use super::setting::{ConfigError, Setting};

const CSRF_TRUSTED_ORIGINS: Setting = Setting::new("csrf.trusted_origins", "CSRF_TRUSTED_ORIGINS");
const CORS_ORIGINS: Setting = Setting::new("cors.origins", "CORS_ORIGINS");

/// The CSRF layer ([`crate::FullAuth::csrf`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CsrfConfig {
    /// Origins besides the request's own host (and `cors.origins`) that the CSRF layer accepts in `Origin` or
    /// `Referer`, e.g. `https://app.example.com` for a front end on another host
    /// (`FULLAUTH_CSRF_TRUSTED_ORIGINS`).
    pub trusted_origins: Vec<String>,
}

impl CsrfConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.list(CSRF_TRUSTED_ORIGINS, &mut self.trusted_origins)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        check_origins(CSRF_TRUSTED_ORIGINS, &self.trusted_origins)
    }
}

/// The CORS layer ([`crate::FullAuth::cors`]).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CorsConfig {
    /// Origins of front ends on other hosts that may call the API with credentials (cookies or an
    /// `Authorization` header), e.g. `https://app.example.com`. Never `*`: browsers would then send credentials
    /// for any site. The CSRF layer trusts these origins too; for its double-submit, the front end's scripts must
    /// be able to read the CSRF cookie the API sets, so set `cookies.domain` to the parent domain both share
    /// (which rules out `cookies.host_prefix`) (`FULLAUTH_CORS_ORIGINS`).
    pub origins: Vec<String>,
}

impl CorsConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.list(CORS_ORIGINS, &mut self.origins)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        check_origins(CORS_ORIGINS, &self.origins)
    }
}

fn check_origins(setting: Setting, origins: &[String]) -> Result<(), ConfigError> {
    if origins.iter().any(|origin| origin.trim() == "*") {
        return Err(setting.invalid(
            "cannot be `*`: list the front ends' origins, e.g. `https://app.example.com`",
        ));
    }
    if let Some(origin) = origins
        .iter()
        .find(|origin| normalized_origin(origin).is_none())
    {
        return Err(setting.invalid(&format!(
            "has `{origin}`, which is not an origin: write `https://app.example.com` (scheme, host and \
             optional port, no path)"
        )));
    }
    Ok(())
}
