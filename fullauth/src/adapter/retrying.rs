//! [`retrying`]: running a transaction again when the database gave up on it.

use super::error::is_retryable;
use crate::store::StoreError;

/// Runs an idempotent write again when the database gave up on it (a deadlock between concurrent writers, a
/// serialization failure, a busy SQLite file), a few times with a short pause.
pub(super) async fn retrying<T, F, Fut>(mut attempt: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    const ATTEMPTS: u32 = 6;
    let mut tried = 1;
    loop {
        match attempt().await {
            Err(error) if tried < ATTEMPTS && is_retryable(&error) => {
                tracing::debug!(%error, tried, "retrying a transaction");
                // Growing, jittered pauses, so the transactions that collided do not collide again.
                let mut jitter = [0_u8; 1];
                crate::random::fill(&mut jitter);
                let pause = 4 * u64::from(tried) + u64::from(jitter[0] % 8);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                tried += 1;
            }
            outcome => return outcome,
        }
    }
}
