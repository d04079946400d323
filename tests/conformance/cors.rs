//! The CORS layer: listed origins may call with credentials, preflights are answered, nobody gets `*`.

use axum::routing::get;
use fullauth_tests::{Backend, TestDatabase};
use reqwest::Method;

use fullauth_tests::app::serve_router as serve;

const FRONT_END: &str = "http://localhost:5173";

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listed_origins_may_call_with_credentials_and_others_may_not() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let mut config = fullauth_tests::app::test_config();
    config.cors.origins = vec![FRONT_END.to_owned()];
    let auth = fullauth_tests::app::fullauth_on(&db, config).await;
    let router: axum::Router = axum::Router::new()
        .route("/ok", get(|| async { "ok" }))
        .merge(auth.router())
        .layer(auth.cors().allow_headers(["X-Request-Id"]));
    let base = serve(router).await;
    let client = reqwest::Client::new();
    let preflight = |origin: &str| {
        client
            .request(Method::OPTIONS, format!("{base}/api/v1/auth/login"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, x-csrf-token",
            )
            .send()
    };

    let allowed = preflight(FRONT_END).await.unwrap();
    assert_eq!(allowed.status(), 204);
    assert_eq!(
        header(&allowed, "access-control-allow-origin").as_deref(),
        Some(FRONT_END)
    );
    assert_eq!(
        header(&allowed, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    let methods = header(&allowed, "access-control-allow-methods").unwrap();
    for method in ["GET", "POST", "PATCH", "DELETE"] {
        assert!(methods.contains(method), "{methods}");
    }
    let headers = header(&allowed, "access-control-allow-headers").unwrap();
    for name in [
        "authorization",
        "content-type",
        "x-csrf-token",
        "x-request-id",
    ] {
        assert!(headers.contains(name), "{headers}");
    }
    assert_eq!(
        header(&allowed, "access-control-max-age").as_deref(),
        Some("600")
    );
    assert_eq!(header(&allowed, "vary").as_deref(), Some("origin"));

    for stranger in ["https://evil.example", "http://localhost:5174", "null"] {
        let refused = preflight(stranger).await.unwrap();
        assert_eq!(refused.status(), 403, "{stranger}");
        assert!(header(&refused, "access-control-allow-origin").is_none());
        assert_eq!(
            refused.json::<serde_json::Value>().await.unwrap(),
            serde_json::json!({"detail": "CORS origin not allowed."})
        );
    }

    // Requests themselves: the listed origin gets its own origin back, never `*`; others get nothing.
    let listed = client
        .get(format!("{base}/api/v1/auth/me"))
        .header("origin", FRONT_END)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 401);
    assert_eq!(
        header(&listed, "access-control-allow-origin").as_deref(),
        Some(FRONT_END)
    );
    assert_eq!(
        header(&listed, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
    assert!(
        header(&listed, "access-control-expose-headers")
            .unwrap()
            .contains("retry-after")
    );
    let stranger = client
        .get(format!("{base}/ok"))
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 200);
    assert!(header(&stranger, "access-control-allow-origin").is_none());
    assert!(header(&stranger, "access-control-allow-credentials").is_none());
    assert_eq!(header(&stranger, "vary").as_deref(), Some("origin"));
    let no_origin = client.get(format!("{base}/ok")).send().await.unwrap();
    assert!(header(&no_origin, "access-control-allow-origin").is_none());
    assert!(header(&no_origin, "vary").is_none());
}

#[test]
#[should_panic(expected = "cannot be `*`")]
fn a_wildcard_origin_stops_at_start_up() {
    let _ = fullauth::middleware::CorsLayer::default().allow_origins(["*"]);
}

#[test]
#[should_panic(expected = "is not an origin")]
fn an_origin_with_a_path_stops_at_start_up() {
    let _ = fullauth::middleware::CorsLayer::default().allow_origins(["https://app.example.com/x"]);
}
