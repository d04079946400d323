use time::OffsetDateTime;

use super::{Conflict, MemoryStore, answer};
use crate::model::{FullAuthUser, RefreshTokenMixin};
use crate::store::{
    AuthStore as _, NextRefreshToken, Rotation, Session, SessionStore, SessionUser, StoreFuture,
    sessions_of,
};

impl<U: FullAuthUser> SessionStore<U> for MemoryStore<U> {
    fn user_for_session<'a>(
        &'a self,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>> {
        let keeps_roles = self.role_store().is_some();
        let data = self.lock();
        let live = data
            .tokens
            .values()
            .any(|token| token.family_id == family_id && token.is_live(now));
        let found = live.then(|| data.users.get(id)).flatten();
        answer(Ok(found.map(|user| SessionUser {
            user: user.clone(),
            roles: (with_roles && keeps_roles).then(|| data.roles_of(id)),
        })))
    }

    fn open_session<'a>(
        &'a self,
        token: &'a RefreshTokenMixin<U::Id>,
        verified_hash: Option<&'a str>,
    ) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let Some(user) = data.users.get(&token.user_id) else {
            return answer(Ok(false));
        };
        let same_password =
            verified_hash.is_none_or(|hash| user.auth().hashed_password.as_deref() == Some(hash));
        if !user.is_active() || !same_password {
            return answer(Ok(false));
        }
        if data.tokens.contains_key(&token.token_digest) {
            return answer(Err(Conflict::TokenDigest.into()));
        }
        data.tokens
            .insert(token.token_digest.clone(), token.clone());
        answer(Ok(true))
    }

    fn refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
    ) -> StoreFuture<'a, Option<RefreshTokenMixin<U::Id>>> {
        answer(Ok(self.lock().tokens.get(token_digest).cloned()))
    }

    fn rotate_refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
        next: &'a NextRefreshToken,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Rotation<U::Id>> {
        let mut data = self.lock();
        let Some(current) = data.tokens.get(token_digest).cloned() else {
            return answer(Ok(Rotation::Invalid));
        };
        if current.is_live(now) {
            if data.tokens.contains_key(&next.token_digest) {
                // Checked before anything changes, so the failure leaves the previous state, as a rolled-back
                // transaction would.
                return answer(Err(Conflict::TokenDigest.into()));
            }
            if let Some(used) = data.tokens.get_mut(token_digest) {
                used.used_at = Some(now);
            }
            let replacement = RefreshTokenMixin {
                id: uuid::Uuid::now_v7(),
                token_digest: next.token_digest.clone(),
                expires_at: next.expires_at,
                created_at: next.created_at,
                used_at: None,
                revoked_at: None,
                ..current.clone()
            };
            data.tokens.insert(next.token_digest.clone(), replacement);
            return answer(Ok(Rotation::Rotated { previous: current }));
        }
        if current.used_at.is_some() {
            data.revoke_where(now, |token| token.family_id == current.family_id);
            return answer(Ok(Rotation::Reused {
                family_id: current.family_id,
                user_id: current.user_id,
            }));
        }
        answer(Ok(Rotation::Invalid))
    }

    fn forget_ended_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        ended_before: OffsetDateTime,
    ) -> StoreFuture<'a, u64> {
        let mut data = self.lock();
        let before = data.tokens.len();
        data.tokens
            .retain(|_, token| &token.user_id != user_id || token.expires_at >= ended_before);
        answer(Ok((before - data.tokens.len()) as u64))
    }

    fn sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<Session>> {
        let data = self.lock();
        let live = data
            .tokens
            .values()
            .filter(|token| &token.user_id == user_id && token.is_live(now));
        answer(Ok(sessions_of(live, |family_id| {
            data.tokens
                .values()
                .filter(|token| token.family_id == family_id)
                .map(|token| token.created_at)
                .min()
        })))
    }

    fn revoke_session<'a>(
        &'a self,
        user_id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let owned = data
            .tokens
            .values()
            .any(|token| token.family_id == family_id && &token.user_id == user_id);
        if owned {
            data.revoke_where(now, |token| token.family_id == family_id);
        }
        answer(Ok(owned))
    }

    fn revoke_other_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<uuid::Uuid>> {
        let mut data = self.lock();
        let mut ended: Vec<uuid::Uuid> = data
            .tokens
            .values()
            .filter(|token| {
                &token.user_id == user_id && token.family_id != keep && token.is_live(now)
            })
            .map(|token| token.family_id)
            .collect();
        ended.sort_unstable();
        ended.dedup();
        data.revoke_where(now, |token| {
            &token.user_id == user_id && token.family_id != keep
        });
        answer(Ok(ended))
    }

    fn revoke_family(&self, family_id: uuid::Uuid, now: OffsetDateTime) -> StoreFuture<'_, u64> {
        answer(Ok(self
            .lock()
            .revoke_where(now, |token| token.family_id == family_id)))
    }
}
