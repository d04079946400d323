//! The CSRF layer: a signed double-submit cookie and an origin check on every state-changing request.

use std::net::IpAddr;
use std::sync::Arc;

use axum::http::{HeaderMap, Method, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tower_layer::Layer;

use super::exempt::ExemptPaths;
use super::layered::{Answer, Around, Inner, Layered, Next};
use super::request_origin::origin_allowed;
use crate::config;
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::http::client::peer_in;
use crate::http::cookies::{self, ACCESS, CSRF, CookieSettings, REFRESH};
use crate::http::token_transport::bearer_token;
use crate::model::FullAuthUser;
use crate::tokens::{TokenType, hmac_sha256_with};

/// The header that must repeat the CSRF cookie's value.
pub const CSRF_HEADER: &str = "x-csrf-token";

const ORIGIN_FAILED: &str = "CSRF origin check failed.";
const TOKEN_MISSING: &str = "CSRF token missing.";
const SIGNATURE_INVALID: &str = "CSRF cookie signature invalid.";
const TOKEN_MISMATCH: &str = "CSRF token mismatch.";

impl<U: FullAuthUser> FullAuth<U> {
    /// A layer protecting every route it wraps against cross-site request forgery, for applications whose
    /// browsers sign in with cookies (`cookies.transport`).
    ///
    /// Every response to a request without a valid CSRF cookie (unless the `Authorization` header alone
    /// authenticates it) sets one: `fullauth_csrf` (or `__Host-fullauth_csrf`), a random value and its HMAC under
    /// a key derived from `secret_key`, readable by the page's scripts. The HMAC also covers the session of the request's token cookies, so a token is good for
    /// one session only: sign-in, refresh and sign-out answers set a new one, which scripts must read again. A
    /// request that changes state (any method but `GET`, `HEAD`, `OPTIONS` and `TRACE`) passes only when
    ///
    /// 1. its `Origin` (else its `Referer`, when either is sent) is the request's own origin (its host, under
    ///    the scheme the client used: see below) or one of `csrf.trusted_origins` and `cors.origins`: otherwise
    ///    403 `CSRF origin check failed.`;
    /// 2. it carries the cookie and the `X-CSRF-Token` header: otherwise 403 `CSRF token missing.`;
    /// 3. no second cookie of that name says otherwise (one planted by a neighbouring subdomain): otherwise 403
    ///    `CSRF token mismatch.`;
    /// 4. the cookie's signature holds for the request's session: otherwise 403 `CSRF cookie signature
    ///    invalid.`;
    /// 5. the header repeats the cookie exactly: otherwise 403 `CSRF token mismatch.`.
    ///
    /// `POST /login` and `POST /register` are covered like any other route, so a forged sign-in into the
    /// attacker's account fails too. A request authenticated only by an `Authorization` header, without
    /// fullauth's token cookies, is not checked: browsers never add that header to a forged request.
    ///
    /// The request's own origin is `https://<Host>` when the connection is TLS, a trusted proxy sends
    /// `X-Forwarded-Proto: https` or the cookies are `Secure`, and `http://<Host>` otherwise; with `Secure`
    /// cookies a loopback host (`localhost`, `127.0.0.1`, `[::1]`) keeps `http` too, as browsers keep such
    /// cookies there. Another scheme or port is another origin.
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
            .csrf
            .trusted_origins
            .iter()
            .chain(&self.inner.config.cors.origins)
            .filter_map(|origin| config::normalized_origin(origin))
            .collect();
        CsrfLayer {
            auth: self.clone(),
            trusted: Arc::new(trusted),
            exempt: ExemptPaths::default(),
        }
    }
}

/// The layer of [`FullAuth::csrf`].
pub struct CsrfLayer<U: FullAuthUser> {
    auth: FullAuth<U>,
    trusted: Arc<Vec<String>>,
    exempt: ExemptPaths,
}

