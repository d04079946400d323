//! GitHub and Discord, against small servers that speak their documented JSON: the authorize redirect, the
//! token endpoint (client credentials, code, redirect URI and the S256 PKCE verifier checked), GitHub's
//! `GET /user` and `GET /user/emails`, Discord's `GET /users/@me`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use fullauth::config::{OAuthProviderConfig, ProviderKind};
use fullauth::oauth::{
    OAuthError, OAuthProvider, ProviderEndpoints, ProviderIdentity, ProviderTokens,
};
use fullauth_tests::app::serve_router;
use fullauth_tests::inspect::Connection;
use fullauth_tests::oidc::{CLIENT_ID, CLIENT_SECRET, ProviderAnswer, REDIRECT_URIS};
use fullauth_tests::{Backend, TestApp};
use futures::future::BoxFuture;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::{assert_failed, assert_signed_in, authorize, callback};

crate::on_sqlite_and_postgres!(
    github_signs_in_with_the_primary_verified_email_only,
    discord_signs_in_with_its_verified_flag,
    a_provider_of_the_applications_own_signs_in,
);

/// A pending code: who consented, and the PKCE challenge and redirect URI it was issued for.
struct Grant {
    login: String,
    challenge: String,
    redirect_uri: String,
}

#[derive(Default)]
struct FakeProvider {
    grants: Mutex<HashMap<String, Grant>>,
}

type Shared = Arc<FakeProvider>;

async fn authorize_page(State(fake): State<Shared>, RawQuery(query): RawQuery) -> Response {
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    assert_eq!(query["client_id"], CLIENT_ID);
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["code_challenge_method"], "S256");
    let code = uuid::Uuid::new_v4().simple().to_string();
    fake.grants.lock().unwrap().insert(
        code.clone(),
        Grant {
            login: query["login"].clone(),
            challenge: query["code_challenge"].clone(),
            redirect_uri: query["redirect_uri"].clone(),
        },
    );
    let back = format!(
        "{}?code={code}&state={}",
        query["redirect_uri"],
        url::form_urlencoded::byte_serialize(query["state"].as_bytes()).collect::<String>()
    );
    (StatusCode::FOUND, [(header::LOCATION, back)]).into_response()
}

async fn token(State(fake): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let form: HashMap<String, String> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let basic = format!(
        "Basic {}",
        STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
    );
    let authenticated = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        == Some(basic.as_str());
    let grant = fake
        .grants
        .lock()
        .unwrap()
        .remove(form.get("code").map(String::as_str).unwrap_or(""));
    let verified = grant.as_ref().is_some_and(|grant| {
        let verifier = form.get("code_verifier").map(String::as_str).unwrap_or("");
        URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes())) == grant.challenge
            && form.get("redirect_uri") == Some(&grant.redirect_uri)
    });
    match grant {
        Some(grant) if authenticated && verified && form.get("grant_type").map(String::as_str) == Some("authorization_code") => {
            axum::Json(json!({ "access_token": format!("token-{}", grant.login), "token_type": "bearer", "scope": "read:user,user:email" })).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, axum::Json(json!({ "error": "bad_verification_code" }))).into_response(),
    }
}

fn login_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer token-")
        .map(str::to_owned)
}

async fn github_user(headers: HeaderMap) -> Response {
    match login_of(&headers).as_deref() {
        Some("octo") => {
            axum::Json(json!({ "login": "octo", "id": 101, "email": "public@example.net" }))
                .into_response()
        }
        Some("hidden") => {
            axum::Json(json!({ "login": "hidden", "id": 102, "email": null })).into_response()
        }
        _ => (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({ "message": "Bad credentials" })),
        )
            .into_response(),
    }
}

async fn github_emails(headers: HeaderMap) -> Response {
    let emails: Value = match login_of(&headers).as_deref() {
        Some("octo") => json!([
            { "email": "octo@users.noreply.github.com", "primary": false, "verified": true, "visibility": null },
            { "email": "Octo@Example.com", "primary": true, "verified": true, "visibility": "public" },
        ]),
        Some("hidden") => json!([
            { "email": "hidden@example.com", "primary": true, "verified": false, "visibility": "private" },
            { "email": "other@example.com", "primary": false, "verified": true, "visibility": null },
        ]),
        _ => return StatusCode::UNAUTHORIZED.into_response(),
    };
    axum::Json(emails).into_response()
}

async fn discord_me(headers: HeaderMap) -> Response {
    match login_of(&headers).as_deref() {
        Some("wumpus") => axum::Json(json!({ "id": "80351110224678912", "username": "wumpus", "email": "wumpus@example.com", "verified": true })).into_response(),
        Some("newbie") => axum::Json(json!({ "id": "80351110224678913", "username": "newbie", "email": "newbie@example.com", "verified": false })).into_response(),
        _ => StatusCode::UNAUTHORIZED.into_response(),
    }
}

/// A provider of `kind` served by the fake at `base`, with every endpoint overridden.
fn provider(
    kind: ProviderKind,
    name: &str,
    base: &str,
    authorize: &str,
    token: &str,
    api: &str,
) -> OAuthProviderConfig {
    let mut config = OAuthProviderConfig::new(name, kind, CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS);
    config.authorize_url = Some(format!("{base}{authorize}"));
    config.token_url = Some(format!("{base}{token}"));
    config.api_url = Some(format!("{base}{api}"));
    config
}

