//! Password hashing allocates its Argon2 memory once per hashing thread, not once per hash.
//!
//! Each Argon2id hash with the default cost needs 19 MiB. Allocated afresh for every hash, on whichever thread
//! runs it, that memory stays behind in each thread's allocator arena, and a burst of sign-ins grows the process
//! by hundreds of megabytes that it never gives back. This test process counts every byte allocated, so it fails
//! the moment hashing allocates per hash again, whatever the allocator would have done with it.

use std::alloc::System;

use fullauth::config::PasswordHashCost;
use fullauth::password::{PasswordHasher, Verification};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static ALLOCATOR: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const HASHING_THREADS: usize = 2;
const BURST: usize = 24;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_hashes_allocates_argon2_memory_once_per_thread() {
    let cost = PasswordHashCost::default();
    let hasher = PasswordHasher::new(cost, HASHING_THREADS).expect("default cost is valid");
    let stored = hasher.hash("stored password".into()).await.expect("hash");

    let region = Region::new(ALLOCATOR);
    let burst: Vec<_> = (0..BURST)
        .map(|n| {
            let hasher = hasher.clone();
            let stored = stored.clone();
            tokio::spawn(async move {
                match n % 3 {
                    0 => hasher.hash(format!("password {n}")).await.map(|_| ()),
                    1 => hasher
                        .verify("stored password".into(), Some(stored))
                        .await
                        .map(|outcome| {
                            assert_eq!(
                                outcome,
                                Verification::Valid {
                                    needs_rehash: false
                                }
                            )
                        }),
                    _ => hasher.verify("wrong".into(), None).await.map(|_| ()),
                }
            })
        })
        .collect();
    for task in burst {
        task.await.expect("task").expect("hashing");
    }
    let allocated = region.change().bytes_allocated;

    let per_hash = cost.memory_kib as usize * 1024;
    assert!(
        allocated < HASHING_THREADS * per_hash + per_hash / 2,
        "{BURST} hashes allocated {allocated} bytes: at most one set of {per_hash} bytes per hashing thread \
         ({HASHING_THREADS}) may be allocated, not one per hash"
    );
    assert!(hasher.kept_memory_bytes() <= HASHING_THREADS * per_hash);
    assert_eq!(hasher.operations(), 1 + BURST as u64);
}
