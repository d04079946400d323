//! OAuth sign-in and linking, end to end against a real OpenID Connect provider (the `oidc-provider` npm
//! package on loopback), through a tampering front for every way a provider's answer can be wrong, and
//! against small servers that speak GitHub's and Discord's JSON.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;

/// Stamps out each listed test on SQLite and on PostgreSQL.
macro_rules! on_sqlite_and_postgres {
    ($($test:ident),* $(,)?) => {
        fullauth_tests::on_backends!([sqlite: Sqlite, postgres: Postgres], [$($test),*]);
    };
}
pub(crate) use on_sqlite_and_postgres;

mod bad_input;
mod gate;
mod github_discord;
mod linking;
mod mfa;
mod parallel;
mod sign_in;
mod state;

use fullauth::FullAuthConfig;
use fullauth::config::OAuthProviderConfig;
use fullauth_tests::oidc::{CLIENT_ID, CLIENT_SECRET, OidcProvider, ProviderAnswer, REDIRECT_URIS};
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::{Value, json};

/// The redirect URI the tests' front end uses.
pub const REDIRECT_URI: &str = REDIRECT_URIS[0];

/// The provider `issuer` under `name`, registered with the test client.
pub fn openid_provider(name: &str, issuer: &str) -> OAuthProviderConfig {
    OAuthProviderConfig::openid(name, issuer, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS)
}

/// Runs `test` against an app on `backend` that signs in with a fresh real provider, named `idp`; skipped
/// when the backend or the provider cannot run here (and they are not required).
pub async fn with_provider<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut FullAuthConfig, &OidcProvider),
    test: F,
) where
    F: FnOnce(TestApp, OidcProvider) -> Fut,
    Fut: Future<Output = ()>,
{
    let Some(idp) = OidcProvider::start().await else {
        return;
    };
    let issuer = idp.issuer.clone();
    let app = TestApp::start(backend, |config| {
        config.oauth.providers.push(openid_provider("idp", &issuer));
        configure(config, &idp);
    })
    .await;
    if let Some(app) = app {
        test(app, idp).await;
    }
}

/// `GET /oauth/{provider}/authorize` (or its link form with `token`) for [`REDIRECT_URI`].
pub async fn authorize(app: &TestApp, provider: &str, token: Option<&str>) -> TestResponse {
    let route = if token.is_some() {
        "link/authorize"
    } else {
        "authorize"
    };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("redirect_uri", REDIRECT_URI)
        .finish();
    app.call(
        Method::GET,
        &format!("/oauth/{provider}/{route}?{query}"),
        token,
        None,
    )
    .await
}

/// A started flow at `provider`, taken through the provider's pages as `account`: the code and state it came
/// back with, and the binding.
pub async fn consented(
    app: &TestApp,
    idp: &OidcProvider,
    provider: &str,
    account: &str,
    token: Option<&str>,
) -> (ProviderAnswer, String) {
    let start = authorize(app, provider, token).await;
    assert_eq!(start.status, 200, "{}", start.text);
    let answer = idp
        .consent(&start.str("authorization_url"), account)
        .await
        .unwrap();
    (answer, start.str("binding"))
}

/// `POST /oauth/{provider}/callback` (or its link form with `token`).
pub async fn callback(
    app: &TestApp,
    provider: &str,
    answer: &ProviderAnswer,
    binding: &str,
    token: Option<&str>,
) -> TestResponse {
    let route = if token.is_some() {
        "link/callback"
    } else {
        "callback"
    };
    app.call(
        Method::POST,
        &format!("/oauth/{provider}/{route}"),
        token,
        Some(json!({ "code": answer.code, "state": answer.state, "binding": binding })),
    )
    .await
}

/// The whole sign-in at `idp` as `account`.
pub async fn sign_in(app: &TestApp, idp: &OidcProvider, account: &str) -> TestResponse {
    let (answer, binding) = consented(app, idp, "idp", account, None).await;
    callback(app, "idp", &answer, &binding, None).await
}

/// Asserts the one answer every failed callback gets.
pub fn assert_failed(response: &TestResponse) {
    assert_eq!(response.status, 400, "{}", response.text);
    assert_eq!(
        response.json,
        json!({ "detail": "OAuth authentication failed" })
    );
}

/// The `LoginResponse` fields a successful callback answers with.
pub fn assert_signed_in(response: &TestResponse, email: &str) -> (String, Value) {
    assert_eq!(response.status, 200, "{}", response.text);
    assert_eq!(response.json["token_type"], "bearer");
    assert!(response.json["refresh_token"].is_string());
    assert_eq!(response.json["user"]["email"], email);
    (response.str("access_token"), response.json["user"].clone())
}
