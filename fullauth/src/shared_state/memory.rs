use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::contract::{Admission, SharedState, StateError, WindowCount};

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
    counters: HashMap<String, (u64, Instant)>,
    /// Sliding windows: the admitted requests' times, and when the newest leaves its window.
    windows: HashMap<String, (VecDeque<Instant>, Instant)>,
    values: HashMap<String, (String, Instant)>,
    sweep_at_len: usize,
}

/// `now + duration`, or a century from now when that does not fit in an `Instant`.
fn later(now: Instant, duration: Duration) -> Instant {
    now.checked_add(duration)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 86_400)))
        .unwrap_or(now)
}

impl Entries {
    /// Drops expired keys whenever the maps have doubled since the last sweep.
    fn sweep(&mut self, now: Instant) {
        if self.len() >= self.sweep_at_len.max(1024) {
            self.expiries.retain(|_, expiry| *expiry > now);
            self.counters.retain(|_, (_, expiry)| *expiry > now);
            self.windows.retain(|_, (_, expiry)| *expiry > now);
            self.values.retain(|_, (_, expiry)| *expiry > now);
            self.sweep_at_len = self.len() * 2;
        }
    }

    fn len(&self) -> usize {
        self.expiries.len() + self.counters.len() + self.windows.len() + self.values.len()
    }
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
        entries.expiries.insert(key.to_owned(), later(now, ttl));
        entries.sweep(now);
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

    async fn hit(&self, key: &str, window: Duration) -> Result<WindowCount, StateError> {
        let now = Instant::now();
        let mut entries = self.entries();
        let counter = entries
            .counters
            .entry(key.to_owned())
            .or_insert((0, later(now, window)));
        if counter.1 <= now {
            *counter = (0, later(now, window));
        }
        counter.0 = counter.0.saturating_add(1);
        let counted = WindowCount {
            count: counter.0,
            resets_in: counter.1.saturating_duration_since(now),
        };
        entries.sweep(now);
        Ok(counted)
    }

    async fn admit(
        &self,
        key: &str,
        window: Duration,
        limit: u64,
    ) -> Result<Admission, StateError> {
        let now = Instant::now();
        let mut entries = self.entries();
        let (times, expiry) = entries
            .windows
            .entry(key.to_owned())
            .or_insert_with(|| (VecDeque::new(), now));
        while times
            .front()
            .is_some_and(|time| later(*time, window) <= now)
        {
            times.pop_front();
        }
        let admitted = u64::try_from(times.len()).is_ok_and(|count| count < limit);
        if admitted {
            times.push_back(now);
            *expiry = later(now, window);
        }
        let admission = Admission {
            admitted,
            count: u64::try_from(times.len()).unwrap_or(u64::MAX),
            resets_in: times.front().map_or(window, |oldest| {
                later(*oldest, window).saturating_duration_since(now)
            }),
        };
        entries.sweep(now);
        Ok(admission)
    }

    async fn remove(&self, key: &str) -> Result<(), StateError> {
        let mut entries = self.entries();
        entries.expiries.remove(key);
        entries.counters.remove(key);
        entries.windows.remove(key);
        entries.values.remove(key);
        Ok(())
    }

    async fn put(&self, key: &str, value: &str, ttl: Duration) -> Result<(), StateError> {
        let now = Instant::now();
        let mut entries = self.entries();
        entries
            .values
            .insert(key.to_owned(), (value.to_owned(), later(now, ttl)));
        entries.sweep(now);
        Ok(())
    }

    async fn take(&self, key: &str) -> Result<Option<String>, StateError> {
        let now = Instant::now();
        let taken = self.entries().values.remove(key);
        Ok(taken
            .filter(|(_, expiry)| *expiry > now)
            .map(|(value, _)| value))
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

    #[tokio::test]
    async fn counters_count_in_windows() {
        let state = MemoryState::new();
        let window = Duration::from_millis(50);
        assert_eq!(state.hit("c", window).await.unwrap().count, 1);
        let second = state.hit("c", window).await.unwrap();
        assert_eq!(second.count, 2);
        assert!(second.resets_in <= window);
        tokio::time::sleep(Duration::from_millis(70)).await;
        assert_eq!(state.hit("c", window).await.unwrap().count, 1);
        state.remove("c").await.unwrap();
        assert_eq!(state.hit("c", window).await.unwrap().count, 1);
    }
}
