//! [`LocalCounters`]: where an instance counts rate limits and lockouts while the shared state is unreachable
//! (the counting itself is in `counters.rs`).

use std::sync::atomic::AtomicBool;

use crate::shared_state::MemoryState;

/// This instance's counters, used while the shared state is unreachable, and whether it is.
#[derive(Debug, Default)]
pub(crate) struct LocalCounters {
    pub(super) memory: MemoryState,
    pub(super) outage: AtomicBool,
}
