//! Per-route rate limits: requests per client address in sliding windows (at most the limit in any window, as
//! fastapi-fullauth counts them), kept in the shared state.
//!
//! A bucket is shared by the routes it names (the four verify routes form `password_reset`). Counters live in the
//! shared state, so with Redis every instance counts for all. When the shared state cannot be reached the limit
//! is not applied (it fails open) and a warning is logged: an outage of Redis must not lock everyone out of
//! signing in.

use super::FullAuth;
use crate::config::FullAuthConfig;
use crate::error::Error;
use crate::model::FullAuthUser;

/// Where a request comes from, as a rate-limit key: the client's address (an IPv6 address by its /64 network),
/// or [`ClientAddress::UNKNOWN`] when the server does not record peers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub String);

impl ClientAddress {
    /// The address of every request to a server started without connection info. Rate limits refuse to count
    /// it ([`Error::NoClientAddress`]): all clients would share one bucket.
    pub const UNKNOWN: &'static str = "unknown";

    /// Whether the server did not record where the request came from.
    pub fn is_unknown(&self) -> bool {
        self.0 == Self::UNKNOWN
    }
}

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
    /// The two passkey sign-in routes together.
    PasskeyAuth,
    /// `POST /mfa/confirm` and `POST /mfa/verify` together.
    Mfa,
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
            Bucket::PasskeyAuth => "passkey_auth",
            Bucket::Mfa => "mfa",
        }
    }

    /// Requests allowed per window.
    pub fn limit(self, config: &FullAuthConfig) -> u64 {
        match self {
            Bucket::Login => config.rate_limits.login,
            Bucket::Register => config.rate_limits.register,
            Bucket::PasswordReset => config.rate_limits.password_reset,
            Bucket::Refresh => config.rate_limits.refresh,
            Bucket::Reauth => config.rate_limits.reauth,
            Bucket::PasskeyAuth => config.rate_limits.passkey_auth,
            Bucket::Mfa => config.rate_limits.mfa,
        }
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts a request of `client` in `bucket`: [`Error::RateLimited`] once the window's allowance is
    /// used up. While the shared state is unreachable, this instance counts on its own. A client whose address the
    /// server does not know is refused with [`Error::NoClientAddress`] (a 500 naming the fix).
    pub async fn rate_limit(&self, bucket: Bucket, client: &ClientAddress) -> Result<(), Error> {
        let config = &self.inner.config;
        if !config.rate_limits.enabled {
            return Ok(());
        }
        if client.is_unknown() {
            return Err(Error::NoClientAddress);
        }
        let window = config.rate_limits.window();
        let key = format!("fullauth:ratelimit:{}:{}", bucket.name(), client.0);
        let limit = bucket.limit(config);
        let admission = self.admit(&key, window, limit).await;
        if admission.admitted {
            return Ok(());
        }
        tracing::info!(
            target: "fullauth::audit", bucket = bucket.name(), client = %client.0, "rate limit reached"
        );
        Err(Error::RateLimited {
            limit,
            retry_after: admission.resets_in,
        })
    }
}
