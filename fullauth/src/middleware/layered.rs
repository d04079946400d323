//! The service every fullauth layer makes: the layer's own work around the service it wraps.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::http::Request;
use axum::response::Response;
use tower_service::Service;

/// An answer still being computed.
pub type Answer = Pin<Box<dyn Future<Output = Response> + Send>>;

/// The rest of the stack, for one request.
pub type Next<B> = Box<dyn FnOnce(Request<B>) -> Answer + Send>;

/// What a layer does with each request: answer it itself, or pass it on to `next` and look at the answer.
pub trait Around: Clone + Send + Sync + 'static {
    /// Handles one request.
    fn around<B: Send + 'static>(&self, request: Request<B>, next: Next<B>) -> Answer;
}

/// A service wrapped by one of fullauth's layers (`L`), made by its `Layer` implementation.
#[derive(Clone)]
pub struct Layered<S, L> {
    inner: S,
    layer: L,
}

impl<S, L> Layered<S, L> {
    pub(crate) fn new(inner: S, layer: L) -> Self {
        Self { inner, layer }
    }
}

impl<S, L: std::fmt::Debug> std::fmt::Debug for Layered<S, L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Layered")
            .field("layer", &self.layer)
            .finish_non_exhaustive()
    }
}

impl<S, L, B> Service<Request<B>> for Layered<S, L>
where
    L: Around,
    S: Service<Request<B>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone that was not polled ready stays here; the ready one serves this request.
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let next: Next<B> = Box::new(move |request| {
            Box::pin(async move {
                match inner.call(request).await {
                    Ok(response) => response,
                    Err(never) => match never {},
                }
            })
        });
        let answer = self.layer.around(request, next);
        Box::pin(async move { Ok(answer.await) })
    }
}
