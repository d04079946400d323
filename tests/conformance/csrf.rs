//! The CSRF layer in front of cookie sessions: a signed double-submit cookie and an origin check, bearer-only
//! requests exempt, the same tokens accepted by every instance that shares the secret.

use axum::routing::{get, post};
use fullauth::{CurrentUser, FullAuthConfig};
use fullauth_tests::cookies::{attributes, set_cookie, value};
use fullauth_tests::models::User;
use fullauth_tests::{Backend, TestDatabase, TestResponse};
use reqwest::{Method, RequestBuilder};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";
const TRUSTED: &str = "https://app.example.com";

/// One instance: fullauth's routers, a page, an action of the application and a webhook, behind the CSRF layer.
pub(crate) struct Site {
    pub(crate) base: String,
    client: reqwest::Client,
}

impl Site {
    async fn start(db: &TestDatabase) -> Site {
        Self::start_with(db, |_| {}).await
    }

    pub(crate) async fn start_with(
        db: &TestDatabase,
        configure: impl FnOnce(&mut FullAuthConfig),
    ) -> Site {
        let mut config = fullauth_tests::app::test_config();
        config.cookies.transport = true;
        configure(&mut config);
        config.csrf.trusted_origins = vec![TRUSTED.to_owned()];
        let auth = fullauth_tests::app::fullauth_on(db, config).await;
        let router: axum::Router = axum::Router::new()
            .route("/page", get(|| async { "page" }))
            .route(
                "/action",
                post(|CurrentUser(user): CurrentUser<User>| async move { user.auth.email }),
            )
            .route("/webhook", post(|| async { "received" }))
            .merge(auth.router())
            .fallback(fullauth::not_found)
            .with_state(auth.clone())
            .layer(auth.csrf().exempt(["/webhook"]));
        Site {
            base: fullauth_tests::app::serve_router(router).await,
            client: reqwest::Client::new(),
        }
    }

    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// A fresh CSRF cookie value, as a first visit gets it.
    pub(crate) async fn csrf_token(&self) -> String {
        let page = self.request(Method::GET, "/page").send().await.unwrap();
        let line = set_cookie(page.headers(), "fullauth_csrf").expect("a CSRF cookie");
        value(&line)
    }
}

pub(crate) async fn send(request: RequestBuilder) -> TestResponse {
    TestResponse::read(request.send().await.unwrap()).await
}

