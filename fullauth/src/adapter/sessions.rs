//! The sessions of a [`DieselAdapter`]: its [`SessionStore`].

use time::OffsetDateTime;

use super::DieselAdapter;
use super::DieselUser;
use super::error::store_error;
use super::glue::DieselRefreshToken;
use crate::model::RefreshTokenMixin;
use crate::store::{
    NextRefreshToken, Rotation, Session, SessionStore, SessionUser, StoreFuture, sessions_of,
};

impl<U, R> SessionStore<U> for DieselAdapter<U, R>
where
    U: DieselUser,
    R: DieselRefreshToken<User = U>,
{
    fn user_for_session<'a>(
        &'a self,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>> {
        U::user_for_session::<R>(&self.pools, id, family_id, now, with_roles)
    }

    fn open_session<'a>(
        &'a self,
        token: &'a RefreshTokenMixin<U::Id>,
        verified_hash: Option<&'a str>,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let row = R::from_mixin(token.clone());
            let user_id = &token.user_id;
            in_transaction!(&self.pools, |conn| {
                if U::lock(conn, user_id).await? == 0 {
                    return Ok(false);
                }
                let Some(user) = U::find_by_id(conn, user_id).await? else {
                    return Ok(false);
                };
                let same_password = verified_hash
                    .is_none_or(|hash| user.auth().hashed_password.as_deref() == Some(hash));
                if !user.is_active() || !same_password {
                    return Ok(false);
                }
                R::insert(conn, &row).await?;
                Ok(true)
            })
        })
    }

    fn forget_ended_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        ended_before: OffsetDateTime,
    ) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let deleted = with_connection!(&self.pools, |conn| R::delete_expired(
                conn,
                user_id,
                ended_before
            )
            .await)
            .map_err(store_error)?;
            Ok(deleted as u64)
        })
    }

    fn refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
    ) -> StoreFuture<'a, Option<RefreshTokenMixin<U::Id>>> {
        Box::pin(async move {
            let row = with_connection!(&self.pools, |conn| R::find_by_digest(conn, token_digest)
                .await)
            .map_err(store_error)?;
            Ok(row.map(|row| row.token().clone()))
        })
    }

    fn rotate_refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
        next: &'a NextRefreshToken,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Rotation<U::Id>> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                let Some(row) = R::find_by_digest(conn, token_digest).await? else {
                    return Ok(Rotation::Invalid);
                };
                // Serialize with sign-outs and password changes of the same user: a revocation committed
                // meanwhile is seen below, and one that comes later sees the new token.
                U::lock(conn, &row.token().user_id).await?;
                if R::consume(conn, token_digest, now).await? == 1 {
                    let previous = row.token().clone();
                    let replacement = R::from_mixin(RefreshTokenMixin {
                        id: uuid::Uuid::now_v7(),
                        user_id: previous.user_id.clone(),
                        token_digest: next.token_digest.clone(),
                        family_id: previous.family_id,
                        expires_at: next.expires_at,
                        created_at: next.created_at,
                        used_at: None,
                        revoked_at: None,
                        user_agent: previous.user_agent.clone(),
                        ip_address: previous.ip_address.clone(),
                    });
                    R::insert(conn, &replacement).await?;
                    return Ok(Rotation::Rotated { previous });
                }
                let Some(current) = R::find_by_digest(conn, token_digest).await? else {
                    return Ok(Rotation::Invalid);
                };
                let current = current.token().clone();
                if current.used_at.is_some() {
                    R::revoke_family(conn, current.family_id, now).await?;
                    return Ok(Rotation::Reused {
                        family_id: current.family_id,
                        user_id: current.user_id,
                    });
                }
                // Revoked or expired: refused, but not a replay.
                Ok(Rotation::Invalid)
            })
        })
    }

    fn sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<Session>> {
        Box::pin(async move {
            // Two reads, each its own snapshot: a session that ends between them is still listed (it was live a moment
            // ago) and, having no start in the second, shows its live row's time as its start.
            let (rows, starts) = with_connection!(&self.pools, |conn| {
                let read = async {
                    let rows = R::live_rows(conn, user_id, now).await?;
                    let starts = R::session_starts(conn, user_id, now).await?;
                    Ok::<_, diesel::result::Error>((rows, starts))
                };
                read.await
            })
            .map_err(store_error)?;
            let live = rows.iter().map(|row| row.token());
            Ok(sessions_of(live, |family_id| {
                starts
                    .iter()
                    .find(|(family, _)| *family == family_id)
                    .and_then(|(_, started)| *started)
            }))
        })
    }

    fn revoke_session<'a>(
        &'a self,
        user_id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                if R::family_owner(conn, family_id).await?.as_ref() != Some(user_id) {
                    return Ok(false);
                }
                U::lock(conn, user_id).await?;
                R::revoke_family(conn, family_id, now).await?;
                Ok(true)
            })
        })
    }

    fn revoke_other_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<uuid::Uuid>> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                U::lock(conn, user_id).await?;
                let mut ended: Vec<uuid::Uuid> = R::live_rows(conn, user_id, now)
                    .await?
                    .iter()
                    .map(|row| row.token().family_id)
                    .filter(|family| *family != keep)
                    .collect();
                ended.sort_unstable();
                ended.dedup();
                R::revoke_user_except(conn, user_id, keep, now).await?;
                Ok(ended)
            })
        })
    }

    fn revoke_family(&self, family_id: uuid::Uuid, now: OffsetDateTime) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                let Some(owner) = R::family_owner(conn, family_id).await? else {
                    return Ok(0);
                };
                U::lock(conn, &owner).await?;
                R::revoke_family(conn, family_id, now)
                    .await
                    .map(|rows| rows as u64)
            })
        })
    }
}
