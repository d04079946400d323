use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::Params;
use tokio::sync::oneshot;

use super::argon2id::{Argon2id, HashMemory};
use super::bcrypt_hash;
use super::hash_workers::HashWorkers;
use super::{HashError, Verification};
use crate::config::PasswordHashCost;

/// Argon2id hashing on a few threads of its own.
///
/// Hashing costs tens of milliseconds of CPU and `memory_kib` of memory (19 MiB by default); running it on the
/// async workers would stall every other request. The hasher starts as many threads as its concurrency, and
/// each keeps its Argon2 memory from one hash to the next: a flood of sign-ins queues for those threads instead
/// of starving the server, and the memory hashing holds is at most concurrency × `memory_kib`, however long the
/// flood lasts. The threads stop when the last clone of the hasher is dropped.
#[derive(Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

struct Inner {
    argon2: Argon2id,
    workers: HashWorkers,
    dummy_hash: String,
    operations: AtomicU64,
}

impl PasswordHasher {
    /// A hasher producing hashes with `cost`, running at most `concurrency` hashes at once on as many threads.
    ///
    /// Computes the dummy hash unknown accounts are checked against right away (one hash, on the calling
    /// thread), so that the first failed sign-in costs the same as every later one.
    pub fn new(cost: PasswordHashCost, concurrency: usize) -> Result<Self, HashError> {
        let params = Params::new(cost.memory_kib, cost.iterations, cost.parallelism, None)
            .map_err(HashError::Parameters)?;
        let argon2 = Argon2id::new(params);
        let dummy_hash = argon2.hash(
            "fullauth dummy password, never valid",
            &mut HashMemory::default(),
        )?;
        Ok(Self {
            inner: Arc::new(Inner {
                argon2,
                workers: HashWorkers::start(concurrency.max(1))?,
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

    /// How many threads hash passwords: the concurrency the hasher was built with.
    pub fn threads(&self) -> usize {
        self.inner.workers.threads()
    }

    /// Bytes of Argon2 memory the hashing threads keep between hashes: `memory_kib` KiB for each thread that
    /// has hashed at least once, never more than [`threads`](Self::threads) × `memory_kib` KiB.
    pub fn kept_memory_bytes(&self) -> usize {
        self.inner.workers.kept_bytes()
    }

    /// The default concurrency: one less than the CPUs, so hashing never takes every core.
    pub fn default_concurrency() -> usize {
        std::thread::available_parallelism().map_or(1, |cpus| cpus.get().saturating_sub(1).max(1))
    }

    /// Hashes a password into a PHC string with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let inner = Arc::clone(&self.inner);
        self.run(move |memory| inner.argon2.hash(&password, memory))
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
        self.run(move |memory| {
            if bcrypt_hash::is_bcrypt(&stored) {
                bcrypt_hash::verify(&password, &stored)
            } else {
                inner.argon2.verify(&password, &stored, memory)
            }
        })
        .await
    }

    /// Spends the time of one verification without checking anything, for unknown users.
    pub async fn dummy_verify(&self, password: String) -> Result<(), HashError> {
        let inner = Arc::clone(&self.inner);
        self.run(move |memory| inner.argon2.verify(&password, &inner.dummy_hash, memory))
            .await?;
        Ok(())
    }

    /// Runs `work` on the next free hashing thread. When the caller has gone (its request was cancelled) by the
    /// time a thread is free, the work is skipped.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut HashMemory) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let (answer, outcome) = oneshot::channel();
        let inner = Arc::clone(&self.inner);
        self.inner.workers.submit(Box::new(move |memory| {
            if answer.is_closed() {
                return;
            }
            inner.operations.fetch_add(1, Ordering::Relaxed);
            let _ = answer.send(work(memory));
        }))?;
        outcome.await.map_err(|_| HashError::WorkerFailed)
    }
}

#[cfg(test)]
mod tests {
    use argon2::password_hash::phc::PasswordHash;

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
            !hasher.inner.argon2.allows(&params),
            "the planted hash must be refused before hashing"
        );
        let ordinary = Params::new(19_456, 2, 1, None).unwrap();
        assert!(hasher.inner.argon2.allows(&ordinary));
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

    #[tokio::test]
    async fn hashing_threads_keep_their_memory_between_hashes() {
        let hasher = hasher();
        assert_eq!(hasher.threads(), 2);
        assert_eq!(hasher.kept_memory_bytes(), 0, "no thread has hashed yet");
        let burst: Vec<_> = (0..12)
            .map(|n| {
                let hasher = hasher.clone();
                tokio::spawn(async move { hasher.hash(format!("password {n}")).await })
            })
            .collect();
        for hash in burst {
            hash.await.unwrap().unwrap();
        }
        let per_thread = 19_456 * 1024;
        let kept = hasher.kept_memory_bytes();
        assert!(
            kept == per_thread || kept == 2 * per_thread,
            "each hashing thread keeps one set of blocks: {kept} bytes"
        );
        assert_eq!(hasher.operations(), 12);
    }

    #[tokio::test]
    async fn stored_hashes_with_other_costs_still_verify() {
        let heavier = PasswordHasher::new(
            PasswordHashCost {
                memory_kib: 32_768,
                iterations: 1,
                parallelism: 2,
            },
            1,
        )
        .unwrap();
        let lighter = PasswordHasher::new(
            PasswordHashCost {
                memory_kib: 8_192,
                iterations: 1,
                parallelism: 1,
            },
            1,
        )
        .unwrap();
        let hasher = hasher();
        for stored in [
            heavier.hash("pw".into()).await.unwrap(),
            lighter.hash("pw".into()).await.unwrap(),
        ] {
            assert_eq!(
                hasher
                    .verify("pw".into(), Some(stored.clone()))
                    .await
                    .unwrap(),
                Verification::Valid { needs_rehash: true }
            );
            assert_eq!(
                hasher.verify("wrong".into(), Some(stored)).await.unwrap(),
                Verification::Invalid
            );
        }
        let kept = hasher.kept_memory_bytes();
        assert!(
            kept == 19_456 * 1024 || kept == 2 * 19_456 * 1024,
            "a heavier stored hash borrows memory for itself and gives it back: {kept} bytes kept"
        );
    }

    #[tokio::test]
    async fn work_for_a_caller_that_has_gone_is_skipped() {
        let hasher = PasswordHasher::new(PasswordHashCost::default(), 1).unwrap();
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let busy = {
            let hasher = hasher.clone();
            tokio::spawn(async move {
                hasher
                    .run(move |_| {
                        let _ = started.send(());
                        gate.recv().is_ok()
                    })
                    .await
            })
        };
        // Only once the one hashing thread is busy is the next hash sure to wait in the queue.
        running.await.unwrap();
        let mut cancelled = Box::pin(hasher.hash("cancelled".into()));
        tokio::select! {
            biased;
            _ = &mut cancelled => panic!("the only hashing thread is busy"),
            () = std::future::ready(()) => {}
        }
        drop(cancelled);
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        hasher.hash("after".into()).await.unwrap();
        assert_eq!(
            hasher.operations(),
            2,
            "the queued hash of the cancelled caller was not computed"
        );
    }
}
