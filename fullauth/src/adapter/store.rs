use std::marker::PhantomData;

use time::OffsetDateTime;

use super::backend::{Backend, PoolOptions, Pools};
use super::error::{is_unique_violation, store_error};
use super::glue::{DieselRefreshToken, DieselUser};
use super::migrations::MigrationPlan;
use super::roles::DieselRoles;
use crate::error::Error;
use crate::migrations::{DeclaredTable, FullAuthMigrations, SchemaState};
use crate::model::RefreshTokenMixin;
use crate::store::{
    AuthStore, ExpectedHash, InsertUser, NextRefreshToken, RoleSummary, RolesOfUsers, Rotation,
    Session, StoreError, UserPage, UserQuery, sessions_of,
};

/// The Diesel adapter: connection pools for the database a URL names, serving the models you declare.
///
/// ```no_run
/// # use fullauth::DieselAdapter;
/// # async fn run() -> Result<(), fullauth::Error> {
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// # #[derive(Clone, Debug, fullauth::FullAuthRefreshToken)] #[fullauth(user = User)]
/// # struct RefreshToken { #[fullauth(mixin)] token: fullauth::RefreshTokenMixin }
/// let adapter = DieselAdapter::connect("sqlite://app.db").await?
///     .user::<User>()
///     .refresh_tokens::<RefreshToken>();
/// # Ok(()) }
/// ```
///
/// SQLite runs in WAL mode with a busy timeout and foreign keys on; every write transaction starts with
/// `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing.
pub struct DieselAdapter<U = (), R = ()> {
    backend: Backend,
    pools: Pools,
    models: PhantomData<fn() -> (U, R)>,
}

impl<U, R> Clone for DieselAdapter<U, R> {
    fn clone(&self) -> Self {
        Self {
            backend: self.backend,
            pools: self.pools.clone(),
            models: PhantomData,
        }
    }
}

impl<U, R> std::fmt::Debug for DieselAdapter<U, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DieselAdapter")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

impl DieselAdapter {
    /// Connects to `sqlite://`, `postgres://`, `postgresql://` or `mysql://` URLs with a pool of 10 connections and a
    /// 5-second wait, and checks that the database answers.
    pub async fn connect(database_url: &str) -> Result<Self, Error> {
        Self::connect_with(database_url, 10, std::time::Duration::from_secs(5)).await
    }

    /// Like [`Self::connect`], with a pool size and the longest wait for a connection (a request that waits
    /// longer answers 503).
    pub async fn connect_with(
        database_url: &str,
        pool_size: usize,
        timeout: std::time::Duration,
    ) -> Result<Self, Error> {
        let (backend, pools) = Pools::connect(
            database_url,
            PoolOptions {
                size: pool_size,
                timeout,
            },
        )
        .await?;
        Ok(Self {
            backend,
            pools,
            models: PhantomData,
        })
    }

    /// Serves the user model `U`.
    pub fn user<U: DieselUser>(self) -> DieselAdapter<U, ()> {
        DieselAdapter {
            backend: self.backend,
            pools: self.pools,
            models: PhantomData,
        }
    }
}

impl<U: DieselUser> DieselAdapter<U, ()> {
    /// Stores refresh tokens in the model `R`.
    pub fn refresh_tokens<R: DieselRefreshToken<User = U>>(self) -> DieselAdapter<U, R> {
        DieselAdapter {
            backend: self.backend,
            pools: self.pools,
            models: PhantomData,
        }
    }
}

impl<U, R> DieselAdapter<U, R> {
    /// The database behind this adapter.
    pub fn backend(&self) -> Backend {
        self.backend
    }
}

impl<U: DieselUser, R: DieselRefreshToken<User = U>> DieselAdapter<U, R> {
    /// The tables of the declared models, in creation order, with the versions of their creating migrations.
    pub fn declared_tables() -> Vec<DeclaredTable> {
        let mut tables = vec![
            DeclaredTable {
                version: DeclaredTable::USERS_VERSION,
                schema: U::table_schema(),
            },
            DeclaredTable {
                version: DeclaredTable::REFRESH_TOKENS_VERSION,
                schema: R::table_schema(),
            },
        ];
        if let Some(roles) = U::declared_models().roles {
            let role_tables = DeclaredTable::ROLE_VERSIONS
                .into_iter()
                .zip((roles.tables)())
                .map(|(version, schema)| DeclaredTable { version, schema });
            tables.extend(role_tables);
        }
        tables
    }

