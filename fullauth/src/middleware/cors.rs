//! The CORS layer: front ends on other origins may call the API with credentials, and only those listed.

use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_layer::Layer;

use super::layered::{Answer, Around, Inner, Layered, Next};
use crate::config;
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;

/// The methods a listed origin may use.
const METHODS: &str = "GET, HEAD, POST, PUT, PATCH, DELETE";
/// The request headers a listed origin may send, besides those added with [`CorsLayer::allow_headers`].
const HEADERS: &str = "authorization, content-type, x-csrf-token";
/// The response headers a listed origin's scripts may read, besides the always readable ones.
const EXPOSED: &str = "retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset";
/// How long browsers may keep a preflight's answer, in seconds.
const MAX_AGE: &str = "600";

impl<U: FullAuthUser> FullAuth<U> {
    /// A layer letting the front ends of `cors.origins` (`FULLAUTH_CORS_ORIGINS`) call every route it wraps from
    /// their own origin, with credentials: cookies and the `Authorization` header.
    ///
    /// A request from a listed origin gets `Access-Control-Allow-Origin: <that origin>` (never `*`),
    /// `Access-Control-Allow-Credentials: true` and the rate-limit headers exposed to scripts; its preflight is
    /// answered 204 with the methods `GET`, `HEAD`, `POST`, `PUT`, `PATCH`, `DELETE` and the headers
    /// `Authorization`, `Content-Type` and `X-CSRF-Token`. A preflight from any other origin is answered 403
    /// `{"detail":"CORS origin not allowed."}`, and its other requests get no CORS headers, so browsers keep the
    /// answers from its scripts. Every answer to a request with an `Origin` says `Vary: Origin`.
    ///
    /// The CSRF layer trusts the same origins. Put this layer outside it, so that preflights are answered
    /// first:
    ///
    /// ```no_run
    /// # fn doc<U: fullauth::FullAuthUser>(fullauth: fullauth::FullAuth<U>, app: axum::Router) {
    /// let app = app.layer(fullauth.csrf()).layer(fullauth.cors());
    /// # }
    /// ```
    pub fn cors(&self) -> CorsLayer {
        CorsLayer::default().allow_origins(&self.inner.config.cors.origins)
    }
}

/// The layer of [`FullAuth::cors`].
#[derive(Debug, Clone)]
pub struct CorsLayer {
    origins: Arc<Vec<String>>,
    allowed_headers: HeaderValue,
}

impl Default for CorsLayer {
    /// A layer that lists no origin yet.
    fn default() -> Self {
        Self {
            origins: Arc::default(),
            allowed_headers: HeaderValue::from_static(HEADERS),
        }
    }
}

impl CorsLayer {
    /// More origins that may call with credentials, e.g. `https://app.example.com`.
    ///
    /// # Panics
    ///
    /// At start-up, for `*` or anything that is not an origin (`scheme://host[:port]`, no path).
    #[must_use]
    pub fn allow_origins<I, O>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = O>,
        O: AsRef<str>,
    {
        for origin in origins {
            let origin = origin.as_ref();
            assert!(
                origin.trim() != "*",
                "a CORS origin cannot be `*` when credentials are allowed: list the front ends' origins"
            );
            Arc::make_mut(&mut self.origins).push(config::origin_or_panic(origin));
        }
        self
    }

    /// More request headers that the listed origins may send, besides `Authorization`, `Content-Type` and
    /// `X-CSRF-Token`.
    ///
    /// # Panics
    ///
    /// At start-up, for a name that is not a header name.
    #[must_use]
    pub fn allow_headers<I, N>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = N>,
        N: AsRef<str>,
    {
        let mut allowed = self.allowed_headers.to_str().unwrap_or(HEADERS).to_owned();
        for name in names {
            let name = name.as_ref();
            let parsed = HeaderName::from_bytes(name.trim().as_bytes())
                .unwrap_or_else(|_| panic!("`{name}` is not a header name"));
            allowed.push_str(", ");
            allowed.push_str(parsed.as_str());
        }
        self.allowed_headers = HeaderValue::from_str(&allowed)
            .unwrap_or_else(|_| panic!("`{allowed}` is not a header value"));
        self
    }

    /// The request's `Origin`, when it is one of the listed origins.
    fn listed_origin<B>(&self, request: &Request<B>) -> Option<HeaderValue> {
        let value = request.headers().get(header::ORIGIN)?;
        let origin = config::normalized_origin(value.to_str().ok()?)?;
        self.origins.contains(&origin).then(|| value.clone())
    }

    fn preflight(&self, origin: Option<HeaderValue>) -> Response {
        let Some(origin) = origin else {
            let mut refused =
                ApiError::detail(StatusCode::FORBIDDEN, "CORS origin not allowed.").into_response();
            vary_on_origin(&mut refused);
            return refused;
        };
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        allow_with_credentials(headers, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static(METHODS),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            self.allowed_headers.clone(),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static(MAX_AGE),
        );
        vary_on_origin(&mut response);
        response
    }
}

/// Lets the scripts of `origin` (a listed one, never `*`) read the answer of a request made with credentials.
fn allow_with_credentials(headers: &mut axum::http::HeaderMap, origin: HeaderValue) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

/// Tells caches that the answer depends on the `Origin` header.
fn vary_on_origin(response: &mut Response) {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("origin"));
}

impl<S> Layer<S> for CorsLayer {
    type Service = Cors<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Layered::new(inner, self.clone())
    }
}

/// The service of a [`CorsLayer`].
pub type Cors<S> = Layered<S, CorsLayer>;

impl Around for CorsLayer {
    fn around<S: Inner<B>, B: Send + 'static>(&self, request: Request<B>, next: Next<S>) -> Answer {
        let origin = self.listed_origin(&request);
        let preflight = request.method() == Method::OPTIONS
            && request
                .headers()
                .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
        if preflight {
            let response = self.preflight(origin);
            return Box::pin(async move { response });
        }
        let sent_origin = request.headers().contains_key(header::ORIGIN);
        Box::pin(async move {
            let mut response = next.run(request).await;
            if sent_origin {
                vary_on_origin(&mut response);
            }
            if let Some(origin) = origin {
                let headers = response.headers_mut();
                allow_with_credentials(headers, origin);
                headers.insert(
                    header::ACCESS_CONTROL_EXPOSE_HEADERS,
                    HeaderValue::from_static(EXPOSED),
                );
            }
            response
        })
    }
}
