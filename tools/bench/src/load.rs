//! Closed-loop HTTP/1.1 load: each client holds one keep-alive connection and sends its next request as soon as
//! the previous answer is read, for a fixed time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What one client sends, request after request.
pub trait Script: Send + 'static {
    /// The next request.
    fn next(&mut self) -> Request<Full<Bytes>>;
    /// Reads the answer to the last request; `false` counts it as a failure.
    fn answered(&mut self, status: StatusCode, body: &[u8]) -> bool;
}

/// What a load measured.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Answers the scripts accepted.
    pub succeeded: u64,
    /// Answers the scripts refused, and requests that failed on the connection.
    pub failed: u64,
    /// Wall time of the load.
    pub elapsed: Duration,
    /// The latency of every request, in microseconds.
    pub latencies_us: Vec<u32>,
}

impl Outcome {
    /// Accepted answers per second.
    pub fn per_second(&self) -> f64 {
        self.succeeded as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// The latency below which a share `p` (0 to 1) of the requests stayed, in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let Some(last) = sorted.len().checked_sub(1) else {
            return 0.0;
        };
        let index = ((last as f64) * p).round() as usize;
        f64::from(sorted[index.min(last)]) / 1000.0
    }

    /// Adds another load's answers and latencies to this one's (the elapsed time is left as it is).
    pub fn absorb(&mut self, other: Outcome) {
        self.succeeded += other.succeeded;
        self.failed += other.failed;
        self.latencies_us.extend(other.latencies_us);
    }
}

/// When a load ends: at a deadline, or when a number of requests has been sent, whichever comes first.
#[derive(Clone)]
pub struct Until {
    deadline: Instant,
    budget: Option<Arc<AtomicU64>>,
}

impl Until {
    /// After `duration`.
    pub fn elapsed(duration: Duration) -> Self {
        Self {
            deadline: Instant::now() + duration,
            budget: None,
        }
    }

    /// After `requests` requests, or after `longest` if that comes first.
    pub fn sent(requests: u64, longest: Duration) -> Self {
        Self {
            deadline: Instant::now() + longest,
            budget: Some(Arc::new(AtomicU64::new(requests))),
        }
    }

    /// Whether one more request may be sent (and takes it from the budget).
    fn take_one(&self) -> bool {
        if Instant::now() >= self.deadline {
            return false;
        }
        match &self.budget {
            None => true,
            Some(left) => left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok(),
        }
    }

    fn over(&self) -> bool {
        Instant::now() >= self.deadline
            || self
                .budget
                .as_ref()
                .is_some_and(|left| left.load(Ordering::Relaxed) == 0)
    }
}

/// Runs one client per script against `address` until `until` and sums what they measured.
pub async fn run<S: Script>(address: SocketAddr, scripts: Vec<S>, until: Until) -> Outcome {
    let started = Instant::now();
    let clients: Vec<_> = scripts
        .into_iter()
        .map(|script| tokio::spawn(client(address, script, until.clone(), None)))
        .collect();
    let mut total = Outcome::default();
    for client in clients {
        if let Ok(outcome) = client.await {
            total.absorb(outcome);
        }
    }
    total.elapsed = started.elapsed();
    total
}

/// One client that waits `pause` between requests (a probe measuring latency beside a load), until `until`.
pub async fn probe<S: Script>(
    address: SocketAddr,
    script: S,
    until: Until,
    pause: Duration,
) -> Outcome {
    let started = Instant::now();
    let mut outcome = client(address, script, until, Some(pause)).await;
    outcome.elapsed = started.elapsed();
    outcome
}

/// Sends requests until `until`, reconnecting when the connection breaks.
async fn client<S: Script>(
    address: SocketAddr,
    mut script: S,
    until: Until,
    pause: Option<Duration>,
) -> Outcome {
    let mut outcome = Outcome::default();
    'connections: while !until.over() {
        let Ok(stream) = TcpStream::connect(address).await else {
            outcome.failed += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok((mut sender, connection)) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await
        else {
            outcome.failed += 1;
            continue;
        };
        tokio::spawn(connection);
        while until.take_one() {
            let request = script.next();
            let sent = Instant::now();
            let answer = match sender.send_request(request).await {
                Ok(response) => {
                    let status = response.status();
                    response
                        .into_body()
                        .collect()
                        .await
                        .map(|body| (status, body.to_bytes()))
                }
                Err(_) => {
                    outcome.failed += 1;
                    continue 'connections;
                }
            };
            let Ok((status, body)) = answer else {
                outcome.failed += 1;
                continue 'connections;
            };
            let latency = sent.elapsed().as_micros();
            outcome
                .latencies_us
                .push(u32::try_from(latency).unwrap_or(u32::MAX));
            if script.answered(status, &body) {
                outcome.succeeded += 1;
            } else {
                outcome.failed += 1;
            }
            if let Some(pause) = pause {
                tokio::time::sleep(pause).await;
            }
        }
    }
    outcome
}
