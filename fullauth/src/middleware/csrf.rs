//! The CSRF layer: a signed double-submit cookie and an origin check on every state-changing request.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::http::{HeaderMap, Method, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tower_layer::Layer;
use tower_service::Service;

use crate::cookies::{self, CSRF, CookieSettings};
use crate::error::ApiError;
use crate::fullauth::FullAuth;
use crate::model::FullAuthUser;
use crate::routes::bearer_token;

/// The header that must repeat the CSRF cookie's value.
pub const CSRF_HEADER: &str = "x-csrf-token";

const ORIGIN_FAILED: &str = "CSRF origin check failed.";
const TOKEN_MISSING: &str = "CSRF token missing.";
const SIGNATURE_INVALID: &str = "CSRF cookie signature invalid.";
const TOKEN_MISMATCH: &str = "CSRF token mismatch.";

impl<U: FullAuthUser> FullAuth<U> {
    /// A layer protecting every route it wraps against cross-site request forgery, for applications whose
    /// browsers sign in with cookies (`cookie_transport`).
    ///
    /// Every response to a request without a valid CSRF cookie sets one: `fullauth_csrf` (or
    /// `__Host-fullauth_csrf`), a random value and its HMAC under a key derived from `secret_key`, readable by the
    /// page's scripts. A request that changes state (any method but `GET`, `HEAD`, `OPTIONS` and `TRACE`)
    /// passes only when
    ///
    /// 1. its `Origin` (else its `Referer`, when either is sent) is the host it was sent to or one of
    ///    `csrf_trusted_origins`: otherwise 403 `CSRF origin check failed.`;
    /// 2. it carries the cookie and the `X-CSRF-Token` header: otherwise 403 `CSRF token missing.`;
    /// 3. the cookie's signature holds: otherwise 403 `CSRF cookie signature invalid.`;
    /// 4. the header repeats the cookie exactly: otherwise 403 `CSRF token mismatch.`.
    ///
    /// `POST /login` and `POST /register` are covered like any other route, so a forged sign-in into the
    /// attacker's account fails too. A request authenticated only by an `Authorization` header, without
    /// fullauth's token cookies, is not checked: browsers never add that header to a forged request.
    ///
    /// ```no_run
    /// # fn doc<U: fullauth::FullAuthUser>(fullauth: fullauth::FullAuth<U>, app: axum::Router) {
    /// let app = app.layer(fullauth.csrf().exempt(["/webhooks/payments"]));
    /// # }
    /// ```
    pub fn csrf(&self) -> CsrfLayer<U> {
        let trusted = self
            .inner
            .config
            .csrf_trusted_origins
            .iter()
            .filter_map(|origin| cookies::normalized_origin(origin))
            .collect();
        CsrfLayer {
            auth: self.clone(),
            trusted: Arc::new(trusted),
            exempt: Arc::new(Vec::new()),
        }
    }
}

/// The layer of [`FullAuth::csrf`].
pub struct CsrfLayer<U: FullAuthUser> {
    auth: FullAuth<U>,
    trusted: Arc<Vec<String>>,
    exempt: Arc<Vec<String>>,
}

impl<U: FullAuthUser> CsrfLayer<U> {
    /// Origins accepted besides the request's own host and `csrf_trusted_origins`, e.g.
    /// `https://app.example.com`.
    ///
    /// # Panics
    ///
    /// At start-up, when one is not an origin (`scheme://host[:port]`, no path).
    #[must_use]
    pub fn trusted_origins<I, O>(mut self, origins: I) -> Self
    where
        I: IntoIterator<Item = O>,
        O: AsRef<str>,
    {
        for origin in origins {
            let origin = origin.as_ref();
            let normalized = cookies::normalized_origin(origin).unwrap_or_else(|| {
                panic!(
                    "`{origin}` is not an origin: write `https://app.example.com`, without a path"
                )
            });
            Arc::make_mut(&mut self.trusted).push(normalized);
        }
        self
    }

    /// Paths whose requests are never checked (exact matches), e.g. a webhook that other servers call.
    #[must_use]
    pub fn exempt<I, P>(mut self, paths: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<String>,
    {
        Arc::make_mut(&mut self.exempt).extend(paths.into_iter().map(Into::into));
        self
    }

    /// Why a state-changing request is refused, if it is.
    fn refusal(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        cookie: Option<&str>,
    ) -> Option<&'static str> {
        if !self.origin_allowed(headers, uri) {
            return Some(ORIGIN_FAILED);
        }
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty());
        let (Some(cookie), Some(sent)) = (cookie, sent) else {
            return Some(TOKEN_MISSING);
        };
        if !signed(self.auth.inner.tokens.csrf_key(), cookie) {
            return Some(SIGNATURE_INVALID);
        }
        if !same_bytes(cookie.as_bytes(), sent.as_bytes()) {
            return Some(TOKEN_MISMATCH);
        }
        None
    }

    /// The `Origin` header, else the origin of the `Referer`, must be this host or a trusted origin; a request
    /// with neither (not a browser, or one that withholds both) passes on to the token check.
    fn origin_allowed(&self, headers: &HeaderMap, uri: &Uri) -> bool {
        let text = |name| headers.get(name).and_then(|value| value.to_str().ok());
        let origin = match (text(header::ORIGIN), text(header::REFERER)) {
            (Some(origin), _) => match cookies::normalized_origin(origin) {
                Some(origin) => origin,
                // `null` (sandboxed frames, cross-site redirects) and anything malformed.
                None => return false,
            },
            (None, Some(referer)) => match cookies::origin_of_url(referer) {
                Some(origin) => origin,
                None => return true,
            },
            (None, None) => return true,
        };
        if self.trusted.contains(&origin) {
            return true;
        }
        let host =
            text(header::HOST).or_else(|| uri.authority().map(|authority| authority.as_str()));
        host.is_some_and(|host| cookies::same_host(&origin, host))
    }
}

