//! Per-route rate limits: requests per client address in fixed windows, counted in the shared state.
//!
//! A bucket is shared by the routes it names (the four verify routes form `password_reset`). Counters live in the
//! shared state, so with Redis every instance counts for all. When the shared state cannot be reached the limit
//! is not applied (it fails open) and a warning is logged: an outage of Redis must not lock everyone out of
//! signing in.

mod client_address;

pub use client_address::ClientAddress;
pub(crate) use client_address::{peer, resolve};

use std::time::Duration;

use crate::config::FullAuthConfig;
use crate::error::Error;
use crate::fullauth::FullAuth;
use crate::model::FullAuthUser;

/// A rate-limit bucket of fullauth's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Bucket {
    /// `POST /login`.
    Login,
    /// `POST /register`.
    Register,
    /// The four verify routes together.
    PasswordReset,
    /// `POST /refresh`.
    Refresh,
    /// `DELETE /me` and `POST /change-password`.
    Reauth,
}

impl Bucket {
    /// The bucket's name, as in the keys and the configuration.
    pub fn name(self) -> &'static str {
        match self {
            Bucket::Login => "login",
            Bucket::Register => "register",
            Bucket::PasswordReset => "password_reset",
            Bucket::Refresh => "refresh",
            Bucket::Reauth => "reauth",
        }
    }

    /// Requests allowed per window.
    pub fn limit(self, config: &FullAuthConfig) -> u64 {
        match self {
            Bucket::Login => config.login_rate_limit,
            Bucket::Register => config.register_rate_limit,
            Bucket::PasswordReset => config.password_reset_rate_limit,
            Bucket::Refresh => config.refresh_rate_limit,
            Bucket::Reauth => config.reauth_rate_limit,
        }
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts a request of `client` in `bucket`: 429 with the rate-limit headers once the window's allowance is
    /// used up. Shared-state failures let the request through, with a warning.
    pub async fn rate_limit(&self, bucket: Bucket, client: &ClientAddress) -> Result<(), Error> {
        let config = &self.inner.config;
        if !config.auth_rate_limit_enabled {
            return Ok(());
        }
        let window = Duration::from_secs(config.auth_rate_limit_window_seconds);
        let key = format!("fullauth:ratelimit:{}:{}", bucket.name(), client.0);
        let counted = match self.inner.state.hit(&key, window).await {
            Ok(counted) => counted,
            Err(error) => {
                tracing::warn!(%error, bucket = bucket.name(), "rate limit not applied: shared state unavailable");
                return Ok(());
            }
        };
        let limit = bucket.limit(config);
        if counted.count <= limit {
            return Ok(());
        }
        tracing::info!(
            target: "fullauth::audit", bucket = bucket.name(), client = %client.0, "rate limit reached"
        );
        Err(Error::RateLimited {
            limit,
            retry_after: counted.resets_in,
        })
    }

    /// The address of a request's client, read from the headers the configuration trusts.
    pub fn client_address(
        &self,
        headers: &axum::http::HeaderMap,
        peer: Option<std::net::IpAddr>,
    ) -> ClientAddress {
        let config = &self.inner.config;
        resolve(
            headers,
            peer,
            &config.trusted_proxy_headers,
            config.trusted_proxy_count,
        )
    }

    /// What a new session records about the client: its `User-Agent` and its address, read from the headers the
    /// configuration trusts (the [`ClientInfo`](crate::ClientInfo) extractor alone knows only the peer).
    pub fn client_info(
        &self,
        headers: &axum::http::HeaderMap,
        peer: Option<std::net::IpAddr>,
    ) -> crate::ClientInfo {
        let config = &self.inner.config;
        let address = client_address::client_ip(
            headers,
            peer,
            &config.trusted_proxy_headers,
            config.trusted_proxy_count,
        );
        crate::ClientInfo {
            user_agent: crate::flows::user_agent(headers),
            ip_address: address.map(|address| address.to_string()),
        }
    }
}

/// The client of a sign-in to fullauth's routes: [`FullAuth::client_info`] for the request.
#[derive(Debug, Clone)]
pub(crate) struct SignInClient(pub crate::ClientInfo);

impl<U: FullAuthUser> axum::extract::FromRequestParts<FullAuth<U>> for SignInClient {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        auth: &FullAuth<U>,
    ) -> Result<Self, Self::Rejection> {
        Ok(SignInClient(auth.client_info(&parts.headers, peer(parts))))
    }
}

/// The client address of a request to fullauth's routes, resolved with the configuration of the `FullAuth` in
/// the router state.
#[derive(Debug, Clone)]
pub(crate) struct Client(pub ClientAddress);

impl<U: FullAuthUser> axum::extract::FromRequestParts<FullAuth<U>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        auth: &FullAuth<U>,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(auth.client_address(&parts.headers, peer(parts))))
    }
}
