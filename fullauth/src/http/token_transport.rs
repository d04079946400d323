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
    /// access cookie; the 400 of [`ApiError::ConflictingCookies`] when that cookie was sent twice.
    pub(crate) fn access_token_of(&self, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
        match bearer_token(headers) {
            Some(token) => Ok(Some(token)),
            None => self.token_cookie(headers, ACCESS),
        }
    }

    /// The access token of a request, or the 401 of a request without one.
    pub(crate) fn required_access_token(&self, headers: &HeaderMap) -> Result<String, ApiError> {
        self.access_token_of(headers)?.ok_or(ApiError::Unauthorized)
    }

    /// The refresh token carried by the refresh cookie, with cookie transport.
    pub(crate) fn refresh_cookie(&self, headers: &HeaderMap) -> Result<Option<String>, ApiError> {
        self.token_cookie(headers, REFRESH)
    }

    /// Where the refresh cookie lives: the routes that read it (`POST /refresh` and `/logout`, under the
    /// configured mount path), so that the browser sends it nowhere else; `/` with `__Host-` names, which
    /// require it.
    pub(crate) fn refresh_cookie_path(&self) -> String {
        let config = &self.inner.config;
        let mount = config.routes.mount_path();
        if config.cookies.host_prefix || mount.is_empty() {
            "/".to_owned()
        } else {
            mount
        }
    }

    /// Whether a request carries fullauth's access or refresh cookie, whatever the transport: the CSRF layer
    /// checks such requests even when they also carry an `Authorization` header.
    pub(crate) fn carries_token_cookies(&self, headers: &HeaderMap) -> bool {
        let cookies = CookieSettings::new(&self.inner.config);
        [ACCESS, REFRESH]
            .into_iter()
            .any(|base| cookies.read(headers, base).is_some())
    }

    /// The token cookie `base`. Sent more than once (a cookie planted by a neighbouring subdomain, which the
    /// browser may send first, or one left at a `Path` fullauth used before), it is refused rather than guessed
    /// at, and the answer clears fullauth's token cookies.
    fn token_cookie(&self, headers: &HeaderMap, base: &str) -> Result<Option<String>, ApiError> {
        if !self.inner.config.cookies.transport {
            return Ok(None);
        }
        let cookies = CookieSettings::new(&self.inner.config);
        if cookies.count(headers, base) > 1 {
            return Err(ApiError::ConflictingCookies {
                cookie: cookies.name(base),
                clears: self.forget_tokens().0,
            });
        }
        Ok(cookies.read(headers, base).map(str::to_owned))
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
            lines.extend(cookies.set_at(
                REFRESH,
                &refresh,
                config.tokens.refresh_token_lifetime(),
                &self.refresh_cookie_path(),
            ));
        }
        (pair, TokenCookies(lines))
    }

    /// With cookie transport, `Set-Cookie` headers that make the browser forget both token cookies, at every
    /// `Path` fullauth has kept them (the refresh cookie lived at `/` before it moved to its routes).
    pub(crate) fn forget_tokens(&self) -> TokenCookies {
        let config = &self.inner.config;
        if !config.cookies.transport {
            return TokenCookies(Vec::new());
        }
        let cookies = CookieSettings::new(config);
        let mut lines: Vec<_> = [ACCESS, REFRESH]
            .into_iter()
            .filter_map(|base| cookies.clear(base, true))
            .collect();
        let refresh_path = self.refresh_cookie_path();
        if refresh_path != "/" {
            lines.extend(cookies.clear_at(REFRESH, &refresh_path));
        }
        TokenCookies(lines)
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
