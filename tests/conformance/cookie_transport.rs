//! Cookie transport: tokens in `HttpOnly` cookies, read by every route and extractor, rotated by refresh and
//! cleared by logout.

use fullauth_tests::cookies::{attributes, set_cookie, value};
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::{Value, json};

use crate::run_with;

const PASSWORD: &str = "correct horse battery";

fn cookie_transport(config: &mut fullauth::FullAuthConfig) {
    config.cookies.transport = true;
}

/// Sends a request to an auth route carrying `cookies` (a `Cookie` header) and an optional body.
async fn with_cookies(
    app: &TestApp,
    method: Method,
    path: &str,
    cookies: &str,
    body: Option<Value>,
) -> TestResponse {
    let mut request = app.client.request(method, app.auth_url(path));
    if !cookies.is_empty() {
        request = request.header("cookie", cookies);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    TestResponse::read(request.send().await.unwrap()).await
}

/// Signs in and returns the answer and the two cookies it set, as `name=value`.
async fn sign_in(app: &TestApp, email: &str) -> (TestResponse, String, String) {
    app.register(email, PASSWORD).await;
    let login = app
        .post("/login", json!({"email": email, "password": PASSWORD}))
        .await;
    assert_eq!(login.status, 200, "{login:?}");
    let access = set_cookie(&login.headers, "fullauth_access").expect("an access cookie");
    let refresh = set_cookie(&login.headers, "fullauth_refresh").expect("a refresh cookie");
    (
        login,
        format!("fullauth_access={}", value(&access)),
        format!("fullauth_refresh={}", value(&refresh)),
    )
}

async fn login_sets_http_only_cookies(backend: Backend) {
    run_with(backend, cookie_transport, |app| async move {
        let (login, _, _) = sign_in(&app, "cookie@example.com").await;
        assert_eq!(login.json["refresh_token"], Value::Null);
        assert!(login.json["access_token"].is_string());
        assert_eq!(login.json["token_type"], "bearer");
        assert_eq!(login.header("cache-control").as_deref(), Some("no-store"));
        let access = set_cookie(&login.headers, "fullauth_access").unwrap();
        let refresh = set_cookie(&login.headers, "fullauth_refresh").unwrap();
        assert_eq!(value(&access), login.str("access_token"));
        for (line, max_age, path) in [
            (&access, 30 * 60, "/"),
            (&refresh, 30 * 86_400, "/api/v1/auth"),
        ] {
            let attributes = attributes(line);
            for expected in [
                format!("Path={path}"),
                format!("Max-Age={max_age}"),
                "Secure".to_owned(),
                "HttpOnly".to_owned(),
                "SameSite=Lax".to_owned(),
            ] {
                assert!(attributes.contains(&expected), "{expected} in {line}");
            }
            assert!(!line.contains("Domain="), "{line}");
        }
    })
    .await;
}

async fn the_access_cookie_authenticates(backend: Backend) {
    run_with(backend, cookie_transport, |app| async move {
        let (_, access, _) = sign_in(&app, "reader@example.com").await;
        let me = with_cookies(&app, Method::GET, "/me", &access, None).await;
        assert_eq!(me.status, 200, "{me:?}");
        assert_eq!(me.json["email"], "reader@example.com");
        // The application's own extractors read it too.
        let profile = app
            .client
            .get(format!("{}/profile", app.base))
            .header("cookie", &access)
            .send()
            .await
            .unwrap();
        assert_eq!(profile.status(), 200);
        let whoami = app
            .client
            .get(format!("{}/whoami", app.base))
            .header("cookie", format!("theme=dark; {access}"))
            .send()
            .await
            .unwrap();
        assert_eq!(whoami.status(), 200);
        // A refresh token in the access cookie is no access token.
        let (_, _, refresh) = sign_in(&app, "other@example.com").await;
        let wrong = format!("fullauth_access={}", refresh.split_once('=').unwrap().1);
        with_cookies(&app, Method::GET, "/me", &wrong, None)
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn refresh_reads_and_rotates_the_cookie(backend: Backend) {
    run_with(backend, cookie_transport, |app| async move {
        let (_, _, refresh) = sign_in(&app, "rotate@example.com").await;
        // The cookie comes first: a stale token in the body does not matter.
        let rotated = with_cookies(
            &app,
            Method::POST,
            "/refresh",
            &refresh,
            Some(json!({"refresh_token": "not-a-token"})),
        )
        .await;
        assert_eq!(rotated.status, 200, "{rotated:?}");
        assert_eq!(rotated.json["refresh_token"], Value::Null);
        assert_eq!(rotated.header("cache-control").as_deref(), Some("no-store"));
        let next = set_cookie(&rotated.headers, "fullauth_refresh").expect("a new refresh cookie");
        let next = format!("fullauth_refresh={}", value(&next));
        assert_ne!(next, refresh);
        let access = set_cookie(&rotated.headers, "fullauth_access").expect("a new access cookie");
        assert_eq!(value(&access), rotated.str("access_token"));
        // Replaying the old cookie revokes the whole family, the new cookie with it.
        with_cookies(&app, Method::POST, "/refresh", &refresh, None)
            .await
            .assert_unauthorized();
        with_cookies(&app, Method::POST, "/refresh", &next, None)
            .await
            .assert_unauthorized();
        // Without any token the answer is the usual 401.
        with_cookies(&app, Method::POST, "/refresh", "", None)
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn logout_clears_the_cookies(backend: Backend) {
    run_with(backend, cookie_transport, |app| async move {
        let (_, access, refresh) = sign_in(&app, "leaving@example.com").await;
        let both = format!("{access}; {refresh}");
        let logout = with_cookies(&app, Method::POST, "/logout", &both, None).await;
        assert_eq!(logout.status, 204, "{logout:?}");
        for name in ["fullauth_access", "fullauth_refresh"] {
            let cleared = set_cookie(&logout.headers, name).expect("a clearing cookie");
            assert_eq!(value(&cleared), "");
            assert!(attributes(&cleared).contains(&"Max-Age=0".to_owned()));
        }
        // The session is gone, not just the cookies.
        with_cookies(&app, Method::GET, "/me", &access, None)
            .await
            .assert_unauthorized();
        with_cookies(&app, Method::POST, "/refresh", &refresh, None)
            .await
            .assert_unauthorized();
        // A second logout with dead cookies is a 401 that clears them again.
        let again = with_cookies(&app, Method::POST, "/logout", &both, None).await;
        again.assert_unauthorized();
        assert!(set_cookie(&again.headers, "fullauth_access").is_some());
    })
    .await;
}

async fn deleting_the_account_clears_the_cookies(backend: Backend) {
    run_with(backend, cookie_transport, |app| async move {
        let (_, access, _) = sign_in(&app, "gone@example.com").await;
        let deleted = with_cookies(
            &app,
            Method::DELETE,
            "/me",
            &access,
            Some(json!({"current_password": PASSWORD})),
        )
        .await;
        assert_eq!(deleted.status, 204, "{deleted:?}");
        assert!(set_cookie(&deleted.headers, "fullauth_access").is_some());
        assert!(set_cookie(&deleted.headers, "fullauth_refresh").is_some());
    })
    .await;
}

async fn cookies_count_only_with_cookie_transport(backend: Backend) {
    crate::run(backend, |app| async move {
        let (access, refresh) = app.signed_up("bearer@example.com", PASSWORD).await;
        let login = app
            .post(
                "/login",
                json!({"email": "bearer@example.com", "password": PASSWORD}),
            )
            .await;
        assert!(set_cookie(&login.headers, "fullauth_access").is_none());
        assert!(login.json["refresh_token"].is_string());
        let cookie = format!("fullauth_access={access}");
        with_cookies(&app, Method::GET, "/me", &cookie, None)
            .await
            .assert_unauthorized();
        let cookie = format!("fullauth_refresh={refresh}");
        with_cookies(&app, Method::POST, "/refresh", &cookie, None)
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn host_prefixed_names(backend: Backend) {
    run_with(
        backend,
        |config| {
            config.cookies.transport = true;
            config.cookies.host_prefix = true;
            config.cookies.samesite = fullauth::SameSite::Strict;
        },
        |app| async move {
            app.register("host@example.com", PASSWORD).await;
            let login = app
                .post(
                    "/login",
                    json!({"email": "host@example.com", "password": PASSWORD}),
                )
                .await;
            assert!(set_cookie(&login.headers, "fullauth_access").is_none());
            let access = set_cookie(&login.headers, "__Host-fullauth_access").unwrap();
            assert!(attributes(&access).contains(&"SameSite=Strict".to_owned()));
            let cookie = format!("__Host-fullauth_access={}", value(&access));
            let me = with_cookies(&app, Method::GET, "/me", &cookie, None).await;
            assert_eq!(me.status, 200, "{me:?}");
            // The unprefixed name, which a neighbouring subdomain could set, is not read.
            let plain = format!("fullauth_access={}", value(&access));
            with_cookies(&app, Method::GET, "/me", &plain, None)
                .await
                .assert_unauthorized();
        },
    )
    .await;
}

crate::on_every_backend!(
    login_sets_http_only_cookies,
    the_access_cookie_authenticates,
    refresh_reads_and_rotates_the_cookie,
    logout_clears_the_cookies,
    deleting_the_account_clears_the_cookies,
    cookies_count_only_with_cookie_transport,
    host_prefixed_names,
);
