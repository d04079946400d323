//! The security headers layer on every kind of answer: 200, 401, 404 and 429.

use axum::routing::get;
use fullauth::middleware::{Hsts, SecurityHeadersLayer};
use fullauth_tests::{Backend, TestDatabase};
use serde_json::json;

const EXPECTED: [(&str, &str); 5] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("x-xss-protection", "0"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    (
        "permissions-policy",
        "geolocation=(), camera=(), microphone=()",
    ),
];

use fullauth_tests::app::serve_router as serve;

fn assert_headers(response: &reqwest::Response, hsts: bool) {
    for (name, value) in EXPECTED {
        assert_eq!(
            response.headers().get(name).and_then(|v| v.to_str().ok()),
            Some(value),
            "{name} on {}",
            response.status()
        );
    }
    assert_eq!(
        response.headers().contains_key("strict-transport-security"),
        hsts,
        "HSTS on {}",
        response.status()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_the_security_headers() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let mut config = fullauth_tests::app::test_config();
    config.rate_limits.enabled = true;
    let auth = fullauth_tests::app::fullauth_on(&db, config).await;
    let router: axum::Router = axum::Router::new()
        .route("/ok", get(|| async { "ok" }))
        .route(
            "/framed",
            get(|| async { ([("x-frame-options", "SAMEORIGIN")], "mine") }),
        )
        .merge(auth.router())
        .fallback(fullauth::not_found)
        .layer(SecurityHeadersLayer::new().content_security_policy("default-src 'self'"));
    let base = serve(router).await;
    let client = reqwest::Client::new();

    let ok = client.get(format!("{base}/ok")).send().await.unwrap();
    assert_eq!(ok.status(), 200);
    assert_headers(&ok, false);
    assert_eq!(
        ok.headers().get("content-security-policy").unwrap(),
        "default-src 'self'"
    );
    let unauthorized = client
        .get(format!("{base}/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert_headers(&unauthorized, false);
    let missing = client.get(format!("{base}/nowhere")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_headers(&missing, false);
    let mut last = None;
    for _ in 0..6 {
        last = Some(
            client
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": "a@example.com", "password": "whatever123"}))
                .send()
                .await
                .unwrap(),
        );
    }
    let limited = last.unwrap();
    assert_eq!(limited.status(), 429);
    assert_headers(&limited, false);

    // Behind a TLS-terminating proxy: HSTS too.
    let https = client
        .get(format!("{base}/ok"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert_headers(&https, true);
    assert_eq!(
        https.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000; includeSubDomains"
    );
    // A header the handler set is left as it is.
    let framed = client.get(format!("{base}/framed")).send().await.unwrap();
    assert_eq!(
        framed.headers().get("x-frame-options").unwrap(),
        "SAMEORIGIN"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_can_be_always_or_never() {
    for (mode, expected) in [(Hsts::Always, true), (Hsts::Never, false)] {
        let router: axum::Router = axum::Router::new()
            .route("/ok", get(|| async { "ok" }))
            .layer(SecurityHeadersLayer::new().hsts(mode));
        let base = serve(router).await;
        let answer = reqwest::Client::new()
            .get(format!("{base}/ok"))
            .header("x-forwarded-proto", "https")
            .send()
            .await
            .unwrap();
        assert_headers(&answer, expected);
    }
}

#[test]
#[should_panic(expected = "is not a valid header value")]
fn a_policy_that_is_no_header_value_stops_at_start_up() {
    let _ = SecurityHeadersLayer::new().content_security_policy("default-src\n'self'");
}
