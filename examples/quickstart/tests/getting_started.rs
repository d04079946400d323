//! The getting-started commands, sent as written to the quickstart binary started as a user starts it, and the
//! settings that need no code: another database, mail over SMTP, Redis.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use fullauth_tests::ExampleServer;
use fullauth_tests::example_server::run_to_end;
use serde_json::{Value, json};

/// The example's server, started with `env`.
fn start(env: &[(&str, &str)]) -> ExampleServer {
    ExampleServer::start(env!("CARGO_BIN_EXE_quickstart"), env)
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
            "is_superuser": false, "display_name": "", "phone": "",
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
        env!("CARGO_BIN_EXE_quickstart"),
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
async fn oauth_providers_come_from_the_environment() {
    let without = start(&[]);
    let client = reqwest::Client::new();
    let providers = client
        .get(format!("{}/api/v1/auth/oauth/providers", without.base))
        .send()
        .await
        .unwrap();
    assert_eq!(providers.status(), 404, "no provider, no oauth router");

    let Some(idp) = fullauth_tests::oidc::OidcProvider::start().await else {
        return;
    };
    let redirect_uri = fullauth_tests::oidc::REDIRECT_URIS[0];
    let redirect_uris = fullauth_tests::oidc::REDIRECT_URIS.join(",");
    let server = start(&[
        (
            "FULLAUTH_SECRET_KEY",
            "quickstart-oauth-secret-0123456789abcdef",
        ),
        ("FULLAUTH_OAUTH_MY_IDP_ISSUER", &idp.issuer),
        (
            "FULLAUTH_OAUTH_MY_IDP_CLIENT_ID",
            fullauth_tests::oidc::CLIENT_ID,
        ),
        (
            "FULLAUTH_OAUTH_MY_IDP_CLIENT_SECRET",
            fullauth_tests::oidc::CLIENT_SECRET,
        ),
        ("FULLAUTH_OAUTH_MY_IDP_REDIRECT_URIS", &redirect_uris),
    ]);
    let url = |path: &str| format!("{}/api/v1/auth{path}", server.base);
    let providers: Value = client
        .get(url("/oauth/providers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(providers, json!({ "providers": ["my_idp"] }));
    let start: Value = client
        .get(url("/oauth/my_idp/authorize"))
        .query(&[("redirect_uri", redirect_uri)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let answer = idp
        .consent(
            start["authorization_url"].as_str().unwrap(),
            "qs:qs@example.com:1",
        )
        .await
        .unwrap();
    let signed_in = client
        .post(url("/oauth/my_idp/callback"))
        .json(&json!({ "code": answer.code, "state": answer.state, "binding": start["binding"] }))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let signed_in: Value = signed_in.json().await.unwrap();
    assert_eq!(signed_in["user"]["email"], "qs@example.com");
    let me = client
        .get(url("/me"))
        .bearer_auth(signed_in["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

#[tokio::test]
async fn mfa_comes_from_the_environment() {
    let client = reqwest::Client::new();
    let without = start(&[]);
    let route = client
        .get(format!("{}/api/v1/auth/mfa", without.base))
        .send()
        .await
        .unwrap();
    assert_eq!(route.status(), 404, "no issuer, no mfa router");

    let server = start(&[
        (
            "FULLAUTH_SECRET_KEY",
            "quickstart-mfa-secret-0123456789abcdef",
        ),
        ("FULLAUTH_MFA_ISSUER", "Quickstart"),
    ]);
    let url = |path: &str| format!("{}/api/v1/auth{path}", server.base);
    let credentials = json!({ "email": "mo@example.com", "password": "correct horse battery" });
    let registered = post(&client, url("/register"), credentials.clone()).await;
    assert!(registered.status().is_success(), "{}", registered.status());
    let login: Value = post(&client, url("/login"), credentials.clone())
        .await
        .json()
        .await
        .unwrap();
    let access = login["access_token"].as_str().unwrap();
    let enrolment: Value = client
        .post(url("/mfa/enroll"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let uri = enrolment["provisioning_uri"].as_str().unwrap();
    assert!(
        uri.starts_with("otpauth://totp/Quickstart:mo%40example.com?secret="),
        "{uri}"
    );
    let mut app = fullauth_tests::mfa::Authenticator::new(enrolment["secret"].as_str().unwrap());
    let confirmed = client
        .post(url("/mfa/confirm"))
        .bearer_auth(access)
        .json(&json!({ "code": app.next_code().await }))
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);

    let waiting = post(&client, url("/login"), credentials).await;
    assert_eq!(waiting.status(), 202);
    let waiting: Value = waiting.json().await.unwrap();
    let verified = post(
        &client,
        url("/mfa/verify"),
        json!({ "mfa_token": waiting["mfa_token"], "code": app.next_code().await }),
    )
    .await;
    assert_eq!(verified.status(), 200);
    let verified: Value = verified.json().await.unwrap();
    assert_eq!(verified["user"]["email"], "mo@example.com");
}

#[tokio::test]
async fn an_asymmetric_algorithm_publishes_its_key_set() {
    let client = reqwest::Client::new();
    let without = start(&[]);
    let none = client
        .get(format!("{}/.well-known/jwks.json", without.base))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404, "HS256 has no key set");

    let key = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/keys/ed25519-first.pem"
    );
    let pem = std::fs::read_to_string(key).unwrap();
    for env in [
        [
            ("FULLAUTH_ALGORITHM", "EdDSA"),
            ("FULLAUTH_PRIVATE_KEY_FILE", key),
        ],
        [
            ("FULLAUTH_ALGORITHM", "EdDSA"),
            ("FULLAUTH_PRIVATE_KEY", pem.as_str()),
        ],
    ] {
        let server = start(&env);
        let jwks = client
            .get(format!("{}/.well-known/jwks.json", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(jwks.status(), 200);
        let jwks: Value = jwks.json().await.unwrap();
        assert_eq!(jwks["keys"][0]["alg"], "EdDSA");
        assert_eq!(jwks["keys"][0]["kty"], "OKP");
    }
}
