//! [`OAuthProviders`]: the configured providers of one `FullAuth`, with the HTTP client they share.

use std::sync::Arc;
use std::time::Duration;

use super::discord::DiscordProvider;
use super::error::OAuthError;
use super::exchange::{self, AuthorizationRequest};
use super::github::GitHubProvider;
use super::http::OAuthHttp;
use super::openid::OpenIdProvider;
use super::provider::{OAuthProvider, ProviderTokens};
use crate::config::{OAuthConfig, OAuthProviderConfig, ProviderKind, SecretKey};
use crate::sealing::Sealer;

/// One configured provider.
pub(crate) struct RegisteredProvider {
    pub(crate) config: OAuthProviderConfig,
    pub(crate) provider: Arc<dyn OAuthProvider>,
}

/// The providers users may sign in with, in the configured order.
pub struct OAuthProviders {
    http: OAuthHttp,
    providers: Vec<RegisteredProvider>,
    sealer: Sealer,
}

impl std::fmt::Debug for OAuthProviders {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthProviders")
            .field("providers", &self.names().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl OAuthProviders {
    /// The providers of `config`: built-in kinds get fullauth's implementation, [`ProviderKind::Custom`] ones
    /// the implementation `custom` holds under their name.
    pub(crate) fn new(
        config: &OAuthConfig,
        secret: &SecretKey,
        mut custom: Vec<(String, Arc<dyn OAuthProvider>)>,
    ) -> Result<Self, OAuthError> {
        let http = OAuthHttp::new(Duration::from_secs(config.http_timeout_seconds))?;
        let mut providers = Vec::with_capacity(config.providers.len());
        for provider_config in &config.providers {
            let position = custom
                .iter()
                .position(|(name, _)| *name == provider_config.name);
            let provider: Arc<dyn OAuthProvider> = match (position, provider_config.kind) {
                (Some(position), _) => custom.swap_remove(position).1,
                (None, ProviderKind::GitHub) => {
                    Arc::new(GitHubProvider::new(provider_config, http.clone()))
                }
                (None, ProviderKind::Discord) => {
                    Arc::new(DiscordProvider::new(provider_config, http.clone()))
                }
                (None, ProviderKind::Custom) => {
                    return Err(OAuthError::bad_answer(format!(
                        "the provider {} is custom, but no implementation was given for it",
                        provider_config.name
                    )));
                }
                (None, _) => Arc::new(OpenIdProvider::new(provider_config, http.clone())?),
            };
            providers.push(RegisteredProvider {
                config: provider_config.clone(),
                provider,
            });
        }
        Ok(Self {
            http,
            providers,
            sealer: Sealer::for_provider_tokens(secret),
        })
    }

    /// The provider named `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&RegisteredProvider> {
        self.providers
            .iter()
            .find(|provider| provider.config.name == name)
    }

    /// The providers' names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.providers
            .iter()
            .map(|provider| provider.config.name.as_str())
    }

    /// Seals and opens the provider tokens kept with linked accounts.
    pub(crate) fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The URL that sends a user to `provider` for `request`.
    pub(crate) async fn authorization_url(
        &self,
        provider: &RegisteredProvider,
        request: AuthorizationRequest<'_>,
    ) -> Result<String, OAuthError> {
        let endpoints = provider.provider.endpoints().await?;
        exchange::authorization_url(&provider.config, &endpoints, request)
    }

    /// Exchanges `code` at `provider`'s token endpoint.
    pub(crate) async fn exchange(
        &self,
        provider: &RegisteredProvider,
        code: String,
        redirect_uri: &str,
        pkce_verifier: String,
    ) -> Result<ProviderTokens, OAuthError> {
        let endpoints = provider.provider.endpoints().await?;
        exchange::exchange_code(
            &self.http,
            &provider.config,
            &endpoints,
            code,
            redirect_uri,
            pkce_verifier,
        )
        .await
    }
}
