//! Several instances on one database and one Redis behave as one server; a Redis outage answers 503 where a
//! revocation cannot be checked, keeps counting rate limits and the lockout in each instance's memory, and
//! recovers by itself.

use fullauth::shared_state::{RedisState, SharedState};
use fullauth_tests::redis::{RedisServer, shared_state};
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";

/// The database the multi-instance tests share: PostgreSQL, as such deployments use.
const BACKEND: Backend = Backend::Postgres;

/// Two instances on one fresh database and one Redis namespace; `None` when a service is missing and not required.
async fn two_instances() -> Option<(TestApp, TestApp)> {
    two_instances_with(|_| {}).await
}

/// [`two_instances`] with a configuration `configure` changes.
async fn two_instances_with(
    configure: impl FnOnce(&mut fullauth::FullAuthConfig),
) -> Option<(TestApp, TestApp)> {
    let (first, second, _) = two_instances_sharing(configure).await?;
    Some((first, second))
}

/// [`two_instances_with`], and a handle on the Redis state they share.
async fn two_instances_sharing(
    configure: impl FnOnce(&mut fullauth::FullAuthConfig),
) -> Option<(TestApp, TestApp, RedisState)> {
    let state = shared_state().await?;
    let first_state = state.clone();
    let second_state = state.clone();
    let first = TestApp::start_customized(
        BACKEND,
        configure,
        Box::new(move |builder| builder.shared_state(first_state)),
    )
    .await?;
    let second = first
        .another_instance_with(Box::new(move |builder| builder.shared_state(second_state)))
        .await;
    Some((first, second, state))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_on_one_instance_holds_on_the_other() {
    let Some((first, second)) = two_instances().await else {
        return;
    };
    let (access, refresh) = first.signed_up("ada@example.com", PASSWORD).await;
    assert_eq!(second.get_app("/whoami", Some(&access)).await.status, 200);
    let logout = first
        .call(
            Method::POST,
            "/logout",
            Some(&access),
            Some(json!({"refresh_token": refresh})),
        )
        .await;
    assert_eq!(logout.status, 204);
    // `/whoami` reads only the token and the shared state: the revocation came through Redis.
    second
        .get_app("/whoami", Some(&access))
        .await
        .assert_unauthorized();
    second.get("/me", &access).await.assert_unauthorized();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replay_on_one_instance_revokes_the_family_on_both() {
    let Some((first, second)) = two_instances().await else {
        return;
    };
    let (_, refresh) = first.signed_up("ada@example.com", PASSWORD).await;
    let rotated = first
        .post("/refresh", json!({"refresh_token": refresh}))
        .await;
    assert_eq!(rotated.status, 200);
    let access = rotated.str("access_token");
    assert_eq!(second.get_app("/whoami", Some(&access)).await.status, 200);
    // The old refresh token again, on the other instance: a replay.
    second
        .post("/refresh", json!({"refresh_token": refresh}))
        .await
        .assert_unauthorized();
    for instance in [&first, &second] {
        instance
            .get_app("/whoami", Some(&access))
            .await
            .assert_unauthorized();
    }
    first
        .post(
            "/refresh",
            json!({"refresh_token": rotated.str("refresh_token")}),
        )
        .await
        .assert_unauthorized();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lockout_counts_failures_on_every_instance() {
    let Some((first, second)) = two_instances().await else {
        return;
    };
    first.register("ada@example.com", PASSWORD).await;
    for attempt in 0..5 {
        let instance = if attempt % 2 == 0 { &first } else { &second };
        instance
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": "wrong password!"}),
            )
            .await
            .assert_unauthorized();
    }
    for instance in [&first, &second] {
        instance
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": PASSWORD}),
            )
            .await
            .assert_unauthorized();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_logins_on_both_instances_lock_the_account() {
    fullauth_tests::audit::capture();
    let Some((first, second, state)) = two_instances_sharing(|_| {}).await else {
        return;
    };
    first.register("ada@example.com", PASSWORD).await;
    let id = first
        .user_id(&first.login("ada@example.com", PASSWORD).await.0)
        .await;
    let id = id.as_str().unwrap().to_owned();
    let attempts = (0..20).map(|attempt| {
        let instance = if attempt % 2 == 0 { &first } else { &second };
        instance.post(
            "/login",
            json!({"email": "ada@example.com", "password": "wrong password!"}),
        )
    });
    for answer in futures::future::join_all(attempts).await {
        answer.assert_unauthorized();
    }
    // Counted atomically in Redis: five password checks in all, on both instances together.
    let (checked, _) = crate::lockout::checked_and_refused("ada@example.com", &id);
    assert_eq!(checked, 5);
    for instance in [&first, &second] {
        instance
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": PASSWORD}),
            )
            .await
            .assert_unauthorized();
    }
    // The lock lives in Redis with an expiry; take it away as the expiry would, and the password works again.
    let digest = fullauth_tests::tokens::account_key(
        fullauth_tests::app::SECRET.as_bytes(),
        "ada@example.com",
    );
    for kind in ["locked", "failures"] {
        state
            .remove(&format!("fullauth:lockout:{kind}:{digest}"))
            .await
            .unwrap();
    }
    let login = second
        .post(
            "/login",
            json!({"email": "ada@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 200, "{login:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rate_limit_counts_requests_on_every_instance() {
    let Some((first, second)) =
        two_instances_with(|config| config.rate_limits.enabled = true).await
    else {
        return;
    };
    let body = json!({"email": "nobody@example.com", "password": "wrong password!"});
    let login = |instance: &TestApp, attempt: usize| {
        // A fresh forged address each time: no proxy is trusted, so it changes nothing.
        instance
            .client
            .post(instance.auth_url("/login"))
            .header("x-forwarded-for", format!("198.51.100.{attempt}"))
            .json(&body)
            .send()
    };
    for attempt in 0..5 {
        let instance = if attempt % 2 == 0 { &first } else { &second };
        let answer = TestResponse::read(login(instance, attempt).await.unwrap()).await;
        answer.assert_unauthorized();
    }
    for (attempt, instance) in [&first, &second].into_iter().enumerate() {
        let answer = TestResponse::read(login(instance, 10 + attempt).await.unwrap()).await;
        assert_eq!(answer.status, 429, "{answer:?}");
        let retry_after: u64 = answer.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry_after), "{retry_after}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_global_layer_counts_requests_on_every_instance() {
    let Some((first, second)) = two_instances().await else {
        return;
    };
    let site = |app: &TestApp| {
        let router: axum::Router = axum::Router::new()
            .route("/ok", axum::routing::get(|| async { "ok" }))
            .layer(
                app.auth
                    .global_rate_limit(4, std::time::Duration::from_secs(60)),
            );
        fullauth_tests::app::serve_router(router)
    };
    let sites = [site(&first).await, site(&second).await];
    for turn in 0..4 {
        let answer = reqwest::get(format!("{}/ok", sites[turn % 2]))
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "request {turn}");
        assert_eq!(
            answer.headers()["x-ratelimit-remaining"],
            (3 - turn).to_string().as_str()
        );
    }
    for base in &sites {
        let answer = reqwest::get(format!("{base}/ok")).await.unwrap();
        assert_eq!(answer.status(), 429);
        assert!(answer.headers().contains_key("retry-after"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_answers_503_and_recovers() {
    let Some(mut redis) = RedisServer::start().await else {
        return;
    };
    let url = redis.url();
    let Some(app) = TestApp::start(BACKEND, |config| {
        config.shared_state.redis_url = Some(fullauth::RedisUrl(url));
        config.rate_limits.enabled = true;
    })
    .await
    else {
        return;
    };
    let (kept, _) = app.signed_up("ada@example.com", PASSWORD).await;
    let (revoked, revoked_refresh) = app.login("ada@example.com", PASSWORD).await;
    let logout = app
        .call(
            Method::POST,
            "/logout",
            Some(&revoked),
            Some(json!({"refresh_token": revoked_refresh})),
        )
        .await;
    assert_eq!(logout.status, 204);

    redis.stop();
    for token in [&kept, &revoked] {
        // Neither accepted (a revoked token must never pass) nor a server error: 503, and a retry hint.
        for path in ["/me", "/sessions"] {
            let answer = app
                .client
                .get(app.auth_url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let answer = fullauth_tests::TestResponse::read_unchecked(answer).await;
            assert_eq!(answer.status, 503, "{path}: {answer:?}");
            assert_eq!(
                answer.json,
                json!({"detail": "Service temporarily unavailable"})
            );
            assert_eq!(answer.header("retry-after").as_deref(), Some("1"));
        }
        let whoami = app
            .client
            .get(format!("{}/whoami", app.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(whoami.status(), 503);
    }
    // Sign-in keeps working, counted in this instance's memory meanwhile: the right password signs in, and the
    // login limit (five a minute) still holds.
    let login = app
        .post(
            "/login",
            json!({"email": "ada@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(login.status, 200, "{login:?}");
    for _ in 0..4 {
        app.assert_login_refused("ada@example.com", "wrong!").await;
    }
    let limited = app
        .post(
            "/login",
            json!({"email": "ada@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(limited.status, 429, "{limited:?}");
    // Registration goes on, counted the same way.
    let register = app
        .post(
            "/register",
            json!({"email": "new@example.com", "password": PASSWORD}),
        )
        .await;
    assert_eq!(register.status, 202, "{register:?}");

    redis.resume().await;
    let mut recovered = false;
    for _ in 0..40 {
        let answer = app
            .client
            .get(app.auth_url("/me"))
            .bearer_auth(&kept)
            .send()
            .await
            .unwrap();
        if answer.status() == 200 {
            recovered = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(recovered, "the app did not recover when Redis came back");
    // The restarted Redis kept nothing, but the database still knows the session was ended.
    app.get("/me", &revoked).await.assert_unauthorized();
    let (again, _) = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(app.get("/me", &again).await.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lockout_holds_through_a_redis_outage() {
    let Some(mut redis) = RedisServer::start().await else {
        return;
    };
    let url = redis.url();
    let Some(app) = TestApp::start(BACKEND, |config| {
        config.shared_state.redis_url = Some(fullauth::RedisUrl(url));
    })
    .await
    else {
        return;
    };
    app.register("ada@example.com", PASSWORD).await;
    redis.stop();
    // Five wrong passwords lock the account on this instance: the right one is then refused like a wrong one.
    for _ in 0..5 {
        app.assert_login_refused("ada@example.com", "wrong!").await;
    }
    app.assert_login_refused("ada@example.com", PASSWORD).await;
    // Back on Redis (which kept nothing), counting starts there again.
    redis.resume().await;
    assert!(
        app.signs_in_soon("ada@example.com", PASSWORD).await,
        "sign-in counts in Redis again once it answers"
    );
}
