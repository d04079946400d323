//! A 413 for a request whose `Content-Length` announces more than the body limit, answered before the body is
//! read, or waited for.
//!
//! A plain tower layer rather than `axum::middleware::from_fn`: every request to fullauth's routes passes
//! through it, and a `from_fn` middleware boxes a future and clones the rest of the stack for each of them.

use std::task::{Context, Poll};

use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::future::{Either, Ready, ready};
use tower_layer::Layer;
use tower_service::Service;

use crate::http::ApiError;

/// Refuses requests that announce a body longer than `limit` bytes. Bodies without a length are cut off by
/// `DefaultBodyLimit` as they arrive.
#[derive(Debug, Clone, Copy)]
pub(super) struct RefuseAnnouncedOversize {
    limit: u64,
}

impl RefuseAnnouncedOversize {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit: u64::try_from(limit).unwrap_or(u64::MAX),
        }
    }
}

impl<S> Layer<S> for RefuseAnnouncedOversize {
    type Service = AnnouncedSizeCheck<S>;

    fn layer(&self, inner: S) -> Self::Service {
        AnnouncedSizeCheck {
            inner,
            limit: self.limit,
        }
    }
}

/// The service [`RefuseAnnouncedOversize`] wraps around a route.
#[derive(Debug, Clone)]
pub(super) struct AnnouncedSizeCheck<S> {
    inner: S,
    limit: u64,
}

impl<S, B> Service<Request<B>> for AnnouncedSizeCheck<S>
where
    S: Service<Request<B>, Response = Response>,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Either<Ready<Result<Response, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let announced = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok());
        if announced.is_some_and(|length| length > self.limit) {
            return Either::Left(ready(Ok(too_large())));
        }
        Either::Right(self.inner.call(request))
    }
}

/// `413 {"detail":"Request body too large"}`, closing the connection rather than reading the body.
fn too_large() -> Response {
    let mut response =
        ApiError::detail(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large").into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}