pub(crate) fn with_token(request: RequestBuilder, cookies: &str, token: &str) -> RequestBuilder {
    request
        .header("cookie", format!("{cookies}; fullauth_csrf={token}"))
        .header("x-csrf-token", token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changes_need_the_double_submitted_token() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let site = Site::start(&db).await;

    // Every first visit gets a signed cookie that scripts can read; a valid one is kept.
    let page = site.request(Method::GET, "/page").send().await.unwrap();
    let line = set_cookie(page.headers(), "fullauth_csrf").expect("a CSRF cookie");
    let token = value(&line);
    let (random, signature) = token.split_once('.').unwrap();
    assert!(random.len() >= 43 && signature.len() >= 43, "{token}");
    let flags = attributes(&line);
    for expected in ["Path=/", "Secure", "SameSite=Lax"] {
        assert!(flags.contains(&expected.to_owned()), "{expected} in {line}");
    }
    assert!(!flags.contains(&"HttpOnly".to_owned()), "{line}");
    let again = site
        .request(Method::GET, "/page")
        .header("cookie", format!("fullauth_csrf={token}"))
        .send()
        .await
        .unwrap();
    assert!(set_cookie(again.headers(), "fullauth_csrf").is_none());

    // Registration and login are covered: a forged sign-in into another account fails.
    let credentials = json!({"email": "ada@example.com", "password": PASSWORD});
    let refused = send(
        site.request(Method::POST, "/api/v1/auth/register")
            .json(&credentials),
    )
    .await;
    refused.assert_detail(403, "CSRF token missing.");
    assert!(set_cookie(&refused.headers, "fullauth_csrf").is_some());
    let registered = send(with_token(
        site.request(Method::POST, "/api/v1/auth/register")
            .json(&credentials),
        "lang=en",
        &token,
    ))
    .await;
    assert_eq!(registered.status, 202, "{registered:?}");
    send(
        site.request(Method::POST, "/api/v1/auth/login")
            .json(&credentials),
    )
    .await
    .assert_detail(403, "CSRF token missing.");
    let login = send(with_token(
        site.request(Method::POST, "/api/v1/auth/login")
            .json(&credentials),
        "lang=en",
        &token,
    ))
    .await;
    assert_eq!(login.status, 200, "{login:?}");
    let bearer = login.str("access_token");
    let access = value(&set_cookie(&login.headers, "fullauth_access").unwrap());
    let refresh = value(&set_cookie(&login.headers, "fullauth_refresh").unwrap());
    let session = format!("fullauth_access={access}; fullauth_refresh={refresh}");
    // The sign-in hands out a token for its session; the one from before no longer counts.
    let before = token.clone();
    let token =
        value(&set_cookie(&login.headers, "fullauth_csrf").expect("a token for the session"));
    assert_ne!(token, before);
    send(with_token(
        site.request(Method::POST, "/action"),
        &session,
        &before,
    ))
    .await
    .assert_detail(403, "CSRF cookie signature invalid.");

    let rename = |name: &str| {
        site.request(Method::PATCH, "/api/v1/auth/me")
            .json(&json!({ "display_name": name }))
    };
    // A cookie-authenticated change without the header.
    send(rename("Mallory").header("cookie", format!("{session}; fullauth_csrf={token}")))
        .await
        .assert_detail(403, "CSRF token missing.");
    send(rename("Mallory").header("cookie", &session))
        .await
        .assert_detail(403, "CSRF token missing.");
    // A forged token, in cookie and header alike.
    let forged = format!("{random}.{}", "A".repeat(signature.len()));
    send(with_token(rename("Mallory"), &session, &forged))
        .await
        .assert_detail(403, "CSRF cookie signature invalid.");
    send(with_token(rename("Mallory"), &session, "no-signature"))
        .await
        .assert_detail(403, "CSRF cookie signature invalid.");
    // A genuine token of another session, in cookie and header alike.
    let bob = json!({"email": "bob@example.com", "password": PASSWORD});
    send(with_token(
        site.request(Method::POST, "/api/v1/auth/register")
            .json(&bob),
        "",
        &before,
    ))
    .await;
    let bob_login = send(with_token(
        site.request(Method::POST, "/api/v1/auth/login").json(&bob),
        "",
        &before,
    ))
    .await;
    let bob_token = value(&set_cookie(&bob_login.headers, "fullauth_csrf").unwrap());
    send(with_token(rename("Mallory"), &session, &bob_token))
        .await
        .assert_detail(403, "CSRF cookie signature invalid.");
    // Two cookies of that name, one planted beside the real one.
    send(
        rename("Mallory")
            .header(
                "cookie",
                format!("{session}; fullauth_csrf={token}; fullauth_csrf={bob_token}"),
            )
            .header("x-csrf-token", &token),
    )
    .await
    .assert_detail(403, "CSRF token mismatch.");
    // A genuine token, but from another cookie than the one this browser holds.
    let other = site.csrf_token().await;
    assert_ne!(other, token);
    send(
        rename("Mallory")
            .header("cookie", format!("{session}; fullauth_csrf={token}"))
            .header("x-csrf-token", &other),
    )
    .await
    .assert_detail(403, "CSRF token mismatch.");
    // A foreign origin, even with a matching token.
    for (header, origin) in [
        ("origin", "https://evil.example"),
        ("origin", "null"),
        ("origin", "http://127.0.0.1:1"),
        ("referer", "https://evil.example/attack.html"),
        ("referer", "not a URL"),
    ] {
        send(with_token(rename("Mallory"), &session, &token).header(header, origin))
            .await
            .assert_detail(403, "CSRF origin check failed.");
    }
    let unreadable = reqwest::header::HeaderValue::from_bytes(b"https://\xe9vil.example").unwrap();
    send(with_token(rename("Mallory"), &session, &token).header("origin", unreadable))
        .await
        .assert_detail(403, "CSRF origin check failed.");
    // An application route behind the layer is covered the same way.
    send(
        site.request(Method::POST, "/action")
            .header("cookie", &session),
    )
    .await
    .assert_detail(403, "CSRF token missing.");
    let me = send(
        site.request(Method::GET, "/api/v1/auth/me")
            .header("cookie", &session),
    )
    .await;
    assert_eq!(
        me.json["display_name"], "",
        "no refused request changed anything"
    );

    // The same host, a trusted origin, or no origin at all (a client that is no browser) pass with the token.
    let same_host =
        send(with_token(rename("Ada"), &session, &token).header("origin", site.base.as_str()))
            .await;
    assert_eq!(same_host.status, 200, "{same_host:?}");
    let trusted = send(
        with_token(rename("Ada L."), &session, &token)
            .header("referer", format!("{TRUSTED}/settings")),
    )
    .await;
    assert_eq!(trusted.status, 200, "{trusted:?}");
    let action = send(with_token(
        site.request(Method::POST, "/action"),
        &session,
        &token,
    ))
    .await;
    assert_eq!(action.status, 200, "{action:?}");
    assert_eq!(action.text, "ada@example.com");
    let me = send(
        site.request(Method::GET, "/api/v1/auth/me")
            .header("cookie", &session),
    )
    .await;
    assert_eq!(me.json["display_name"], "Ada L.");

    // Bearer-only requests are not checked; a bearer header beside the session cookies does not exempt them.
    let bearer_only = send(rename("Ada Lovelace").bearer_auth(&bearer)).await;
    assert_eq!(bearer_only.status, 200, "{bearer_only:?}");
    assert!(
        set_cookie(&bearer_only.headers, "fullauth_csrf").is_none(),
        "a client of the Authorization header needs no CSRF cookie"
    );
    let foreign_bearer = send(
        site.request(Method::POST, "/action")
            .bearer_auth(&bearer)
            .header("origin", "https://evil.example"),
    )
    .await;
    assert_eq!(foreign_bearer.status, 200, "{foreign_bearer:?}");
    send(
        rename("Mallory")
            .bearer_auth(&bearer)
            .header("cookie", &session),
    )
    .await
    .assert_detail(403, "CSRF token missing.");
    // Exempt paths and safe methods pass without anything.
    let webhook = send(site.request(Method::POST, "/webhook")).await;
    assert_eq!(webhook.status, 200);
    let me = send(
        site.request(Method::GET, "/api/v1/auth/me")
            .header("cookie", &session),
    )
    .await;
    assert_eq!(me.json["display_name"], "Ada Lovelace");

    // Logout is a state change like any other.
    send(
        site.request(Method::POST, "/api/v1/auth/logout")
            .header("cookie", &session),
    )
    .await
    .assert_detail(403, "CSRF token missing.");
    let logout = send(with_token(
        site.request(Method::POST, "/api/v1/auth/logout"),
        &session,
        &token,
    ))
    .await;
    assert_eq!(logout.status, 204, "{logout:?}");
    let after =
        value(&set_cookie(&logout.headers, "fullauth_csrf").expect("a token for no session"));
    assert_ne!(after, token);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn host_prefixed_cookies_are_the_only_ones_read() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let site = Site::start_with(&db, |config| config.cookies.host_prefix = true).await;
    let page = site.request(Method::GET, "/page").send().await.unwrap();
    assert!(set_cookie(page.headers(), "fullauth_csrf").is_none());
    let token = value(&set_cookie(page.headers(), "__Host-fullauth_csrf").unwrap());
    let credentials = json!({"email": "host@example.com", "password": PASSWORD});
    let register = || {
        site.request(Method::POST, "/api/v1/auth/register")
            .json(&credentials)
            .header("x-csrf-token", &token)
    };
    // A cookie without the prefix, as a neighbouring subdomain could set it, is not read.
    send(register().header("cookie", format!("fullauth_csrf={token}")))
        .await
        .assert_detail(403, "CSRF token missing.");
    let registered =
        send(register().header("cookie", format!("__Host-fullauth_csrf={token}"))).await;
    assert_eq!(registered.status, 202, "{registered:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_instance_accepts_the_tokens_of_the_others() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let first = Site::start(&db).await;
    let second = Site::start(&db).await;
    let token = first.csrf_token().await;
    let credentials = json!({"email": "grace@example.com", "password": PASSWORD});
    let registered = send(with_token(
        second
            .request(Method::POST, "/api/v1/auth/register")
            .json(&credentials),
        "",
        &token,
    ))
    .await;
    assert_eq!(registered.status, 202, "{registered:?}");
    let login = send(with_token(
        second
            .request(Method::POST, "/api/v1/auth/login")
            .json(&credentials),
        "",
        &token,
    ))
    .await;
    assert_eq!(login.status, 200, "{login:?}");
    let access = value(&set_cookie(&login.headers, "fullauth_access").unwrap());
    let token = value(&set_cookie(&login.headers, "fullauth_csrf").unwrap());
    let action = send(with_token(
        first.request(Method::POST, "/action"),
        &format!("fullauth_access={access}"),
        &token,
    ))
    .await;
    assert_eq!(action.status, 200, "{action:?}");
    // A cookie signed under another secret is refused.
    let mut config = fullauth_tests::app::test_config();
    config.secret_key = Some(fullauth::SecretKey::new(vec![b'z'; 32]).unwrap());
    let stranger = fullauth_tests::app::fullauth_on(&db, config).await;
    let foreign: axum::Router = axum::Router::new()
        .route("/page", get(|| async { "page" }))
        .layer(stranger.csrf());
    let foreign = fullauth_tests::app::serve_router(foreign).await;
    let page = reqwest::get(format!("{foreign}/page")).await.unwrap();
    let foreign_token = value(&set_cookie(page.headers(), "fullauth_csrf").unwrap());
    send(with_token(
        first.request(Method::POST, "/action"),
        &format!("fullauth_access={access}"),
        &foreign_token,
    ))
    .await
    .assert_detail(403, "CSRF cookie signature invalid.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_cookies_and_headers_get_a_4xx_and_change_nothing() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let site = Site::start(&db).await;
    let token = site.csrf_token().await;
    let credentials = json!({"email": "ada@example.com", "password": PASSWORD});
    for path in ["/api/v1/auth/register", "/api/v1/auth/login"] {
        let answer = send(with_token(
            site.request(Method::POST, path).json(&credentials),
            "",
            &token,
        ))
        .await;
        assert!(answer.status < 300, "{answer:?}");
    }
    let forged = fullauth_tests::tokens::sign(
        &json!({"alg": "HS256", "typ": "JWT"}),
        &json!({"sub": "1", "type": "access", "exp": 4_102_444_800_i64, "family_id": "x"}),
        b"another secret key, 32 bytes or more!!",
    );
    let unsigned = format!(
        "{}.{}.",
        base64_url(br#"{"alg":"none"}"#),
        base64_url(br#"{"sub":"1","type":"access","family_id":"x"}"#)
    );
    let long = "x".repeat(6000);
    let cookies: Vec<Vec<u8>> = vec![
        format!("fullauth_access={forged}; fullauth_refresh={forged}").into_bytes(),
        format!("fullauth_access={unsigned}").into_bytes(),
        b"fullauth_access=a.b.c; fullauth_csrf=.".to_vec(),
        b"fullauth_csrf=..; fullauth_refresh=%%%".to_vec(),
        format!("fullauth_csrf={long}; fullauth_access={long}").into_bytes(),
        b"fullauth_csrf=\xe9.\xe9; fullauth_access=\xff".to_vec(),
        b"=; ;;; fullauth_csrf; fullauth_access==".to_vec(),
        format!("fullauth_csrf={token}; fullauth_access={forged}").into_bytes(),
    ];
    let long_token = "x".repeat(5000);
    let sent_tokens = [token.as_str(), ".", long_token.as_str()];
    // Malformed origins, and none at all (a client that is no browser).
    let origins: [Option<&[u8]>; 4] = [
        Some(b"http://["),
        Some(b"https://a:99999"),
        Some(b"\xffnull"),
        None,
    ];
    let before = snapshot(&db).await;
    let mut statuses = std::collections::BTreeSet::new();
    for cookie in &cookies {
        for sent in sent_tokens {
            for origin in origins {
                for (method, path) in [
                    (Method::PATCH, "/api/v1/auth/me"),
                    (Method::POST, "/api/v1/auth/refresh"),
                    (Method::POST, "/api/v1/auth/logout"),
                    (Method::POST, "/action"),
                ] {
                    let mut request = site
                        .request(method.clone(), path)
                        .header(
                            "cookie",
                            reqwest::header::HeaderValue::from_bytes(cookie).unwrap(),
                        )
                        .header("x-csrf-token", sent)
                        .json(&json!({"display_name": "Mallory"}));
                    if let Some(origin) = origin {
                        request = request.header(
                            "origin",
                            reqwest::header::HeaderValue::from_bytes(origin).unwrap(),
                        );
                    }
                    let answer = send(request).await;
                    assert!(
                        (400..500).contains(&answer.status),
                        "{method} {path}: {answer:?}"
                    );
                    statuses.insert(answer.status);
                }
            }
        }
    }
    // Refused by the CSRF check, or past it by a token that authenticates no one.
    assert_eq!(statuses.into_iter().collect::<Vec<_>>(), [401, 403]);
    assert_eq!(snapshot(&db).await, before);
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Users, refresh tokens and live refresh tokens: what a forged request could change.
async fn snapshot(db: &TestDatabase) -> (i64, i64, i64) {
    let mut connection = fullauth_tests::inspect::Connection::open(db).await;
    (
        connection.user_count().await,
        connection.refresh_token_count().await,
        connection.live_refresh_token_count().await,
    )
}