impl<U: FullAuthUser> Clone for CsrfLayer<U> {
    fn clone(&self) -> Self {
        Self {
            auth: self.auth.clone(),
            trusted: Arc::clone(&self.trusted),
            exempt: Arc::clone(&self.exempt),
        }
    }
}

impl<U: FullAuthUser> std::fmt::Debug for CsrfLayer<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsrfLayer")
            .field("trusted", &self.trusted)
            .field("exempt", &self.exempt)
            .finish_non_exhaustive()
    }
}

impl<S, U: FullAuthUser> Layer<S> for CsrfLayer<U> {
    type Service = Csrf<S, U>;

    fn layer(&self, inner: S) -> Self::Service {
        Csrf {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service of a [`CsrfLayer`].
pub struct Csrf<S, U: FullAuthUser> {
    inner: S,
    layer: CsrfLayer<U>,
}

impl<S: Clone, U: FullAuthUser> Clone for Csrf<S, U> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S, U: FullAuthUser> std::fmt::Debug for Csrf<S, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Csrf")
            .field("layer", &self.layer)
            .finish_non_exhaustive()
    }
}

impl<S, U, B> Service<Request<B>> for Csrf<S, U>
where
    S: Service<Request<B>, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send + 'static,
    U: FullAuthUser,
    B: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let fresh = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, fresh);
        let layer = self.layer.clone();
        Box::pin(async move {
            let config = &layer.auth.inner.config;
            let key = layer.auth.inner.tokens.csrf_key();
            let settings = CookieSettings::new(config);
            let headers = request.headers();
            let cookie = settings.read(headers, CSRF).map(str::to_owned);
            let cookie_valid = cookie.as_deref().is_some_and(|value| signed(key, value));
            let safe = matches!(
                *request.method(),
                Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
            );
            let exempt = layer.exempt.iter().any(|path| path == request.uri().path());
            let bearer_only =
                bearer_token(headers).is_some() && !layer.auth.carries_token_cookies(headers);
            let refusal = if safe || exempt || bearer_only {
                None
            } else {
                layer.refusal(headers, request.uri(), cookie.as_deref())
            };
            let mut response = match refusal {
                None => inner.call(request).await?,
                Some(reason) => {
                    tracing::info!(
                        target: "fullauth::audit",
                        reason,
                        path = request.uri().path(),
                        "request refused by the CSRF check"
                    );
                    ApiError::detail(StatusCode::FORBIDDEN, reason).into_response()
                }
            };
            if !cookie_valid {
                let lifetime = config.refresh_token_lifetime();
                if let Some(line) = settings.set(CSRF, &new_token(key), lifetime, false) {
                    response.headers_mut().append(header::SET_COOKIE, line);
                }
            }
            Ok(response)
        })
    }
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8]) -> HmacSha256 {
    #[allow(clippy::expect_used)]
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// A fresh cookie value: `<random>.<hmac of random>`, both base64url.
fn new_token(key: &[u8]) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut random = [0_u8; 32];
    crate::random::fill(&mut random);
    let random = engine.encode(random);
    let mut signer = mac(key);
    signer.update(random.as_bytes());
    let signature = engine.encode(signer.finalize().into_bytes());
    format!("{random}.{signature}")
}

/// Whether `value` is `<random>.<hmac>` signed with `key` (checked in constant time).
fn signed(key: &[u8], value: &str) -> bool {
    let Some((random, signature)) = value.split_once('.') else {
        return false;
    };
    let Ok(signature) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    let mut verifier = mac(key);
    verifier.update(random.as_bytes());
    !random.is_empty() && verifier.verify_slice(&signature).is_ok()
}

/// Equality whose time does not depend on where the inputs differ.
fn same_bytes(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_signed_with_the_key() {
        let token = new_token(b"key one");
        assert!(signed(b"key one", &token));
        assert!(!signed(b"key two", &token));
        let (random, signature) = token.split_once('.').unwrap();
        assert!(!signed(b"key one", &format!("{random}x.{signature}")));
        assert!(!signed(b"key one", random));
        assert!(!signed(b"key one", &format!(".{signature}")));
        assert_ne!(new_token(b"key one"), token);
    }

    #[test]
    fn compares_whole_values() {
        assert!(same_bytes(b"abc", b"abc"));
        assert!(!same_bytes(b"abc", b"abd"));
        assert!(!same_bytes(b"abc", b"abcd"));
    }
}
