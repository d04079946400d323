use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use tokio::sync::Semaphore;

use super::HashError;
use crate::config::PasswordHashCost;

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password matches; `needs_rehash` when the hash uses other parameters than the configured ones.
    Valid {
        /// The stored hash should be replaced by one with the current parameters.
        needs_rehash: bool,
    },
    /// Wrong password, no stored hash, or a hash fullauth refuses to compute.
    Invalid,
}

/// Argon2id hashing on a bounded set of blocking threads.
///
/// Hashing costs tens of milliseconds of CPU and ~19 MiB of memory; running it on the async workers would stall
/// every other request. Each hash runs under `spawn_blocking`, and a semaphore caps how many run at once, so a
/// flood of logins queues instead of starving the server.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    params: Params,
    limits: Limits,
    permits: Arc<Semaphore>,
    dummy_hash: String,
    operations: AtomicU64,
}

/// The most expensive stored hash fullauth agrees to verify. A hash with larger parameters (planted in the
/// database, or from a misconfiguration) is refused at once instead of allocating gigabytes.
#[derive(Debug, Clone, Copy)]
struct Limits {
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
}

impl PasswordHasher {
    /// A hasher producing hashes with `cost`, running at most `concurrency` hashes at once.
    ///
    /// Computes the dummy hash unknown accounts are checked against right away (one hash, on the calling
    /// thread), so that the first failed sign-in costs the same as every later one.
    pub fn new(cost: PasswordHashCost, concurrency: usize) -> Result<Self, HashError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(HashError::Parameters)?;
        let dummy_hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
            .hash_password(b"fullauth dummy password, never valid")
            .map_err(HashError::Hashing)?
            .to_string();
        let limits = Limits {
            memory_kib: cost.memory_kib.max(256 * 1024),
            iterations: cost.iterations.max(16),
            parallelism: cost.parallelism.max(8),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                params,
                limits,
                permits: Arc::new(Semaphore::new(concurrency.max(1))),
                dummy_hash,
                operations: AtomicU64::new(0),
            }),
        })
    }

    /// How many hashes and verifications (dummy ones included) this hasher has computed: a counter for
    /// monitoring, and the proof that failed sign-ins cost the same work as successful ones.
    pub fn operations(&self) -> u64 {
        self.inner.operations.load(Ordering::Relaxed)
    }

    /// The default concurrency: one less than the CPUs, so hashing never takes every core.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(1, |cpus| cpus.get().saturating_sub(1).max(1))
    }

    /// Hashes a password into a PHC string with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let inner = Arc::clone(&self.inner);
        self.run(move || {
            let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, inner.params.clone());
            hasher
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(HashError::Hashing)
        })
        .await?
    }

    /// Checks `password` against `stored`; with no stored hash, spends the same time on a dummy hash and fails.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<Verification, HashError> {
        let Some(stored) = stored else {
            self.dummy_verify(password).await?;
            return Ok(Verification::Invalid);
        };
        let inner = Arc::clone(&self.inner);
        self.run(move || inner.verify(&password, &stored)).await
    }

    /// Spends the time of one verification without checking anything, for unknown users.
    pub async fn dummy_verify(&self, password: String) -> Result<(), HashError> {
        let inner = Arc::clone(&self.inner);
        self.run(move || inner.verify(&password, &inner.dummy_hash))
            .await?;
        Ok(())
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = Arc::clone(&self.inner.permits)
            .acquire_owned()
            .await
            .map_err(|_| HashError::Closed)?;
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            inner.operations.fetch_add(1, Ordering::Relaxed);
            let outcome = work();
            drop(permit);
            outcome
        })
        .await
        .map_err(HashError::Task)
    }
}

impl Limits {
    fn allow(&self, params: &Params) -> bool {
        params.m_cost() <= self.memory_kib
            && params.t_cost() <= self.iterations
            && params.p_cost() <= self.parallelism
    }
}

