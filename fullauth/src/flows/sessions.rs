//! Sessions: opening one for a user who proved who they are, listing a user's sessions, ending them.
//!
//! A session is a family of refresh tokens in the store; ending one revokes its refresh tokens there and marks
//! its access tokens revoked in the shared state, so both stop working at once on every instance.

use super::FullAuth;
use super::detached::spawn_detached;
use super::token_pair::{TokenPair, subtract};
use crate::error::Error;
use crate::model::{FullAuthUser, RefreshTokenMixin, now};
use crate::shared_state::revoked_family_key;
use crate::store::Session;
use crate::tokens::{AccessGrants, token_digest};
use time::OffsetDateTime;

/// What a session remembers about the client that opened it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientInfo {
    /// The `User-Agent` header, cut to the column's length.
    pub user_agent: Option<String>,
    /// The client's address: as an extractor, the peer address (when the server was started with
    /// `into_make_service_with_connect_info`); fullauth's routes read it with [`FullAuth::client_info`], which
    /// believes the proxy headers of `proxies.trusted_headers`.
    pub ip_address: Option<String>,
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Opens a session for a user who just proved their identity: a new refresh-token family and a token pair.
    ///
    /// It asks for no second factor: a sign-in of the application's own must check the user's MFA itself, or go
    /// through [`Self::login`] (or, with their features, `oauth_sign_in` and `passkey_sign_in`), which do.
    ///
    /// `verified_hash` is the password hash the sign-in was checked against: if the password changed (or the
    /// account was deleted or deactivated) in the meantime, no session is opened: [`Error::InvalidCredentials`]. Sign-ins
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
        let refresh =
            self.inner
                .tokens
                .issue_refresh(subject.clone(), family_id, auth_time, now)?;
        let grants = self.grants(user).await?;
        // The application's claims before anything is written: a hook that fails leaves no session behind.
        let extra = self.custom_claims(user).await?;
        let access =
            self.issue_access_token(subject, family_id, auth_time, grants.clone(), extra, now)?;
        let row = RefreshTokenMixin {
            id: uuid::Uuid::now_v7(),
            user_id: user.id().clone(),
            token_digest: token_digest(&refresh.token),
            family_id,
            expires_at: self.refresh_row_expiry(auth_time, now),
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
        self.forget_ended_sessions(user.id(), now).await;
        Ok((self.pair(access, Some(refresh)), grants))
    }

    /// Deletes the user's refresh tokens that expired longer ago than any session lasts: their sessions have
    /// ended, and a replayed one is refused as expired. Best-effort: a failure is logged, the sign-in stands.
    async fn forget_ended_sessions(&self, user_id: &U::Id, now: OffsetDateTime) {
        let longest = self
            .inner
            .config
            .tokens
            .session_max_age()
            .max(self.inner.tokens.refresh_lifetime());
        let ended_before = subtract(now, longest);
        if let Err(error) = self
            .inner
            .store
            .forget_ended_sessions(user_id, ended_before)
            .await
        {
            tracing::warn!(user_id = %user_id, %error, "could not delete ended sessions' refresh tokens");
        }
    }

    /// The signed-in sessions of `user`, most recently used first.
    pub async fn sessions(&self, user: &U) -> Result<Vec<Session>, Error> {
        Ok(self.inner.store.sessions(user.id(), now()).await?)
    }

    /// Ends one session of `user`: its refresh tokens, and its access tokens at once. Returns whether the
    /// session is the user's (ending an ended one again is fine); another user's session is left alone.
    pub async fn end_session(&self, user: &U, family_id: uuid::Uuid) -> Result<bool, Error> {
        let auth = self.clone();
        let id = user.id().clone();
        spawn_detached(async move {
            if !auth
                .inner
                .store
                .revoke_session(&id, family_id, now())
                .await?
            {
                return Ok(false);
            }
            auth.revoke_families_in_state(&[family_id]).await;
            tracing::info!(target: "fullauth::audit", user_id = %id, %family_id, "session ended");
            Ok(true)
        })
        .await
    }

    /// Ends every session of `user` but `keep` (usually the caller's own). Returns how many sessions ended.
    pub async fn end_other_sessions(&self, user: &U, keep: uuid::Uuid) -> Result<usize, Error> {
        let auth = self.clone();
        let id = user.id().clone();
        spawn_detached(async move {
            let ended = auth.inner.store.revoke_other_sessions(&id, keep, now()).await?;
            auth.revoke_families_in_state(&ended).await;
            tracing::info!(target: "fullauth::audit", user_id = %id, sessions = ended.len(), "other sessions ended");
            Ok(ended.len())
        })
        .await
    }

    /// Ends sessions at once: their refresh tokens in the database and their access tokens in the shared state.
    pub async fn end_sessions(&self, families: &[uuid::Uuid]) -> Result<(), Error> {
        let now = now();
        for family in families {
            self.inner.store.revoke_family(*family, now).await?;
        }
        self.revoke_families_in_state(families).await;
        Ok(())
    }

    /// Marks sessions revoked in the shared state, for as long as any of their access tokens can live.
    ///
    /// Called once the sessions' end is committed in the database, so it never fails the request: the change has
    /// happened, and an error would make the client retry it. Without the shared state the failure is logged;
    /// every request checked against the database refuses those sessions already, and token-only checks
    /// ([`crate::AccessClaims`]) refuse them once the shared state is back and knows, or once their tokens expire.
    pub(crate) async fn revoke_families_in_state(&self, families: &[uuid::Uuid]) {
        let ttl = self.inner.tokens.access_revocation_ttl();
        for family in families {
            if let Err(error) = self.inner.state.set(&revoked_family_key(family), ttl).await {
                tracing::error!(
                    %error, %family,
                    "a session ended in the database could not be marked revoked in the shared state: token-only \
                     checks may accept its access tokens until they expire"
                );
            }
        }
    }
}
