//! OAuth and OpenID Connect: fullauth as the client of the providers users sign in with.
//!
//! fullauth runs the authorization-code flow on the `oauth2` crate (S256 PKCE on every flow); each provider
//! only says where its endpoints are and who signed in ([`OAuthProvider`]). Built in: OpenID Connect
//! ([`OpenIdProvider`]: Google, GitLab, any issuer), [`GitHubProvider`] and [`DiscordProvider`].

mod discord;
mod discovery;
mod error;
mod exchange;
mod github;
mod http;
mod id_token;
mod jwks;
mod openid;
mod provider;
mod registry;

pub use discord::DiscordProvider;
pub use error::OAuthError;
pub(crate) use exchange::AuthorizationRequest;
pub use github::GitHubProvider;
pub use http::OAuthHttp;
pub use openid::OpenIdProvider;
pub use provider::{OAuthProvider, ProviderEndpoints, ProviderIdentity, ProviderTokens};
pub use registry::OAuthProviders;
pub(crate) use registry::RegisteredProvider;
