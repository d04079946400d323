use std::time::Duration;

use diesel_async::pooled_connection::AsyncDieselConnectionManager;
#[cfg(feature = "sqlite")]
use diesel_async::pooled_connection::ManagerConfig;
use diesel_async::pooled_connection::RecyclingMethod;
use diesel_async::pooled_connection::deadpool::Pool;

use crate::error::Error;
use crate::schema::Dialect;

/// SQLite connection type of the adapter.
#[cfg(feature = "sqlite")]
pub type SqliteConnection =
    diesel_async::sync_connection_wrapper::SyncConnectionWrapper<diesel::SqliteConnection>;
/// PostgreSQL connection type of the adapter.
#[cfg(feature = "postgres")]
pub type PgConnection = diesel_async::AsyncPgConnection;
/// MySQL connection type of the adapter.
#[cfg(feature = "mysql")]
pub type MysqlConnection = diesel_async::AsyncMysqlConnection;

/// The database behind a [`super::DieselAdapter`], picked from the URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// `sqlite://path/to/file.db`, `sqlite:///absolute/path.db` or `sqlite::memory:`.
    Sqlite,
    /// `postgres://` or `postgresql://`.
    Postgres,
    /// `mysql://` (MySQL 8, MariaDB 10.5 or later).
    Mysql,
}

impl Backend {
    /// The SQL dialect of this backend.
    pub fn dialect(self) -> Dialect {
        match self {
            Backend::Sqlite => Dialect::Sqlite,
            Backend::Postgres => Dialect::Postgres,
            Backend::Mysql => Dialect::Mysql,
        }
    }

    /// The backend a URL names, or an error saying which schemes work and which features they need.
    pub fn from_url(url: &str) -> Result<Self, Error> {
        let scheme = url
            .split_once(':')
            .map_or("", |(scheme, _)| scheme)
            .to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            "mysql" | "mariadb" => Ok(Backend::Mysql),
            _ => Err(Error::config(
                "database_url",
                "must start with sqlite://, postgres://, postgresql:// or mysql://",
            )),
        }
    }
}

/// The turn of an SQLite pool's writers.
///
/// SQLite lets one connection write at a time. A writer that finds the file locked waits in SQLite's busy
/// handler, which sleeps (1, 2, 5, 10 ... up to 100 ms) between attempts: under a burst of writes, that sleep is
/// the latency. The adapter's writers therefore queue here first, in order, holding no connection while they
/// wait, and only one at a time asks SQLite for the lock; the busy handler is left for other processes sharing
/// the file.
#[cfg(feature = "sqlite")]
#[doc(hidden)]
#[derive(Clone, Default)]
pub struct SqliteWriters(std::sync::Arc<tokio::sync::Mutex<()>>);

#[cfg(feature = "sqlite")]
impl SqliteWriters {
    /// Waits for this writer's turn, which lasts until the guard is dropped.
    pub(crate) async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.0.lock().await
    }
}

/// Connection pools, one variant per compiled backend.
#[doc(hidden)]
#[derive(Clone)]
pub enum Pools {
    /// SQLite connections, each run on a blocking thread, and the turn of this process's writers.
    #[cfg(feature = "sqlite")]
    Sqlite(Pool<SqliteConnection>, SqliteWriters),
    /// PostgreSQL connections.
    #[cfg(feature = "postgres")]
    Postgres(Pool<PgConnection>),
    /// MySQL or MariaDB connections.
    #[cfg(feature = "mysql")]
    Mysql(Pool<MysqlConnection>),
}

/// How a pool is sized and how long requests wait for it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolOptions {
    pub size: usize,
    pub timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            size: 10,
            timeout: Duration::from_secs(5),
        }
    }
}

impl Pools {
    pub(crate) async fn connect(url: &str, options: PoolOptions) -> Result<(Backend, Self), Error> {
        let backend = Backend::from_url(url)?;
        let pools = match backend {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => Pools::Sqlite(sqlite_pool(url, options)?, SqliteWriters::default()),
            #[cfg(feature = "postgres")]
            Backend::Postgres => Pools::Postgres(postgres_pool(url, options)?),
            #[cfg(feature = "mysql")]
            Backend::Mysql => Pools::Mysql(mysql_pool(url, options)?),
            #[allow(unreachable_patterns)]
            other => {
                return Err(Error::config(
                    "database_url",
                    &format!(
                        "names {other:?}, but fullauth was built without its feature; enable it in Cargo.toml"
                    ),
                ));
            }
        };
        // Fail at start-up, not at the first request, when the database cannot be reached.
        pools.check().await?;
        Ok((backend, pools))
    }

