//! Snapshots of the pretty-printed expansion.
