//! Timing of the answers that must not tell whether an account exists: a password-reset request for a known and
//! an unknown address, a registration of a new and a taken address, a sign-in with a wrong password and with an
//! unknown address.
//!
//! ```text
//! cargo bench -p fullauth-tests --bench enumeration_timing
//! FULLAUTH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fullauth-tests --bench enumeration_timing
//! ```
//!
//! Requests of the two kinds alternate from one client over loopback, so that drift and noise hit both alike;
//! mails are handed to a mailer that drops them, so delivery does not load the machine between requests.
//! Numbers go to stdout as a Markdown table. `FULLAUTH_BENCH_ROUNDS` scales the number of requests (default 1).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use fullauth::mail::{Mail, MailError, Mailer};
use fullauth_tests::{Backend, TestApp};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse battery";

struct DropMails;

impl Mailer for DropMails {
    async fn send(&self, _mail: Mail) -> Result<(), MailError> {
        Ok(())
    }
}

fn percentile(samples: &[Duration], p: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
}

async fn timed(app: &TestApp, path: &str, body: Value, expected: u16) -> Duration {
    let started = Instant::now();
    let response = app
        .client
        .post(app.auth_url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), expected, "{path}");
    response.bytes().await.unwrap();
    started.elapsed()
}

/// Alternates `count` requests of each kind; returns both series.
async fn compare(
    app: &TestApp,
    count: usize,
    path: &str,
    expected: u16,
    mut first: impl FnMut(usize) -> Value,
    mut second: impl FnMut(usize) -> Value,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for index in 0..count {
        a.push(timed(app, path, first(index), expected).await);
        b.push(timed(app, path, second(index), expected).await);
    }
    (a, b)
}

fn row(database: &str, case: &str, a: &[Duration], b: &[Duration]) {
    let (a50, b50) = (percentile(a, 0.5), percentile(b, 0.5));
    let (a90, b90) = (percentile(a, 0.9), percentile(b, 0.9));
    let difference = a50.as_secs_f64() - b50.as_secs_f64();
    println!(
        "| {database} | {case} | {} | {} / {} | {} / {} | {:+.3} ms |",
        a.len(),
        ms(a50),
        ms(b50),
        ms(a90),
        ms(b90),
        difference * 1000.0
    );
}

async fn measure(backend: Backend, name: &str, rounds: usize) {
    let Some(app) = TestApp::start_customized(
        backend,
        |_| {},
        Box::new(|builder| builder.mailer(DropMails)),
    )
    .await
    else {
        println!("| {name} | skipped: not configured | | | | |");
        return;
    };
    app.register("known@example.com", PASSWORD).await;
    // Warm the pools and caches.
    for _ in 0..50 {
        timed(
            &app,
            "/password-reset/request",
            json!({"email": "known@example.com"}),
            202,
        )
        .await;
    }

    let (known, unknown) = compare(
        &app,
        2000 * rounds,
        "/password-reset/request",
        202,
        |_| json!({"email": "known@example.com"}),
        |index| json!({"email": format!("unknown-{index}@example.com")}),
    )
    .await;
    row(
        name,
        "password-reset request: known / unknown",
        &known,
        &unknown,
    );

    let (taken, new) = compare(
        &app,
        60 * rounds,
        "/register",
        202,
        |_| json!({"email": "known@example.com", "password": PASSWORD}),
        |index| json!({"email": format!("new-{index}@example.com"), "password": PASSWORD}),
    )
    .await;
    row(name, "register: taken / new", &taken, &new);

    let (wrong, unknown) = compare(
        &app,
        60 * rounds,
        "/login",
        401,
        |_| json!({"email": "known@example.com", "password": "a wrong password"}),
        |index| json!({"email": format!("nobody-{index}@example.com"), "password": PASSWORD}),
    )
    .await;
    row(
        name,
        "login: wrong password / unknown account",
        &wrong,
        &unknown,
    );
}

fn main() {
    let rounds = std::env::var("FULLAUTH_BENCH_ROUNDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("| database | requests (first / second) | pairs | p50 | p90 | p50 difference |");
    println!("|---|---|---|---|---|---|");
    runtime.block_on(async {
        measure(Backend::Sqlite, "SQLite", rounds).await;
        measure(Backend::Postgres, "PostgreSQL", rounds).await;
        measure(Backend::Mysql, "MariaDB", rounds).await;
    });
}
