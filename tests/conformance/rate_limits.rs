//! Per-route rate limits: the buckets and defaults of fastapi-fullauth, 429 with its headers, client addresses from
//! trusted proxy headers only, and validation before counting.

use fullauth::FullAuthConfig;
use fullauth_tests::{Backend, TestApp, TestResponse};
use serde_json::{Value, json};

use crate::run_with;

crate::on_every_backend!(
    the_sixth_login_in_a_window_is_429_with_its_headers,
    forged_forwarded_addresses_do_not_reset_the_bucket,
    trusted_proxy_headers_tell_clients_apart,
    forwarded_headers_count_only_from_listed_proxies,
    invalid_bodies_use_no_quota,
    each_bucket_counts_its_own_routes,
);

const PASSWORD: &str = "correct horse battery";

fn limits_on(config: &mut FullAuthConfig) {
    config.rate_limits.enabled = true;
}

async fn post_from(
    app: &TestApp,
    path: &str,
    forwarded_for: Option<&str>,
    body: Value,
) -> TestResponse {
    let mut request = app.client.post(app.auth_url(path)).json(&body);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    TestResponse::read(request.send().await.unwrap()).await
}

fn login_body() -> Value {
    json!({"email": "ada@example.com", "password": PASSWORD})
}

fn assert_too_many(answer: &TestResponse, limit: u64) {
    assert_eq!(answer.status, 429, "{answer:?}");
    assert_eq!(
        answer.json,
        json!({"detail": "Too many requests. Try again later."})
    );
    assert_eq!(answer.header("x-ratelimit-limit"), Some(limit.to_string()));
    assert_eq!(answer.header("x-ratelimit-remaining").as_deref(), Some("0"));
    let retry_after: u64 = answer.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Seconds until the window ends, as fastapi-fullauth sends it (not a Unix time).
    let reset: u64 = answer.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!((1..=60).contains(&reset), "{reset}");
    assert_eq!(reset, retry_after);
}

async fn the_sixth_login_in_a_window_is_429_with_its_headers(backend: Backend) {
    run_with(backend, limits_on, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        for _ in 0..5 {
            assert_eq!(
                post_from(&app, "/login", None, login_body()).await.status,
                200
            );
        }
        let limited = post_from(&app, "/login", None, login_body()).await;
        assert_too_many(&limited, 5);
        // Other buckets are not affected.
        let registered = post_from(
            &app,
            "/register",
            None,
            json!({"email": "bob@example.com", "password": PASSWORD}),
        )
        .await;
        assert_eq!(registered.status, 202);
    })
    .await;
}

async fn forged_forwarded_addresses_do_not_reset_the_bucket(backend: Backend) {
    run_with(backend, limits_on, |app| async move {
        for attempt in 0..5 {
            let forged = format!("198.51.100.{attempt}");
            let answer = post_from(&app, "/login", Some(&forged), login_body()).await;
            assert_eq!(answer.status, 401);
        }
        let forged = post_from(&app, "/login", Some("203.0.113.77"), login_body()).await;
        assert_too_many(&forged, 5);
    })
    .await;
}

async fn trusted_proxy_headers_tell_clients_apart(backend: Backend) {
    let behind_a_proxy = |config: &mut FullAuthConfig| {
        config.rate_limits.enabled = true;
        config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
        config.proxies.trusted_count = 1;
    };
    run_with(backend, behind_a_proxy, |app| async move {
        // Ten clients, one attempt each: none is limited.
        for client in 0..10 {
            let address = format!("spoofed-by-client, 198.51.100.{client}");
            let answer = post_from(&app, "/login", Some(&address), login_body()).await;
            assert_eq!(answer.status, 401, "{answer:?}");
        }
        // One client six times: the proxy's entry (the right-most) is the address, whatever the client prepends.
        for attempt in 0..5 {
            let address = format!("10.9.9.{attempt}, 203.0.113.9");
            assert_eq!(
                post_from(&app, "/login", Some(&address), login_body())
                    .await
                    .status,
                401
            );
        }
        let limited = post_from(&app, "/login", Some("203.0.113.9"), login_body()).await;
        assert_too_many(&limited, 5);
    })
    .await;
}

