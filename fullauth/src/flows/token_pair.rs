//! [`TokenPair`]: the tokens a sign-in or a refresh hands out, and how they are issued.

use serde::Serialize;
use time::OffsetDateTime;

use super::FullAuth;
use crate::error::Error;
use crate::model::FullAuthUser;
use crate::tokens::{AccessGrants, IssuedToken};

/// The answer of `POST /refresh`: a new access token and, with rotation, a new refresh token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenPair {
    /// Access token (JWT).
    pub access_token: String,
    /// Refresh token (JWT); `None` when a cookie carries it.
    pub refresh_token: Option<String>,
    /// Always `"bearer"`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
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
        now: OffsetDateTime,
    ) -> Result<IssuedToken, Error> {
        Ok(self.inner.tokens.issue_access(
            subject,
            family_id,
            auth_time,
            grants,
            serde_json::Map::new(),
            now,
        )?)
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
