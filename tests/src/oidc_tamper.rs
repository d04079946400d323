//! A tampering front for the real OpenID provider: fullauth is configured with the issuer
//! `http://127.0.0.1:<port>/<scenario>`, whose discovery document sends users to the real provider's login and
//! consent but routes the token, key-set and userinfo calls through here, where the scenario changes what the
//! provider answered (re-signed with a key of this front's published key set, unless the scenario says
//! otherwise). So every way a provider's answer can be wrong is tried against a real authorization-code flow.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Map, Value, json};

use crate::app::serve_router;
use crate::oidc::{CLIENT_SECRET, OidcProvider};

const SIGNING_KEY: &[u8] = include_bytes!("../oidc/keys/signing.pem");
const STRANGER_KEY: &[u8] = include_bytes!("../oidc/keys/stranger.pem");

struct Front {
    base: String,
    upstream: String,
    http: reqwest::Client,
    /// Whether the `rotating` scenario has moved to its next key.
    rotated: AtomicBool,
}

/// A running front; `issuer(scenario)` is the issuer to configure fullauth with.
pub struct TamperingFront {
    base: String,
    front: Arc<Front>,
}

impl TamperingFront {
    /// Starts a front for `provider`.
    pub async fn start(provider: &OidcProvider) -> TamperingFront {
        let _ = jsonwebtoken::crypto::CryptoProvider::install_default(
            &jsonwebtoken::crypto::rust_crypto::DEFAULT_PROVIDER,
        );
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let front = Arc::new(Front {
            base: base.clone(),
            upstream: provider.issuer.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            rotated: AtomicBool::new(false),
        });
        let router = Router::new()
            .route(
                "/{scenario}/.well-known/openid-configuration",
                get(discovery),
            )
            .route("/{scenario}/jwks", get(jwks))
            .route("/{scenario}/token", post(token))
            .route("/{scenario}/me", get(userinfo))
            .with_state(Arc::clone(&front));
        let served = serve_router_at(router, &base).await;
        TamperingFront {
            base: served,
            front,
        }
    }

    /// The `rotating` scenario retires its key: from now on it publishes and signs with another one.
    pub fn rotate(&self) {
        self.front.rotated.store(true, Ordering::SeqCst);
    }

    /// The issuer of `scenario`.
    pub fn issuer(&self, scenario: &str) -> String {
        format!("{}/{scenario}", self.base)
    }
}

async fn serve_router_at(router: Router, base: &str) -> String {
    let address = base.trim_start_matches("http://").to_owned();
    match tokio::net::TcpListener::bind(&address).await {
        Ok(listener) => {
            tokio::spawn(async move {
                axum::serve(listener, router).await.unwrap();
            });
            base.to_owned()
        }
        Err(_) => serve_router(router).await,
    }
}

fn signing_key() -> EncodingKey {
    ec_key(SIGNING_KEY)
}

/// A P-256 key from its PKCS#8 PEM file.
fn ec_key(pem: &[u8]) -> EncodingKey {
    let body: String = std::str::from_utf8(pem)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    EncodingKey::from_ec_der(
        &base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap(),
    )
}

async fn discovery(State(front): State<Arc<Front>>, Path(scenario): Path<String>) -> Response {
    let issuer = format!("{}/{scenario}", front.base);
    axum::Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{}/auth", front.upstream),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "userinfo_endpoint": format!("{issuer}/me"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
    }))
    .into_response()
}

async fn jwks(State(front): State<Arc<Front>>, Path(scenario): Path<String>) -> Response {
    let rotated = scenario == "rotating" && front.rotated.load(Ordering::SeqCst);
    let (signing, kid) = if rotated {
        (ec_key(STRANGER_KEY), "next")
    } else {
        (signing_key(), "front")
    };
    let mut key = Jwk::from_encoding_key(&signing, Algorithm::ES256).unwrap();
    key.common.key_id = Some(kid.into());
    let mut secret = Jwk::from_encoding_key(
        &EncodingKey::from_secret(CLIENT_SECRET.as_bytes()),
        Algorithm::HS256,
    )
    .unwrap();
    // A symmetric key in the set must never be used to check an id_token.
    secret.common.key_id = Some("shared".into());
    axum::Json(JwkSet {
        keys: vec![key, secret],
    })
    .into_response()
}

