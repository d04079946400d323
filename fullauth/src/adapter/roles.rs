//! Roles and permissions in the database: the [`RoleStore`] of a [`super::DieselAdapter`], for a user model whose
//! role models are declared.
//!
//! The adapter is generic over the user model alone, yet the role queries need the role models' types. The user's
//! derive asks, in its own (concrete) code, whether the user has role models, through [`Probe`]: method resolution
//! picks [`ProbeDieselRoles`] when it does and falls back to [`ProbeNoDieselRoles`] when it does not (see
//! [`crate::model::DeclaredModels`] for the same question about tables). The answer is
//! [`UserRoleQueries::role_store`].

use std::marker::PhantomData;

use time::OffsetDateTime;

use super::backend::Pools;
use super::glue::{DieselRefreshToken, UserQueriesOnEveryBackend};
use super::retrying::retrying;
use super::role_sql::{
    DeleteRolePermission, DeleteUserRole, IdByName, InsertNamed, InsertRolePermission,
    InsertUserRole, NamedTable, PermissionNamesOfRole, PermissionNamesOfUser, Permissions,
    RoleNamesOfUser, RoleNamesOfUsers, Roles, RolesWithPermissions, declared_defaults,
};
use crate::model::{FullAuthUser, HasPermissions, HasRoles, Probe, UserId as _};
use crate::store::{RoleStore, RoleSummary, RolesOfUsers, SessionUser, StoreFuture};

type RoleOf<U> = <U as HasRoles>::Role;
type PermissionOf<U> = <RoleOf<U> as HasPermissions>::Permission;
type RolePermissionOf<U> = <RoleOf<U> as HasPermissions>::RolePermission;

/// The role operations of the adapter for the user model `U`, on the adapter's pools. It exists for every
/// adapter; it is a [`RoleStore`] only when `U` declares its role models.
pub struct DieselRoleStore<U> {
    pools: Pools,
    user: PhantomData<fn() -> U>,
}

impl<U> DieselRoleStore<U> {
    pub(super) fn new(pools: Pools) -> Self {
        Self {
            pools,
            user: PhantomData,
        }
    }
}

impl<U> Clone for DieselRoleStore<U> {
    fn clone(&self) -> Self {
        Self::new(self.pools.clone())
    }
}

/// The role store of a user model's role models, if it declares them; written by `#[derive(FullAuthUser)]`,
/// which can tell (see the module documentation of `adapter/roles.rs`).
pub trait UserRoleQueries: FullAuthUser {
    /// `store` as a [`RoleStore`] when the user model declares its role models.
    fn role_store(store: &DieselRoleStore<Self>) -> Option<&dyn RoleStore<Self>>;

    /// The user of a live session and, when `with_roles` and the user model declares role models, their role
    /// names, in one statement (see [`super::session_query`]).
    fn user_for_session<'a, R: DieselRefreshToken<User = Self>>(
        pools: &'a Pools,
        id: &'a Self::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<Self>>>;
}

/// Chosen when `U` has role models.
#[doc(hidden)]
pub trait ProbeDieselRoles<U: FullAuthUser> {
    /// The store as a [`RoleStore`].
    fn diesel_roles<'a>(&self, store: &'a DieselRoleStore<U>) -> Option<&'a dyn RoleStore<U>>;
}

impl<U: HasRoles + UserQueriesOnEveryBackend> ProbeDieselRoles<U> for Probe<U> {
    fn diesel_roles<'a>(&self, store: &'a DieselRoleStore<U>) -> Option<&'a dyn RoleStore<U>> {
        Some(store)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoDieselRoles<U: FullAuthUser> {
    /// No role store.
    fn diesel_roles<'a>(&self, store: &'a DieselRoleStore<U>) -> Option<&'a dyn RoleStore<U>>;
}

impl<U: FullAuthUser> ProbeNoDieselRoles<U> for &Probe<U> {
    fn diesel_roles<'a>(&self, _store: &'a DieselRoleStore<U>) -> Option<&'a dyn RoleStore<U>> {
        None
    }
}

fn named<T: NamedTable>(name: &str, now: OffsetDateTime) -> InsertNamed<T> {
    InsertNamed {
        id: uuid::Uuid::now_v7(),
        name: name.to_owned(),
        created_at: now,
        defaults: declared_defaults(&T::table_schema(), &["id", "name", "created_at"]),
        table: PhantomData,
    }
}

fn id_by_name<T>(name: &str) -> IdByName<T> {
    IdByName {
        name: name.to_owned(),
        table: PhantomData,
    }
}

fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort_unstable();
    names.dedup();
    names
}

