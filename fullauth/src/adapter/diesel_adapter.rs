//! [`DieselAdapter`]: the pools, the models it serves, and their migrations. Its capabilities are in `users.rs`,
//! `sessions.rs`, `roles.rs` and `oauth_accounts.rs`.

use std::marker::PhantomData;

use super::backend::{Backend, PoolOptions, Pools};
use super::glue::{DieselRefreshToken, UserQueriesOnEveryBackend};
use super::mfa::{DieselMfaStore, UserMfaQueries};
use super::migrations::MigrationPlan;
use super::oauth_accounts::{DieselOAuthAccountStore, UserOAuthAccountQueries};
use super::passkeys::{DieselPasskeyStore, UserPasskeyQueries};
use super::roles::{DieselRoleStore, UserRoleQueries};
use crate::error::Error;
use crate::migrations::{DeclaredTable, FullAuthMigrations, SchemaState};
use crate::store::{AuthStore, MfaStore, OAuthAccountStore, PasskeyStore, RoleStore, StoreFuture};

/// A user model the adapter can serve: queries for every enabled backend, and its role and OAuth-account models'
/// if it has some.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Diesel queries for every enabled database backend",
    note = "derive it with `#[derive(FullAuthUser)]` from the same fullauth version that provides the adapter"
)]
pub trait DieselUser:
    UserQueriesOnEveryBackend
    + UserRoleQueries
    + UserOAuthAccountQueries
    + UserPasskeyQueries
    + UserMfaQueries
{
}
impl<T> DieselUser for T where
    T: UserQueriesOnEveryBackend
        + UserRoleQueries
        + UserOAuthAccountQueries
        + UserPasskeyQueries
        + UserMfaQueries
{
}

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
    pub(super) backend: Backend,
    pub(super) pools: Pools,
    /// The role operations, on the same pools; offered only when `U` declares its role models.
    pub(super) roles: DieselRoleStore<U>,
    /// The OAuth-account operations, on the same pools; offered only when `U` declares an OAuth-account model.
    pub(super) oauth_accounts: DieselOAuthAccountStore<U>,
    /// The passkey operations, on the same pools; offered only when `U` declares a passkey model.
    pub(super) passkeys: DieselPasskeyStore<U>,
    /// The MFA operations, on the same pools; offered only when `U` declares an MFA model.
    pub(super) mfa: DieselMfaStore<U>,
    /// Whether `migrate()` takes over declared tables that exist without a fullauth migration behind them.
    take_over: bool,
    models: PhantomData<fn() -> (U, R)>,
}

impl<U, R> Clone for DieselAdapter<U, R> {
    fn clone(&self) -> Self {
        Self {
            backend: self.backend,
            pools: self.pools.clone(),
            roles: self.roles.clone(),
            oauth_accounts: self.oauth_accounts.clone(),
            passkeys: self.passkeys.clone(),
            mfa: self.mfa.clone(),
            take_over: self.take_over,
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
            roles: DieselRoleStore::new(pools.clone()),
            oauth_accounts: DieselOAuthAccountStore::new(pools.clone()),
            passkeys: DieselPasskeyStore::new(pools.clone()),
            mfa: DieselMfaStore::new(pools.clone()),
            pools,
            take_over: false,
            models: PhantomData,
        })
    }

    /// Serves the user model `U`.
    pub fn user<U: DieselUser>(self) -> DieselAdapter<U, ()> {
        DieselAdapter {
            backend: self.backend,
            roles: DieselRoleStore::new(self.pools.clone()),
            oauth_accounts: DieselOAuthAccountStore::new(self.pools.clone()),
            passkeys: DieselPasskeyStore::new(self.pools.clone()),
            mfa: DieselMfaStore::new(self.pools.clone()),
            pools: self.pools,
            take_over: self.take_over,
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
            roles: self.roles,
            oauth_accounts: self.oauth_accounts,
            passkeys: self.passkeys,
            mfa: self.mfa,
            take_over: self.take_over,
            models: PhantomData,
        }
    }
}

impl<U, R> DieselAdapter<U, R> {
    /// The database behind this adapter.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Lets `migrate()` take over declared tables that exist without a fullauth migration behind them, such as
    /// the tables of a database fastapi-fullauth created, on SQLite and PostgreSQL, instead of stopping because
    /// they exist. Each is recorded as created; on SQLite, UUIDs stored as 32 hex digits and times stored
    /// without an offset are rewritten in fullauth's form, which the other library then no longer reads. Then
    /// the columns and indexes the tables lack are added. Before anything changes, the whole plan is checked,
    /// and on SQLite everything happens in one transaction. Back the database up first.
    pub fn take_over_existing_tables(mut self) -> Self {
        self.take_over = true;
        self
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
        if let Some(oauth_accounts) = U::declared_models().oauth_accounts {
            tables.push(DeclaredTable {
                version: DeclaredTable::OAUTH_ACCOUNTS_VERSION,
                schema: oauth_accounts(),
            });
        }
        if let Some(passkeys) = U::declared_models().passkeys {
            tables.push(DeclaredTable {
                version: DeclaredTable::PASSKEYS_VERSION,
                schema: passkeys(),
            });
        }
        if let Some(mfa) = U::declared_models().mfa {
            tables.push(DeclaredTable {
                version: DeclaredTable::MFA_VERSION,
                schema: mfa(),
            });
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
            source: FullAuthMigrations::from_dir(folder).map_err(Error::Migration)?,
            additive: None,
            take_over: false,
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
    fn migrate(&self) -> StoreFuture<'_, ()> {
        let plan = MigrationPlan {
            source: self.migrations(),
            additive: Some(Self::declared_tables()),
            take_over: self.take_over,
        };
        Box::pin(super::migrations::run(self.backend, &self.pools, plan))
    }

    fn role_store(&self) -> Option<&dyn RoleStore<U>> {
        U::role_store(&self.roles)
    }

    fn oauth_account_store(&self) -> Option<&dyn OAuthAccountStore<U>> {
        U::oauth_account_store(&self.oauth_accounts)
    }

    fn passkey_store(&self) -> Option<&dyn PasskeyStore<U>> {
        U::passkey_store(&self.passkeys)
    }

    fn mfa_store(&self) -> Option<&dyn MfaStore<U>> {
        U::mfa_store(&self.mfa)
    }
}