async fn forwarded_headers_count_only_from_listed_proxies(backend: Backend) {
    // The test client connects from 127.0.0.1, which is not among these proxies: it reaches the server directly.
    let elsewhere = |config: &mut FullAuthConfig| {
        config.rate_limits.enabled = true;
        config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
        config.proxies.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    };
    run_with(backend, elsewhere, |app| async move {
        for client in 0..5 {
            let spoofed = format!("198.51.100.{client}");
            let answer = post_from(&app, "/login", Some(&spoofed), login_body()).await;
            assert_eq!(answer.status, 401, "{answer:?}");
        }
        // A sixth address of its choosing changes nothing: every attempt counted against the peer.
        let limited = post_from(&app, "/login", Some("198.51.100.99"), login_body()).await;
        assert_too_many(&limited, 5);
    })
    .await;

    // Through a listed proxy the header tells clients apart, and listed proxies in the chain are walked past.
    let through_loopback = |config: &mut FullAuthConfig| {
        config.rate_limits.enabled = true;
        config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
        config.proxies.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
    };
    run_with(backend, through_loopback, |app| async move {
        for client in 0..10 {
            let chain = format!("198.51.100.{client}, 127.0.0.7");
            let answer = post_from(&app, "/login", Some(&chain), login_body()).await;
            assert_eq!(answer.status, 401, "{answer:?}");
        }
        for attempt in 0..5 {
            let chain = format!("10.9.9.{attempt}, 203.0.113.9, 127.0.0.7");
            let answer = post_from(&app, "/login", Some(&chain), login_body()).await;
            assert_eq!(answer.status, 401, "{answer:?}");
        }
        let limited = post_from(&app, "/login", Some("203.0.113.9"), login_body()).await;
        assert_too_many(&limited, 5);
    })
    .await;
}

async fn invalid_bodies_use_no_quota(backend: Backend) {
    run_with(backend, limits_on, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        for _ in 0..10 {
            let invalid =
                post_from(&app, "/login", None, json!({"email": "ada@example.com"})).await;
            assert_eq!(invalid.status, 422);
        }
        for _ in 0..5 {
            assert_eq!(
                post_from(&app, "/login", None, login_body()).await.status,
                200
            );
        }
        assert_eq!(
            post_from(&app, "/login", None, login_body()).await.status,
            429
        );
    })
    .await;
}

async fn each_bucket_counts_its_own_routes(backend: Backend) {
    run_with(backend, limits_on, |app| async move {
        // register: 3 per window (the register above the limit is refused before anything is written).
        for index in 0..3 {
            let body = json!({"email": format!("user{index}@example.com"), "password": PASSWORD});
            assert_eq!(post_from(&app, "/register", None, body).await.status, 202);
        }
        let fourth = json!({"email": "user3@example.com", "password": PASSWORD});
        assert_too_many(&post_from(&app, "/register", None, fourth).await, 3);
        let mut db = fullauth_tests::inspect::Connection::open(&app.db).await;
        assert_eq!(db.user_count().await, 3);

        // password_reset: the four verify routes share 3 per window.
        let reset = json!({"email": "user0@example.com"});
        assert_eq!(
            post_from(&app, "/password-reset/request", None, reset.clone())
                .await
                .status,
            202
        );
        let bad_token = json!({"token": "not-a-token"});
        assert_eq!(
            post_from(&app, "/verify-email/confirm", None, bad_token.clone())
                .await
                .status,
            401
        );
        let confirm = json!({"token": "not-a-token", "new_password": PASSWORD});
        assert_eq!(
            post_from(&app, "/password-reset/confirm", None, confirm)
                .await
                .status,
            401
        );
        assert_too_many(
            &post_from(&app, "/password-reset/request", None, reset).await,
            3,
        );
        assert_too_many(
            &post_from(&app, "/verify-email/confirm", None, bad_token).await,
            3,
        );

        // refresh: 30 per window.
        let (_, mut refresh) = app.login("user0@example.com", PASSWORD).await;
        for _ in 0..30 {
            let answer = post_from(&app, "/refresh", None, json!({"refresh_token": refresh})).await;
            assert_eq!(answer.status, 200, "{answer:?}");
            refresh = answer.str("refresh_token");
        }
        assert_too_many(
            &post_from(&app, "/refresh", None, json!({"refresh_token": refresh})).await,
            30,
        );
    })
    .await;
}
