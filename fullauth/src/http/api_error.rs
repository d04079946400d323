//! [`ApiError`]: an HTTP error answer with fastapi-fullauth's status, body and headers, and the one place where a
//! domain [`Error`] becomes one.

use std::borrow::Cow;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::error::{Error, MfaFailure, OAuthFailure, ReauthFailure};
use crate::json::Issues;

/// An HTTP error answer, with the status, body and headers of fastapi-fullauth.
///
/// Every fallible fullauth operation returns an [`Error`]; `?` in a handler returning `ApiError` converts it,
/// with the answer fastapi-fullauth gives for it. Failures of components (database, shared state, hashing) are
/// logged with their cause, never sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ApiError {
    /// 401 `{"detail":"Could not validate credentials"}` with `WWW-Authenticate: Bearer`.
    Unauthorized,
    /// 403 `{"detail":"Not enough permissions"}`.
    Forbidden,
    /// Any status with `{"detail": "<message>"}`.
    Detail(StatusCode, Cow<'static, str>),
    /// 422 with the pydantic list of issues.
    Validation(Issues),
    /// 429 `{"detail":"Too many requests. Try again later."}` with `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0`,
    /// `X-RateLimit-Reset` (seconds until the window ends, as fastapi-fullauth sends it) and `Retry-After` (whole seconds, rounded up).
    TooManyRequests {
        /// Requests allowed per window.
        limit: u64,
        /// Time until the window ends.
        retry_after: std::time::Duration,
    },
    /// 400 `{"detail":"Conflicting cookies: ..."}`: the request carried a fullauth cookie more than once (one
    /// planted by a neighbouring subdomain, or left at an older `Path`). The answer expires fullauth's token
    /// cookies at every `Path` fullauth uses (`clears`), so the browser recovers at its next sign-in.
    ConflictingCookies {
        /// The cookie sent more than once.
        cookie: String,
        /// The `Set-Cookie` headers that expire the token cookies.
        clears: Vec<HeaderValue>,
    },
    /// 503: the database or the shared state is unreachable; retry shortly.
    Unavailable,
    /// 500: a bug; the cause is logged, never sent.
    Internal,
}

impl ApiError {
    /// `{"detail": message}` with `status`.
    pub fn detail(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        ApiError::Detail(status, message.into())
    }

    /// The status code of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Detail(status, _) => *status,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::ConflictingCookies { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<Issues> for ApiError {
    fn from(issues: Issues) -> Self {
        ApiError::Validation(issues)
    }
}

/// The answer to each domain error: the only place where one becomes a status code.
impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::InvalidCredentials => ApiError::Unauthorized,
            Error::Forbidden => ApiError::Forbidden,
            Error::Reauthentication(ReauthFailure::WrongPassword) => {
                ApiError::detail(StatusCode::FORBIDDEN, "Current password is incorrect")
            }
            Error::Reauthentication(ReauthFailure::SignInTooOld) => {
                ApiError::detail(StatusCode::FORBIDDEN, "Re-authentication required")
            }
            Error::WrongCurrentPassword => {
                ApiError::detail(StatusCode::BAD_REQUEST, "Current password is incorrect")
            }
            Error::WeakPassword(rules) => {
                ApiError::detail(StatusCode::UNPROCESSABLE_ENTITY, rules.join("; "))
            }
            Error::InvalidName { kind, reason } => ApiError::detail(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("The {kind} name {reason}."),
            ),
            Error::LastSuperuser => ApiError::detail(
                StatusCode::CONFLICT,
                "The last active superuser cannot be deleted or deactivated: make another user a superuser first.",
            ),
            Error::RateLimited { limit, retry_after } => {
                ApiError::TooManyRequests { limit, retry_after }
            }
            Error::OAuth(failure) => oauth_answer(failure),
            Error::Passkey(failure) => {
                let (status, detail) = super::passkey_answer::passkey_answer(failure);
                ApiError::detail(status, detail)
            }
            Error::Mfa(failure) => mfa_answer(failure),
            Error::Store(error) if error.is_unavailable() => {
                tracing::warn!(%error, "database unavailable");
                ApiError::Unavailable
            }
            Error::Store(error) => {
                tracing::error!(%error, "database error");
                ApiError::Internal
            }
            Error::SharedState(error) => {
                tracing::warn!(%error, "shared state unavailable");
                ApiError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::Internal
            }
        }
    }
}