fn fake_router() -> Router {
    Router::new()
        .route("/login/oauth/authorize", get(authorize_page))
        .route("/login/oauth/access_token", post(token))
        .route("/api/v3/user", get(github_user))
        .route("/api/v3/user/emails", get(github_emails))
        .route("/oauth2/authorize", get(authorize_page))
        .route("/api/oauth2/token", post(token))
        .route("/api/users/@me", get(discord_me))
        .with_state(Arc::new(FakeProvider::default()))
}

async fn start(
    backend: Backend,
    providers: impl FnOnce(&str) -> OAuthProviderConfig,
) -> Option<TestApp> {
    let base = serve_router(fake_router()).await;
    let config = providers(&base);
    TestApp::start(backend, |app_config| {
        app_config.oauth.providers.push(config)
    })
    .await
}

/// Consents at the fake as `login`: follows its redirect back and reads the code and state.
async fn consent(app: &TestApp, name: &str, login: &str) -> (ProviderAnswer, String) {
    let start = authorize(app, name, None).await;
    assert_eq!(start.status, 200, "{}", start.text);
    let url = format!("{}&login={login}", start.str("authorization_url"));
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .unwrap();
    let location = response.headers()[header::LOCATION.as_str()]
        .to_str()
        .unwrap()
        .to_owned();
    let query: HashMap<String, String> = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    (
        ProviderAnswer {
            code: query["code"].clone(),
            state: query["state"].clone(),
        },
        start.str("binding"),
    )
}

async fn github_signs_in_with_the_primary_verified_email_only(backend: Backend) {
    let Some(app) = start(backend, |base| {
        provider(
            ProviderKind::GitHub,
            "github",
            base,
            "/login/oauth/authorize",
            "/login/oauth/access_token",
            "/api/v3",
        )
    })
    .await
    else {
        return;
    };
    let (answer, binding) = consent(&app, "github", "octo").await;
    let response = callback(&app, "github", &answer, &binding, None).await;
    let (access, user) = assert_signed_in(&response, "octo@example.com");
    assert_eq!(user["is_verified"], true);
    let accounts = app.get("/oauth/accounts", &access).await;
    assert_eq!(
        accounts.json,
        json!([{ "provider": "github", "provider_user_id": "101", "provider_email": "Octo@Example.com" }])
    );
    // No verified primary address: no account can be made (neither the unverified primary nor another
    // verified address stands in for it).
    let (answer, binding) = consent(&app, "github", "hidden").await;
    assert_failed(&callback(&app, "github", &answer, &binding, None).await);
    let mut db = Connection::open(&app.db).await;
    assert_eq!(db.user_count().await, 1);
}

async fn discord_signs_in_with_its_verified_flag(backend: Backend) {
    let Some(app) = start(backend, |base| {
        provider(
            ProviderKind::Discord,
            "discord",
            base,
            "/oauth2/authorize",
            "/api/oauth2/token",
            "/api",
        )
    })
    .await
    else {
        return;
    };
    let (answer, binding) = consent(&app, "discord", "wumpus").await;
    let (_, user) = assert_signed_in(
        &callback(&app, "discord", &answer, &binding, None).await,
        "wumpus@example.com",
    );
    assert_eq!(user["is_verified"], true);
    let (answer, binding) = consent(&app, "discord", "newbie").await;
    let (_, user) = assert_signed_in(
        &callback(&app, "discord", &answer, &binding, None).await,
        "newbie@example.com",
    );
    assert_eq!(user["is_verified"], false);
    let mut db = Connection::open(&app.db).await;
    assert_eq!(db.oauth_links().await.len(), 2);
}

/// A provider the application writes itself: the fake's endpoints, and who signed in from its user API.
struct Acme {
    base: String,
    http: reqwest::Client,
}

impl OAuthProvider for Acme {
    fn endpoints(&self) -> BoxFuture<'_, Result<ProviderEndpoints, OAuthError>> {
        Box::pin(async move {
            Ok(ProviderEndpoints {
                authorize_url: format!("{}/login/oauth/authorize", self.base),
                token_url: format!("{}/login/oauth/access_token", self.base),
                openid: false,
            })
        })
    }

    fn identify<'a>(
        &'a self,
        tokens: &'a ProviderTokens,
        _nonce: &'a str,
    ) -> BoxFuture<'a, Result<ProviderIdentity, OAuthError>> {
        Box::pin(async move {
            let user: Value = self
                .http
                .get(format!("{}/api/v3/user", self.base))
                .bearer_auth(&tokens.access_token)
                .send()
                .await
                .map_err(|error| OAuthError::Unreachable(error.to_string()))?
                .json()
                .await
                .map_err(|error| OAuthError::BadAnswer(error.to_string()))?;
            Ok(ProviderIdentity {
                user_id: user["id"].to_string(),
                email: user["login"]
                    .as_str()
                    .map(|login| format!("{login}@acme.example")),
                email_verified: true,
            })
        })
    }
}

async fn a_provider_of_the_applications_own_signs_in(backend: Backend) {
    let base = serve_router(fake_router()).await;
    let config = OAuthProviderConfig::new(
        "acme",
        ProviderKind::Custom,
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT_URIS,
    );
    let acme = Acme {
        base,
        http: reqwest::Client::new(),
    };
    let Some(app) = TestApp::start_customized(
        backend,
        |_| {},
        Box::new(move |builder| builder.oauth_provider(config, acme)),
    )
    .await
    else {
        return;
    };
    let providers = app
        .call(reqwest::Method::GET, "/oauth/providers", None, None)
        .await;
    assert_eq!(providers.json, json!({ "providers": ["acme"] }));
    let (answer, binding) = consent(&app, "acme", "octo").await;
    let response = callback(&app, "acme", &answer, &binding, None).await;
    assert_signed_in(&response, "octo@acme.example");
}
