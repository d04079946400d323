//! OAuth: the providers users sign in with, and how fullauth talks to them.
//!
//! From the environment, a provider is a group of variables `FULLAUTH_OAUTH_<NAME>_<SUFFIX>`, where `<NAME>` is
//! everything between `FULLAUTH_OAUTH_` and a known suffix (so names may contain `_`), and the provider is listed
//! under the lower-cased name.

use std::collections::BTreeMap;

use super::env_reader::EnvReader;
use super::oauth_provider::{OAuthProviderConfig, ProviderKind};
use super::setting::{ConfigError, Setting};

const STATE_EXPIRE_SECONDS: Setting =
    Setting::new("oauth.state_expire_seconds", "OAUTH_STATE_EXPIRE_SECONDS");
const HTTP_TIMEOUT_SECONDS: Setting =
    Setting::new("oauth.http_timeout_seconds", "OAUTH_HTTP_TIMEOUT_SECONDS");
const KEEP_PROVIDER_TOKENS: Setting =
    Setting::new("oauth.keep_provider_tokens", "OAUTH_KEEP_PROVIDER_TOKENS");
const AUTO_LINK_BY_EMAIL: Setting =
    Setting::new("oauth.auto_link_by_email", "OAUTH_AUTO_LINK_BY_EMAIL");
/// fastapi-fullauth's switch for PKCE, which fullauth always uses.
const PKCE_ENABLED: Setting = Setting::new("oauth.pkce", "OAUTH_PKCE_ENABLED");

/// The variable suffixes of a provider, longest first where one ends another.
const SUFFIXES: [&str; 8] = [
    "_CLIENT_SECRET",
    "_CLIENT_ID",
    "_REDIRECT_URIS",
    "_ISSUER",
    "_SCOPES",
    "_AUTHORIZE_URL",
    "_TOKEN_URL",
    "_API_URL",
];

/// What the variables of a provider start with, the prefix of every variable included:
/// `FULLAUTH_OAUTH_<NAME>_<SUFFIX>`.
const PROVIDER_PREFIX: &str = "FULLAUTH_OAUTH_";

/// The provider name and the suffix of a provider's variable, given without [`PROVIDER_PREFIX`]; `None` for a
/// variable that names no provider setting.
fn provider_variable(variable: &str) -> Option<(&str, &'static str)> {
    let suffix = SUFFIXES.iter().find(|suffix| variable.ends_with(*suffix))?;
    let name = &variable[..variable.len() - suffix.len()];
    (!name.is_empty()).then_some((name, *suffix))
}

/// Whether the whole variable `name` sets something of an OAuth provider.
pub(super) fn is_provider_variable(name: &str) -> bool {
    name.strip_prefix(PROVIDER_PREFIX)
        .and_then(provider_variable)
        .is_some()
}

/// Longest state lifetime: a day.
const MAX_STATE_SECONDS: u64 = 86_400;

/// Sign-in through OAuth and OpenID Connect providers.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct OAuthConfig {
    /// The providers, in the order `GET /oauth/providers` lists them.
    pub providers: Vec<OAuthProviderConfig>,
    /// How long a started sign-in (its `state`) may take to come back, in seconds
    /// (`FULLAUTH_OAUTH_STATE_EXPIRE_SECONDS`).
    pub state_expire_seconds: u64,
    /// Longest wait for an answer of a provider, in seconds (`FULLAUTH_OAUTH_HTTP_TIMEOUT_SECONDS`).
    pub http_timeout_seconds: u64,
    /// Whether the providers' access and refresh tokens are kept, encrypted, with each linked account
    /// (`FULLAUTH_OAUTH_KEEP_PROVIDER_TOKENS`). Off, they are used once to learn who signed in, then dropped.
    pub keep_provider_tokens: bool,
    /// Whether a first sign-in through a provider links to the existing account with the provider's email (when
    /// both sides have verified it) (`FULLAUTH_OAUTH_AUTO_LINK_BY_EMAIL`, default on). Off, such a sign-in is
    /// refused: the account's owner signs in another way and links the provider from their account.
    pub auto_link_by_email: bool,
}

