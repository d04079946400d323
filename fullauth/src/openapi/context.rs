//! [`Context`]: what a router's description depends on in the configuration.

use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::security::SecurityRequirement;

use super::operation::{Described, Op};
use super::schema_kit::{Shape, string};
use crate::config::FullAuthConfig;

/// The configuration as the descriptions need it.
pub(crate) struct Context {
    mount: String,
    tags: Vec<String>,
    /// The name of the login body field (`sign_in.login_field`).
    pub(crate) login_field: String,
    /// Whether cookies carry the tokens.
    pub(crate) cookies: bool,
    /// The shortest and the longest password the policy accepts, in characters.
    password_lengths: (usize, usize),
    /// The configured OAuth providers' names, and every redirect URI one of them allows.
    #[cfg(feature = "oauth")]
    pub(crate) oauth: (Vec<String>, Vec<String>),
}

impl Context {
    /// The context of `config`.
    pub(crate) fn new(config: &FullAuthConfig) -> Self {
        Context {
            mount: config.routes.mount_path(),
            tags: config.routes.router_tags.clone(),
            login_field: config.sign_in.login_field.clone(),
            cookies: config.cookies.transport,
            password_lengths: (config.passwords.min_length, config.passwords.max_length),
            #[cfg(feature = "oauth")]
            oauth: (
                config
                    .oauth
                    .providers
                    .iter()
                    .map(|provider| provider.name.clone())
                    .collect(),
                config
                    .oauth
                    .providers
                    .iter()
                    .flat_map(|provider| provider.redirect_uris.iter().cloned())
                    .collect(),
            ),
        }
    }

    /// A new password, as long as the policy wants it.
    pub(crate) fn new_password(&self) -> Shape {
        let (min, max) = self.password_lengths;
        string().min_length(Some(min)).max_length(Some(max)).into()
    }

    /// An operation at `route` below the mount path.
    pub(crate) fn op(
        &self,
        method: HttpMethod,
        route: &str,
        id: &'static str,
        summary: &'static str,
    ) -> Op {
        Op::new(method, format!("{}{route}", self.mount), id, summary)
    }

    /// Each operation, described with the configured tags and security.
    pub(crate) fn describe(&self, operations: Vec<Op>) -> Vec<Described> {
        operations
            .into_iter()
            .map(|op| op.describe(&self.tags, &self.security(), self.cookies))
            .collect()
    }

    /// The ways a signed-in caller may present the access token: either scheme satisfies a route.
    fn security(&self) -> Vec<SecurityRequirement> {
        let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
        if self.cookies {
            vec![
                bearer,
                SecurityRequirement::new("cookie", Vec::<String>::new()),
            ]
        } else {
            vec![bearer]
        }
    }
}
