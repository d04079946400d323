//! A server's resident memory (RSS), read from `/proc`, and sampled over time for the plot.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Resident memory of process `pid` in MiB, and its thread count.
pub fn reading(pid: u32) -> Option<(f64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|value| value.parse::<u64>().ok())
    };
    Some((field("VmRSS:")? as f64 / 1024.0, field("Threads:")?))
}

/// Resident memory in MiB, 0 when it cannot be read.
pub fn rss_mib(pid: u32) -> f64 {
    reading(pid).map_or(0.0, |(rss, _)| rss)
}

/// One reading of the sampler.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Seconds since the sampler started.
    pub at: f64,
    pub rss_mib: f64,
    pub phase: String,
}

/// Reads a process's RSS every 100 ms, labelled with the phase of the benchmark.
pub struct Sampler {
    phase: Arc<Mutex<String>>,
    samples: Arc<Mutex<Vec<Sample>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Sampler {
    pub fn start(pid: u32) -> Self {
        let phase = Arc::new(Mutex::new(String::from("start")));
        let samples = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (phase, samples, stop) =
                (Arc::clone(&phase), Arc::clone(&samples), Arc::clone(&stop));
            std::thread::spawn(move || {
                let started = Instant::now();
                while !stop.load(Ordering::Relaxed) {
                    if let Some((rss_mib, _)) = reading(pid) {
                        let phase = phase.lock().unwrap_or_else(PoisonError::into_inner).clone();
                        let sample = Sample {
                            at: started.elapsed().as_secs_f64(),
                            rss_mib,
                            phase,
                        };
                        samples
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(sample);
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        };
        Self {
            phase,
            samples,
            stop,
            thread: Some(thread),
        }
    }

    /// Labels the following samples.
    pub fn phase(&self, name: &str) {
        *self.phase.lock().unwrap_or_else(PoisonError::into_inner) = name.to_owned();
    }

    /// Stops sampling and hands over the samples.
    pub fn finish(mut self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        std::mem::take(&mut *self.samples.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
