//! The CSRF origin check compares whole origins, scheme and port included: a page on `http://api.example.com`
//! (which anyone on the network path can rewrite) cannot act on `https://api.example.com`.

use fullauth::FullAuthConfig;
use fullauth_tests::{Backend, TestDatabase};
use reqwest::{Method, RequestBuilder};
use serde_json::json;

use crate::csrf::{Site, send, with_token};

const ORIGIN_FAILED: &str = "CSRF origin check failed.";

/// A registration (202 whether or not the address is taken) sent to `host` from a page of `origin`.
fn register(site: &Site, token: &str, host: &str, origin: &str) -> RequestBuilder {
    with_token(
        site.request(Method::POST, "/api/v1/auth/register")
            .json(&json!({"email": "ada@example.com", "password": "correct horse battery"})),
        "lang=en",
        token,
    )
    .header("host", host)
    .header("origin", origin)
}

async fn status(site: &Site, token: &str, host: &str, origin: &str) -> u16 {
    let answer = send(register(site, token, host, origin)).await;
    if answer.status == 403 {
        answer.assert_detail(403, ORIGIN_FAILED);
    }
    answer.status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_scheme_or_port_is_another_origin() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    // `Secure` cookies (the default): the site is served over https, whatever the connection says.
    let site = Site::start_with(&db, |_| {}).await;
    let token = site.csrf_token().await;
    let host = "api.example.com";
    assert_eq!(
        status(&site, &token, host, "http://api.example.com").await,
        403
    );
    assert_eq!(
        status(&site, &token, host, "https://api.example.com:8443").await,
        403
    );
    assert_eq!(
        status(&site, &token, host, "https://api.example.com").await,
        202
    );
    for (referer, expected) in [
        ("http://api.example.com/signup", 403),
        ("https://api.example.com/signup", 202),
    ] {
        let answer = send(
            with_token(
                site.request(Method::POST, "/api/v1/auth/register").json(
                    &json!({"email": "ada@example.com", "password": "correct horse battery"}),
                ),
                "lang=en",
                &token,
            )
            .header("host", host)
            .header("referer", referer),
        )
        .await;
        assert_eq!(answer.status, expected, "{referer}: {answer:?}");
    }
    // Browsers keep `Secure` cookies on loopback pages served over http: there both schemes are the host's own.
    let loopback = site.base.trim_start_matches("http://").to_owned();
    assert_eq!(status(&site, &token, &loopback, &site.base).await, 202);

    // Cookies not `Secure` and no sign of TLS: the site is http, and its https twin is another origin.
    let plain = Site::start_with(&db, |config: &mut FullAuthConfig| {
        config.cookies.secure = false;
    })
    .await;
    let token = plain.csrf_token().await;
    assert_eq!(
        status(&plain, &token, host, "https://api.example.com").await,
        403
    );
    assert_eq!(
        status(&plain, &token, host, "http://api.example.com").await,
        202
    );

    // A trusted proxy says the client used TLS.
    let proxied = Site::start_with(&db, |config: &mut FullAuthConfig| {
        config.cookies.secure = false;
        config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
        config.proxies.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    let token = proxied.csrf_token().await;
    let forwarded = |origin: &str| {
        register(&proxied, &token, host, origin).header("x-forwarded-proto", "https")
    };
    assert_eq!(send(forwarded("http://api.example.com")).await.status, 403);
    assert_eq!(send(forwarded("https://api.example.com")).await.status, 202);

    // The same header from a peer that is not a trusted proxy tells nothing.
    let direct = Site::start_with(&db, |config: &mut FullAuthConfig| {
        config.cookies.secure = false;
        config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
        config.proxies.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    let token = direct.csrf_token().await;
    let spoofed =
        |origin: &str| register(&direct, &token, host, origin).header("x-forwarded-proto", "https");
    assert_eq!(send(spoofed("https://api.example.com")).await.status, 403);
    assert_eq!(send(spoofed("http://api.example.com")).await.status, 202);
}
