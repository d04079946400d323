use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

use super::HashError;
use super::argon2id::HashMemory;

/// One unit of hashing work, given the memory of the thread that runs it.
pub(super) type Job = Box<dyn FnOnce(&mut HashMemory) + Send>;

/// A fixed set of threads that only hash passwords, each keeping its Argon2 memory between hashes.
///
/// Jobs wait in one queue and the first idle thread takes the next; the threads stop when the last handle to
/// the queue is dropped.
pub(super) struct HashWorkers {
    jobs: Sender<Job>,
    memory: Arc<MemoryGauge>,
    threads: usize,
}

/// Bytes of Argon2 memory the threads hold, summed over threads.
#[derive(Default)]
struct MemoryGauge {
    bytes: AtomicUsize,
}

impl HashWorkers {
    /// Starts `threads` hashing threads.
    pub(super) fn start(threads: usize) -> Result<Self, HashError> {
        let (jobs, queue) = channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let memory = Arc::new(MemoryGauge::default());
        for index in 0..threads {
            let queue = Arc::clone(&queue);
            let gauge = Arc::clone(&memory);
            thread::Builder::new()
                .name(format!("fullauth-hash-{index}"))
                .spawn(move || work_through(&queue, &gauge))
                .map_err(HashError::Spawn)?;
        }
        Ok(Self {
            jobs,
            memory,
            threads,
        })
    }

    /// Queues `job` for the next idle thread.
    pub(super) fn submit(&self, job: Job) -> Result<(), HashError> {
        self.jobs.send(job).map_err(|_| HashError::Closed)
    }

    /// How many hashing threads run.
    pub(super) fn threads(&self) -> usize {
        self.threads
    }

    /// Bytes of Argon2 memory the threads keep between hashes.
    pub(super) fn kept_bytes(&self) -> usize {
        self.memory.bytes.load(Ordering::Relaxed)
    }
}

/// A hashing thread's life: take the next job, run it on this thread's memory, until the queue closes.
///
/// A job that panics loses its answer (its caller sees the hasher fail) but not the thread.
fn work_through(queue: &Mutex<Receiver<Job>>, gauge: &MemoryGauge) {
    let mut memory = HashMemory::default();
    loop {
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = next else {
            break;
        };
        let before = memory.bytes();
        if catch_unwind(AssertUnwindSafe(|| job(&mut memory))).is_err() {
            tracing::error!("a password hashing job panicked");
        }
        let after = memory.bytes();
        if after != before {
            gauge.bytes.fetch_add(after, Ordering::Relaxed);
            gauge.bytes.fetch_sub(before, Ordering::Relaxed);
        }
    }
    gauge.bytes.fetch_sub(memory.bytes(), Ordering::Relaxed);
}
