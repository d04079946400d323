//! Counting that survives a shared-state outage: rate limits and the account lockout count in the shared state
//! (Redis, for several instances), and while it cannot be reached, in this instance's memory, so that sign-in
//! keeps working and keeps being limited. Revocation checks never fall back: they fail closed.

use std::sync::atomic::Ordering;
use std::time::Duration;

use super::FullAuth;
use crate::model::FullAuthUser;
use crate::shared_state::{Admission, SharedState, StateError, WindowCount};

impl<U: FullAuthUser> FullAuth<U> {
    /// Counts one event under `key` in a window of `window` (see [`SharedState::hit`]).
    pub(crate) async fn count(&self, key: &str, window: Duration) -> WindowCount {
        match self.inner.state.hit(key, window).await {
            Ok(counted) => {
                self.shared_state_answers();
                counted
            }
            Err(error) => {
                self.shared_state_unreachable(&error);
                let local = self.inner.counters.memory.hit(key, window).await;
                // The memory state cannot fail; were it to, the event counts as over any limit.
                local.unwrap_or(WindowCount {
                    count: u64::MAX,
                    resets_in: window,
                })
            }
        }
    }

    /// Admits one request into the sliding window `key` (see [`SharedState::admit`]).
    pub(crate) async fn admit(&self, key: &str, window: Duration, limit: u64) -> Admission {
        match self.inner.state.admit(key, window, limit).await {
            Ok(admission) => {
                self.shared_state_answers();
                admission
            }
            Err(error) => {
                self.shared_state_unreachable(&error);
                let local = self.inner.counters.memory.admit(key, window, limit).await;
                // The memory state cannot fail; were it to, the request is refused.
                local.unwrap_or(Admission {
                    admitted: false,
                    count: limit,
                    resets_in: window,
                })
            }
        }
    }

    /// Whether the flag `key` is set.
    pub(crate) async fn counted_flag(&self, key: &str) -> bool {
        let keys = [key.to_owned()];
        match self.inner.state.contains_any(&keys).await {
            Ok(present) => {
                self.shared_state_answers();
                present
            }
            Err(error) => {
                self.shared_state_unreachable(&error);
                self.inner
                    .counters
                    .memory
                    .contains_any(&keys)
                    .await
                    .unwrap_or(true)
            }
        }
    }

    /// Sets the flag `key` for `ttl`.
    pub(crate) async fn set_counted_flag(&self, key: &str, ttl: Duration) {
        if let Err(error) = self.inner.state.set(key, ttl).await {
            self.shared_state_unreachable(&error);
            let _ = self.inner.counters.memory.set(key, ttl).await;
        }
    }

    /// Forgets a counter or flag, wherever it is kept.
    pub(crate) async fn forget_count(&self, key: &str) {
        let _ = self.inner.counters.memory.remove(key).await;
        if let Err(error) = self.inner.state.remove(key).await {
            self.shared_state_unreachable(&error);
        }
    }

    fn shared_state_unreachable(&self, error: &StateError) {
        if !self.inner.counters.outage.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                %error,
                "shared state unreachable: rate limits and the lockout count on this instance until it answers \
                 again"
            );
        }
    }

    fn shared_state_answers(&self) {
        if self.inner.counters.outage.swap(false, Ordering::Relaxed) {
            tracing::warn!(
                "shared state answers again: rate limits and the lockout count there again"
            );
        }
    }
}
