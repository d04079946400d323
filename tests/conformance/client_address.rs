//! A server that does not record its clients' addresses cannot rate-limit them apart: every client would share
//! one bucket, and one attacker could limit the whole world out of sign-in. fullauth refuses to count such
//! requests (500, with a log line that names the fix) instead of counting them together; `fullauth::serve`
//! records the addresses.

use std::time::Duration;

use fullauth::FullAuthConfig;
use fullauth_tests::{Backend, TestDatabase};
use serde_json::{Value, json};

fn with_rate_limits() -> FullAuthConfig {
    let mut config = fullauth_tests::app::test_config();
    config.rate_limits.enabled = true;
    config
}

async fn login(base: &str) -> (u16, Value) {
    let answer = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": "ada@example.com", "password": "a wrong password"}))
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.json().await.unwrap_or(Value::Null))
}

/// Serves `app` the way `axum::serve(listener, app)` does: without connection info.
async fn serve_without_addresses(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{address}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_refuse_to_count_clients_they_cannot_tell_apart() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let auth = fullauth_tests::app::fullauth_on(&db, with_rate_limits()).await;
    let plain = serve_without_addresses(auth.router()).await;
    for _ in 0..8 {
        // Never a shared bucket's 429 (which one client could cause for everyone): a loud 500 each time.
        let (status, body) = login(&plain).await;
        assert_eq!(
            (status, body),
            (500, json!({"detail": "Internal Server Error"}))
        );
    }
    let global = serve_without_addresses(
        axum::Router::new()
            .route("/ping", axum::routing::get(|| async { "pong" }))
            .layer(auth.global_rate_limit(100, Duration::from_secs(60))),
    )
    .await;
    let answer = reqwest::get(format!("{global}/ping")).await.unwrap();
    assert_eq!(answer.status(), 500);

    // Without rate limits no address is needed.
    let mut unlimited = with_rate_limits();
    unlimited.rate_limits.enabled = false;
    let auth = fullauth_tests::app::fullauth_on(&db, unlimited).await;
    let base = serve_without_addresses(auth.router()).await;
    assert_eq!(login(&base).await.0, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fullauth_serve_records_client_addresses() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let auth = fullauth_tests::app::fullauth_on(&db, with_rate_limits()).await;
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let app: axum::Router = auth.router();
    tokio::spawn(async move { fullauth::serve(("127.0.0.1", port), app).await });
    let base = format!("http://127.0.0.1:{port}");
    let mut up = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(up, "fullauth::serve did not start");
    // The client's own bucket: five attempts, then 429.
    for _ in 0..5 {
        assert_eq!(login(&base).await.0, 401);
    }
    assert_eq!(login(&base).await.0, 429);
}
