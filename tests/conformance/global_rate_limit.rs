//! The global rate-limit layer: every route it wraps counts, per client address, with exempt paths.

use std::time::Duration;

use axum::routing::get;
use fullauth_tests::{Backend, TestDatabase};

use fullauth_tests::app::serve_router as serve;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_counts_until_the_limit() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let auth = fullauth_tests::app::fullauth_on(&db, fullauth_tests::app::test_config()).await;
    let router: axum::Router = axum::Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route("/health", get(|| async { "up" }))
        .merge(auth.router())
        .fallback(fullauth::not_found)
        .layer(
            auth.global_rate_limit(5, Duration::from_secs(60))
                .exempt(["/health"]),
        );
    let base = serve(router).await;
    let client = reqwest::Client::new();
    let paths = ["/ok", "/api/v1/auth/me", "/nowhere", "/ok", "/ok"];
    for (index, path) in paths.iter().enumerate() {
        // A forged address changes nothing: no proxy is trusted.
        let answer = client
            .get(format!("{base}{path}"))
            .header("x-forwarded-for", format!("198.51.100.{index}"))
            .send()
            .await
            .unwrap();
        assert_ne!(answer.status(), 429, "{path}");
        assert_eq!(answer.headers().get("x-ratelimit-limit").unwrap(), "5");
        assert_eq!(
            answer.headers().get("x-ratelimit-remaining").unwrap(),
            &(4 - index).to_string()
        );
        assert!(answer.headers().get("retry-after").is_none());
    }
    let limited = client.get(format!("{base}/ok")).send().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers().get("x-ratelimit-remaining").unwrap(), "0");
    let retry_after: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(
        limited.json::<serde_json::Value>().await.unwrap(),
        serde_json::json!({"detail": "Too Many Requests"})
    );
    // Exempt paths neither count nor get limited.
    for _ in 0..3 {
        let health = client.get(format!("{base}/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        assert!(health.headers().get("x-ratelimit-limit").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exempt_paths_are_full_paths_inside_a_nested_router() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let auth = fullauth_tests::app::fullauth_on(&db, fullauth_tests::app::test_config()).await;
    let api: axum::Router = axum::Router::new()
        .route("/health", get(|| async { "up" }))
        .route("/work", get(|| async { "done" }))
        .layer(
            auth.global_rate_limit(2, Duration::from_secs(60))
                .exempt(["/api/health"]),
        );
    let base = serve(axum::Router::new().nest("/api", api)).await;
    for _ in 0..4 {
        let health = reqwest::get(format!("{base}/api/health")).await.unwrap();
        assert_eq!(health.status(), 200);
        assert!(health.headers().get("x-ratelimit-limit").is_none());
    }
    for expected in [200, 200, 429] {
        let work = reqwest::get(format!("{base}/api/work")).await.unwrap();
        assert_eq!(work.status(), expected);
    }
}

#[tokio::test]
#[should_panic(expected = "needs a limit and a window above zero")]
async fn a_limit_of_zero_stops_at_start_up() {
    let auth = fullauth::testing::fullauth::<fullauth_tests::models::User>();
    let _ = auth.global_rate_limit(0, Duration::from_secs(60));
}
