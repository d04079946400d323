//! The global rate-limit layer: every request of a client address counts, whatever the route.

use std::time::Duration;

use axum::http::{HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tower_layer::Layer;

use super::exempt::ExemptPaths;
use super::layered::{Answer, Around, Inner, Layered, Next};
use crate::flows::FullAuth;
use crate::http::client::{peer_in, resolve};
use crate::model::FullAuthUser;
use crate::shared_state::Admission;

impl<U: FullAuthUser> FullAuth<U> {
    /// A layer allowing each client address `limit` requests per `window` on every route it wraps, counted in the
    /// shared state (so, with Redis, across instances). Answers carry `X-RateLimit-Limit`,
    /// `X-RateLimit-Remaining` and `X-RateLimit-Reset`; over the limit the answer is 429
    /// `{"detail":"Too Many Requests"}` with `Retry-After`. Client addresses are resolved as for the per-route
    /// limits (trusted proxy headers only). While the shared state is unreachable, each instance counts on its
    /// own. The window slides: at most `limit` requests in any `window`, each client's window keeping the time of
    /// each request it admitted (memory grows with `limit`, so keep it to what one client may really send).
    ///
    /// ```no_run
    /// # fn doc<U: fullauth::FullAuthUser>(fullauth: fullauth::FullAuth<U>, app: axum::Router) {
    /// let app = app.layer(
    ///     fullauth
    ///         .global_rate_limit(120, std::time::Duration::from_secs(60))
    ///         .exempt(["/health", "/metrics"]),
    /// );
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// At start-up, when `limit` or `window` is zero, or the window is longer than a day.
    pub fn global_rate_limit(&self, limit: u64, window: Duration) -> GlobalRateLimitLayer<U> {
        assert!(
            limit > 0 && !window.is_zero(),
            "a global rate limit needs a limit and a window above zero"
        );
        assert!(
            window <= Duration::from_secs(86_400),
            "a global rate-limit window is at most a day"
        );
        GlobalRateLimitLayer {
            auth: self.clone(),
            limit,
            window,
            exempt: ExemptPaths::default(),
        }
    }
}

/// The layer of [`FullAuth::global_rate_limit`].
pub struct GlobalRateLimitLayer<U: FullAuthUser> {
    auth: FullAuth<U>,
    limit: u64,
    window: Duration,
    exempt: ExemptPaths,
}

impl<U: FullAuthUser> GlobalRateLimitLayer<U> {
    /// Paths that never count nor get limited (exact matches of the full path the client asked for, prefixes of
    /// nested routers included), e.g. a health check.
    #[must_use]
    pub fn exempt<I, P>(mut self, paths: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<String>,
    {
        self.exempt.extend(paths);
        self
    }
}

impl<U: FullAuthUser> Clone for GlobalRateLimitLayer<U> {
    fn clone(&self) -> Self {
        Self {
            auth: self.auth.clone(),
            limit: self.limit,
            window: self.window,
            exempt: self.exempt.clone(),
        }
    }
}

impl<U: FullAuthUser> std::fmt::Debug for GlobalRateLimitLayer<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlobalRateLimitLayer")
            .field("limit", &self.limit)
            .field("window", &self.window)
            .field("exempt", &self.exempt)
            .finish_non_exhaustive()
    }
}

impl<S, U: FullAuthUser> Layer<S> for GlobalRateLimitLayer<U> {
    type Service = GlobalRateLimit<S, U>;

    fn layer(&self, inner: S) -> Self::Service {
        Layered::new(inner, self.clone())
    }
}

/// The service of a [`GlobalRateLimitLayer`].
pub type GlobalRateLimit<S, U> = Layered<S, GlobalRateLimitLayer<U>>;

/// Seconds, rounded up, at least one.
fn whole_seconds(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_add(u64::from(duration.subsec_nanos() > 0))
        .max(1)
}

fn set_headers(response: &mut Response, limit: u64, counted: Admission, limited: bool) {
    let seconds = whole_seconds(counted.resets_in);
    let remaining = limit.saturating_sub(counted.count);
    let headers = response.headers_mut();
    let mut values = vec![
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", seconds.to_string()),
    ];
    if limited {
        values.push(("retry-after", seconds.to_string()));
    }
    for (name, value) in values {
        // A route's own limit (a per-route 429) speaks for itself.
        if headers.contains_key(name) {
            continue;
        }
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
}

impl<U: FullAuthUser> Around for GlobalRateLimitLayer<U> {
    fn around<S: Inner<B>, B: Send + 'static>(&self, request: Request<B>, next: Next<S>) -> Answer {
        let layer = self.clone();
        Box::pin(async move {
            if layer.exempt.cover(&request) {
                return next.run(request).await;
            }
            let config = &layer.auth.inner.config;
            let peer = peer_in(request.extensions());
            let client = resolve(request.headers(), peer, &config.proxies);
            if client.is_unknown() {
                return crate::error::Error::NoClientAddress.into_response();
            }
            // Layers with other limits or windows keep counters of their own.
            let key = format!(
                "fullauth:ratelimit:global:{}:{}:{}",
                layer.limit,
                layer.window.as_millis(),
                client.0
            );
            let counted = layer.auth.admit(&key, layer.window, layer.limit).await;
            if !counted.admitted {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(json!({"detail": "Too Many Requests"})),
                )
                    .into_response();
                set_headers(&mut response, layer.limit, counted, true);
                return response;
            }
            let mut response = next.run(request).await;
            set_headers(&mut response, layer.limit, counted, false);
            response
        })
    }
}
