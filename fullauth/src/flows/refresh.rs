//! Exchanging a refresh token: rotation with replay detection.

use super::FullAuth;
use super::detached::spawn_detached;
use super::token_pair::TokenPair;
use crate::error::Error;
use crate::model::{FullAuthUser, UserId, now};
use crate::store::{NextRefreshToken, Rotation};
use crate::tokens::{TokenType, token_digest};

impl<U: FullAuthUser> FullAuth<U> {
    /// Exchanges a refresh token. With rotation, the token is used up and a new one joins its family; a token
    /// presented twice revokes the whole family, access tokens included.
    pub async fn refresh(&self, refresh_token: String) -> Result<TokenPair, Error> {
        let auth = self.clone();
        // Detached, so that a client hanging up cannot stop a rotation between its database commit and the
        // revocation of a replayed family.
        spawn_detached(async move { auth.refresh_in_place(&refresh_token).await }).await
    }

    async fn refresh_in_place(&self, refresh_token: &str) -> Result<TokenPair, Error> {
        let claims = self
            .inner
            .tokens
            .decode(refresh_token, TokenType::Refresh)
            .map_err(|_| Error::InvalidCredentials)?;
        let user_id = U::Id::parse_subject(&claims.sub).ok_or(Error::InvalidCredentials)?;
        let family_id = claims.family().ok_or(Error::InvalidCredentials)?;
        let user = match self.inner.store.user_by_id(&user_id).await? {
            Some(user) if user.is_active() => user,
            _ => return Err(Error::InvalidCredentials),
        };
        let now = now();
        if now >= self.session_end(claims.auth_time) {
            // Past the session's absolute lifetime: it ends as a sign-out of that session would end it.
            tracing::info!(
                target: "fullauth::audit", %user_id, %family_id,
                "session ended: past its maximum age"
            );
            self.end_sessions(&[family_id]).await?;
            return Err(Error::InvalidCredentials);
        }
        let grants = self.grants(&user).await?;
        // Before the refresh token is used up: a hook that fails leaves the session as it was.
        let extra = self.custom_claims(&user).await?;
        let digest = token_digest(refresh_token);

        if !self.inner.config.tokens.refresh_token_rotation {
            let row = self
                .inner
                .store
                .refresh_token(&digest)
                .await?
                .ok_or(Error::InvalidCredentials)?;
            if !row.is_live(now) || row.user_id != user_id || row.family_id != family_id {
                return Err(Error::InvalidCredentials);
            }
            let access = self.issue_access_token(
                claims.sub.clone(),
                family_id,
                claims.auth_time,
                grants,
                extra,
                now,
            )?;
            let mut pair = self.pair(access, None);
            pair.refresh_token = Some(refresh_token.to_owned());
            return Ok(pair);
        }

        let next = self.inner.tokens.issue_refresh(
            claims.sub.clone(),
            family_id,
            claims.auth_time,
            now,
        )?;
        let replacement = NextRefreshToken {
            token_digest: token_digest(&next.token),
            created_at: now,
            expires_at: self.refresh_row_expiry(claims.auth_time, now),
        };
        match self
            .inner
            .store
            .rotate_refresh_token(&digest, &replacement, now)
            .await?
        {
            Rotation::Rotated { previous }
                if previous.user_id == user_id && previous.family_id == family_id =>
            {
                let access = self.issue_access_token(
                    claims.sub,
                    family_id,
                    claims.auth_time,
                    grants,
                    extra,
                    now,
                )?;
                Ok(self.pair(access, Some(next)))
            }
            Rotation::Rotated { previous } => {
                // A signed token whose row belongs to someone else: never issued by this server. End it.
                self.end_sessions(&[previous.family_id, family_id]).await?;
                Err(Error::InvalidCredentials)
            }
            Rotation::Reused { family_id, user_id } => {
                tracing::warn!(
                    target: "fullauth::audit", %user_id, %family_id,
                    "refresh token reused: the whole session was revoked"
                );
                self.revoke_families_in_state(&[family_id]).await;
                Err(Error::InvalidCredentials)
            }
            Rotation::Invalid => Err(Error::InvalidCredentials),
        }
    }
}
