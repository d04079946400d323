use time::OffsetDateTime;

use super::{
    AuthStore, ExpectedHash, InsertUser, NextRefreshToken, RoleSummary, RolesOfUsers, Rotation,
    Session, StoreError, UserPage, UserQuery,
};
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
        expected: ExpectedHash<'a>,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>>;
    fn mark_email_verified<'a>(
        &'a self,
        id: &'a U::Id,
        email: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
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
    fn sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Vec<Session>, StoreError>>;
    fn revoke_session<'a>(
        &'a self,
        user_id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn revoke_other_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Vec<uuid::Uuid>, StoreError>>;
    fn list_users<'a>(
        &'a self,
        query: &'a UserQuery,
    ) -> BoxFuture<'a, Result<UserPage<U>, StoreError>>;
    fn set_active<'a>(
        &'a self,
        user_id: &'a U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>>;
    fn supports_roles(&self) -> bool;
    fn assign_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn remove_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>>;
    fn assign_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn remove_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>>;
    fn role_permissions<'a>(
        &'a self,
        role: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    fn roles(&self) -> BoxFuture<'_, Result<Vec<RoleSummary>, StoreError>>;
    fn user_roles<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    fn user_permissions<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>>;
    fn roles_of_users<'a>(
        &'a self,
        user_ids: &'a [U::Id],
    ) -> BoxFuture<'a, Result<RolesOfUsers<U::Id>, StoreError>>;
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
        expected: ExpectedHash<'a>,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>> {
        Box::pin(AuthStore::change_password(
            self, id, expected, new_hash, now,
        ))
    }
    fn mark_email_verified<'a>(
        &'a self,
        id: &'a U::Id,
        email: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::mark_email_verified(self, id, email))
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
    fn sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Vec<Session>, StoreError>> {
        Box::pin(AuthStore::sessions(self, user_id, now))
    }
    fn revoke_session<'a>(
        &'a self,
        user_id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::revoke_session(self, user_id, family_id, now))
    }
    fn revoke_other_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Vec<uuid::Uuid>, StoreError>> {
        Box::pin(AuthStore::revoke_other_sessions(self, user_id, keep, now))
    }
    fn list_users<'a>(
        &'a self,
        query: &'a UserQuery,
    ) -> BoxFuture<'a, Result<UserPage<U>, StoreError>> {
        Box::pin(AuthStore::list_users(self, query))
    }
    fn set_active<'a>(
        &'a self,
        user_id: &'a U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<Option<Vec<uuid::Uuid>>, StoreError>> {
        Box::pin(AuthStore::set_active(self, user_id, active, now))
    }
    fn supports_roles(&self) -> bool {
        AuthStore::supports_roles(self)
    }
    fn assign_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::assign_role(self, user_id, role, now))
    }
    fn remove_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
    ) -> BoxFuture<'a, Result<bool, StoreError>> {
        Box::pin(AuthStore::remove_role(self, user_id, role))
    }
    fn assign_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
        now: OffsetDateTime,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(AuthStore::assign_permission(self, role, permission, now))
    }
    fn remove_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(AuthStore::remove_permission(self, role, permission))
    }
    fn role_permissions<'a>(
        &'a self,
        role: &'a str,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(AuthStore::role_permissions(self, role))
    }
    fn roles(&self) -> BoxFuture<'_, Result<Vec<RoleSummary>, StoreError>> {
        Box::pin(AuthStore::roles(self))
    }
    fn user_roles<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(AuthStore::user_roles(self, user_id))
    }
    fn user_permissions<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> BoxFuture<'a, Result<Vec<String>, StoreError>> {
        Box::pin(AuthStore::user_permissions(self, user_id))
    }
    fn roles_of_users<'a>(
        &'a self,
        user_ids: &'a [U::Id],
    ) -> BoxFuture<'a, Result<RolesOfUsers<U::Id>, StoreError>> {
        Box::pin(AuthStore::roles_of_users(self, user_ids))
    }
}
