//! Running migrations with Diesel's harness on a connection of the adapter's pool, one instance at a time.

use diesel_migrations::MigrationHarness as _;

use super::Backend;
use super::backend::Pools;
use super::introspect;
use crate::migrations::{
    DeclaredTable, FullAuthMigrations, MigrationError, SchemaState, additive_migrations,
    adopt_existing_tables, timestamp_version,
};
use crate::store::StoreError;

/// The error of a step, kept whole.
type StepError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What to apply.
pub(crate) struct MigrationPlan {
    /// Run first: the creating migrations of the declared tables, or a migration folder.
    pub source: FullAuthMigrations,
    /// Then, when set: add what these tables still lack (read from the database under the lock, so instances
    /// starting together do not both add the same column).
    pub additive: Option<Vec<DeclaredTable>>,
    /// Take over declared tables that exist without a fullauth migration (see
    /// [`super::DieselAdapter::take_over_existing_tables`]); otherwise creating them fails.
    pub take_over: bool,
}

/// The harness on a synchronous connection: the source, then the additive step.
macro_rules! apply {
    ($connection:expr, $read_state:path, $plan:expr, $dialect:expr) => {{
        let connection = $connection;
        let plan = $plan;
        let apply = || -> Result<(), StepError> {
            let source = match &plan.additive {
                // Tables that exist without a fullauth migration behind them are taken over, not created.
                Some(declared) if plan.take_over => {
                    let state = $read_state(connection, &table_names(declared))?;
                    let applied: Vec<String> = connection
                        .applied_migrations()?
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    let version = timestamp_version(crate::model::now());
                    // Refuse what the additive step would refuse before anything changes.
                    additive_migrations($dialect, declared, &state, &version)?;
                    adopt_existing_tables(plan.source, $dialect, declared, &state, &applied)?
                }
                _ => plan.source,
            };
            connection.run_pending_migrations(source)?;
            if let Some(declared) = plan.additive {
                let state = $read_state(connection, &table_names(&declared))?;
                let version = timestamp_version(crate::model::now());
                let steps = additive_migrations($dialect, &declared, &state, &version)?;
                connection.run_pending_migrations(FullAuthMigrations::new(steps))?;
            }
            Ok(())
        };
        apply()
    }};
}

/// Takes MySQL's named lock of the migrations, waiting up to a minute; an error when it was not granted.
#[cfg(feature = "mysql")]
fn lock_mysql(
    connection: &mut diesel_async::async_connection_wrapper::AsyncConnectionWrapper<
        super::backend::MysqlConnection,
    >,
) -> Result<(), StepError> {
    use diesel::RunQueryDsl as _;
    #[derive(diesel::QueryableByName)]
    struct Granted {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
        granted: Option<i64>,
    }
    let answer: Granted =
        diesel::sql_query("SELECT CAST(GET_LOCK('fullauth_migrations', 60) AS SIGNED) AS granted")
            .get_result(connection)?;
    if answer.granted == Some(1) {
        Ok(())
    } else {
        Err("another instance held the migrations lock for a minute".into())
    }
}

fn table_names(declared: &[DeclaredTable]) -> Vec<String> {
    declared
        .iter()
        .map(|table| table.schema.name.to_string())
        .collect()
}

/// Applies a plan with Diesel's harness, recording every step in `__diesel_schema_migrations`.
pub(crate) async fn run(
    backend: Backend,
    pools: &Pools,
    plan: MigrationPlan,
) -> Result<(), StoreError> {
    let failed = |error: StepError| {
        StoreError::database(MigrationError::new(
            format!("applying the migrations on {backend:?}"),
            error,
        ))
    };
    let dialect = backend.dialect();
    match pools {
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool, _) => {
            let mut connection = pool.get().await.map_err(super::error::pool_error)?;
            connection
                .spawn_blocking(move |connection| {
                    // One writer at a time, from the first read on: instances sharing the file wait for each
                    // other, and a plan that fails half-way leaves nothing behind.
                    connection
                        .immediate_transaction(|connection| {
                            apply!(connection, introspect::read_sqlite, plan, dialect)
                        })
                        .map_err(diesel::result::Error::QueryBuilderError)
                })
                .await
                .map_err(|error| match error {
                    diesel::result::Error::QueryBuilderError(step) => failed(step),
                    other => failed(other.into()),
                })
        }
        #[cfg(feature = "postgres")]
        Pools::Postgres(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            // The harness is synchronous: give it a connection of its own, on a blocking thread.
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                use diesel::connection::SimpleConnection as _;
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                // Instances starting together must not race on the same DDL.
                wrapper.batch_execute("SELECT pg_advisory_lock(7460353535)")?;
                let outcome = apply!(&mut wrapper, introspect::read_postgres, plan, dialect);
                let unlocked = wrapper.batch_execute("SELECT pg_advisory_unlock(7460353535)");
                outcome.and(unlocked.map_err(StepError::from))
            })
            .await
            .map_err(|error| failed(error.into()))?
            .map_err(failed)
        }
        #[cfg(feature = "mysql")]
        Pools::Mysql(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                use diesel::connection::SimpleConnection as _;
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                lock_mysql(&mut wrapper)?;
                let outcome = apply!(&mut wrapper, introspect::read_mysql, plan, dialect);
                let unlocked = wrapper.batch_execute("DO RELEASE_LOCK('fullauth_migrations')");
                outcome.and(unlocked.map_err(StepError::from))
            })
            .await
            .map_err(|error| failed(error.into()))?
            .map_err(failed)
        }
    }
}

/// The fullauth tables as the database has them.
pub(crate) async fn read_state(
    backend: Backend,
    pools: &Pools,
    tables: Vec<String>,
) -> Result<SchemaState, StoreError> {
    let failed = |error: StepError| {
        StoreError::database(MigrationError::new(
            format!("reading the {backend:?} catalog"),
            error,
        ))
    };
    match pools {
        #[cfg(feature = "sqlite")]
        Pools::Sqlite(pool, _) => {
            let mut connection = pool.get().await.map_err(super::error::pool_error)?;
            connection
                .spawn_blocking(move |connection| introspect::read_sqlite(connection, &tables))
                .await
                .map_err(|error| failed(error.into()))
        }
        #[cfg(feature = "postgres")]
        Pools::Postgres(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                introspect::read_postgres(&mut wrapper, &tables)
            })
            .await
            .map_err(|error| failed(error.into()))?
            .map_err(|error| failed(error.into()))
        }
        #[cfg(feature = "mysql")]
        Pools::Mysql(pool) => {
            let connection = pool.get().await.map_err(super::error::pool_error)?;
            let connection = diesel_async::pooled_connection::deadpool::Object::take(connection);
            tokio::task::spawn_blocking(move || {
                let mut wrapper: diesel_async::async_connection_wrapper::AsyncConnectionWrapper<_> =
                    connection.into();
                introspect::read_mysql(&mut wrapper, &tables)
            })
            .await
            .map_err(|error| failed(error.into()))?
            .map_err(|error| failed(error.into()))
        }
    }
}
