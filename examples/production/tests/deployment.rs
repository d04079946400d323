//! The production example started as a deployment starts it: the first superuser and each optional layer its
//! environment variables turn on. (The settings the library reads itself, another database, SMTP, Redis, are
//! tested against the quickstart, which reads them the same way.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fullauth_tests::ExampleServer;
use fullauth_tests::example_server::{TempDir, run_to_end};
use serde_json::{Value, json};

/// The example's server, started with `env`.
fn start(env: &[(&str, &str)]) -> ExampleServer {
    ExampleServer::start(env!("CARGO_BIN_EXE_production"), env)
}

#[test]
fn a_malformed_variable_of_its_own_stops_the_server_with_its_name() {
    for (name, value) in [
        ("FULLAUTH_GLOBAL_RATE_LIMIT", "lots"),
        ("FULLAUTH_GLOBAL_RATE_LIMIT", "0"),
        ("FULLAUTH_CSRF_ENABLED", "maybe"),
        ("FULLAUTH_SECURITY_HEADERS", "yes please"),
    ] {
        let (started, stderr) = run_to_end(env!("CARGO_BIN_EXE_production"), &[(name, value)], &[]);
        assert!(!started, "{name}={value} started");
        assert!(stderr.contains(name), "{stderr}");
    }
}

