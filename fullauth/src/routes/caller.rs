//! What the routes share about the caller: who they are, and that their tokens are never cached.

use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;

/// Authenticates from the `Authorization` header or the access cookie (for routes that validate a body first): the user and the
/// claims of the access token.
pub(crate) async fn caller<U: FullAuthUser>(
    auth: &FullAuth<U>,
    headers: &axum::http::HeaderMap,
) -> Result<(U, crate::tokens::Claims), ApiError> {
    let token = auth.required_access_token(headers)?;
    Ok(auth.authenticate(&token).await?)
}

/// Marks a response that carries tokens as never to be cached.
pub(crate) fn no_store(mut response: axum::response::Response) -> axum::response::Response {
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    response.headers_mut().insert(
        axum::http::header::PRAGMA,
        axum::http::HeaderValue::from_static("no-cache"),
    );
    response
}