/// The answer to a refused MFA operation, in the Python library's words.
fn mfa_answer(failure: MfaFailure) -> ApiError {
    let already = "Two-factor authentication is already enabled";
    match failure {
        MfaFailure::NotEnabled => ApiError::detail(
            StatusCode::NOT_FOUND,
            "Two-factor authentication is not enabled",
        ),
        MfaFailure::AlreadyEnabled => ApiError::detail(StatusCode::CONFLICT, already),
        MfaFailure::AlreadyConfirmed => ApiError::detail(StatusCode::BAD_REQUEST, already),
        MfaFailure::NotEnrolled => ApiError::detail(
            StatusCode::BAD_REQUEST,
            "Start enrolment before confirming it",
        ),
        MfaFailure::InvalidCode => ApiError::detail(StatusCode::BAD_REQUEST, "Invalid code"),
    }
}

/// The answer to a refused OAuth operation, in the Python library's words.
fn oauth_answer(failure: OAuthFailure) -> ApiError {
    match failure {
        OAuthFailure::ProviderNotConfigured(name) => ApiError::detail(
            StatusCode::NOT_FOUND,
            format!("OAuth provider '{name}' not configured"),
        ),
        OAuthFailure::InvalidRedirectUri => {
            ApiError::detail(StatusCode::BAD_REQUEST, "Invalid redirect URI")
        }
        OAuthFailure::Failed(reason) => {
            tracing::info!(target: "fullauth::audit", %reason, "OAuth callback refused");
            ApiError::detail(StatusCode::BAD_REQUEST, "OAuth authentication failed")
        }
        OAuthFailure::IdentityOwned => ApiError::detail(
            StatusCode::CONFLICT,
            "This OAuth account is already linked to another user",
        ),
        OAuthFailure::ProviderAlreadyLinked => ApiError::detail(
            StatusCode::CONFLICT,
            "This provider is already linked to your account",
        ),
        OAuthFailure::AccountNotFound => {
            ApiError::detail(StatusCode::NOT_FOUND, "OAuth account not found")
        }
        OAuthFailure::OnlySignInMethod { passkeys_available } => ApiError::detail(
            StatusCode::BAD_REQUEST,
            if passkeys_available {
                "Cannot remove your only sign-in method. Set a password or add a passkey first."
            } else {
                "Cannot remove your only sign-in method. Set a password first."
            },
        ),
        OAuthFailure::NotEnabled => ApiError::detail(StatusCode::NOT_FOUND, "Not Found"),
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        match self {
            ApiError::Unauthorized => {
                let mut response = (
                    status,
                    axum::Json(json!({"detail": "Could not validate credentials"})),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                response
            }
            ApiError::Forbidden => (
                status,
                axum::Json(json!({"detail": "Not enough permissions"})),
            )
                .into_response(),
            ApiError::Detail(_, message) => {
                (status, axum::Json(json!({"detail": message}))).into_response()
            }
            ApiError::Validation(issues) => {
                (status, axum::Json(json!({"detail": issues}))).into_response()
            }
            ApiError::TooManyRequests { limit, retry_after } => {
                too_many_requests(status, limit, retry_after)
            }
            ApiError::ConflictingCookies { cookie, clears } => {
                let detail = format!(
                    "Conflicting cookies: {cookie} was sent more than once. fullauth's cookies have been \
                     cleared; sign in again."
                );
                let mut response =
                    (status, axum::Json(json!({ "detail": detail }))).into_response();
                for line in clears {
                    response.headers_mut().append(header::SET_COOKIE, line);
                }
                response
            }
            ApiError::Unavailable => {
                let mut response = (
                    status,
                    axum::Json(json!({"detail": "Service temporarily unavailable"})),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                response
            }
            ApiError::Internal => (
                status,
                axum::Json(json!({"detail": "Internal Server Error"})),
            )
                .into_response(),
        }
    }
}

fn too_many_requests(status: StatusCode, limit: u64, retry_after: std::time::Duration) -> Response {
    let seconds = retry_after
        .as_secs()
        .saturating_add(u64::from(retry_after.subsec_nanos() > 0));
    let seconds = seconds.max(1);
    let mut response = (
        status,
        axum::Json(json!({"detail": "Too many requests. Try again later."})),
    )
        .into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", limit.to_string()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", seconds.to_string()),
        ("retry-after", seconds.to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    fn answer(error: Error) -> (StatusCode, Option<String>) {
        match ApiError::from(error) {
            ApiError::Detail(status, message) => (status, Some(message.into_owned())),
            other => (other.status(), None),
        }
    }

    #[test]
    fn each_refusal_has_the_answer_of_fastapi_fullauth() {
        let detail = |status, message: &str| (status, Some(message.to_owned()));
        assert_eq!(
            answer(Error::InvalidCredentials),
            (StatusCode::UNAUTHORIZED, None)
        );
        assert_eq!(answer(Error::Forbidden), (StatusCode::FORBIDDEN, None));
        let oauth = |failure| answer(Error::OAuth(failure));
        assert_eq!(
            oauth(OAuthFailure::ProviderNotConfigured("x".into())),
            detail(StatusCode::NOT_FOUND, "OAuth provider 'x' not configured")
        );
        assert_eq!(
            oauth(OAuthFailure::InvalidRedirectUri),
            detail(StatusCode::BAD_REQUEST, "Invalid redirect URI")
        );
        assert_eq!(
            oauth(OAuthFailure::Failed("the nonce differs".into())),
            detail(StatusCode::BAD_REQUEST, "OAuth authentication failed")
        );
        assert_eq!(
            oauth(OAuthFailure::AccountNotFound),
            detail(StatusCode::NOT_FOUND, "OAuth account not found")
        );
        assert_eq!(
            oauth(OAuthFailure::OnlySignInMethod {
                passkeys_available: true
            }),
            detail(
                StatusCode::BAD_REQUEST,
                "Cannot remove your only sign-in method. Set a password or add a passkey first."
            )
        );
        assert_eq!(
            oauth(OAuthFailure::OnlySignInMethod {
                passkeys_available: false
            }),
            detail(
                StatusCode::BAD_REQUEST,
                "Cannot remove your only sign-in method. Set a password first."
            )
        );
        assert_eq!(oauth(OAuthFailure::IdentityOwned).0, StatusCode::CONFLICT);
        assert_eq!(
            oauth(OAuthFailure::ProviderAlreadyLinked).0,
            StatusCode::CONFLICT
        );
        assert_eq!(
            answer(Error::Reauthentication(ReauthFailure::WrongPassword)),
            detail(StatusCode::FORBIDDEN, "Current password is incorrect")
        );
        assert_eq!(
            answer(Error::Reauthentication(ReauthFailure::SignInTooOld)),
            detail(StatusCode::FORBIDDEN, "Re-authentication required")
        );
        assert_eq!(
            answer(Error::WrongCurrentPassword),
            detail(StatusCode::BAD_REQUEST, "Current password is incorrect")
        );
        assert_eq!(
            answer(Error::WeakPassword(vec!["one".into(), "two".into()])),
            detail(StatusCode::UNPROCESSABLE_ENTITY, "one; two")
        );
        assert_eq!(
            answer(Error::InvalidName {
                kind: "role",
                reason: "must not be empty"
            }),
            detail(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The role name must not be empty."
            )
        );
        assert_eq!(
            answer(Error::RolesNotDeclared),
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        );
    }

    #[test]
    fn component_failures_are_503_when_transient_and_500_otherwise() {
        let io = || std::io::Error::other("connection reset");
        assert_eq!(
            answer(Error::Store(StoreError::unavailable(io()))),
            (StatusCode::SERVICE_UNAVAILABLE, None)
        );
        assert_eq!(
            answer(Error::Store(StoreError::database(io()))),
            (StatusCode::INTERNAL_SERVER_ERROR, None)
        );
        assert_eq!(
            answer(Error::SharedState(crate::shared_state::StateError::new(
                io()
            ))),
            (StatusCode::SERVICE_UNAVAILABLE, None)
        );
        // The cause stays reachable, typed, for logs and callers.
        let error = Error::Store(StoreError::database(io()));
        let cause = std::error::Error::source(&error)
            .and_then(std::error::Error::source)
            .and_then(|source| source.downcast_ref::<std::io::Error>());
        assert_eq!(
            cause.map(ToString::to_string).as_deref(),
            Some("connection reset")
        );
    }
}
