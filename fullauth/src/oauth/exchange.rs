//! The authorization-code flow on the `oauth2` crate: the URL a user is sent to, and the code exchange.

use std::borrow::Cow;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, StandardRevocableToken, StandardTokenResponse, TokenResponse,
    TokenUrl,
};
use serde::{Deserialize, Serialize};

use super::error::OAuthError;
use super::http::OAuthHttp;
use super::provider::{ProviderEndpoints, ProviderTokens};
use crate::config::OAuthProviderConfig;

/// The id_token of an OpenID Connect token answer, beside RFC 6749's fields. `Debug` leaves it out.
#[derive(Clone, Default, Serialize, Deserialize)]
struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl std::fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdTokenField").finish_non_exhaustive()
    }
}

impl ExtraTokenFields for IdTokenField {}

type TokenAnswer = StandardTokenResponse<IdTokenField, BasicTokenType>;

type CodeClient = Client<
    BasicErrorResponse,
    TokenAnswer,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What a started sign-in sends the user to the provider with.
pub(crate) struct AuthorizationRequest<'a> {
    pub(crate) redirect_uri: &'a str,
    pub(crate) state: String,
    pub(crate) pkce_verifier: String,
    pub(crate) nonce: &'a str,
}

fn client(
    config: &OAuthProviderConfig,
    endpoints: &ProviderEndpoints,
) -> Result<CodeClient, OAuthError> {
    let auth_url = AuthUrl::new(endpoints.authorize_url.clone())
        .map_err(|error| OAuthError::bad_answer(format!("authorization endpoint: {error}")))?;
    let token_url = TokenUrl::new(endpoints.token_url.clone())
        .map_err(|error| OAuthError::bad_answer(format!("token endpoint: {error}")))?;
    Ok(Client::new(ClientId::new(config.client_id.clone()))
        .set_client_secret(ClientSecret::new(config.client_secret.expose().to_owned()))
        .set_auth_uri(auth_url)
        .set_token_uri(token_url))
}

fn redirect_url(uri: &str) -> Result<RedirectUrl, OAuthError> {
    RedirectUrl::new(uri.to_owned())
        .map_err(|error| OAuthError::bad_answer(format!("redirect URI: {error}")))
}

/// The provider's authorization URL for `request`: the configured scopes, an S256 PKCE challenge, the state
/// and, for OpenID providers, the nonce.
pub(crate) fn authorization_url(
    config: &OAuthProviderConfig,
    endpoints: &ProviderEndpoints,
    request: AuthorizationRequest<'_>,
) -> Result<String, OAuthError> {
    let client = client(config, endpoints)?;
    let verifier = PkceCodeVerifier::new(request.pkce_verifier);
    let redirect = redirect_url(request.redirect_uri)?;
    let state = request.state;
    let mut authorization = client
        .authorize_url(move || CsrfToken::new(state))
        .add_scopes(config.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&verifier))
        .set_redirect_uri(Cow::Owned(redirect));
    if endpoints.openid {
        authorization = authorization.add_extra_param("nonce", request.nonce);
    }
    let (url, _) = authorization.url();
    Ok(url.into())
}

/// Exchanges `code` at the token endpoint, with the PKCE verifier and the redirect URI the sign-in started
/// with.
pub(crate) async fn exchange_code(
    http: &OAuthHttp,
    config: &OAuthProviderConfig,
    endpoints: &ProviderEndpoints,
    code: String,
    redirect_uri: &str,
    pkce_verifier: String,
) -> Result<ProviderTokens, OAuthError> {
    let client = client(config, endpoints)?;
    let answer = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier))
        .set_redirect_uri(Cow::Owned(redirect_url(redirect_uri)?))
        .request_async(http)
        .await
        .map_err(|error| match error {
            RequestTokenError::ServerResponse(refusal) => {
                OAuthError::CodeRefused(refusal.error().to_string())
            }
            RequestTokenError::Request(error) => error,
            RequestTokenError::Parse(error, _) => OAuthError::bad_answer(error),
            RequestTokenError::Other(error) => OAuthError::bad_answer(error),
        })?;
    Ok(ProviderTokens {
        access_token: answer.access_token().secret().clone(),
        refresh_token: answer.refresh_token().map(|token| token.secret().clone()),
        expires_in: answer
            .expires_in()
            .map(|lifetime| lifetime.min(Duration::from_secs(u32::MAX.into()))),
        id_token: answer.extra_fields().id_token.clone(),
    })
}
