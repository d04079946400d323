//! The security headers layer: the response headers fastapi-fullauth's middleware sets, plus an optional
//! Content-Security-Policy.

use std::sync::Arc;

use axum::http::{HeaderName, HeaderValue, Request};
use tower_layer::Layer;

use super::layered::{Answer, Around, Inner, Layered, Next};

/// When to send `Strict-Transport-Security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Hsts {
    /// On requests that arrived over HTTPS: the URI says `https`, or a proxy said so with
    /// `X-Forwarded-Proto: https` (browsers ignore the header on plain HTTP anyway).
    #[default]
    OnHttps,
    /// On every response (the server is only ever reached over HTTPS).
    Always,
    /// Never.
    Never,
}

/// Adds to every response, unless the handler set them already:
///
/// - `X-Content-Type-Options: nosniff`
/// - `X-Frame-Options: DENY`
/// - `X-XSS-Protection: 0` (the old filter does more harm than good)
/// - `Referrer-Policy: strict-origin-when-cross-origin`
/// - `Permissions-Policy: geolocation=(), camera=(), microphone=()`
/// - `Strict-Transport-Security: max-age=31536000; includeSubDomains`, on HTTPS (see [`Hsts`])
/// - `Content-Security-Policy`, when given
///
/// ```no_run
/// # let app: axum::Router = axum::Router::new();
/// use fullauth::middleware::SecurityHeadersLayer;
///
/// let app = app.layer(SecurityHeadersLayer::new().content_security_policy("default-src 'self'"));
/// ```
///
/// Responses that carry tokens also get `Cache-Control: no-store` from fullauth's routes, with or without it.
#[derive(Debug, Clone)]
pub struct SecurityHeadersLayer {
    headers: Arc<Vec<(HeaderName, HeaderValue)>>,
    hsts: Hsts,
}

const HSTS_VALUE: &str = "max-age=31536000; includeSubDomains";

impl Default for SecurityHeadersLayer {
    fn default() -> Self {
        Self::new()
    }
}

impl SecurityHeadersLayer {
    /// The headers of fastapi-fullauth, HSTS on HTTPS, no Content-Security-Policy.
    pub fn new() -> Self {
        let fixed = [
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("x-xss-protection", "0"),
            ("referrer-policy", "strict-origin-when-cross-origin"),
            (
                "permissions-policy",
                "geolocation=(), camera=(), microphone=()",
            ),
        ];
        Self {
            headers: Arc::new(
                fixed
                    .into_iter()
                    .map(|(name, value)| {
                        (
                            HeaderName::from_static(name),
                            HeaderValue::from_static(value),
                        )
                    })
                    .collect(),
            ),
            hsts: Hsts::OnHttps,
        }
    }

    /// Also sends `Content-Security-Policy: <policy>`.
    ///
    /// # Panics
    ///
    /// At start-up, when the policy is not a valid header value (a line break, say).
    #[must_use]
    pub fn content_security_policy(mut self, policy: &str) -> Self {
        let value = match HeaderValue::from_str(policy) {
            Ok(value) => value,
            Err(_) => panic!("the Content-Security-Policy {policy:?} is not a valid header value"),
        };
        Arc::make_mut(&mut self.headers)
            .push((HeaderName::from_static("content-security-policy"), value));
        self
    }

    /// When to send HSTS; [`Hsts::OnHttps`] by default.
    #[must_use]
    pub fn hsts(mut self, hsts: Hsts) -> Self {
        self.hsts = hsts;
        self
    }
}

impl<S> Layer<S> for SecurityHeadersLayer {
    type Service = SecurityHeaders<S>;

    fn layer(&self, inner: S) -> Self::Service {
        Layered::new(inner, self.clone())
    }
}

/// The service of a [`SecurityHeadersLayer`].
pub type SecurityHeaders<S> = Layered<S, SecurityHeadersLayer>;

fn over_https<B>(request: &Request<B>) -> bool {
    request.uri().scheme_str() == Some("https")
        || request
            .headers()
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| {
                proto
                    .split(',')
                    .next()
                    .is_some_and(|first| first.trim().eq_ignore_ascii_case("https"))
            })
}

impl Around for SecurityHeadersLayer {
    fn around<S: Inner<B>, B: Send + 'static>(&self, request: Request<B>, next: Next<S>) -> Answer {
        let hsts = match self.hsts {
            Hsts::Always => true,
            Hsts::OnHttps => over_https(&request),
            Hsts::Never => false,
        };
        let headers = Arc::clone(&self.headers);
        Box::pin(async move {
            let mut response = next.run(request).await;
            let target = response.headers_mut();
            for (name, value) in headers.iter() {
                if !target.contains_key(name) {
                    target.insert(name.clone(), value.clone());
                }
            }
            if hsts && !target.contains_key("strict-transport-security") {
                target.insert(
                    HeaderName::from_static("strict-transport-security"),
                    HeaderValue::from_static(HSTS_VALUE),
                );
            }
            response
        })
    }
}
