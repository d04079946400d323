//! Load benchmark of `GET /me`: throughput on each database, and latency while 50 clients sign in at once.
//!
//! ```text
//! cargo bench -p fullauth-tests --bench me_load
//! FULLAUTH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fullauth-tests --bench me_load
//! ```
//!
//! The server runs on a runtime of its own with two workers, as a small deployment would; the load comes from a
//! separate single-worker runtime over real loopback connections. Numbers go to stdout as a Markdown table.
//! `FULLAUTH_BENCH_SECONDS` sets the length of each phase (default 10).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use fullauth_tests::load::{Latencies, hammer, ms};
use fullauth_tests::{Backend, TestApp};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// How many clients sign in during the latency measurement.
const SIGNERS: usize = 50;

/// 50 clients sign in over and over, each to an account of its own (`signer-<n>@example.com`), while one client
/// measures `GET /me`, one request at a time. One account per client: lockout counts every password attempt of an
/// account before checking it, so 50 sign-ins of one account at once would mostly be refused unchecked.
async fn me_latency_under_logins(base: String, token: String, seconds: u64) -> (Latencies, f64) {
    let client = reqwest::Client::new();
    let stop = Arc::new(AtomicBool::new(false));
    let logins = Arc::new(AtomicU64::new(0));
    let login_workers: Vec<_> = (0..SIGNERS)
        .map(|signer| {
            let (client, url, stop, logins) = (
                client.clone(),
                format!("{base}/api/v1/auth/login"),
                stop.clone(),
                logins.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let body = json!({"email": format!("signer-{signer}@example.com"), "password": PASSWORD});
                    let response = client.post(&url).json(&body).send().await.unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                    logins.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    // Let the login queue fill up before measuring.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let started = Instant::now();
    let mut latencies = Vec::new();
    let url = format!("{base}/api/v1/auth/me");
    let first_logins = logins.load(Ordering::Relaxed);
    while started.elapsed() < Duration::from_secs(seconds) {
        let sent = Instant::now();
        let response = client.get(&url).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.bytes().await.unwrap();
        latencies.push(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let logins_per_second =
        (logins.load(Ordering::Relaxed) - first_logins) as f64 / started.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for worker in login_workers {
        worker.await.unwrap();
    }
    (Latencies(latencies), logins_per_second)
}

fn main() {
    let seconds: u64 = std::env::var("FULLAUTH_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "machine: {cpus} CPUs; phases of {seconds} s; server runtime 2 workers, load runtime 1 worker\n"
    );
    println!(
        "| database | GET /me req/s (64 clients) | p50 | p99 | GET /me p50 during 50 logins | p99 | max | logins/s |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
        let server = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let Some(app) = server.block_on(TestApp::start(backend, |_| {})) else {
            continue;
        };
        let (token, _) = server.block_on(app.signed_up("bench@example.com", PASSWORD));
        for signer in 0..SIGNERS {
            server.block_on(app.register(&format!("signer-{signer}@example.com"), PASSWORD));
        }
        let load = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (rps, latencies) = load.block_on(hammer(
            format!("{}/api/v1/auth/me", app.base),
            token.clone(),
            64,
            seconds,
        ));
        let (under_load, logins) =
            load.block_on(me_latency_under_logins(app.base.clone(), token, seconds));
        println!(
            "| {backend:?} | {rps:.0} | {} | {} | {} | {} | {} | {logins:.1} |",
            ms(latencies.percentile(0.5)),
            ms(latencies.percentile(0.99)),
            ms(under_load.percentile(0.5)),
            ms(under_load.percentile(0.99)),
            ms(under_load.percentile(1.0)),
        );
        drop(load);
        server.block_on(async move { drop(app) });
        server.shutdown_timeout(Duration::from_secs(1));
    }
}
