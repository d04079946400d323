//! [`Context`]: what a router's description depends on in the configuration.

use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::security::SecurityRequirement;

use super::operation::{Described, Op};
use super::schema_kit::{Shape, string};
use crate::config::FullAuthConfig;
use crate::http::cookies::{ACCESS, CookieSettings};

/// The configuration as the descriptions need it.
pub(crate) struct Context {
    /// The prefix of every route: the mount path without its trailing slash (`""` at the root), as the routers
    /// join it.
    prefix: String,
    tags: Vec<String>,
    /// The name of the login body field (`sign_in.login_field`).
    pub(crate) login_field: String,
    /// The cookie that carries the access token, when cookies carry the tokens.
    pub(crate) access_cookie: Option<String>,
    /// The shortest and the longest password the policy accepts, in characters (0: no longest).
    password_lengths: (usize, usize),
    /// Whether a sign-in may ask for a second factor (MFA is on).
    pub(crate) second_factor: bool,
    /// The configured OAuth providers' names.
    #[cfg(feature = "oauth")]
    pub(crate) providers: Vec<String>,
    /// Every redirect URI one of the providers allows, once each.
    #[cfg(feature = "oauth")]
    pub(crate) redirect_uris: Vec<String>,
}

impl Context {
    /// The context of `config`; `second_factor` when MFA is on.
    pub(crate) fn new(config: &FullAuthConfig, second_factor: bool) -> Self {
        let cookies = CookieSettings::new(config);
        Context {
            prefix: config.routes.mount_path().trim_end_matches('/').to_owned(),
            tags: config.routes.router_tags.clone(),
            login_field: config.sign_in.login_field.clone(),
            access_cookie: config.cookies.transport.then(|| cookies.name(ACCESS)),
            password_lengths: (config.passwords.min_length, config.passwords.max_length),
            second_factor,
            #[cfg(feature = "oauth")]
            providers: config
                .oauth
                .providers
                .iter()
                .map(|provider| provider.name.clone())
                .collect(),
            #[cfg(feature = "oauth")]
            redirect_uris: {
                let mut uris: Vec<String> = config
                    .oauth
                    .providers
                    .iter()
                    .flat_map(|provider| provider.redirect_uris.iter().cloned())
                    .collect();
                uris.sort();
                uris.dedup();
                uris
            },
        }
    }

    /// An operation at `route` below the mount path.
    pub(crate) fn op(
        &self,
        method: HttpMethod,
        route: &str,
        id: &'static str,
        summary: &'static str,
    ) -> Op {
        Op::new(method, format!("{}{route}", self.prefix), id, summary)
    }

    /// A new password, as long as the policy wants it.
    pub(crate) fn new_password(&self) -> Shape {
        let (min, max) = self.password_lengths;
        string()
            .min_length(Some(min))
            .max_length((max != 0).then_some(max))
            .into()
    }

    /// Each operation, described with the configured tags and security.
    pub(crate) fn describe(&self, operations: Vec<Op>) -> Vec<Described> {
        operations
            .into_iter()
            .map(|op| self.describe_one(op))
            .collect()
    }

    /// One operation, described with the configured tags and security.
    pub(crate) fn describe_one(&self, op: Op) -> Described {
        op.describe(&self.tags, &self.security(), self.access_cookie.is_some())
    }

    /// The ways a signed-in caller may present the access token: either scheme satisfies a route.
    fn security(&self) -> Vec<SecurityRequirement> {
        let bearer = SecurityRequirement::new("bearer", Vec::<String>::new());
        if self.access_cookie.is_some() {
            vec![
                bearer,
                SecurityRequirement::new("cookie", Vec::<String>::new()),
            ]
        } else {
            vec![bearer]
        }
    }
}
