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

/// A service a fullauth layer can wrap: axum's routers, handlers and layers are such services.
pub trait Inner<B>:
    Service<Request<B>, Response = Response, Error = Infallible, Future: Send + 'static>
    + Send
    + 'static
{
}

impl<S, B> Inner<B> for S where
    S: Service<Request<B>, Response = Response, Error = Infallible, Future: Send + 'static>
        + Send
        + 'static
{
}

/// The rest of the stack, for one request.
pub struct Next<S>(S);

impl<S> Next<S> {
    /// Passes the request on and waits for the answer.
    pub async fn run<B>(mut self, request: Request<B>) -> Response
    where
        S: Inner<B>,
    {
        match self.0.call(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        }
    }
}

/// What a layer does with each request: answer it itself, or pass it on to `next` and look at the answer.
pub trait Around: Clone + Send + Sync + 'static {
    /// Handles one request.
    fn around<S: Inner<B>, B: Send + 'static>(&self, request: Request<B>, next: Next<S>) -> Answer;
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

/// The future of a [`Layered`] service: the layer's answer, which never fails.
pub struct Answered(Answer);

impl Future for Answered {
    type Output = Result<Response, Infallible>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0.as_mut().poll(cx).map(Ok)
    }
}

impl<S, L, B> Service<Request<B>> for Layered<S, L>
where
    L: Around,
    S: Inner<B> + Clone,
    B: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answered;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        // The clone that was not polled ready stays here; the ready one serves this request.
        let fresh = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, fresh);
        Answered(self.layer.around(request, Next(inner)))
    }
}
