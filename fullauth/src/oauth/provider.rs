//! [`OAuthProvider`]: what fullauth needs from a provider, built in or written by the application.

use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;

use super::error::OAuthError;

/// Where a provider sends users to consent, and where fullauth exchanges the code they come back with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderEndpoints {
    /// The authorization endpoint.
    pub authorize_url: String,
    /// The token endpoint.
    pub token_url: String,
    /// Whether the provider speaks OpenID Connect, so that a `nonce` is sent and an id_token expected.
    pub openid: bool,
}

impl ProviderEndpoints {
    /// The endpoints of a provider that is not OpenID: `config`'s overrides, else the provider's defaults.
    pub(crate) fn configured_or(
        config: &crate::config::OAuthProviderConfig,
        authorize_url: &str,
        token_url: &str,
    ) -> Self {
        Self {
            authorize_url: config
                .authorize_url
                .clone()
                .unwrap_or_else(|| authorize_url.into()),
            token_url: config.token_url.clone().unwrap_or_else(|| token_url.into()),
            openid: false,
        }
    }
}

/// The base of a provider's user API: `config`'s override, else `default`, without a trailing `/`.
pub(crate) fn api_base(config: &crate::config::OAuthProviderConfig, default: &str) -> String {
    config
        .api_url
        .as_deref()
        .unwrap_or(default)
        .trim_end_matches('/')
        .to_owned()
}

/// What the token endpoint gave for a code. `Debug` never shows the tokens.
#[derive(Clone)]
pub struct ProviderTokens {
    /// The access token, for the provider's APIs.
    pub access_token: String,
    /// The refresh token, when the provider issued one.
    pub refresh_token: Option<String>,
    /// How long the access token lives, when the provider said.
    pub expires_in: Option<Duration>,
    /// The OpenID Connect id_token, unverified.
    pub id_token: Option<String>,
}

impl fmt::Debug for ProviderTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderTokens")
            .field("access_token", &Hidden(Some(&self.access_token)))
            .field("refresh_token", &Hidden(self.refresh_token.as_deref()))
            .field("expires_in", &self.expires_in)
            .field("id_token", &Hidden(self.id_token.as_deref()))
            .finish()
    }
}

/// A token as `Debug` shows it: whether it is there, never what it is.
struct Hidden<'a>(Option<&'a str>);

impl fmt::Debug for Hidden<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(token) => write!(f, "<redacted, {} bytes>", token.len()),
            None => f.write_str("None"),
        }
    }
}

/// Who signed in at the provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderIdentity {
    /// The user's stable id at the provider (`sub` for OpenID Connect).
    pub user_id: String,
    /// The user's email, when the provider shared one.
    pub email: Option<String>,
    /// Whether the provider vouches that the user owns `email`.
    pub email_verified: bool,
}

/// A provider fullauth signs users in with. The built-in ones cover Google, GitHub, Discord, GitLab and every
/// OpenID Connect provider; implement this for another one and give it to
/// [`crate::FullAuthBuilder::oauth_provider`].
///
/// fullauth runs the authorization-code flow itself (state, PKCE, code exchange through the `oauth2` crate); a
/// provider only says where its endpoints are and who a set of tokens belongs to.
pub trait OAuthProvider: Send + Sync + 'static {
    /// The provider's endpoints (an OpenID provider reads them from its discovery document).
    fn endpoints(&self) -> BoxFuture<'_, Result<ProviderEndpoints, OAuthError>>;

    /// Who the tokens belong to. For an OpenID provider `nonce` is the value the id_token must carry.
    fn identify<'a>(
        &'a self,
        tokens: &'a ProviderTokens,
        nonce: &'a str,
    ) -> BoxFuture<'a, Result<ProviderIdentity, OAuthError>>;
}