impl<U: HasRoles + UserQueriesOnEveryBackend> RoleStore<U> for DieselRoleStore<U> {
    fn assign_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, bool> {
        Box::pin(retrying(move || async move {
            in_transaction!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                // The user's row lock serializes assignments to one user and keeps the user from being deleted
                // half-way; inserting a role or link that exists is a no-op, so concurrent calls all succeed.
                if U::lock(conn, user_id).await? == 0 {
                    return Ok(false);
                }
                named::<Roles<RoleOf<U>>>(role, now).execute(conn).await?;
                let role_id: uuid::Uuid = id_by_name::<Roles<RoleOf<U>>>(role)
                    .get_result(conn)
                    .await?;
                InsertUserRole::<U::UserRole> {
                    user_id: user_id.clone(),
                    role_id,
                    created_at: now,
                }
                .execute(conn)
                .await?;
                Ok(true)
            })
        }))
    }

    fn remove_role<'a>(&'a self, user_id: &'a U::Id, role: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(retrying(move || async move {
            in_transaction!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                if U::lock(conn, user_id).await? == 0 {
                    return Ok(false);
                }
                DeleteUserRole::<U::UserRole> {
                    user_id: user_id.clone(),
                    role: role.to_owned(),
                }
                .execute(conn)
                .await?;
                Ok(true)
            })
        }))
    }

    fn assign_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        Box::pin(retrying(move || async move {
            in_transaction!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                named::<Roles<RoleOf<U>>>(role, now).execute(conn).await?;
                named::<Permissions<PermissionOf<U>>>(permission, now)
                    .execute(conn)
                    .await?;
                let role_id: uuid::Uuid = id_by_name::<Roles<RoleOf<U>>>(role)
                    .get_result(conn)
                    .await?;
                let permission_id: uuid::Uuid =
                    id_by_name::<Permissions<PermissionOf<U>>>(permission)
                        .get_result(conn)
                        .await?;
                InsertRolePermission::<RolePermissionOf<U>> {
                    role_id,
                    permission_id,
                    created_at: now,
                    links: PhantomData,
                }
                .execute(conn)
                .await?;
                Ok(())
            })
        }))
    }

    fn remove_permission<'a>(&'a self, role: &'a str, permission: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(retrying(move || async move {
            in_transaction!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                DeleteRolePermission::<RolePermissionOf<U>> {
                    role: role.to_owned(),
                    permission: permission.to_owned(),
                    links: PhantomData,
                }
                .execute(conn)
                .await?;
                Ok(())
            })
        }))
    }

    fn role_permissions<'a>(&'a self, role: &'a str) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move {
            let names = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                PermissionNamesOfRole::<RolePermissionOf<U>> {
                    role: role.to_owned(),
                    links: PhantomData,
                }
                .load::<String>(conn)
                .await
            })
            .map_err(super::error::store_error)?;
            Ok(sorted(names))
        })
    }

    fn list_roles(&self) -> StoreFuture<'_, Vec<RoleSummary>> {
        Box::pin(async move {
            let mut rows = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                RolesWithPermissions::<RolePermissionOf<U>>(PhantomData)
                    .load::<(String, Option<String>)>(conn)
                    .await
            })
            .map_err(super::error::store_error)?;
            rows.sort_unstable();
            let mut roles: Vec<RoleSummary> = Vec::new();
            for (role, permission) in rows {
                match roles.last_mut() {
                    Some(last) if last.name == role => last.permissions.extend(permission),
                    _ => roles.push(RoleSummary {
                        name: role,
                        permissions: permission.into_iter().collect(),
                    }),
                }
            }
            Ok(roles)
        })
    }

    fn user_roles<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move {
            let names = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                RoleNamesOfUser::<U::UserRole> {
                    user_id: user_id.clone(),
                }
                .load::<String>(conn)
                .await
            })
            .map_err(super::error::store_error)?;
            Ok(sorted(names))
        })
    }

    fn user_permissions<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>> {
        Box::pin(async move {
            let names = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                PermissionNamesOfUser::<U::UserRole, RolePermissionOf<U>> {
                    user_id: user_id.clone(),
                    links: PhantomData,
                }
                .load::<String>(conn)
                .await
            })
            .map_err(super::error::store_error)?;
            Ok(sorted(names))
        })
    }

    fn roles_of_users<'a>(&'a self, user_ids: &'a [U::Id]) -> StoreFuture<'a, RolesOfUsers<U::Id>> {
        Box::pin(async move {
            if user_ids.is_empty() {
                return Ok(Vec::new());
            }
            let rows = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                RoleNamesOfUsers::<U::UserRole> {
                    user_ids: user_ids.to_vec(),
                }
                .load::<(String, String)>(conn)
                .await
            })
            .map_err(super::error::store_error)?;
            // Ids come back as text; each is one of those asked for, so it parses.
            Ok(rows
                .into_iter()
                .filter_map(|(id, role)| U::Id::parse_subject(&id).map(|id| (id, role)))
                .collect())
        })
    }
}
