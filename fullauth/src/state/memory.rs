use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{SharedState, StateError};

/// In-process [`SharedState`]: correct for one process, lost on restart.
///
/// Expired keys are dropped lazily: on lookup, and in a sweep whenever the map has doubled since the last one,
/// so memory stays proportional to the live keys.
#[derive(Debug, Default)]
pub struct MemoryState {
    inner: Mutex<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    expiries: HashMap<String, Instant>,
    sweep_at_len: usize,
}

impl MemoryState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while holding the lock cannot leave the map inconsistent: every update is a single insert.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SharedState for MemoryState {
    async fn set(&self, key: &str, ttl: Duration) -> Result<(), StateError> {
        let now = Instant::now();
        let mut entries = self.entries();
        // A TTL beyond what an Instant can hold means "as long as the process lives".
        let expiry = now
            .checked_add(ttl)
            .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
            .unwrap_or(now);
        entries.expiries.insert(key.to_owned(), expiry);
        if entries.expiries.len() >= entries.sweep_at_len.max(1024) {
            entries.expiries.retain(|_, expiry| *expiry > now);
            entries.sweep_at_len = entries.expiries.len() * 2;
        }
        Ok(())
    }

    async fn contains_any(&self, keys: &[String]) -> Result<bool, StateError> {
        let now = Instant::now();
        let entries = self.entries();
        Ok(keys.iter().any(|key| {
            entries
                .expiries
                .get(key)
                .is_some_and(|expiry| *expiry > now)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn keys_expire() {
        let state = MemoryState::new();
        state.set("a", Duration::from_millis(30)).await.unwrap();
        state.set("b", Duration::from_secs(60)).await.unwrap();
        assert!(state.contains_any(&["a".into()]).await.unwrap());
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert!(!state.contains_any(&["a".into()]).await.unwrap());
        assert!(state.contains_any(&["a".into(), "b".into()]).await.unwrap());
        assert!(!state.contains_any(&[]).await.unwrap());
    }
}
