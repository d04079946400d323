//! [`DiscordProvider`]: Discord, through its user API.

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::error::OAuthError;
use super::http::OAuthHttp;
use super::provider::{
    OAuthProvider, ProviderEndpoints, ProviderIdentity, ProviderTokens, api_base,
};
use crate::config::OAuthProviderConfig;

const AUTHORIZE_URL: &str = "https://discord.com/oauth2/authorize";
const TOKEN_URL: &str = "https://discord.com/api/oauth2/token";
const API_URL: &str = "https://discord.com/api";

/// Discord: the user's id, email and `verified` flag from `GET /users/@me`.
#[derive(Debug)]
pub struct DiscordProvider {
    endpoints: ProviderEndpoints,
    api_url: String,
    http: OAuthHttp,
}

#[derive(Debug, Deserialize)]
struct DiscordUser {
    id: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    verified: Option<bool>,
}

impl DiscordProvider {
    /// The provider `config` describes, with discord.com's endpoints unless overridden.
    pub fn new(config: &OAuthProviderConfig, http: OAuthHttp) -> Self {
        Self {
            endpoints: ProviderEndpoints::configured_or(config, AUTHORIZE_URL, TOKEN_URL),
            api_url: api_base(config, API_URL),
            http,
        }
    }

    async fn identify_with(&self, tokens: &ProviderTokens) -> Result<ProviderIdentity, OAuthError> {
        let user: DiscordUser = self
            .http
            .get_json(
                &format!("{}/users/@me", self.api_url),
                Some(&tokens.access_token),
            )
            .await?;
        if user.id.is_empty() {
            return Err(OAuthError::bad_answer("Discord answered an empty user id"));
        }
        Ok(ProviderIdentity {
            user_id: user.id,
            email_verified: user.email.is_some() && user.verified == Some(true),
            email: user.email,
        })
    }
}

impl OAuthProvider for DiscordProvider {
    fn endpoints(&self) -> BoxFuture<'_, Result<ProviderEndpoints, OAuthError>> {
        Box::pin(async move { Ok(self.endpoints.clone()) })
    }

    fn identify<'a>(
        &'a self,
        tokens: &'a ProviderTokens,
        _nonce: &'a str,
    ) -> BoxFuture<'a, Result<ProviderIdentity, OAuthError>> {
        Box::pin(self.identify_with(tokens))
    }
}
