//! The two halves of every OAuth flow: sending the user to the provider, and learning who came back.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use time::OffsetDateTime;

use super::FullAuth;
use crate::error::{Error, OAuthFailure};
use crate::model::FullAuthUser;
use crate::model::now;
use crate::oauth::{
    AuthorizationRequest, OAuthProviders, ProviderIdentity, ProviderTokens, RegisteredProvider,
};
use crate::tokens::{OAuthPurpose, StateSecret};

/// Longest user id at a provider that can be linked (the width of its column).
const MAX_PROVIDER_USER_ID: usize = 255;
/// Longest provider email that is kept (RFC 5321's limit for a whole address).
const MAX_PROVIDER_EMAIL: usize = 320;
/// Longest authorization code accepted.
const MAX_CODE_BYTES: usize = 4096;

/// A started OAuth flow: where to send the user, and the value only the starting client holds, which the
/// callback must repeat.
///
/// `Debug` leaves out the binding and the URL (which holds the state).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "Where to send the browser, and the binding the callback must repeat.")
)]
pub struct OAuthStart {
    /// The provider's authorization URL, with state, PKCE challenge and (OpenID) nonce.
    pub authorization_url: String,
    /// The binding of the state to this client; send it back with the callback.
    pub binding: String,
}

impl std::fmt::Debug for OAuthStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthStart").finish_non_exhaustive()
    }
}

/// What a provider's callback proved.
pub(crate) struct ProvenIdentity {
    pub(crate) provider: String,
    pub(crate) identity: ProviderIdentity,
    pub(crate) tokens: ProviderTokens,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The configured providers; refused when there are none.
    pub(crate) fn oauth_providers(&self) -> Result<&OAuthProviders, Error> {
        self.inner
            .oauth
            .as_ref()
            .ok_or(Error::OAuth(OAuthFailure::NotEnabled))
    }

    /// The names of the configured providers, in order.
    pub fn oauth_provider_names(&self) -> Vec<String> {
        self.inner
            .oauth
            .as_ref()
            .map(|providers| providers.names().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    pub(crate) fn registered_provider(&self, name: &str) -> Result<&RegisteredProvider, Error> {
        self.oauth_providers()?
            .get(name)
            .ok_or_else(|| Error::OAuth(OAuthFailure::ProviderNotConfigured(name.to_owned())))
    }

    /// Starts an OAuth flow at `provider` for `purpose`, coming back to `redirect_uri` (which must be one of the
    /// provider's registered redirect URIs, exactly).
    pub async fn oauth_authorize(
        &self,
        provider: &str,
        redirect_uri: &str,
        purpose: OAuthPurpose<'_>,
    ) -> Result<OAuthStart, Error> {
        let registered = self.registered_provider(provider)?;
        if !registered
            .config
            .redirect_uris
            .iter()
            .any(|allowed| allowed == redirect_uri)
        {
            return Err(Error::OAuth(OAuthFailure::InvalidRedirectUri));
        }
        let mut binding = [0_u8; 32];
        crate::random::fill(&mut binding);
        let binding = URL_SAFE_NO_PAD.encode(binding);
        let lifetime = std::time::Duration::from_secs(self.inner.config.oauth.state_expire_seconds);
        let tokens = &self.inner.tokens;
        let state =
            tokens.issue_oauth_state(provider, redirect_uri, &binding, purpose, lifetime, now())?;
        let nonce = tokens.oauth_state_secret(&state.claims.jti, StateSecret::Nonce);
        let request = AuthorizationRequest {
            redirect_uri,
            pkce_verifier: tokens.oauth_state_secret(&state.claims.jti, StateSecret::PkceVerifier),
            state: state.token,
            nonce: &nonce,
        };
        let authorization_url = self
            .oauth_providers()?
            .authorization_url(registered, request)
            .await
            .map_err(Error::oauth_failed)?;
        Ok(OAuthStart {
            authorization_url,
            binding,
        })
    }

    /// Completes the provider's half of a callback: the state checked (signature, expiry, provider, binding,
    /// purpose) and consumed, once, across instances; the code exchanged with the flow's PKCE verifier; the
    /// identity learned and checked.
    pub(crate) async fn oauth_prove(
        &self,
        provider: &str,
        code: String,
        state: &str,
        binding: &str,
        purpose: OAuthPurpose<'_>,
    ) -> Result<ProvenIdentity, Error> {
        let registered = self.registered_provider(provider)?;
        if code.is_empty() || code.len() > MAX_CODE_BYTES {
            return Err(Error::oauth_failed("no usable authorization code"));
        }
        let tokens = &self.inner.tokens;
        let claims = tokens
            .decode_oauth_state(state, provider, binding, purpose)
            .map_err(|error| Error::oauth_failed(format!("state: {error}")))?;
        let redirect_uri = claims.redirect_uri.as_deref().unwrap_or_default();
        if !registered
            .config
            .redirect_uris
            .iter()
            .any(|allowed| allowed == redirect_uri)
        {
            return Err(Error::oauth_failed(
                "the state's redirect URI is no longer allowed",
            ));
        }
        // Remembered for as long as the state could still be accepted: until its expiry plus the clock leeway
        // decoding allows, and a minute more.
        let remaining = claims
            .exp
            .saturating_sub(OffsetDateTime::now_utc().unix_timestamp());
        let lifetime = std::time::Duration::from_secs(
            u64::try_from(remaining)
                .unwrap_or(0)
                .saturating_add(self.inner.config.tokens.jwt_leeway_seconds)
                .saturating_add(60),
        );
        let use_count = self
            .inner
            .state
            .hit(&format!("oauth_state:{}", claims.jti), lifetime)
            .await?;
        if use_count.count != 1 {
            return Err(Error::oauth_failed("state used before"));
        }
        let providers = self.oauth_providers()?;
        let verifier = tokens.oauth_state_secret(&claims.jti, StateSecret::PkceVerifier);
        let provider_tokens = providers
            .exchange(registered, code, redirect_uri, verifier)
            .await
            .map_err(Error::oauth_failed)?;
        let nonce = tokens.oauth_state_secret(&claims.jti, StateSecret::Nonce);
        let identity = registered
            .provider
            .identify(&provider_tokens, &nonce)
            .await
            .map_err(Error::oauth_failed)?;
        if identity.user_id.is_empty() || identity.user_id.chars().count() > MAX_PROVIDER_USER_ID {
            return Err(Error::oauth_failed(
                "the provider's user id is empty or too long",
            ));
        }
        let identity = ProviderIdentity {
            email: identity
                .email
                .filter(|email| !email.is_empty() && email.chars().count() <= MAX_PROVIDER_EMAIL),
            ..identity
        };
        Ok(ProvenIdentity {
            provider: provider.to_owned(),
            identity,
            tokens: provider_tokens,
        })
    }
}