impl<U: FullAuthUser> CsrfLayer<U> {
    /// Origins accepted besides the request's own host, `csrf.trusted_origins` and `cors.origins`, e.g.
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
        let trusted = Arc::make_mut(&mut self.trusted);
        trusted.extend(
            origins
                .into_iter()
                .map(|origin| config::origin_or_panic(origin.as_ref())),
        );
        self
    }

    /// Paths whose requests are never checked (exact matches of the full path the client asked for, prefixes of
    /// nested routers included), e.g. a webhook that other servers call.
    #[must_use]
    pub fn exempt<I, P>(mut self, paths: I) -> Self
    where
        I: IntoIterator<Item = P>,
        P: Into<String>,
    {
        self.exempt.extend(paths);
        self
    }

    /// Why a state-changing request is refused, if it is.
    fn refusal(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        peer: Option<IpAddr>,
        cookie: &CsrfCookie,
    ) -> Option<&'static str> {
        if !origin_allowed(headers, uri, peer, &self.trusted, &self.auth.inner.config) {
            return Some(ORIGIN_FAILED);
        }
        let sent = headers
            .get(CSRF_HEADER)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty());
        let (Some(value), Some(sent)) = (cookie.value.as_deref(), sent) else {
            return Some(TOKEN_MISSING);
        };
        if cookie.ambiguous {
            // Two different cookies of that name: one was planted by a neighbouring subdomain.
            return Some(TOKEN_MISMATCH);
        }
        if !cookie.valid {
            return Some(SIGNATURE_INVALID);
        }
        if !same_bytes(value.as_bytes(), sent.as_bytes()) {
            return Some(TOKEN_MISMATCH);
        }
        None
    }

    /// The session a request's token cookies belong to (their verified `family_id`), or `""` before sign-in.
    fn session_of(&self, settings: &CookieSettings, headers: &HeaderMap) -> String {
        let codec = &self.auth.inner.tokens;
        [(ACCESS, TokenType::Access), (REFRESH, TokenType::Refresh)]
            .into_iter()
            .filter_map(|(base, kind)| {
                let token = settings.read(headers, base)?;
                codec.decode(token, kind).ok()?.family_id
            })
            .next()
            .unwrap_or_default()
    }

    /// The session a response starts or ends: `Some(family_id)` when it sets a new access cookie (sign-in,
    /// refresh), `Some("")` when it clears it (sign-out), `None` when it leaves the cookies alone.
    fn session_set_by(&self, settings: &CookieSettings, response: &Response) -> Option<String> {
        let token = settings.set_by(response, ACCESS)?;
        let claims = self.auth.inner.tokens.decode(token, TokenType::Access).ok();
        Some(
            claims
                .and_then(|claims| claims.family_id)
                .unwrap_or_default(),
        )
    }
}

/// The CSRF cookies a request carries.
struct CsrfCookie {
    /// The first one, as browsers send the most specific first.
    value: Option<String>,
    /// Whether several with different values were sent.
    ambiguous: bool,
    /// Whether the first is signed for the request's session (and not ambiguous).
    valid: bool,
}

impl CsrfCookie {
    fn read(headers: &HeaderMap, settings: &CookieSettings, key: &[u8], session: &str) -> Self {
        let name = settings.name(CSRF);
        let mut values = cookies::read_all(headers, &name)
            .into_iter()
            .filter(|value| !value.is_empty());
        let value = values.next().map(str::to_owned);
        let ambiguous = value
            .as_deref()
            .is_some_and(|first| values.any(|other| other != first));
        let valid = !ambiguous
            && value
                .as_deref()
                .is_some_and(|value| signed(key, value, session));
        Self {
            value,
            ambiguous,
            valid,
        }
    }
}