impl Inner {
    fn verify(&self, password: &str, stored: &str) -> Verification {
        let Ok(hash) = PasswordHash::new(stored) else {
            tracing::warn!("stored password hash is not a PHC string; refusing it");
            return Verification::Invalid;
        };
        let Ok(params) = Params::try_from(&hash) else {
            tracing::warn!("stored password hash has unreadable parameters; refusing it");
            return Verification::Invalid;
        };
        let Ok(algorithm) = Algorithm::try_from(hash.algorithm.as_str()) else {
            tracing::warn!(algorithm = %hash.algorithm, "stored password hash is not Argon2; refusing it");
            return Verification::Invalid;
        };
        if !self.limits.allow(&params) {
            tracing::warn!(
                m = params.m_cost(),
                t = params.t_cost(),
                p = params.p_cost(),
                "stored password hash exceeds the verification limits; refusing it"
            );
            return Verification::Invalid;
        }
        let version = hash
            .version
            .and_then(|v| Version::try_from(v).ok())
            .unwrap_or_default();
        let verifier = Argon2::new(algorithm, version, params.clone());
        if verifier
            .verify_password(password.as_bytes(), &hash)
            .is_err()
        {
            return Verification::Invalid;
        }
        let needs_rehash = algorithm != Algorithm::Argon2id
            || version != Version::V0x13
            || params.m_cost() != self.params.m_cost()
            || params.t_cost() != self.params.t_cost()
            || params.p_cost() != self.params.p_cost();
        Verification::Valid { needs_rehash }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hasher() -> PasswordHasher {
        PasswordHasher::new(PasswordHashCost::default(), 2).unwrap()
    }

    #[tokio::test]
    async fn hashes_verify_and_salts_differ() {
        let hasher = hasher();
        let first = hasher.hash("correct horse".into()).await.unwrap();
        let second = hasher.hash("correct horse".into()).await.unwrap();
        assert_ne!(first, second);
        assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert_eq!(
            hasher
                .verify("correct horse".into(), Some(first.clone()))
                .await
                .unwrap(),
            Verification::Valid {
                needs_rehash: false
            }
        );
        assert_eq!(
            hasher.verify("wrong".into(), Some(first)).await.unwrap(),
            Verification::Invalid
        );
        assert_eq!(
            hasher.verify("x".into(), None).await.unwrap(),
            Verification::Invalid
        );
    }

    #[tokio::test]
    async fn weaker_hashes_ask_for_a_rehash() {
        let old = PasswordHasher::new(
            PasswordHashCost {
                memory_kib: 19_456,
                iterations: 1,
                parallelism: 1,
            },
            1,
        )
        .unwrap();
        let stored = old.hash("pw".into()).await.unwrap();
        assert_eq!(
            hasher().verify("pw".into(), Some(stored)).await.unwrap(),
            Verification::Valid { needs_rehash: true }
        );
    }

    #[tokio::test]
    async fn absurd_parameters_are_refused_without_computing() {
        // 4 GiB of memory: computing it would exhaust the machine.
        let planted = "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNoZmFrZWhhc2g";
        let hasher = hasher();
        let params = Params::try_from(&PasswordHash::new(planted).unwrap()).unwrap();
        assert!(
            !hasher.inner.limits.allow(&params),
            "the planted hash must be refused before hashing"
        );
        let ordinary = Params::new(19_456, 2, 1, None).unwrap();
        assert!(hasher.inner.limits.allow(&ordinary));
        assert_eq!(
            hasher
                .verify("pw".into(), Some(planted.into()))
                .await
                .unwrap(),
            Verification::Invalid
        );
    }

    #[tokio::test]
    async fn garbage_hashes_are_invalid() {
        for stored in [
            "",
            "plaintext",
            "$2b$12$abcdefghijklmnopqrstuv",
            "$argon2id$v=19$m=x",
        ] {
            assert_eq!(
                hasher()
                    .verify("pw".into(), Some(stored.into()))
                    .await
                    .unwrap(),
                Verification::Invalid
            );
        }
    }
}
