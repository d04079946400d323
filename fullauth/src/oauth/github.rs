//! [`GitHubProvider`]: GitHub and GitHub Enterprise, through its user and emails APIs.

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::error::OAuthError;
use super::http::OAuthHttp;
use super::provider::{
    OAuthProvider, ProviderEndpoints, ProviderIdentity, ProviderTokens, api_base,
};
use crate::config::OAuthProviderConfig;

const AUTHORIZE_URL: &str = "https://github.com/login/oauth/authorize";
const TOKEN_URL: &str = "https://github.com/login/oauth/access_token";
const API_URL: &str = "https://api.github.com";

/// GitHub: the user's numeric id from `GET /user`, and the primary address of `GET /user/emails` when GitHub
/// has verified it (never the public profile address, which GitHub does not vouch for).
#[derive(Debug)]
pub struct GitHubProvider {
    endpoints: ProviderEndpoints,
    api_url: String,
    http: OAuthHttp,
}

#[derive(Debug, Deserialize)]
struct GitHubUser {
    id: u64,
}

#[derive(Debug, Deserialize)]
struct GitHubEmail {
    email: String,
    #[serde(default)]
    primary: bool,
    #[serde(default)]
    verified: bool,
}

impl GitHubProvider {
    /// The provider `config` describes, with github.com's endpoints unless overridden.
    pub fn new(config: &OAuthProviderConfig, http: OAuthHttp) -> Self {
        Self {
            endpoints: ProviderEndpoints::configured_or(config, AUTHORIZE_URL, TOKEN_URL),
            api_url: api_base(config, API_URL),
            http,
        }
    }

    async fn identify_with(&self, tokens: &ProviderTokens) -> Result<ProviderIdentity, OAuthError> {
        let token = Some(tokens.access_token.as_str());
        let user: GitHubUser = self
            .http
            .get_json(&format!("{}/user", self.api_url), token)
            .await?;
        let emails: Vec<GitHubEmail> = self
            .http
            .get_json(&format!("{}/user/emails", self.api_url), token)
            .await?;
        let primary = emails
            .into_iter()
            .find(|email| email.primary && email.verified);
        Ok(ProviderIdentity {
            user_id: user.id.to_string(),
            email_verified: primary.is_some(),
            email: primary.map(|email| email.email),
        })
    }
}

impl OAuthProvider for GitHubProvider {
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
