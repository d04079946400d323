//! The Argon2 ceiling: how many sign-ins and registrations per second the password hashing alone allows.

use std::time::{Duration, Instant};

use fullauth::config::PasswordHashCost;
use fullauth::password::PasswordHasher;

/// Hashes and verifications per second of fullauth's own hasher, with the default cost and concurrency, run in
/// a loop with nothing else: what login and register would reach if hashing were their only cost.
pub struct Ceiling {
    pub threads: usize,
    pub verifications_per_second: f64,
    pub hashes_per_second: f64,
}

pub async fn measure(duration: Duration) -> Result<Ceiling, String> {
    let threads = PasswordHasher::default_concurrency();
    let hasher = PasswordHasher::new(PasswordHashCost::default(), threads)
        .map_err(|error| error.to_string())?;
    let stored = hasher
        .hash(crate::scripts::PASSWORD.into())
        .await
        .map_err(|error| error.to_string())?;
    let verifications = saturate(&hasher, duration, move |hasher| {
        let stored = stored.clone();
        async move {
            hasher
                .verify(crate::scripts::PASSWORD.into(), Some(stored))
                .await
                .is_ok()
        }
    })
    .await;
    let hashes = saturate(&hasher, duration, |hasher| async move {
        hasher.hash(crate::scripts::PASSWORD.into()).await.is_ok()
    })
    .await;
    Ok(Ceiling {
        threads,
        verifications_per_second: verifications,
        hashes_per_second: hashes,
    })
}

/// Completed operations per second with twice as many callers as hashing threads, so no thread ever waits.
async fn saturate<F, Fut>(hasher: &PasswordHasher, duration: Duration, operation: F) -> f64
where
    F: Fn(PasswordHasher) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let started = Instant::now();
    let callers: Vec<_> = (0..hasher.threads() * 2)
        .map(|_| {
            let (hasher, operation) = (hasher.clone(), operation.clone());
            tokio::spawn(async move {
                let mut done = 0_u64;
                while started.elapsed() < duration {
                    if operation(hasher.clone()).await {
                        done += 1;
                    }
                }
                done
            })
        })
        .collect();
    let mut total = 0;
    for caller in callers {
        total += caller.await.unwrap_or(0);
    }
    total as f64 / started.elapsed().as_secs_f64()
}
