//! The contract every shared state keeps: [`SharedState`], its errors and counters, and its object-safe form.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// A failure of the shared-state backend, with the backend's own error (a Redis error, say) as its source.
/// Revocation checks fail closed on it (503).
#[derive(Debug)]
pub struct StateError(Box<dyn std::error::Error + Send + Sync + 'static>);

impl StateError {
    /// The failure of a backend.
    pub fn new(source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>) -> Self {
        Self(source.into())
    }
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shared state unavailable: {}", self.0)
    }
}

impl std::error::Error for StateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

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

    /// Counts one event in a fixed window: adds one to the counter `key`, which starts at 1 and lives for `window`
    /// when it does not exist (or has expired). Atomic, also between instances: of `n` concurrent hits on a new
    /// counter, each sees a different count from 1 to `n`. Returns the count and the time until the counter
    /// expires.
    fn hit(
        &self,
        key: &str,
        window: Duration,
    ) -> impl Future<Output = Result<WindowCount, StateError>> + Send;

    /// Admits one request into the sliding window `key`: at most `limit` requests in any `window`, counting those
    /// admitted only (a refused request takes no place). Atomic, also between instances: of `n` concurrent requests
    /// on an empty window, exactly `min(n, limit)` are admitted.
    fn admit(
        &self,
        key: &str,
        window: Duration,
        limit: u64,
    ) -> impl Future<Output = Result<Admission, StateError>> + Send;

    /// Forgets `key`, whether a flag set by [`Self::set`], a counter or a value; nothing happens when it does not
    /// exist.
    fn remove(&self, key: &str) -> impl Future<Output = Result<(), StateError>> + Send;

    /// Keeps `value` under `key`, replacing any previous value, expiring after `ttl`.
    fn put(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> impl Future<Output = Result<(), StateError>> + Send;

    /// Removes the value under `key` and returns it, if it is there and not expired. Atomic, also between
    /// instances: of concurrent takes of one value, exactly one gets it.
    fn take(&self, key: &str) -> impl Future<Output = Result<Option<String>, StateError>> + Send;
}

/// A shared handle works like the state itself (for keeping a handle on a state given to the builder).
impl<S: SharedState> SharedState for std::sync::Arc<S> {
    fn set(&self, key: &str, ttl: Duration) -> impl Future<Output = Result<(), StateError>> + Send {
        S::set(self, key, ttl)
    }

    fn contains_any(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<bool, StateError>> + Send {
        S::contains_any(self, keys)
    }

    fn hit(
        &self,
        key: &str,
        window: Duration,
    ) -> impl Future<Output = Result<WindowCount, StateError>> + Send {
        S::hit(self, key, window)
    }

    fn admit(
        &self,
        key: &str,
        window: Duration,
        limit: u64,
    ) -> impl Future<Output = Result<Admission, StateError>> + Send {
        S::admit(self, key, window, limit)
    }

    fn remove(&self, key: &str) -> impl Future<Output = Result<(), StateError>> + Send {
        S::remove(self, key)
    }

    fn put(
        &self,
        key: &str,
        value: &str,
        ttl: Duration,
    ) -> impl Future<Output = Result<(), StateError>> + Send {
        S::put(self, key, value, ttl)
    }

    fn take(&self, key: &str) -> impl Future<Output = Result<Option<String>, StateError>> + Send {
        S::take(self, key)
    }
}

/// A counter of [`SharedState::hit`] after one more event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WindowCount {
    /// Events counted in the current window, this one included.
    pub count: u64,
    /// Time until the window ends and the count starts again from zero.
    pub resets_in: Duration,
}

/// What [`SharedState::admit`] decided about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    /// Whether the request was admitted (and now takes a place in the window).
    pub admitted: bool,
    /// Requests in the window now, this one included when admitted.
    pub count: u64,
    /// Time until the oldest request in the window leaves it, freeing a place (the whole window when it is empty).
    pub resets_in: Duration,
}

/// Object-safe form of [`SharedState`], so `FullAuth` does not carry its type.
pub(crate) trait DynSharedState: Send + Sync + 'static {
    fn set<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<(), StateError>>;
    fn contains_any<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, Result<bool, StateError>>;
    fn hit<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Result<WindowCount, StateError>>;
    fn admit<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
        limit: u64,
    ) -> BoxFuture<'a, Result<Admission, StateError>>;
    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StateError>>;
    #[cfg(feature = "passkey")]
    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StateError>>;
    #[cfg(feature = "passkey")]
    fn take<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>, StateError>>;
}

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl<T: SharedState> DynSharedState for T {
    fn set<'a>(&'a self, key: &'a str, ttl: Duration) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(SharedState::set(self, key, ttl))
    }

    fn contains_any<'a>(&'a self, keys: &'a [String]) -> BoxFuture<'a, Result<bool, StateError>> {
        Box::pin(SharedState::contains_any(self, keys))
    }

    fn hit<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
    ) -> BoxFuture<'a, Result<WindowCount, StateError>> {
        Box::pin(SharedState::hit(self, key, window))
    }

    fn admit<'a>(
        &'a self,
        key: &'a str,
        window: Duration,
        limit: u64,
    ) -> BoxFuture<'a, Result<Admission, StateError>> {
        Box::pin(SharedState::admit(self, key, window, limit))
    }

    fn remove<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(SharedState::remove(self, key))
    }

    #[cfg(feature = "passkey")]
    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a str,
        ttl: Duration,
    ) -> BoxFuture<'a, Result<(), StateError>> {
        Box::pin(SharedState::put(self, key, value, ttl))
    }

    #[cfg(feature = "passkey")]
    fn take<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<Option<String>, StateError>> {
        Box::pin(SharedState::take(self, key))
    }
}
