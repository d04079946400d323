//! Ephemeral state shared by every instance of the application: revoked tokens and sessions.
//!
//! The database is the authority on sessions: [`crate::CurrentUser`] and the routers accept an access token only
//! while its session is live there. The shared state lets checks that skip the database
//! ([`crate::AccessClaims`]) see revocations too. [`MemoryState`] serves one process and forgets on restart; a
//! state shared between instances (Redis) comes in a later release.

mod memory;

pub use memory::MemoryState;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A failure of the shared-state backend. Revocation checks fail closed on it (503).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(pub String);

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shared state unavailable: {}", self.0)
    }
}

impl std::error::Error for StateError {}

/// Keys that expire on their own. Implementations must be safe to share between threads and, for multi-instance
/// deployments, between processes.
pub trait SharedState: Send + Sync + 'static {
    /// Sets `key`, replacing any previous value, expiring after `ttl`.
    fn set(&self, key: &str, ttl: Duration) -> impl Future<Output = Result<(), StateError>> + Send;

    /// Whether any of `keys` is set and not expired. One round trip for all of them.
    fn contains_any(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<bool, StateError>> + Send;
}

/// Object-safe form of [`SharedState`], so `FullAuth` does not carry its type.
pub(crate) trait DynSharedState: Send + Sync + 'static {
    fn set<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<(), StateError>>;
    fn contains_any<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, Result<bool, StateError>>;
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl<T: SharedState> DynSharedState for T {
    fn set<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(SharedState::set(self, key, ttl))
    }

    fn contains_any<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, Result<bool, StateError>> {
        Box::pin(SharedState::contains_any(self, keys))
    }
}

/// The key naming a revoked token id.
pub(crate) fn revoked_token_key(jti: &str) -> String {
    format!("fullauth:revoked:jti:{jti}")
}

/// The key naming a revoked session family.
pub(crate) fn revoked_family_key(family_id: &uuid::Uuid) -> String {
    format!("fullauth:revoked:family:{family_id}")
}
