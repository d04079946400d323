//! [`OpenIdProvider`]: Google, GitLab and every other OpenID Connect provider.

use futures_util::future::BoxFuture;
use serde::Deserialize;

use super::discovery::Discovery;
use super::error::OAuthError;
use super::http::OAuthHttp;
use super::id_token::{self, Expected, lenient_bool};
use super::jwks::KeySet;
use super::provider::{OAuthProvider, ProviderEndpoints, ProviderIdentity, ProviderTokens};
use crate::config::OAuthProviderConfig;

/// An OpenID Connect provider: endpoints from the issuer's discovery document (unless overridden), identity
/// from the verified id_token, and from the userinfo endpoint when the id_token carries no email.
#[derive(Debug)]
pub struct OpenIdProvider {
    client_id: String,
    authorize_url: Option<String>,
    token_url: Option<String>,
    discovery: Discovery,
    keys: KeySet,
    http: OAuthHttp,
}

#[derive(Debug, Deserialize)]
struct UserInfo {
    sub: String,
    #[serde(default)]
    email: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    email_verified: bool,
}

impl OpenIdProvider {
    /// The provider `config` describes; its issuer is required.
    pub fn new(config: &OAuthProviderConfig, http: OAuthHttp) -> Result<Self, OAuthError> {
        let issuer = config.issuer.as_deref().ok_or_else(|| {
            OAuthError::bad_answer(format!("the OpenID provider {} has no issuer", config.name))
        })?;
        Ok(Self {
            client_id: config.client_id.clone(),
            authorize_url: config.authorize_url.clone(),
            token_url: config.token_url.clone(),
            discovery: Discovery::new(issuer),
            keys: KeySet::default(),
            http,
        })
    }

    async fn identify_with(
        &self,
        tokens: &ProviderTokens,
        nonce: &str,
    ) -> Result<ProviderIdentity, OAuthError> {
        let id_token = tokens
            .id_token
            .as_deref()
            .ok_or_else(|| OAuthError::untrusted("the token answer has no id_token"))?;
        let metadata = self.discovery.metadata(&self.http).await?;
        let (algorithm, kid) = id_token::asymmetric_algorithm(id_token)?;
        let keys = self
            .keys
            .candidates(&self.http, &metadata.jwks_uri, kid.as_deref())
            .await?;
        let expected = Expected {
            issuer: self.discovery.issuer(),
            client_id: &self.client_id,
            nonce,
        };
        let claims = id_token::verify(id_token, algorithm, &keys, &expected)?;
        if claims.email.is_some() {
            return Ok(ProviderIdentity {
                user_id: claims.sub,
                email: claims.email,
                email_verified: claims.email_verified,
            });
        }
        let Some(userinfo_url) = &metadata.userinfo_endpoint else {
            return Ok(ProviderIdentity {
                user_id: claims.sub,
                email: None,
                email_verified: false,
            });
        };
        let info: UserInfo = self
            .http
            .get_json(userinfo_url, Some(&tokens.access_token))
            .await?;
        // OpenID Connect Core 5.3.2: a userinfo answer about another subject must not be used.
        if info.sub != claims.sub {
            return Err(OAuthError::untrusted(
                "the userinfo answer is about another subject than the id_token",
            ));
        }
        Ok(ProviderIdentity {
            user_id: claims.sub,
            email: info.email,
            email_verified: info.email_verified,
        })
    }
}

impl OAuthProvider for OpenIdProvider {
    fn endpoints(&self) -> BoxFuture<'_, Result<ProviderEndpoints, OAuthError>> {
        Box::pin(async move {
            let (authorize_url, token_url) = match (&self.authorize_url, &self.token_url) {
                (Some(authorize), Some(token)) => (authorize.clone(), token.clone()),
                (authorize, token) => {
                    let metadata = self.discovery.metadata(&self.http).await?;
                    (
                        authorize
                            .clone()
                            .unwrap_or_else(|| metadata.authorization_endpoint.clone()),
                        token
                            .clone()
                            .unwrap_or_else(|| metadata.token_endpoint.clone()),
                    )
                }
            };
            Ok(ProviderEndpoints {
                authorize_url,
                token_url,
                openid: true,
            })
        })
    }

    fn identify<'a>(
        &'a self,
        tokens: &'a ProviderTokens,
        nonce: &'a str,
    ) -> BoxFuture<'a, Result<ProviderIdentity, OAuthError>> {
        Box::pin(self.identify_with(tokens, nonce))
    }
}
