//! Signing out: the access token and the session of the tokens presented.

use super::FullAuth;
use super::detached::spawn_detached;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, now};
use crate::shared_state::revoked_token_key;
use crate::tokens::{Claims, TokenType, token_digest};

impl<U: FullAuthUser> FullAuth<U> {
    /// Signs out: the access token (if valid) and its session, and the session of the refresh token (if valid
    /// and owned by the same user). Fails only when neither token is valid.
    pub async fn logout(
        &self,
        access_token: Option<String>,
        refresh_token: Option<String>,
    ) -> Result<(), Error> {
        let auth = self.clone();
        spawn_detached(async move { auth.logout_in_place(access_token, refresh_token).await }).await
    }

    async fn logout_in_place(
        &self,
        access_token: Option<String>,
        refresh_token: Option<String>,
    ) -> Result<(), Error> {
        let access = match access_token {
            Some(token) => match self.verify_access_token(&token).await {
                Ok(claims) => Some(claims),
                Err(Error::InvalidCredentials) => None,
                Err(other) => return Err(other),
            },
            None => None,
        };
        let refresh = match refresh_token {
            Some(token) => self.live_refresh_claims(&token).await?,
            None => None,
        };
        let refresh = match (&access, refresh) {
            (Some(access), Some(refresh)) if refresh.sub != access.sub => None,
            (_, refresh) => refresh,
        };
        if access.is_none() && refresh.is_none() {
            return Err(Error::InvalidCredentials);
        }
        let mut families: Vec<uuid::Uuid> = Vec::new();
        for claims in access.iter().chain(refresh.iter()) {
            if let Some(family) = claims.family()
                && !families.contains(&family)
            {
                families.push(family);
            }
        }
        if let Some(access) = &access {
            self.revoke_access_token(access).await?;
        }
        self.end_sessions(&families).await?;
        let subject = access
            .as_ref()
            .or(refresh.as_ref())
            .map(|claims| claims.sub.clone())
            .unwrap_or_default();
        tracing::info!(target: "fullauth::audit", user_id = %subject, "signed out");
        self.inner
            .events
            .emit(AuthEvent::AfterLogout { user_id: subject });
        Ok(())
    }

    /// The claims of a refresh token that is validly signed and still live in the database.
    async fn live_refresh_claims(&self, token: &str) -> Result<Option<Claims>, Error> {
        let Ok(claims) = self.inner.tokens.decode(token, TokenType::Refresh) else {
            return Ok(None);
        };
        let row = self.inner.store.refresh_token(&token_digest(token)).await?;
        let live =
            row.is_some_and(|row| row.is_live(now()) && Some(row.family_id) == claims.family());
        Ok(live.then_some(claims))
    }

    async fn revoke_access_token(&self, claims: &Claims) -> Result<(), Error> {
        let remaining = claims.exp.saturating_sub(now().unix_timestamp()).max(1);
        let leeway = self.inner.config.tokens.jwt_leeway_seconds;
        let ttl = std::time::Duration::from_secs(
            u64::try_from(remaining).unwrap_or(1).saturating_add(leeway),
        );
        self.inner
            .state
            .set(&revoked_token_key(&claims.jti), ttl)
            .await?;
        Ok(())
    }
}
