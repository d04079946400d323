//! How an application tests its own routes with `fullauth::testing`: no database, no login route, no SMTP server;
//! users made in one line, signed in directly, their mails captured.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use fullauth::{UserMixin, testing};
use quickstart::User;
use serde_json::{Value, json};
use tower::ServiceExt;

fn user(email: &str) -> User {
    User {
        auth: UserMixin::new(email),
        display_name: "Ada".into(),
        phone: String::new(),
    }
}

async fn call(app: &axum::Router, request: Request<Body>) -> (StatusCode, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn get(path: &str, token: &str) -> Request<Body> {
    Request::get(path)
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

fn post(path: &str, body: &Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_dashboard_is_for_verified_users() {
    let auth = testing::fullauth::<User>();
    let app = testing::with_client_address(quickstart::app(auth.clone()));
    let ada = testing::create_user(&auth, user("ada@example.com"), "password123").await;
    let tokens = testing::sign_in(&auth, &ada).await;

    let (status, profile) = call(&app, get("/profile", &tokens.access_token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(profile["display_name"], "Ada");
    let (status, _) = call(&app, get("/dashboard", &tokens.access_token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(&app, get("/dashboard", "not a token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_user_verifies_their_address_from_the_mail() {
    let (auth, mails) = testing::with_captured_mails::<User>();
    let app = testing::with_client_address(quickstart::app(auth.clone()));
    let ada = testing::create_user(&auth, user("ada@example.com"), "password123").await;
    let tokens = testing::sign_in(&auth, &ada).await;

    let request = Request::post("/api/v1/auth/verify-email/request")
        .header("authorization", format!("Bearer {}", tokens.access_token))
        .body(Body::empty())
        .unwrap();
    assert_eq!(call(&app, request).await.0, StatusCode::ACCEPTED);
    let mail = mails.next_to("ada@example.com").await;
    assert!(mail.subject.contains("Confirm your email address"));
    let token = testing::token_in(&mail).expect("a link with a token");

    let confirm = post(
        "/api/v1/auth/verify-email/confirm",
        &json!({ "token": token }),
    );
    assert_eq!(call(&app, confirm).await.0, StatusCode::OK);
    let (status, dashboard) = call(&app, get("/dashboard", &tokens.access_token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(dashboard, json!({ "email": "ada@example.com" }));
}

#[tokio::test]
async fn a_password_reset_ends_the_old_sessions() {
    let (auth, mails) = testing::with_captured_mails::<User>();
    let app = testing::with_client_address(quickstart::app(auth.clone()));
    let ada = testing::create_user(&auth, user("ada@example.com"), "password123").await;
    let old = testing::sign_in(&auth, &ada).await;

    let request = post(
        "/api/v1/auth/password-reset/request",
        &json!({ "email": "ada@example.com" }),
    );
    assert_eq!(call(&app, request).await.0, StatusCode::ACCEPTED);
    let token = testing::token_in(&mails.next_to("ada@example.com").await).unwrap();
    let confirm = post(
        "/api/v1/auth/password-reset/confirm",
        &json!({ "token": token, "new_password": "a new password" }),
    );
    assert_eq!(call(&app, confirm).await.0, StatusCode::OK);

    assert_eq!(
        call(&app, get("/profile", &old.access_token)).await.0,
        StatusCode::UNAUTHORIZED
    );
    let login = post(
        "/api/v1/auth/login",
        &json!({ "email": "ada@example.com", "password": "a new password" }),
    );
    assert_eq!(call(&app, login).await.0, StatusCode::OK);
    let unknown = post(
        "/api/v1/auth/password-reset/request",
        &json!({ "email": "nobody@example.com" }),
    );
    assert_eq!(call(&app, unknown).await.0, StatusCode::ACCEPTED);
    mails
        .expect_none_to("nobody@example.com", std::time::Duration::from_millis(200))
        .await;
}

#[tokio::test]
async fn a_cookie_session_changes_its_profile_through_the_csrf_layer() {
    let mut config = testing::default_config();
    config.cookies.transport = true;
    let auth = testing::with_store::<User>(testing::MemoryStore::new(), config);
    let app = testing::with_client_address(quickstart::app(auth.clone()).layer(auth.csrf()));
    let ada = testing::create_user(&auth, user("ada@example.com"), "password123").await;
    let browser = testing::browser_session(&auth, &testing::sign_in(&auth, &ada).await);
    let rename = |csrf_token: Option<&str>| {
        let mut request = Request::patch("/api/v1/auth/me")
            .header("content-type", "application/json")
            .header("cookie", &browser.cookie);
        if let Some(token) = csrf_token {
            request = request.header("x-csrf-token", token);
        }
        request
            .body(Body::from(json!({"display_name": "Ada L."}).to_string()))
            .unwrap()
    };

    let (status, body) = call(&app, rename(None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body, json!({"detail": "CSRF token missing."}));
    let (status, body) = call(&app, rename(Some(&browser.csrf_token))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["display_name"], "Ada L.");
}