async fn token(
    State(front): State<Arc<Front>>,
    Path(scenario): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match scenario.as_str() {
        "token-redirects" => {
            return (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, format!("{}/token", front.upstream))],
            )
                .into_response();
        }
        "token-times-out" => tokio::time::sleep(Duration::from_secs(30)).await,
        "token-garbage" => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "<html>{{",
            )
                .into_response();
        }
        _ => {}
    }
    let mut request = front
        .http
        .post(format!("{}/token", front.upstream))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body);
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        request = request.header(header::AUTHORIZATION, authorization.clone());
    }
    let upstream = request.send().await.unwrap();
    let status = upstream.status();
    let mut answer: Value = upstream.json().await.unwrap();
    if !status.is_success() {
        return (
            StatusCode::from_u16(status.as_u16()).unwrap(),
            axum::Json(answer),
        )
            .into_response();
    }
    let original = answer["id_token"].as_str().unwrap_or_default().to_owned();
    let claims: Map<String, Value> = original
        .split('.')
        .nth(1)
        .and_then(|payload| URL_SAFE_NO_PAD.decode(payload).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    match retold_id_token(&front, &scenario, claims) {
        Some(token) => answer["id_token"] = Value::String(token),
        None => {
            answer.as_object_mut().unwrap().remove("id_token");
        }
    }
    axum::Json(answer).into_response()
}

/// The id_token the front hands over in `scenario`, from the provider's `claims`; `None` to leave it out.
fn retold_id_token(
    front: &Front,
    scenario: &str,
    mut claims: Map<String, Value>,
) -> Option<String> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    claims.insert(
        "iss".into(),
        Value::String(format!("{}/{scenario}", front.base)),
    );
    let mut header = Header::new(Algorithm::ES256);
    header.kid = Some("front".into());
    let mut key = signing_key();
    match scenario {
        "no-id-token" => return None,
        "wrong-iss" => {
            claims.insert("iss".into(), json!(front.upstream));
        }
        "wrong-aud" => {
            claims.insert("aud".into(), json!("another-client"));
        }
        "wrong-nonce" => {
            claims.insert("nonce".into(), json!("not-the-nonce"));
        }
        "no-nonce" => {
            claims.remove("nonce");
        }
        "expired" => {
            claims.insert("iat".into(), json!(now - 7200));
            claims.insert("exp".into(), json!(now - 3600));
        }
        "unknown-key" => {
            header.kid = Some("stranger".into());
            key = ec_key(STRANGER_KEY);
        }
        "known-kid-wrong-key" => {
            key = ec_key(STRANGER_KEY);
        }
        "alg-none" => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
            let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&claims).unwrap());
            return Some(format!("{header}.{payload}."));
        }
        "hs256-client-secret" | "hs256-shared-kid" => {
            header = Header::new(Algorithm::HS256);
            if scenario == "hs256-shared-kid" {
                header.kid = Some("shared".into());
            }
            key = EncodingKey::from_secret(CLIENT_SECRET.as_bytes());
        }
        "rotating" if front.rotated.load(Ordering::SeqCst) => {
            header.kid = Some("next".into());
            key = ec_key(STRANGER_KEY);
        }
        "email-in-id-token" => {
            claims.insert("email".into(), json!("idtoken@example.com"));
            claims.insert("email_verified".into(), json!(true));
        }
        _ => {}
    }
    Some(jsonwebtoken::encode(&header, &claims, &key).unwrap())
}

async fn userinfo(
    State(front): State<Arc<Front>>,
    Path(scenario): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut request = front.http.get(format!("{}/me", front.upstream));
    if let Some(authorization) = headers.get(header::AUTHORIZATION) {
        request = request.header(header::AUTHORIZATION, authorization.clone());
    }
    let upstream = request.send().await.unwrap();
    let status = upstream.status();
    let mut answer: Value = upstream.json().await.unwrap_or(Value::Null);
    if scenario == "userinfo-other-sub" {
        answer["sub"] = json!("someone-else");
    }
    (
        StatusCode::from_u16(status.as_u16()).unwrap(),
        axum::Json(answer),
    )
        .into_response()
}
