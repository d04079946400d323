//! The production example started as a deployment starts it: the getting-started commands, every database,
//! and each optional layer and setting its environment variables turn on.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fullauth_tests::ExampleServer;
use fullauth_tests::example_server::{TempDir, run_to_end};
use serde_json::{Value, json};

/// The example's server, started with `env`.
fn start(env: &[(&str, &str)]) -> ExampleServer {
    ExampleServer::start(env!("CARGO_BIN_EXE_production"), env)
}

#[tokio::test]
async fn the_getting_started_commands_work_as_written() {
    let server = start(&[]);
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.base);

    let register = client
        .post(url("/api/v1/auth/register"))
        .header("Content-Type", "application/json")
        .body(r#"{"email": "user@example.com", "password": "securepass123"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 202);

    let login = client
        .post(url("/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .body(r#"{"email": "user@example.com", "password": "securepass123"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let login: Value = login.json().await.unwrap();
    assert_eq!(login["token_type"], "bearer");
    assert_eq!(login["expires_in"], 1800);
    assert_eq!(
        login["user"],
        json!({
            "id": login["user"]["id"], "email": "user@example.com", "is_active": true, "is_verified": false,
            "is_superuser": false, "display_name": "", "phone": "", "roles": [],
        })
    );
    let token = login["access_token"].as_str().unwrap();

    let me = client
        .get(url("/api/v1/auth/me"))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.json::<Value>().await.unwrap(), login["user"]);

    let profile = client
        .get(url("/profile"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(profile.json::<Value>().await.unwrap(), login["user"]);
    let dashboard = client
        .get(url("/dashboard"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        dashboard.status(),
        403,
        "the dashboard needs a verified email"
    );
}

/// Registers and signs in against the server started on `db`.
async fn register_and_login_on(db: &fullauth_tests::TestDatabase) {
    let server = start(&[("DATABASE_URL", &db.url)]);
    let client = reqwest::Client::new();
    let body = json!({"email": "user@example.com", "password": "securepass123"});
    let register = client
        .post(format!("{}/api/v1/auth/register", server.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(register.status(), 202);
    let login = client
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn a_postgres_url_works_too() {
    let Some(db) = fullauth_tests::TestDatabase::create(fullauth_tests::Backend::Postgres).await
    else {
        return;
    };
    register_and_login_on(&db).await;
}

#[tokio::test]
async fn a_mysql_url_works_too() {
    let Some(db) = fullauth_tests::TestDatabase::create(fullauth_tests::Backend::Mysql).await
    else {
        return;
    };
    register_and_login_on(&db).await;
}

#[tokio::test]
async fn configuration_comes_from_the_environment() {
    let server = start(&[
        ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "5"),
        ("FULLAUTH_API_PREFIX", "/v2"),
    ]);
    let client = reqwest::Client::new();
    let body = json!({"email": "user@example.com", "password": "securepass123"});
    client
        .post(format!("{}/v2/auth/register", server.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let login: Value = client
        .post(format!("{}/v2/auth/login", server.base))
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["expires_in"], 300);
}

#[test]
fn a_malformed_variable_stops_the_server_with_its_name() {
    let (started, stderr) = run_to_end(
        env!("CARGO_BIN_EXE_production"),
        &[("FULLAUTH_SECRET_KEY", "too short")],
        &[],
    );
    assert!(!started);
    assert!(stderr.contains("FULLAUTH_SECRET_KEY"), "{stderr}");
}
async fn post(client: &reqwest::Client, url: String, body: Value) -> reqwest::Response {
    client.post(url).json(&body).send().await.unwrap()
}

#[tokio::test]
async fn a_reset_link_is_printed_without_smtp() {
    let server = start(&[]);
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}/api/v1/auth{path}", server.base);
    let body = json!({"email": "user@example.com", "password": "securepass123"});
    post(&client, url("/register"), body.clone()).await;
    let requested = post(
        &client,
        url("/password-reset/request"),
        json!({"email": "user@example.com"}),
    )
    .await;
    assert_eq!(requested.status(), 202);

    let line = server.printed_line_with("/reset-password?token=");
    let token = line.split("?token=").nth(1).unwrap().trim().to_owned();
    let body = json!({"token": token, "new_password": "a new secure pass"});
    let reset = post(&client, url("/password-reset/confirm"), body).await;
    assert_eq!(reset.status(), 200);
    let login = post(
        &client,
        url("/login"),
        json!({"email": "user@example.com", "password": "a new secure pass"}),
    )
    .await;
    assert_eq!(login.status(), 200);
}

#[tokio::test]
async fn with_smtp_a_verified_user_reaches_the_dashboard() {
    let Some(sink) = fullauth_tests::SmtpSink::start().await else {
        return;
    };
    let server = start(&[
        ("FULLAUTH_SMTP_URL", &sink.url()),
        ("FULLAUTH_FRONTEND_URL", "https://app.example.com"),
        ("FULLAUTH_MAIL_FROM", "Quickstart <hello@example.com>"),
    ]);
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.base);
    let body = json!({"email": "user@example.com", "password": "securepass123"});
    post(&client, url("/api/v1/auth/register"), body.clone()).await;
    let login: Value = post(&client, url("/api/v1/auth/login"), body)
        .await
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap();

    let requested = client
        .post(url("/api/v1/auth/verify-email/request"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(requested.status(), 202);
    let mail = sink.next_to("user@example.com").await;
    assert_eq!(mail.from, "Quickstart <hello@example.com>");
    assert!(
        mail.link()
            .starts_with("https://app.example.com/verify-email?token=")
    );
    let confirmed = post(
        &client,
        url("/api/v1/auth/verify-email/confirm"),
        json!({"token": mail.token()}),
    )
    .await;
    assert_eq!(confirmed.status(), 200);

    let dashboard = client
        .get(url("/dashboard"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    assert_eq!(
        dashboard.json::<Value>().await.unwrap(),
        json!({"email": "user@example.com"})
    );
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
async fn with_redis_the_state_lives_there() {
    let Some(mut redis) = fullauth_tests::redis::RedisServer::start().await else {
        return;
    };
    let url = redis.url();
    let server = start(&[("FULLAUTH_REDIS_URL", url.as_str())]);
    let client = reqwest::Client::new();
    let api = |path: &str| format!("{}/api/v1/auth{path}", server.base);
    let user = json!({"email": "user@example.com", "password": "securepass123"});
    assert_eq!(
        post(&client, api("/register"), user.clone()).await.status(),
        202
    );
    let login: Value = post(&client, api("/login"), user)
        .await
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let me = || client.get(api("/me")).bearer_auth(token.clone()).send();
    assert_eq!(me().await.unwrap().status(), 200);
    // Without its Redis the server cannot check revocations: 503, until Redis is back.
    redis.stop();
    assert_eq!(me().await.unwrap().status(), 503);
    redis.resume().await;
    let mut status = 0;
    for _ in 0..40 {
        status = me().await.unwrap().status().as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status, 200);
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
