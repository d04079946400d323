//! Where a request carries its tokens (the `Authorization` header, or with cookie transport the `HttpOnly`
//! cookies), and how an answer hands new ones over or clears them.

use axum::http::{HeaderMap, header};
use axum::response::Response;

use super::ApiError;
use super::cookies::{ACCESS, CookieSettings, REFRESH};
use crate::flows::{FullAuth, TokenPair};
use crate::model::FullAuthUser;

/// The bearer token of the `Authorization` header (scheme matched case-insensitively).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

impl<U: FullAuthUser> FullAuth<U> {
    /// The access token of a request: the `Authorization: Bearer` header, else (with cookie transport) the
    /// access cookie.
    pub(crate) fn access_token_of(&self, headers: &HeaderMap) -> Option<String> {
        bearer_token(headers).or_else(|| self.token_cookie(headers, ACCESS))
    }

    /// The access token of a request, or the 401 of a request without one.
    pub(crate) fn required_access_token(&self, headers: &HeaderMap) -> Result<String, ApiError> {
        self.access_token_of(headers).ok_or(ApiError::Unauthorized)
    }

    /// The refresh token carried by the refresh cookie, with cookie transport.
    pub(crate) fn refresh_cookie(&self, headers: &HeaderMap) -> Option<String> {
        self.token_cookie(headers, REFRESH)
    }

    /// Whether a request carries fullauth's access or refresh cookie, whatever the transport: the CSRF layer
    /// checks such requests even when they also carry an `Authorization` header.
    pub(crate) fn carries_token_cookies(&self, headers: &HeaderMap) -> bool {
        let cookies = CookieSettings::new(&self.inner.config);
        [ACCESS, REFRESH]
            .into_iter()
            .any(|base| cookies.read(headers, base).is_some())
    }

    fn token_cookie(&self, headers: &HeaderMap, base: &str) -> Option<String> {
        if !self.inner.config.cookies.transport {
            return None;
        }
        CookieSettings::new(&self.inner.config)
            .read(headers, base)
            .map(str::to_owned)
    }

    /// With cookie transport, moves the tokens of `pair` into cookies on `response` and leaves `null` as the
    /// body's refresh token; without it, returns `pair` unchanged and adds nothing.
    pub(crate) fn hand_over_tokens(&self, mut pair: TokenPair) -> (TokenPair, TokenCookies) {
        let config = &self.inner.config;
        if !config.cookies.transport {
            return (pair, TokenCookies(Vec::new()));
        }
        let cookies = CookieSettings::new(config);
        let mut lines = Vec::new();
        lines.extend(cookies.set(
            ACCESS,
            &pair.access_token,
            config.tokens.access_token_lifetime(),
            true,
        ));
        // Without rotation `POST /refresh` answers no new refresh token: the cookie already holds the valid one.
        if let Some(refresh) = pair.refresh_token.take() {
            lines.extend(cookies.set(
                REFRESH,
                &refresh,
                config.tokens.refresh_token_lifetime(),
                true,
            ));
        }
        (pair, TokenCookies(lines))
    }

    /// With cookie transport, `Set-Cookie` headers that make the browser forget both token cookies.
    pub(crate) fn forget_tokens(&self) -> TokenCookies {
        let config = &self.inner.config;
        if !config.cookies.transport {
            return TokenCookies(Vec::new());
        }
        let cookies = CookieSettings::new(config);
        TokenCookies(
            [ACCESS, REFRESH]
                .into_iter()
                .filter_map(|base| cookies.clear(base, true))
                .collect(),
        )
    }
}

/// `Set-Cookie` headers to add to a response.
#[derive(Debug)]
pub(crate) struct TokenCookies(Vec<axum::http::HeaderValue>);

impl TokenCookies {
    /// Adds the cookies to `response`.
    pub(crate) fn apply(self, mut response: Response) -> Response {
        for line in self.0 {
            response.headers_mut().append(header::SET_COOKIE, line);
        }
        response
    }
}