    async fn check(&self) -> Result<(), Error> {
        let reachable = match self {
            #[cfg(feature = "sqlite")]
            Pools::Sqlite(pool, _) => pool.get().await.map(drop),
            #[cfg(feature = "postgres")]
            Pools::Postgres(pool) => pool.get().await.map(drop),
            #[cfg(feature = "mysql")]
            Pools::Mysql(pool) => pool.get().await.map(drop),
        };
        reachable.map_err(|error| Error::Store(super::error::pool_error(error)))
    }
}

fn build_pool<C>(
    manager: AsyncDieselConnectionManager<C>,
    options: PoolOptions,
) -> Result<Pool<C>, Error>
where
    C: diesel_async::pooled_connection::PoolableConnection + Send + 'static,
    AsyncDieselConnectionManager<C>: deadpool::managed::Manager,
{
    Pool::builder(manager)
        .max_size(options.size)
        .wait_timeout(Some(options.timeout))
        .create_timeout(Some(options.timeout))
        .recycle_timeout(Some(options.timeout))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|error| Error::config("database_pool_size", &error.to_string()))
}

/// The SQLite file (or `:memory:`) a `sqlite:` URL names.
#[cfg(feature = "sqlite")]
pub(crate) fn sqlite_path(url: &str) -> &str {
    let rest = url.split_once(':').map_or(url, |(_, rest)| rest);
    rest.strip_prefix("//").unwrap_or(rest)
}

#[cfg(feature = "sqlite")]
fn sqlite_pool(url: &str, mut options: PoolOptions) -> Result<Pool<SqliteConnection>, Error> {
    let path = sqlite_path(url).to_owned();
    if path.is_empty() {
        return Err(Error::config(
            "database_url",
            "names no SQLite file (e.g. sqlite://app.db)",
        ));
    }
    if path == ":memory:" {
        // Every connection to :memory: is a separate, empty database: keep exactly one.
        options.size = 1;
    }
    let busy_timeout_ms = options.timeout.as_millis();
    let mut config = ManagerConfig::<SqliteConnection>::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(move |url| {
        let url = url.to_owned();
        Box::pin(async move {
            use diesel_async::SimpleAsyncConnection as _;
            let mut connection =
                <SqliteConnection as diesel_async::AsyncConnection>::establish(&url).await?;
            // WAL lets readers run beside the writer; the busy timeout makes writers queue instead of failing;
            // SQLite only enforces foreign keys (and their cascades) when asked, per connection.
            connection
                .batch_execute(&format!(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA busy_timeout = {busy_timeout_ms}; PRAGMA foreign_keys = ON;"
                ))
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(connection)
        })
    });
    build_pool(
        AsyncDieselConnectionManager::new_with_config(path, config),
        options,
    )
}

#[cfg(feature = "postgres")]
fn postgres_pool(url: &str, options: PoolOptions) -> Result<Pool<PgConnection>, Error> {
    let mut config = diesel_async::pooled_connection::ManagerConfig::<PgConnection>::default();
    // A closed connection is detected without a round trip; broken ones are dropped on return.
    config.recycling_method = RecyclingMethod::Fast;
    build_pool(
        AsyncDieselConnectionManager::new_with_config(url, config),
        options,
    )
}

#[cfg(feature = "mysql")]
fn mysql_pool(url: &str, options: PoolOptions) -> Result<Pool<MysqlConnection>, Error> {
    let mut config = diesel_async::pooled_connection::ManagerConfig::<MysqlConnection>::default();
    config.recycling_method = RecyclingMethod::Fast;
    config.custom_setup = Box::new(|url| {
        let url = url.to_owned();
        Box::pin(async move {
            use diesel_async::SimpleAsyncConnection as _;
            let mut connection =
                <MysqlConnection as diesel_async::AsyncConnection>::establish(&url).await?;
            // InnoDB defaults to REPEATABLE READ, whose snapshot would hide rows committed by a concurrent
            // rotation after the user's row lock was granted. Every statement must see the latest commits, as on
            // PostgreSQL. UTC keeps DATETIME arithmetic in the database aligned with the stored values.
            connection
                .batch_execute(
                    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED; SET time_zone = '+00:00'; \
                     SET NAMES utf8mb4 COLLATE utf8mb4_bin;",
                )
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(connection)
        })
    });
    build_pool(
        AsyncDieselConnectionManager::new_with_config(url, config),
        options,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_schemes() {
        assert_eq!(
            Backend::from_url("sqlite://app.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgresql://localhost/x").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mongodb://x").is_err());
        assert!(Backend::from_url("app.db").is_err());
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn extracts_sqlite_paths() {
        assert_eq!(sqlite_path("sqlite://app.db"), "app.db");
        assert_eq!(sqlite_path("sqlite:///tmp/app.db"), "/tmp/app.db");
        assert_eq!(sqlite_path("sqlite::memory:"), ":memory:");
        assert_eq!(sqlite_path("sqlite://:memory:"), ":memory:");
    }
}