impl<U: FullAuthUser> Clone for CsrfLayer<U> {
    fn clone(&self) -> Self {
        Self {
            auth: self.auth.clone(),
            trusted: Arc::clone(&self.trusted),
            exempt: self.exempt.clone(),
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
        Layered::new(inner, self.clone())
    }
}

/// The service of a [`CsrfLayer`].
pub type Csrf<S, U> = Layered<S, CsrfLayer<U>>;

impl<U: FullAuthUser> Around for CsrfLayer<U> {
    fn around<S: Inner<B>, B: Send + 'static>(&self, request: Request<B>, next: Next<S>) -> Answer {
        let layer = self.clone();
        Box::pin(async move {
            let config = &layer.auth.inner.config;
            let key = layer.auth.inner.tokens.csrf_key();
            let settings = CookieSettings::new(config);
            let headers = request.headers();
            let session = layer.session_of(&settings, headers);
            let cookie = CsrfCookie::read(headers, &settings, key, &session);
            let safe = matches!(
                *request.method(),
                Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
            );
            let exempt = layer.exempt.cover(&request);
            let bearer_only =
                bearer_token(headers).is_some() && !layer.auth.carries_token_cookies(headers);
            let refusal = if safe || exempt || bearer_only {
                None
            } else {
                let peer = peer_in(request.extensions());
                layer.refusal(headers, request.uri(), peer, &cookie)
            };
            let mut response = match refusal {
                None => next.run(request).await,
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
            // A sign-in, refresh or sign-out gets a token for the session it leaves the browser in; any other
            // answer replaces a cookie that does not fit the current session, except for clients that sign in
            // with the `Authorization` header alone and need none.
            let (session, renew) = match layer.session_set_by(&settings, &response) {
                Some(next) => (next, true),
                None => (session, !cookie.valid && !bearer_only),
            };
            if renew {
                let lifetime = config.tokens.refresh_token_lifetime();
                let token = new_token(key, &session);
                if let Some(line) = settings.set(CSRF, &token, lifetime, false) {
                    response.headers_mut().append(header::SET_COOKIE, line);
                }
            }
            response
        })
    }
}

/// A fresh cookie value for `session`: `<random>.<hmac of random and session>`, both base64url.
pub(crate) fn new_token(key: &[u8], session: &str) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut random = [0_u8; 32];
    crate::random::fill(&mut random);
    let random = engine.encode(random);
    let signature = engine.encode(signature_of(key, &random, session).finalize().into_bytes());
    format!("{random}.{signature}")
}

fn signature_of(key: &[u8], random: &str, session: &str) -> Hmac<Sha256> {
    let mut signer = hmac_sha256_with(key);
    // The random part is base64url, so the separator cannot occur in it.
    signer.update(random.as_bytes());
    signer.update(b"|");
    signer.update(session.as_bytes());
    signer
}

/// Whether `value` is `<random>.<hmac>` signed with `key` for `session` (checked in constant time).
fn signed(key: &[u8], value: &str, session: &str) -> bool {
    let Some((random, signature)) = value.split_once('.') else {
        return false;
    };
    if random.is_empty() || random.contains('|') {
        return false;
    }
    let Ok(signature) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(signature) else {
        return false;
    };
    signature_of(key, random, session)
        .verify_slice(&signature)
        .is_ok()
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
    fn tokens_are_signed_with_the_key_for_the_session() {
        let token = new_token(b"key one", "");
        assert!(signed(b"key one", &token, ""));
        assert!(!signed(b"key two", &token, ""));
        assert!(!signed(b"key one", &token, "a-session"));
        let bound = new_token(b"key one", "a-session");
        assert!(signed(b"key one", &bound, "a-session"));
        assert!(!signed(b"key one", &bound, "another-session"));
        assert!(!signed(b"key one", &bound, ""));
        let (random, signature) = token.split_once('.').unwrap();
        assert!(!signed(b"key one", &format!("{random}x.{signature}"), ""));
        assert!(!signed(b"key one", random, ""));
        assert_ne!(new_token(b"key one", ""), token);
        // An empty random part is refused even with a signature that fits it.
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let empty = engine.encode(signature_of(b"key one", "", "").finalize().into_bytes());
        assert!(!signed(b"key one", &format!(".{empty}"), ""));
        // The separator cannot shift bytes between the random part and the session.
        let shifted = engine.encode(
            signature_of(b"key one", "ab", "|cd")
                .finalize()
                .into_bytes(),
        );
        assert!(!signed(b"key one", &format!("ab|.{shifted}"), "cd"));
    }

    #[test]
    fn compares_whole_values() {
        assert!(same_bytes(b"abc", b"abc"));
        assert!(!same_bytes(b"abc", b"abd"));
        assert!(!same_bytes(b"abc", b"abcd"));
    }
}