impl Default for OAuthConfig {
    fn default() -> Self {
        Self {
            providers: Vec::new(),
            state_expire_seconds: 300,
            http_timeout_seconds: 10,
            keep_provider_tokens: false,
            auto_link_by_email: true,
        }
    }
}

impl OAuthConfig {
    /// The provider named `name`.
    pub fn provider(&self, name: &str) -> Option<&OAuthProviderConfig> {
        self.providers.iter().find(|provider| provider.name == name)
    }

    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.parse(STATE_EXPIRE_SECONDS, &mut self.state_expire_seconds)?;
        env.parse(HTTP_TIMEOUT_SECONDS, &mut self.http_timeout_seconds)?;
        env.flag(KEEP_PROVIDER_TOKENS, &mut self.keep_provider_tokens)?;
        env.flag(AUTO_LINK_BY_EMAIL, &mut self.auto_link_by_email)?;
        env.always_on(
            PKCE_ENABLED,
            "every authorization request carries a PKCE challenge, which providers that do not use it ignore",
        )?;
        let mut groups: BTreeMap<String, BTreeMap<&'static str, String>> = BTreeMap::new();
        for (variable, value) in env.with_prefix(PROVIDER_PREFIX) {
            let Some((name, suffix)) = provider_variable(variable) else {
                continue;
            };
            groups
                .entry(name.to_ascii_lowercase())
                .or_default()
                .insert(suffix, value.trim().to_owned());
        }
        for (name, values) in groups {
            let variable =
                |suffix: &str| format!("{PROVIDER_PREFIX}{}{suffix}", name.to_ascii_uppercase());
            let kind = match (
                ProviderKind::built_in(&name),
                values.contains_key("_ISSUER"),
            ) {
                (Some(kind), _) => kind,
                (None, true) => ProviderKind::OpenIdConnect,
                (None, false) => {
                    return Err(ConfigError::invalid(
                        &variable("_ISSUER"),
                        &format!(
                            "is required: `{name}` is not one of google, github, discord, gitlab, so it is an \
                             OpenID Connect provider configured from its issuer"
                        ),
                    ));
                }
            };
            let take = |suffix: &str| {
                values
                    .get(suffix)
                    .filter(|value| !value.is_empty())
                    .cloned()
            };
            let mut provider = OAuthProviderConfig::new(
                name.clone(),
                kind,
                take("_CLIENT_ID").unwrap_or_default(),
                take("_CLIENT_SECRET").unwrap_or_default(),
                take("_REDIRECT_URIS")
                    .map(|uris| split_list(&uris, &[',']))
                    .unwrap_or_default(),
            );
            if let Some(scopes) = take("_SCOPES") {
                provider.scopes = split_list(&scopes, &[',', ' ']);
            }
            if let Some(issuer) = take("_ISSUER") {
                provider.issuer = Some(issuer);
            }
            provider.authorize_url = take("_AUTHORIZE_URL");
            provider.token_url = take("_TOKEN_URL");
            provider.api_url = take("_API_URL");
            self.providers
                .retain(|existing| existing.name != provider.name);
            self.providers.push(provider);
        }
        Ok(())
    }

    pub(super) fn validate(&self) -> Result<(), ConfigError> {
        if !(1..=MAX_STATE_SECONDS).contains(&self.state_expire_seconds) {
            return Err(STATE_EXPIRE_SECONDS.invalid("must be between 1 and 86400 seconds"));
        }
        if !(1..=600).contains(&self.http_timeout_seconds) {
            return Err(HTTP_TIMEOUT_SECONDS.invalid("must be between 1 and 600 seconds"));
        }
        for (index, provider) in self.providers.iter().enumerate() {
            provider.validate()?;
            if self.providers[..index]
                .iter()
                .any(|other| other.name == provider.name)
            {
                return Err(ConfigError::invalid(
                    &format!("oauth provider {:?}", provider.name),
                    "is configured twice",
                ));
            }
        }
        Ok(())
    }
}

fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}
