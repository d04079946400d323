//! The application's own claims: under `extra` in every access token, read back by the `CustomClaims` extractor
//! without a query; a hook that refuses refuses the sign-in, and one that fails, or gives claims no token can
//! carry, fails it cleanly with nothing issued.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use fullauth::ClaimsError;
use fullauth_tests::app::TenantClaims;
use fullauth_tests::inspect::Connection;
use fullauth_tests::models::User;
use fullauth_tests::tokens::payload;
use fullauth_tests::{Backend, TestApp, TestResponse};
use serde_json::json;

use crate::on_every_backend;

on_every_backend!(
    the_claims_are_in_every_access_token_and_read_back_without_a_query,
    a_token_without_the_claims_is_refused_by_the_extractor,
    a_refusing_hook_refuses_the_sign_in_and_the_refresh,
    a_failing_hook_or_reserved_names_fail_cleanly_with_nothing_issued,
);

const PASSWORD: &str = "correct horse battery";

/// The claims of a user: the domain of their address as the tenant.
fn claims_of(user: &User) -> TenantClaims {
    let tenant = user.auth.email.split('@').nth(1).unwrap_or_default();
    TenantClaims {
        tenant: tenant.to_owned(),
        level: 3,
    }
}

async fn app_with_hook<F, Fut, C>(backend: Backend, hook: F) -> Option<TestApp>
where
    F: Fn(User) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<C, ClaimsError>> + Send + 'static,
    C: serde::Serialize + 'static,
{
    TestApp::start_customized(
        backend,
        |_| {},
        Box::new(move |builder| builder.custom_claims(hook)),
    )
    .await
}

/// `POST` without failing the test on a 5xx: the status and the body.
async fn post_unchecked(app: &TestApp, path: &str, body: serde_json::Value) -> TestResponse {
    let response = app
        .client
        .post(app.auth_url(path))
        .json(&body)
        .send()
        .await
        .unwrap();
    TestResponse::read_unchecked(response).await
}

async fn the_claims_are_in_every_access_token_and_read_back_without_a_query(backend: Backend) {
    let Some(app) = app_with_hook(backend, |user: User| async move { Ok(claims_of(&user)) }).await
    else {
        return;
    };
    let (access, refresh) = app.signed_up("ada@acme.example", PASSWORD).await;
    let expected = json!({ "tenant": "acme.example", "level": 3 });
    assert_eq!(payload(&access)["extra"], expected);
    let read = app.get_app("/tenant", Some(&access)).await;
    assert_eq!(read.status, 200, "{}", read.text);
    assert_eq!(read.json, expected);

    let refreshed = app
        .post("/refresh", json!({ "refresh_token": refresh }))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
    assert_eq!(payload(&refreshed.str("access_token"))["extra"], expected);
    // The reserved claims are fullauth's own, whatever the hook says.
    let claims = payload(&refreshed.str("access_token"));
    assert_eq!(claims["type"], "access");
    assert!(claims["sub"].is_string());
}

async fn a_token_without_the_claims_is_refused_by_the_extractor(backend: Backend) {
    let Some(app) = TestApp::start(backend, |_| {}).await else {
        return;
    };
    let (access, _) = app.signed_up("ada@acme.example", PASSWORD).await;
    assert_eq!(payload(&access)["extra"], json!({}));
    app.get_app("/tenant", Some(&access))
        .await
        .assert_unauthorized();
    app.get_app("/tenant", None).await.assert_unauthorized();
}

async fn a_refusing_hook_refuses_the_sign_in_and_the_refresh(backend: Backend) {
    let blocked = Arc::new(AtomicBool::new(false));
    let switch = Arc::clone(&blocked);
    let Some(app) = app_with_hook(backend, move |user: User| {
        let blocked = switch.load(Ordering::SeqCst);
        async move {
            if blocked {
                return Err(ClaimsError::Refused("the tenant is suspended".into()));
            }
            Ok(claims_of(&user))
        }
    })
    .await
    else {
        return;
    };
    let (_, refresh) = app.signed_up("ada@acme.example", PASSWORD).await;
    let mut db = Connection::open(&app.db).await;
    let rows = db.refresh_token_count().await;
    blocked.store(true, Ordering::SeqCst);
    app.assert_login_refused("ada@acme.example", PASSWORD).await;
    app.post("/refresh", json!({ "refresh_token": &refresh }))
        .await
        .assert_unauthorized();
    assert_eq!(db.refresh_token_count().await, rows, "nothing was issued");
    // The refused refresh used nothing up: once the application lets the user in again, it works.
    blocked.store(false, Ordering::SeqCst);
    let refreshed = app
        .post("/refresh", json!({ "refresh_token": &refresh }))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
}

async fn a_failing_hook_or_reserved_names_fail_cleanly_with_nothing_issued(backend: Backend) {
    let failing = Arc::new(AtomicBool::new(false));
    let switch = Arc::clone(&failing);
    let Some(app) = app_with_hook(backend, move |user: User| {
        let failing = switch.load(Ordering::SeqCst);
        async move {
            if failing {
                let parsed: Result<u32, _> = "not a number".parse::<u32>();
                parsed?;
            }
            if user.auth.email.starts_with("reserved") {
                return Ok(json!({ "tenant": "acme", "sub": "someone else" }));
            }
            if user.auth.email.starts_with("scalar") {
                return Ok(json!("acme"));
            }
            Ok(serde_json::to_value(claims_of(&user)).unwrap())
        }
    })
    .await
    else {
        return;
    };
    let (_, refresh) = app.signed_up("ada@acme.example", PASSWORD).await;
    for email in ["reserved@acme.example", "scalar@acme.example"] {
        app.register(email, PASSWORD).await;
    }
    let mut db = Connection::open(&app.db).await;
    let rows = db.refresh_token_count().await;
    for email in ["reserved@acme.example", "scalar@acme.example"] {
        let login = post_unchecked(
            &app,
            "/login",
            json!({ "email": email, "password": PASSWORD }),
        )
        .await;
        assert_eq!(login.status, 500, "{}", login.text);
        assert!(login.json.get("access_token").is_none());
    }
    failing.store(true, Ordering::SeqCst);
    let login = post_unchecked(
        &app,
        "/login",
        json!({ "email": "ada@acme.example", "password": PASSWORD }),
    )
    .await;
    assert_eq!(login.status, 500, "{}", login.text);
    let refreshed = post_unchecked(&app, "/refresh", json!({ "refresh_token": &refresh })).await;
    assert_eq!(refreshed.status, 500, "{}", refreshed.text);
    assert_eq!(db.refresh_token_count().await, rows, "nothing was issued");
    // The failed refresh used nothing up.
    failing.store(false, Ordering::SeqCst);
    let refreshed = app
        .post("/refresh", json!({ "refresh_token": &refresh }))
        .await;
    assert_eq!(refreshed.status, 200, "{}", refreshed.text);
}