async fn post(client: &reqwest::Client, url: String, body: Value) -> reqwest::Response {
    client.post(url).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn the_superuser_from_the_environment_administers_roles() {
    let shared = TempDir::new("admin");
    let database_url = format!("sqlite://{}", shared.path().join("admin.db").display());
    let env = [
        ("DATABASE_URL", database_url.as_str()),
        (
            "FULLAUTH_SECRET_KEY",
            "quickstart-secret-0123456789abcdef0123456789",
        ),
        ("FULLAUTH_SUPERUSER_EMAIL", "Admin@Example.com"),
        ("FULLAUTH_SUPERUSER_PASSWORD", "admin-password-123"),
    ];
    let client = reqwest::Client::new();
    let admin_login = json!({"email": "admin@example.com", "password": "admin-password-123"});
    let user = json!({"email": "user@example.com", "password": "securepass123"});

    let first = start(&env);
    let url = |path: &str| format!("{}/api/v1/auth{path}", first.base);
    let login: Value = post(&client, url("/login"), admin_login.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(login["user"]["is_superuser"], true);
    let admin = login["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        post(&client, url("/register"), user.clone()).await.status(),
        202
    );
    let login: Value = post(&client, url("/login"), user.clone())
        .await
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let user_id = login["user"]["id"].clone();
    assert_eq!(
        login["user"],
        json!({
            "id": user_id, "email": "user@example.com", "is_active": true, "is_verified": false,
            "is_superuser": false, "display_name": "", "phone": "", "roles": [],
        }),
        "with role models, the user JSON carries the roles"
    );
    let staff = |base: &str, token: &str| {
        client
            .get(format!("{base}/staff"))
            .bearer_auth(token.to_owned())
            .send()
    };
    assert_eq!(staff(&first.base, &token).await.unwrap().status(), 403);
    let assigned = client
        .post(url("/admin/assign-role"))
        .bearer_auth(&admin)
        .json(&json!({"user_id": user_id, "role": "editor"}))
        .send()
        .await
        .unwrap();
    assert_eq!(assigned.status(), 200);
    assert_eq!(staff(&first.base, &token).await.unwrap().status(), 200);
    drop(first);

    // Started again with the same variables: the superuser is kept as it is, and so is everything else.
    let second = start(&env);
    let url = |path: &str| format!("{}/api/v1/auth{path}", second.base);
    let login = post(&client, url("/login"), admin_login).await;
    assert_eq!(login.status(), 200);
    let roles: Value = client
        .get(url("/admin/roles"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(roles, json!([{"name": "editor", "permissions": []}]));
    assert_eq!(staff(&second.base, &token).await.unwrap().status(), 200);
}

#[test]
fn half_a_superuser_stops_the_server_naming_what_is_missing() {
    let superuser = ["FULLAUTH_SUPERUSER_EMAIL", "FULLAUTH_SUPERUSER_PASSWORD"];
    for (set, missing) in [
        ("FULLAUTH_SUPERUSER_EMAIL", "FULLAUTH_SUPERUSER_PASSWORD"),
        ("FULLAUTH_SUPERUSER_PASSWORD", "FULLAUTH_SUPERUSER_EMAIL"),
    ] {
        let (started, stderr) = run_to_end(
            env!("CARGO_BIN_EXE_production"),
            &[(set, "admin@example.com")],
            &superuser,
        );
        assert!(!started);
        assert!(stderr.contains(missing), "{stderr}");
    }
    let (started, stderr) = run_to_end(
        env!("CARGO_BIN_EXE_production"),
        &[
            ("FULLAUTH_SUPERUSER_EMAIL", "admin@example.com"),
            ("FULLAUTH_SUPERUSER_PASSWORD", "short"),
        ],
        &[],
    );
    assert!(!started);
    assert!(stderr.contains("password policy"), "{stderr}");
}

#[tokio::test]
async fn security_headers_come_with_a_variable() {
    let server = start(&[("FULLAUTH_SECURITY_HEADERS", "true")]);
    let answer = reqwest::get(format!("{}/api/v1/auth/me", server.base))
        .await
        .unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.headers().get("x-frame-options").unwrap(), "DENY");
    assert_eq!(
        answer.headers().get("x-content-type-options").unwrap(),
        "nosniff"
    );
    let plain = start(&[]);
    let answer = reqwest::get(format!("{}/api/v1/auth/me", plain.base))
        .await
        .unwrap();
    assert!(answer.headers().get("x-frame-options").is_none());
}

#[tokio::test]
async fn a_global_rate_limit_comes_with_a_variable() {
    let server = start(&[("FULLAUTH_GLOBAL_RATE_LIMIT", "3")]);
    let url = format!("{}/api/v1/auth/me", server.base);
    for _ in 0..3 {
        let answer = reqwest::get(&url).await.unwrap();
        assert_eq!(answer.status(), 401);
        assert_eq!(answer.headers().get("x-ratelimit-limit").unwrap(), "3");
    }
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 429);
}

/// The `name=value` of the cookie `name` an answer sets.
fn cookie_set(answer: &reqwest::Response, name: &str) -> String {
    let line = fullauth_tests::cookies::set_cookie(answer.headers(), name)
        .unwrap_or_else(|| panic!("no {name} cookie set"));
    format!("{name}={}", fullauth_tests::cookies::value(&line))
}

#[tokio::test]
async fn cookie_sessions_with_csrf_come_with_variables() {
    let server = start(&[
        ("FULLAUTH_COOKIE_TRANSPORT", "true"),
        ("FULLAUTH_CSRF_ENABLED", "true"),
    ]);
    let client = reqwest::Client::new();
    let auth = format!("{}/api/v1/auth", server.base);
    let first_visit = client.get(format!("{auth}/me")).send().await.unwrap();
    assert_eq!(first_visit.status(), 401);
    let csrf = cookie_set(&first_visit, "fullauth_csrf");
    let token = csrf.split_once('=').unwrap().1.to_owned();
    let credentials = json!({"email": "cookie@example.com", "password": "securepass123"});
    let forged = client
        .post(format!("{auth}/register"))
        .json(&credentials)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(
        forged.json::<Value>().await.unwrap(),
        json!({"detail": "CSRF token missing."})
    );
    for path in ["register", "login"] {
        let answer = client
            .post(format!("{auth}/{path}"))
            .header("cookie", &csrf)
            .header("x-csrf-token", &token)
            .json(&credentials)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
        if path == "login" {
            let access = cookie_set(&answer, "fullauth_access");
            assert_eq!(
                answer.json::<Value>().await.unwrap()["refresh_token"],
                Value::Null
            );
            let profile = client
                .get(format!("{}/profile", server.base))
                .header("cookie", &access)
                .send()
                .await
                .unwrap();
            assert_eq!(profile.status(), 200);
        }
    }
}

#[tokio::test]
async fn cors_comes_with_a_variable() {
    let server = start(&[("FULLAUTH_CORS_ORIGINS", "http://localhost:5173")]);
    let client = reqwest::Client::new();
    let preflight = client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/v1/auth/login", server.base),
        )
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 204);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "http://localhost:5173"
    );
    let plain = start(&[]);
    let answer = client
        .get(format!("{}/api/v1/auth/me", plain.base))
        .header("origin", "http://localhost:5173")
        .send()
        .await
        .unwrap();
    assert!(
        answer
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}
