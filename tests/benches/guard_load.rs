//! Load benchmark of the role guards: a route behind `RequireRole<Admin>`, with roles read from the database
//! (the default) and from the access token, next to `GET /me`, on each database.
//!
//! ```text
//! FULLAUTH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test cargo bench -p fullauth-tests --bench guard_load
//! ```
//!
//! As in `me_load`: the server runs on a runtime of its own with two workers, the load comes from a separate
//! single-worker runtime over real loopback connections, 64 clients with keep-alive. `FULLAUTH_BENCH_SECONDS` sets
//! the length of each phase (default 10).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use fullauth::RoleCheck;
use fullauth_tests::load::{hammer, ms};
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// An app on `backend` with an admin user (the role `admin`, signed in after getting it).
async fn app_with_an_admin(backend: Backend, role_check: RoleCheck) -> Option<(TestApp, String)> {
    let app = TestApp::start(backend, |config| config.roles.check = role_check).await?;
    let (root, _) = app.superuser("root@example.com", PASSWORD).await;
    let (user, _) = app.signed_up("bench@example.com", PASSWORD).await;
    let id = app.user_id(&user).await;
    let assigned = app
        .call(
            Method::POST,
            "/admin/assign-role",
            Some(&root),
            Some(json!({"user_id": id, "role": "admin"})),
        )
        .await;
    assert_eq!(assigned.status, 200);
    // A token issued after the role, so that token checks see it.
    let (token, _) = app.login("bench@example.com", PASSWORD).await;
    Some((app, token))
}

fn main() {
    let seconds: u64 = std::env::var("FULLAUTH_BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "machine: {cpus} CPUs; phases of {seconds} s; server runtime 2 workers, load runtime 1 worker, 64 clients\n"
    );
    println!("| database | route | role check | req/s | p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
        for role_check in [RoleCheck::Database, RoleCheck::Token] {
            let server = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            let Some((app, token)) = server.block_on(app_with_an_admin(backend, role_check)) else {
                continue;
            };
            let load = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            let mut routes = vec![("RequireRole<Admin>", format!("{}/guarded/admin", app.base))];
            if role_check == RoleCheck::Database {
                routes.push(("GET /me", app.auth_url("/me")));
            }
            for (name, url) in routes {
                let (rate, latencies) = load.block_on(hammer(url, token.clone(), 64, seconds));
                let (p50, p99) = (
                    ms(latencies.percentile(0.5)),
                    ms(latencies.percentile(0.99)),
                );
                println!(
                    "| {backend:?} | {name} | {} | {rate:.0} | {p50} | {p99} |",
                    role_check.name()
                );
            }
            drop(load);
            server.block_on(async move { drop(app) });
            server.shutdown_timeout(Duration::from_secs(1));
        }
    }
}
