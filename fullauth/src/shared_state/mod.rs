//! Ephemeral state shared by every instance of the application: revoked tokens and sessions, counters, ceremony
//! state.
//!
//! The database is the authority on sessions: [`crate::CurrentUser`] and the routers accept an access token only
//! while its session is live there. The shared state lets checks that skip the database
//! ([`crate::AccessClaims`]) see revocations too. [`MemoryState`] serves one process and forgets on restart;
//! [`RedisState`] (feature `redis`) is shared by every instance that uses the same Redis, so several servers behind a
//! load balancer behave as one. The same state keeps sliding windows of requests ([`SharedState::admit`]), for rate
//! limits, counters in fixed windows ([`SharedState::hit`]), for account lockout, and short-lived values taken once ([`SharedState::put`], [`SharedState::take`]),
//! for WebAuthn ceremonies.

mod contract;
mod keys;
mod memory;
#[cfg(feature = "redis")]
mod redis;

pub use contract::{Admission, SharedState, StateError, WindowCount};
pub(crate) use contract::{BoxFuture, DynSharedState};
pub(crate) use keys::{revoked_family_key, revoked_token_key};
pub use memory::MemoryState;
#[cfg(feature = "redis")]
pub use redis::RedisState;
