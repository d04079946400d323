//! [`TokenPair`]: the tokens a sign-in or a refresh hands out, and how they are issued.

use serde::Serialize;
use time::OffsetDateTime;

use super::FullAuth;
use crate::error::Error;
use crate::model::FullAuthUser;
use crate::tokens::{AccessGrants, IssuedToken};

/// The answer of `POST /refresh`: a new access token and, with rotation, a new refresh token.
///
/// `Debug` shows the tokens' lengths, never the tokens.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "A new access token and, with rotation, a new refresh token.")
)]
pub struct TokenPair {
    /// Access token (JWT).
    pub access_token: String,
    /// Refresh token (JWT); `null` (`None`) when a cookie carries it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub refresh_token: Option<String>,
    /// Always `"bearer"`.
    #[cfg_attr(feature = "openapi", schema(schema_with = bearer))]
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
}

/// The schema of `token_type`: the one string `bearer`.
#[cfg(feature = "openapi")]
pub(crate) fn bearer() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .enum_values(Some(["bearer"]))
        .build()
}

impl std::fmt::Debug for TokenPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPair")
            .field("access_token", &crate::tokens::Redacted(&self.access_token))
            .field(
                "refresh_token",
                &self.refresh_token.as_deref().map(crate::tokens::Redacted),
            )
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

impl<U: crate::model::FullAuthUser> FullAuth<U> {
    /// When a refresh-token row issued at `now` for the session opened at `auth_time` (Unix seconds) expires: a
    /// refresh-token lifetime later, but never past the session's maximum age.
    pub(crate) fn refresh_row_expiry(&self, auth_time: i64, now: OffsetDateTime) -> OffsetDateTime {
        let lifetime = add(now, self.inner.tokens.refresh_lifetime());
        lifetime.min(self.session_end(auth_time))
    }

    /// When the session opened at `auth_time` (Unix seconds) ends, however often it is refreshed.
    pub(crate) fn session_end(&self, auth_time: i64) -> OffsetDateTime {
        let opened =
            OffsetDateTime::from_unix_timestamp(auth_time).unwrap_or(OffsetDateTime::UNIX_EPOCH);
        add(opened, self.inner.config.tokens.session_max_age())
    }
}

/// `instant - duration`, or the Unix epoch when that cannot be represented (nothing expired before it).
pub(crate) fn subtract(instant: OffsetDateTime, duration: std::time::Duration) -> OffsetDateTime {
    time::Duration::try_from(duration)
        .ok()
        .and_then(|duration| instant.checked_sub(duration))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `instant + duration`, saturating at `instant` when the sum cannot be represented.
pub(crate) fn add(instant: OffsetDateTime, duration: std::time::Duration) -> OffsetDateTime {
    let duration = time::Duration::try_from(duration).unwrap_or(time::Duration::MAX);
    instant.checked_add(duration).unwrap_or(instant)
}

impl<U: FullAuthUser> FullAuth<U> {
    pub(crate) fn issue_access_token(
        &self,
        subject: String,
        family_id: uuid::Uuid,
        auth_time: i64,
        grants: AccessGrants,
        extra: serde_json::Map<String, serde_json::Value>,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, Error> {
        Ok(self
            .inner
            .tokens
            .issue_access(subject, family_id, auth_time, grants, extra, now)?)
    }

    /// The `extra` claim of an access token for `user`: the application's claims hook's, or `{}` without one.
    pub(crate) async fn custom_claims(
        &self,
        user: &U,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Error> {
        match &self.inner.claims_hook {
            Some(hook) => hook(user.clone()).await,
            None => Ok(serde_json::Map::new()),
        }
    }

    pub(crate) fn pair(&self, access: IssuedToken, refresh: Option<IssuedToken>) -> TokenPair {
        TokenPair {
            access_token: access.token,
            refresh_token: refresh.map(|token| token.token),
            token_type: "bearer",
            expires_in: self.inner.tokens.access_lifetime().as_secs(),
        }
    }
}
