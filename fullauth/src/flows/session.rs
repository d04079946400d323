use serde::Serialize;
use time::OffsetDateTime;

use super::login::ClientInfo;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::fullauth::FullAuth;
use crate::model::{FullAuthUser, RefreshTokenMixin, UserId, now};
use crate::public::UserJson;
use crate::state::{revoked_family_key, revoked_token_key};
use crate::store::{NextRefreshToken, Rotation};
use crate::tokens::{AccessGrants, Claims, IssuedToken, TokenType, token_digest};

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

/// The answer of `POST /login`: a [`TokenPair`] and the user's public JSON.
#[derive(Debug, Clone, Serialize)]
#[serde(bound(serialize = ""))]
pub struct LoginResponse<U: FullAuthUser> {
    /// Access token (JWT).
    pub access_token: String,
    /// Refresh token (JWT); `None` when a cookie carries it.
    pub refresh_token: Option<String>,
    /// Always `"bearer"`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
    /// The signed-in user, with their roles when roles are on.
    pub user: UserJson<U>,
}

impl<U: FullAuthUser> LoginResponse<U> {
    pub(crate) fn new(tokens: TokenPair, user: UserJson<U>) -> Self {
        Self {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            user,
        }
    }
}

fn add(instant: OffsetDateTime, duration: std::time::Duration) -> OffsetDateTime {
    let duration = time::Duration::try_from(duration).unwrap_or(time::Duration::MAX);
    instant.checked_add(duration).unwrap_or(instant)
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Opens a session for a user who just proved their identity: a new refresh-token family and a token pair.
    ///
    /// `verified_hash` is the password hash the sign-in was checked against: if the password changed (or the
    /// account was deleted or deactivated) in the meantime, no session is opened and the answer is 401. Sign-ins
    /// that prove identity another way pass `None`; the user must still exist and be active.
    pub async fn start_session(
        &self,
        user: &U,
        client: &ClientInfo,
        verified_hash: Option<&str>,
    ) -> Result<TokenPair, Error> {
        let (pair, _) = self
            .start_session_granting(user, client, verified_hash)
            .await?;
        Ok(pair)
    }

    /// [`Self::start_session`], also returning what the access token grants (the user's roles among them).
    pub(crate) async fn start_session_granting(
        &self,
        user: &U,
        client: &ClientInfo,
        verified_hash: Option<&str>,
    ) -> Result<(TokenPair, AccessGrants), Error> {
        let now = now();
        let family_id = uuid::Uuid::now_v7();
        let auth_time = now.unix_timestamp();
        let subject = user.id().to_string();
        let refresh = self.issue(self.inner.tokens.issue_refresh(
            subject.clone(),
            family_id,
            auth_time,
            now,
        ))?;
        let grants = self.grants(user).await?;
        let access = self.issue_access_token(subject, family_id, auth_time, grants.clone(), now)?;
        let row = RefreshTokenMixin {
            id: uuid::Uuid::now_v7(),
            user_id: user.id().clone(),
            token_digest: token_digest(&refresh.token),
            family_id,
            expires_at: add(now, self.inner.tokens.refresh_lifetime()),
            created_at: now,
            used_at: None,
            revoked_at: None,
            user_agent: client.user_agent.clone(),
            ip_address: client.ip_address.clone(),
        };
        if !self.inner.store.open_session(&row, verified_hash).await? {
            return Err(Error::InvalidCredentials);
        }
        tracing::info!(target: "fullauth::audit", user_id = %user.id(), %family_id, "session started");
        Ok((self.pair(access, Some(refresh)), grants))
    }

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
        let grants = self.grants(&user).await?;
        let now = now();
        let digest = token_digest(refresh_token);

        if !self.inner.config.refresh_token_rotation {
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
                now,
            )?;
            let mut pair = self.pair(access, None);
            pair.refresh_token = Some(refresh_token.to_owned());
            return Ok(pair);
        }

        let next = self.issue(self.inner.tokens.issue_refresh(
            claims.sub.clone(),
            family_id,
            claims.auth_time,
            now,
        ))?;
        let replacement = NextRefreshToken {
            token_digest: token_digest(&next.token),
            created_at: now,
            expires_at: add(now, self.inner.tokens.refresh_lifetime()),
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
                let access =
                    self.issue_access_token(claims.sub, family_id, claims.auth_time, grants, now)?;
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
                self.revoke_families_in_state(&[family_id]).await?;
                Err(Error::InvalidCredentials)
            }
            Rotation::Invalid => Err(Error::InvalidCredentials),
        }
    }

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

    /// Ends sessions at once: their refresh tokens in the database and their access tokens in the shared state.
    pub async fn end_sessions(&self, families: &[uuid::Uuid]) -> Result<(), Error> {
        let now = now();
        for family in families {
            self.inner.store.revoke_family(*family, now).await?;
        }
        self.revoke_families_in_state(families).await
    }

    /// Marks sessions revoked in the shared state, for as long as any of their access tokens can live.
    pub(crate) async fn revoke_families_in_state(
        &self,
        families: &[uuid::Uuid],
    ) -> Result<(), Error> {
        let ttl = self.inner.tokens.access_revocation_ttl();
        for family in families {
            self.inner
                .state
                .set(&revoked_family_key(family), ttl)
                .await?;
        }
        Ok(())
    }

    async fn revoke_access_token(&self, claims: &Claims) -> Result<(), Error> {
        let remaining = claims.exp.saturating_sub(now().unix_timestamp()).max(1);
        let leeway = self.inner.config.jwt_leeway_seconds;
        let ttl = std::time::Duration::from_secs(
            u64::try_from(remaining).unwrap_or(1).saturating_add(leeway),
        );
        self.inner
            .state
            .set(&revoked_token_key(&claims.jti), ttl)
            .await?;
        Ok(())
    }

    fn issue_access_token(
        &self,
        subject: String,
        family_id: uuid::Uuid,
        auth_time: i64,
        grants: AccessGrants,
        now: OffsetDateTime,
    ) -> Result<IssuedToken, Error> {
        self.issue(self.inner.tokens.issue_access(
            subject,
            family_id,
            auth_time,
            grants,
            serde_json::Map::new(),
            now,
        ))
    }

    fn issue(
        &self,
        issued: Result<IssuedToken, crate::tokens::TokenError>,
    ) -> Result<IssuedToken, Error> {
        Ok(issued?)
    }

    fn pair(&self, access: IssuedToken, refresh: Option<IssuedToken>) -> TokenPair {
        TokenPair {
            access_token: access.token,
            refresh_token: refresh.map(|token| token.token),
            token_type: "bearer",
            expires_in: self.inner.tokens.access_lifetime().as_secs(),
        }
    }
}

/// Runs a multi-step operation to completion even if the request that started it is dropped.
pub(crate) async fn spawn_detached<T: Send + 'static>(
    work: impl Future<Output = Result<T, Error>> + Send + 'static,
) -> Result<T, Error> {
    tokio::spawn(work).await?
}
