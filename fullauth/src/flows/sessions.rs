//! A user's view of their own sessions: list them, end one, end all others.

use super::session::spawn_detached;
use crate::error::Error;
use crate::fullauth::FullAuth;
use crate::model::{FullAuthUser, now};
use crate::store::Session;

impl<U: FullAuthUser> FullAuth<U> {
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
            auth.revoke_families_in_state(&[family_id]).await?;
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
            auth.revoke_families_in_state(&ended).await?;
            tracing::info!(target: "fullauth::audit", user_id = %id, sessions = ended.len(), "other sessions ended");
            Ok(ended.len())
        })
        .await
    }
}
