//! Reading a [`JsonBody`] from a request: its media type and bytes, within the router's size limit.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;

use super::ApiError;
use crate::json::JsonBody;

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request
            .headers()
            .get(CONTENT_TYPE)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(unreadable_body)?;
        Ok(JsonBody::parse(content_type.as_deref(), &bytes))
    }
}

/// The answer to a body that could not be read: 413 when over the limit, 400 otherwise.
fn unreadable_body(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::detail(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
    } else {
        ApiError::detail(StatusCode::BAD_REQUEST, "Could not read the request body")
    }
}
