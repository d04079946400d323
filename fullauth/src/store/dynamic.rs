use time::OffsetDateTime;

use super::{AuthStore, InsertUser, NextRefreshToken, Rotation, StoreError};
use crate::model::{FullAuthUser, RefreshTokenMixin};
use crate::state::BoxFuture;

/// Object-safe mirror of [`AuthStore`], so that `FullAuth<U>` does not carry the adapter type.
pub(crate) trait DynStore<U: FullAuthUser>: Send + Sync + 'static {
    fn migrate(&self) -> BoxFuture<'_, Result<(), StoreError>>;
    fn insert_user<'a>(
        &'a self,
        user: &'a U,
    ) -> BoxFuture<'a, Result<InsertUser<U::Id>, StoreError>>;
    fn user_by_id<'a>(&'a self, id: &'a U::Id) -> BoxFuture<'a, Result<Option<U>, StoreError>>;
    fn user_by_email<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<Option<U>, StoreError>>;
    fn user_for_session<'a>(
        &'a self,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<U>, StoreError>>;
    fn update_user<'a>(
        &'a self,
        id: &'a U::Id,
        patch: &'a U::Patch,
    ) -> BoxFuture<'a, Result<Option<U>, StoreError>>;
    fn replace_password_hash<'a>(
        &'a self,
        id: &'a U::Id,
        current: &'a str,
        new: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn change_password<'a>(
        &'a self,
        id: &'a U::Id,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>>;
    fn delete_user<'a>(
        &'a self,
        id: &'a U::Id,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>>;
    fn open_session<'a>(
        &'a self,
        token: &'a RefreshTokenMixin<U::Id>,
        verified_hash: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
    ) -> BoxFuture<'a, Result<Option<RefreshTokenMixin<U::Id>>, StoreError>>;
    fn rotate_refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
        next: &'a NextRefreshToken,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Rotation<U::Id>, StoreError>>;
    fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'_, Result<u64, StoreError>>;
}

impl<U: FullAuthUser, S: AuthStore<U>> DynStore<U> for S {
    fn migrate(&self) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(AuthStore::migrate(self))
    }
    fn insert_user<'a>(
        &'a self,
        user: &'a U,
    ) -> BoxFuture<'a, Result<InsertUser<U::Id>, StoreError>> {
        Box::pin(AuthStore::insert_user(self, user))
    }
    fn user_by_id<'a>(&'a self, id: &'a U::Id) -> BoxFuture<'a, Result<Option<U>, StoreError>> {
        Box::pin(AuthStore::user_by_id(self, id))
    }
    fn user_by_email<'a>(&'a self, email: &'a str) -> BoxFuture<'a, Result<Option<U>, StoreError>> {
        Box::pin(AuthStore::user_by_email(self, email))
    }
    fn user_for_session<'a>(
        &'a self,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<U>, StoreError>> {
        Box::pin(AuthStore::user_for_session(self, id, family_id, now))
    }
    fn update_user<'a>(
        &'a self,
        id: &'a U::Id,
        patch: &'a U::Patch,
    ) -> BoxFuture<'a, Result<Option<U>, StoreError>> {
        Box::pin(AuthStore::update_user(self, id, patch))
    }
    fn replace_password_hash<'a>(
        &'a self,
        id: &'a U::Id,
        current: &'a str,
        new: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::replace_password_hash(self, id, current, new))
    }
    fn change_password<'a>(
        &'a self,
        id: &'a U::Id,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>> {
        Box::pin(AuthStore::change_password(self, id, new_hash, now))
    }
    fn delete_user<'a>(
        &'a self,
        id: &'a U::Id,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>> {
        Box::pin(AuthStore::delete_user(self, id, now))
    }
    fn open_session<'a>(
        &'a self,
        token: &'a RefreshTokenMixin<U::Id>,
        verified_hash: Option<&'a str>,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::open_session(self, token, verified_hash))
    }
    fn refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
    ) -> BoxFuture<'a, Result<Option<RefreshTokenMixin<U::Id>>, StoreError>> {
        Box::pin(AuthStore::refresh_token(self, token_digest))
    }
    fn rotate_refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
        next: &'a NextRefreshToken,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Rotation<U::Id>, StoreError>> {
        Box::pin(AuthStore::rotate_refresh_token(
            self,
            token_digest,
            next,
            now,
        ))
    }
    fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'_, Result<u64, StoreError>> {
        Box::pin(AuthStore::revoke_family(self, family_id, now))
    }
}
