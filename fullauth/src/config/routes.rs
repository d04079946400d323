//! Routes: where fullauth's routers are mounted, and the largest body they read.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const API_PREFIX: Setting = Setting::new("routes.api_prefix", "API_PREFIX");
const AUTH_ROUTER_PREFIX: Setting = Setting::new("routes.auth_router_prefix", "AUTH_ROUTER_PREFIX");
const MAX_BODY_BYTES: Setting = Setting::new("routes.max_body_bytes", "MAX_BODY_BYTES");
const ROUTER_TAGS: Setting = Setting::new("routes.router_tags", "ROUTER_TAGS");

/// Where fullauth's routers live.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RouteConfig {
    /// Prefix of every fullauth route, e.g. `/api/v1` (`FULLAUTH_API_PREFIX`).
    pub api_prefix: String,
    /// Prefix of the auth routers below `api_prefix`, e.g. `/auth` (`FULLAUTH_AUTH_ROUTER_PREFIX`).
    pub auth_router_prefix: String,
    /// Largest request body fullauth's routes accept, in bytes; 413 above it (`FULLAUTH_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// The tags of every fullauth operation in the OpenAPI document (`FULLAUTH_ROUTER_TAGS`, a JSON list or
    /// comma-separated; default `["Auth"]`).
    pub router_tags: Vec<String>,
}

impl Default for RouteConfig {
    fn default() -> Self {
        Self {
            api_prefix: "/api/v1".to_owned(),
            auth_router_prefix: "/auth".to_owned(),
            max_body_bytes: 256 * 1024,
            router_tags: vec!["Auth".to_owned()],
        }
    }
}

impl RouteConfig {
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

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.text(API_PREFIX, &mut self.api_prefix);
        env.text(AUTH_ROUTER_PREFIX, &mut self.auth_router_prefix);
        env.list(ROUTER_TAGS, &mut self.router_tags)?;
        env.parse(MAX_BODY_BYTES, &mut self.max_body_bytes)
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if self.max_body_bytes < 1024 {
            return Err(MAX_BODY_BYTES.invalid("must be at least 1024"));
        }
        for (setting, prefix) in [
            (API_PREFIX, &self.api_prefix),
            (AUTH_ROUTER_PREFIX, &self.auth_router_prefix),
        ] {
            if prefix.contains(['{', '}', '*', '?', '#']) {
                return Err(
                    setting.invalid("must be a plain path without `{`, `}`, `*`, `?` or `#`")
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
    fn mount_path_joins_prefixes() {
        let mut routes = RouteConfig::default();
        assert_eq!(routes.mount_path(), "/api/v1/auth");
        routes.api_prefix = "api/".into();
        routes.auth_router_prefix = "/".into();
        assert_eq!(routes.mount_path(), "/api");
    }
}
