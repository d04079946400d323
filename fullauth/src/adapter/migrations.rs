use std::fmt;

use diesel::backend::Backend as DieselBackend;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
};

use crate::schema::{Dialect, TableSchema};

/// One generated migration: SQL to apply and to revert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlMigration {
    version: String,
    name: String,
    up: String,
    down: String,
}

impl SqlMigration {
    /// A migration named `<version>_<name>`, as diesel-cli names migration folders.
    pub fn new(
        version: impl Into<String>,
        name: impl Into<String>,
        up: String,
        down: String,
    ) -> Self {
        Self {
            version: version.into(),
            name: name.into(),
            up,
            down,
        }
    }

    /// The version recorded in `__diesel_schema_migrations`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The SQL that applies it.
    pub fn up_sql(&self) -> &str {
        &self.up
    }

    /// The SQL that reverts it.
    pub fn down_sql(&self) -> &str {
        &self.down
    }
}

impl fmt::Display for SqlMigration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.version, self.name)
    }
}

impl MigrationName for SqlMigration {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.version.as_str())
    }
}

impl MigrationMetadata for SqlMigration {}

impl<DB: DieselBackend> Migration<DB> for SqlMigration {
    fn run(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<DB>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(&self.up)?;
        Ok(())
    }

    fn revert(
        &self,
        conn: &mut dyn diesel::connection::BoxableConnection<DB>,
    ) -> diesel::migration::Result<()> {
        conn.batch_execute(&self.down)?;
        Ok(())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        self
    }

    fn name(&self) -> &dyn MigrationName {
        self
    }
}

/// The migrations generated from the declared models, as a Diesel [`MigrationSource`]: run them with
/// `diesel_migrations`' `MigrationHarness` (what [`crate::FullAuth::migrate`] does), and they are recorded in
/// Diesel's own `__diesel_schema_migrations` table beside the application's migrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullAuthMigrations {
    migrations: Vec<SqlMigration>,
}

/// The version of the migration creating each model's table: models that others reference come first.
const USERS_VERSION: &str = "00000000000100";
const REFRESH_TOKENS_VERSION: &str = "00000000000200";

impl FullAuthMigrations {
    /// The migrations for a user table and a refresh-token table, in `dialect`.
    pub fn for_models(dialect: Dialect, users: &TableSchema, refresh_tokens: &TableSchema) -> Self {
        let create = |version: &str, table: &TableSchema| {
            SqlMigration::new(
                version,
                format!("fullauth_create_{}", table.name),
                dialect.create_table(table),
                dialect.drop_table(table),
            )
        };
        Self {
            migrations: vec![
                create(USERS_VERSION, users),
                create(REFRESH_TOKENS_VERSION, refresh_tokens),
            ],
        }
    }

    /// The migrations, oldest first.
    pub fn migrations(&self) -> &[SqlMigration] {
        &self.migrations
    }
}

impl<DB: DieselBackend> MigrationSource<DB> for FullAuthMigrations {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        Ok(self
            .migrations
            .iter()
            .cloned()
            .map(|migration| Box::new(migration) as Box<dyn Migration<DB>>)
            .collect())
    }
}

/// Applies the pending migrations with Diesel's harness, on a connection of the adapter's pool.
pub(crate) async fn run(
    backend: super::Backend,
    pools: &super::backend::Pools,
    migrations: FullAuthMigrations,
) -> Result<(), crate::store::StoreError> {
    use super::backend::Pools;
    use crate::store::StoreError;

    let failed =
        |error: String| StoreError::Database(format!("migrations on {backend:?} failed: {error}"));
    match pools {
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool) => {
            let mut connection = pool.get().await.map_err(super::error::pool_error)?;
            connection
                .spawn_blocking(move |connection| {
                    use diesel_migrations::MigrationHarness as _;
                    connection
                        .run_pending_migrations(migrations)
                        .map(drop)
                        .map_err(diesel::result::Error::QueryBuilderError)
                })
                .await
                .map_err(|error| failed(error.to_string()))
        }
        #[cfg(feature = "postgres")]
        Pools::Postgres(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            // The harness is synchronous: give it a connection of its own, on a blocking thread.
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                use diesel::connection::SimpleConnection as _;
                use diesel_migrations::MigrationHarness as _;
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                // Instances starting together must not race on the same DDL.
                wrapper
                    .batch_execute("SELECT pg_advisory_lock(7460353535)")
                    .map_err(|e| e.to_string())?;
                let outcome = wrapper
                    .run_pending_migrations(migrations)
                    .map(drop)
                    .map_err(|e| e.to_string());
                let unlocked = wrapper.batch_execute("SELECT pg_advisory_unlock(7460353535)");
                outcome.and(unlocked.map_err(|e| e.to_string()))
            })
            .await
            .map_err(|error| failed(error.to_string()))?
            .map_err(failed)
        }
        #[cfg(feature = "mysql")]
        Pools::Mysql(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                use diesel::connection::SimpleConnection as _;
                use diesel_migrations::MigrationHarness as _;
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                wrapper
                    .batch_execute("DO GET_LOCK('fullauth_migrations', 60)")
                    .map_err(|e| e.to_string())?;
                let outcome = wrapper
                    .run_pending_migrations(migrations)
                    .map(drop)
                    .map_err(|e| e.to_string());
                let unlocked = wrapper.batch_execute("DO RELEASE_LOCK('fullauth_migrations')");
                outcome.and(unlocked.map_err(|e| e.to_string()))
            })
            .await
            .map_err(|error| failed(error.to_string()))?
            .map_err(failed)
        }
    }
}