    /// The migrations creating the declared tables, in this backend's dialect.
    pub fn migrations(&self) -> FullAuthMigrations {
        FullAuthMigrations::create_tables(self.backend.dialect(), &Self::declared_tables())
    }

    /// Applies the pending migrations of a diesel-cli migrations folder (e.g. one written by
    /// `migrations write`), with Diesel's harness, one instance at a time.
    pub async fn migrate_from(&self, folder: impl AsRef<std::path::Path>) -> Result<(), Error> {
        let plan = MigrationPlan {
            source: FullAuthMigrations::from_dir(folder)?,
            additive: None,
        };
        super::migrations::run(self.backend, &self.pools, plan)
            .await
            .map_err(Error::from)
    }

    /// The declared tables as the database has them now.
    pub async fn schema_state(&self) -> Result<SchemaState, Error> {
        let names = Self::declared_tables()
            .into_iter()
            .map(|table| table.schema.name.to_string())
            .collect();
        super::migrations::read_state(self.backend, &self.pools, names)
            .await
            .map_err(Error::from)
    }
}

impl<U, R> AuthStore<U> for DieselAdapter<U, R>
where
    U: DieselUser,
    R: DieselRefreshToken<User = U>,
{
    async fn migrate(&self) -> Result<(), StoreError> {
        let plan = MigrationPlan {
            source: self.migrations(),
            additive: Some(Self::declared_tables()),
        };
        super::migrations::run(self.backend, &self.pools, plan).await
    }

    async fn insert_user(&self, user: &U) -> Result<InsertUser<U::Id>, StoreError> {
        let inserted = with_connection!(&self.pools, |conn| U::insert(conn, user).await);
        match inserted {
            Ok(id) => Ok(InsertUser::Inserted { id }),
            Err(error) if is_unique_violation(&error) => Ok(InsertUser::EmailTaken),
            Err(error) => Err(store_error(error)),
        }
    }

    async fn user_by_id(&self, id: &U::Id) -> Result<Option<U>, StoreError> {
        with_connection!(&self.pools, |conn| U::find_by_id(conn, id).await).map_err(store_error)
    }

    async fn user_for_session(
        &self,
        id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<Option<U>, StoreError> {
        with_connection!(&self.pools, |conn| U::find_for_session::<R>(
            conn, id, family_id, now
        )
        .await)
        .map_err(store_error)
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<U>, StoreError> {
        with_connection!(&self.pools, |conn| U::find_by_email(conn, email).await)
            .map_err(store_error)
    }

    async fn update_user(&self, id: &U::Id, patch: &U::Patch) -> Result<Option<U>, StoreError> {
        in_transaction!(&self.pools, |conn| {
            if U::patch_is_empty(patch) || U::update_fields(conn, id, patch).await? > 0 {
                U::find_by_id(conn, id).await
            } else {
                Ok(None)
            }
        })
    }

    async fn replace_password_hash(
        &self,
        id: &U::Id,
        current: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        in_transaction!(&self.pools, |conn| U::update_password(
            conn,
            id,
            ExpectedHash::Exactly(Some(current)),
            new
        )
        .await
        .map(|rows| rows > 0))
    }

    async fn change_password(
        &self,
        id: &U::Id,
        expected: ExpectedHash<'_>,
        new_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        // The UPDATE takes the user's row lock first, so a sign-in or a rotation in flight either finishes
        // before (and its token is revoked here) or sees the new hash and gives up.
        in_transaction!(&self.pools, |conn| {
            if U::update_password(conn, id, expected, new_hash).await? == 0 {
                return Ok(None);
            }
            let families = R::live_families(conn, id, now).await?;
            R::revoke_user(conn, id, now).await?;
            Ok(Some(families))
        })
    }

    async fn mark_email_verified(&self, id: &U::Id, email: &str) -> Result<bool, StoreError> {
        in_transaction!(&self.pools, |conn| U::set_verified(conn, id, email)
            .await
            .map(|rows| rows > 0))
    }

    async fn delete_user(
        &self,
        id: &U::Id,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        in_transaction!(&self.pools, |conn| {
            if U::lock(conn, id).await? == 0 {
                return Ok(None);
            }
            let families = R::live_families(conn, id, now).await?;
            U::delete(conn, id).await?;
            Ok(Some(families))
        })
    }

    async fn open_session(
        &self,
        token: &RefreshTokenMixin<U::Id>,
        verified_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
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
    }

    async fn refresh_token(
        &self,
        token_digest: &str,
    ) -> Result<Option<RefreshTokenMixin<U::Id>>, StoreError> {
        let row = with_connection!(&self.pools, |conn| R::find_by_digest(conn, token_digest)
            .await)
        .map_err(store_error)?;
        Ok(row.map(|row| row.token().clone()))
    }

    async fn rotate_refresh_token(
        &self,
        token_digest: &str,
        next: &NextRefreshToken,
        now: OffsetDateTime,
    ) -> Result<Rotation<U::Id>, StoreError> {
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
    }

    async fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        in_transaction!(&self.pools, |conn| {
            let Some(owner) = R::family_owner(conn, family_id).await? else {
                return Ok(0);
            };
            U::lock(conn, &owner).await?;
            R::revoke_family(conn, family_id, now)
                .await
                .map(|rows| rows as u64)
        })
    }

    async fn sessions(
        &self,
        user_id: &U::Id,
        now: OffsetDateTime,
    ) -> Result<Vec<Session>, StoreError> {
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
    }

    async fn revoke_session(
        &self,
        user_id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        in_transaction!(&self.pools, |conn| {
            if R::family_owner(conn, family_id).await?.as_ref() != Some(user_id) {
                return Ok(false);
            }
            U::lock(conn, user_id).await?;
            R::revoke_family(conn, family_id, now).await?;
            Ok(true)
        })
    }

    async fn revoke_other_sessions(
        &self,
        user_id: &U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<uuid::Uuid>, StoreError> {
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
    }

    async fn list_users(&self, query: &UserQuery) -> Result<UserPage<U>, StoreError> {
        let pattern = query.like_pattern();
        let limit = i64::from(query.limit);
        let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
        let (users, total) = with_connection!(&self.pools, |conn| {
            let read = async {
                let users = U::list(conn, &pattern, limit, offset).await?;
                let total = U::count(conn, &pattern).await?;
                Ok::<_, diesel::result::Error>((users, total))
            };
            read.await
        })
        .map_err(store_error)?;
        Ok(UserPage {
            users,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn set_active(
        &self,
        user_id: &U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        in_transaction!(&self.pools, |conn| {
            if U::lock(conn, user_id).await? == 0 {
                return Ok(None);
            }
            U::set_active(conn, user_id, active).await?;
            if active {
                return Ok(Some(Vec::new()));
            }
            let families = R::live_families(conn, user_id, now).await?;
            R::revoke_user(conn, user_id, now).await?;
            Ok(Some(families))
        })
    }

    fn supports_roles(&self) -> bool {
        U::declared_models().roles.is_some()
    }

    async fn assign_role(
        &self,
        user_id: &U::Id,
        role: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        role_models::<U>()?
            .assign_role(&self.pools, user_id, role, now)
            .await
    }

    async fn remove_role(&self, user_id: &U::Id, role: &str) -> Result<bool, StoreError> {
        role_models::<U>()?
            .remove_role(&self.pools, user_id, role)
            .await
    }

    async fn assign_permission(
        &self,
        role: &str,
        permission: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        role_models::<U>()?
            .assign_permission(&self.pools, role, permission, now)
            .await
    }

    async fn remove_permission(&self, role: &str, permission: &str) -> Result<(), StoreError> {
        role_models::<U>()?
            .remove_permission(&self.pools, role, permission)
            .await
    }

    async fn role_permissions(&self, role: &str) -> Result<Vec<String>, StoreError> {
        role_models::<U>()?
            .role_permissions(&self.pools, role)
            .await
    }

    async fn roles(&self) -> Result<Vec<RoleSummary>, StoreError> {
        role_models::<U>()?.roles(&self.pools).await
    }

    async fn user_roles(&self, user_id: &U::Id) -> Result<Vec<String>, StoreError> {
        role_models::<U>()?.user_roles(&self.pools, user_id).await
    }

    async fn user_permissions(&self, user_id: &U::Id) -> Result<Vec<String>, StoreError> {
        role_models::<U>()?
            .user_permissions(&self.pools, user_id)
            .await
    }

    async fn roles_of_users(&self, user_ids: &[U::Id]) -> Result<RolesOfUsers<U::Id>, StoreError> {
        role_models::<U>()?
            .roles_of_users(&self.pools, user_ids)
            .await
    }
}

/// The role operations of `U`'s role models, or the error of a store without roles.
fn role_models<U: DieselUser>() -> Result<&'static dyn DieselRoles<U>, StoreError> {
    U::declared_models()
        .roles
        .map(|roles| roles.diesel)
        .ok_or_else(StoreError::roles_unsupported)
}
