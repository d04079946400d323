//! `GET /.well-known/jwks.json`: the public keys that verify access tokens signed with an asymmetric algorithm.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;

/// Where the key set is served, at the application's root.
pub(crate) const JWKS_PATH: &str = "/.well-known/jwks.json";

/// How long verifiers may keep the key set: a key retired from signing stays in it for longer than that, and a
/// verifier meeting a `kid` it does not know fetches the set again.
const CACHE_CONTROL: &str = "public, max-age=300";

pub(super) fn routes<U: FullAuthUser>() -> Router<FullAuth<U>> {
    Router::new().route(JWKS_PATH, get(jwks::<U>))
}

async fn jwks<U: FullAuthUser>(State(auth): State<FullAuth<U>>) -> Response {
    match auth.tokens().jwks() {
        Some(keys) => {
            let mut response = Json(keys.clone()).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static(CACHE_CONTROL),
            );
            response
        }
        None => ApiError::detail(StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}
