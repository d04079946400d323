//! Errors: [`Error`] for setting fullauth up and for the library API, [`ApiError`] for HTTP answers.

use std::borrow::Cow;
use std::fmt;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::config::ConfigError;
use crate::json::Issues;
use crate::migrations::MigrationError;
use crate::state::StateError;
use crate::store::StoreError;

/// Everything that can go wrong outside an HTTP answer: configuration, database, shared state.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An option is missing, malformed or out of range.
    Config(ConfigError),
    /// A storage operation failed.
    Store(StoreError),
    /// The shared state failed.
    State(StateError),
    /// Migrations could not be read, written or applied.
    Migration(MigrationError),
    /// A bug or an environment failure (a panicked task, a closed pool).
    Internal(String),
}

impl Error {
    pub(crate) fn config(option: &str, reason: &str) -> Self {
        Error::Config(ConfigError::invalid(option, reason))
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(error) => error.fmt(f),
            Error::Store(error) => error.fmt(f),
            Error::State(error) => error.fmt(f),
            Error::Migration(error) => error.fmt(f),
            Error::Internal(message) => write!(f, "internal error: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Config(error) => Some(error),
            Error::Store(error) => Some(error),
            Error::State(error) => Some(error),
            Error::Migration(error) => Some(error),
            Error::Internal(_) => None,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(error)
    }
}

impl From<StoreError> for Error {
    fn from(error: StoreError) -> Self {
        Error::Store(error)
    }
}

impl From<StateError> for Error {
    fn from(error: StateError) -> Self {
        Error::State(error)
    }
}

/// An HTTP error answer, with the status, body and headers of fastapi-fullauth.
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
    /// `X-RateLimit-Reset` (Unix time of the window's end) and `Retry-After` (whole seconds, rounded up).
    TooManyRequests {
        /// Requests allowed per window.
        limit: u64,
        /// Time until the window ends.
        retry_after: std::time::Duration,
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

    /// The answer to a body that could not be read: 413 when over the limit, 400 otherwise.
    pub(crate) fn from_body_rejection(rejection: axum::extract::rejection::BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::detail(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
        } else {
            ApiError::detail(StatusCode::BAD_REQUEST, "Could not read the request body")
        }
    }

    /// The status code of the answer.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::Detail(status, _) => *status,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
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

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if error.is_unavailable() {
            tracing::warn!(%error, "database unavailable");
            ApiError::Unavailable
        } else {
            tracing::error!(%error, "database error");
            ApiError::Internal
        }
    }
}

impl From<StateError> for ApiError {
    fn from(error: StateError) -> Self {
        tracing::warn!(%error, "shared state unavailable");
        ApiError::Unavailable
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Store(error) => error.into(),
            Error::State(error) => error.into(),
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::Internal
            }
        }
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
                let seconds = retry_after
                    .as_secs()
                    .saturating_add(u64::from(retry_after.subsec_nanos() > 0));
                let seconds = seconds.max(1);
                let reset = crate::model::now()
                    .unix_timestamp()
                    .saturating_add(i64::try_from(seconds).unwrap_or(i64::MAX));
                let mut response = (
                    status,
                    axum::Json(json!({"detail": "Too many requests. Try again later."})),
                )
                    .into_response();
                let headers = response.headers_mut();
                for (name, value) in [
                    ("x-ratelimit-limit", limit.to_string()),
                    ("x-ratelimit-remaining", "0".to_owned()),
                    ("x-ratelimit-reset", reset.to_string()),
                    ("retry-after", seconds.to_string()),
                ] {
                    if let Ok(value) = HeaderValue::from_str(&value) {
                        headers.insert(name, value);
                    }
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
