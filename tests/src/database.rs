//! A fresh, empty database per test: a temporary SQLite file, or a PostgreSQL schema of its own.
//!
//! PostgreSQL is reached through `FULLAUTH_TEST_POSTGRES_URL` (each test gets a schema of its own), MySQL or
//! MariaDB through `FULLAUTH_TEST_MYSQL_URL` (each test gets a database of its own). Without them those tests
//! say they were skipped and pass, unless `FULLAUTH_REQUIRE_SERVICES=1`, which turns a missing service into a
//! failure.

use diesel_async::{AsyncConnection, SimpleAsyncConnection};

/// The databases the suites run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
    /// fullauth's in-memory store: no database at all.
    Memory,
}

/// One test's database; removed when dropped.
pub struct TestDatabase {
    pub backend: Backend,
    pub url: String,
    cleanup: Cleanup,
    memory: Option<fullauth::store::MemoryStore<crate::models::User>>,
}

enum Cleanup {
    Nothing,
    File(std::path::PathBuf),
    Schema { admin_url: String, schema: String },
    Database { admin_url: String, name: String },
    MysqlDatabase { admin_url: String, name: String },
}

/// Whether `FULLAUTH_REQUIRE_SERVICES=1` turns a missing service into a failure.
pub fn services_required() -> bool {
    std::env::var("FULLAUTH_REQUIRE_SERVICES")
        .is_ok_and(|value| value == "1" || value.eq_ignore_ascii_case("true"))
}

/// Says that a test is skipped because `what` is missing; a failure instead under `FULLAUTH_REQUIRE_SERVICES=1`.
pub fn skip_missing(what: &str, how_to_install: &str) {
    assert!(
        !services_required(),
        "{what} missing, and FULLAUTH_REQUIRE_SERVICES=1 requires it ({how_to_install})"
    );
    eprintln!("skipped: {what} missing ({how_to_install})");
}

/// A loopback port that was free a moment ago, for a server started as another process.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The URL of a test service, or `None` (after saying so) when it is not configured and not required.
pub fn service_url(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if services_required() => {
            panic!("{variable} is not set, and FULLAUTH_REQUIRE_SERVICES=1 requires it")
        }
        _ => {
            eprintln!(
                "skipped: {variable} is not set (set it, or FULLAUTH_REQUIRE_SERVICES=1 to make this a failure)"
            );
            None
        }
    }
}

impl TestDatabase {
    /// A new empty database on `backend`, or `None` when that backend is not available and not required.
    pub async fn create(backend: Backend) -> Option<Self> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Memory => Some(Self {
                backend,
                url: "memory".into(),
                cleanup: Cleanup::Nothing,
                memory: Some(fullauth::store::MemoryStore::new()),
            }),
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("fullauth-test-{id}.db"));
                let url = format!("sqlite://{}", path.display());
                Some(Self {
                    backend,
                    url,
                    cleanup: Cleanup::File(path),
                    memory: None,
                })
            }
            Backend::Postgres => {
                let admin_url = service_url("FULLAUTH_TEST_POSTGRES_URL")?;
                let schema = format!("fullauth_test_{id}");
                let mut connection = diesel_async::AsyncPgConnection::establish(&admin_url)
                    .await
                    .unwrap_or_else(|error| {
                        panic!("cannot connect to FULLAUTH_TEST_POSTGRES_URL: {error}")
                    });
                connection
                    .batch_execute(&format!("CREATE SCHEMA \"{schema}\""))
                    .await
                    .unwrap();
                let separator = if admin_url.contains('?') { '&' } else { '?' };
                // The application name lets a test find (and cut) this database's connections.
                let url = format!(
                    "{admin_url}{separator}options=-c%20search_path%3D{schema}&application_name={schema}"
                );
                Some(Self {
                    backend,
                    url,
                    cleanup: Cleanup::Schema { admin_url, schema },
                    memory: None,
                })
            }
            Backend::Mysql => {
                let admin_url = service_url("FULLAUTH_TEST_MYSQL_URL")?;
                let name = format!("fullauth_test_{id}");
                let mut connection = diesel_async::AsyncMysqlConnection::establish(&admin_url)
                    .await
                    .unwrap_or_else(|error| {
                        panic!("cannot connect to FULLAUTH_TEST_MYSQL_URL: {error}")
                    });
                connection
                    .batch_execute(&format!(
                        "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                    ))
                    .await
                    .unwrap();
                let url = replace_database(&admin_url, &name);
                Some(Self {
                    backend,
                    url,
                    cleanup: Cleanup::MysqlDatabase { admin_url, name },
                    memory: None,
                })
            }
        }
    }
}

impl TestDatabase {
    /// The in-memory store of a [`Backend::Memory`] database.
    ///
    /// # Panics
    /// For any other backend.
    pub fn memory_store(&self) -> &fullauth::store::MemoryStore<crate::models::User> {
        self.memory
            .as_ref()
            .expect("only the in-memory backend has a memory store")
    }

    /// A whole PostgreSQL database of its own (rather than a schema), for tests that take it away.
    pub async fn create_postgres_database() -> Option<Self> {
        let admin_url = service_url("FULLAUTH_TEST_POSTGRES_URL")?;
        let name = format!("fullauth_test_{}", uuid::Uuid::new_v4().simple());
        let mut connection = diesel_async::AsyncPgConnection::establish(&admin_url)
            .await
            .unwrap();
        connection
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .await
            .unwrap();
        let url = replace_database(&admin_url, &name);
        Some(Self {
            backend: Backend::Postgres,
            url,
            cleanup: Cleanup::Database { admin_url, name },
            memory: None,
        })
    }

    /// Refuses (or allows again) every new connection to a database made by
    /// [`Self::create_postgres_database`], and cuts the existing ones: the database is down.
    pub async fn set_reachable(&self, reachable: bool) {
        let Cleanup::Database { admin_url, name } = &self.cleanup else {
            panic!("only a database of its own can be taken down");
        };
        let mut connection = diesel_async::AsyncPgConnection::establish(admin_url)
            .await
            .unwrap();
        let mut sql = format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS {reachable};");
        if !reachable {
            sql.push_str(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';"
            ));
        }
        connection.batch_execute(&sql).await.unwrap();
    }

    /// Cuts every connection the application holds to this database, as a database restart would.
    pub async fn cut_connections(&self) {
        let Cleanup::Schema { admin_url, schema } = &self.cleanup else {
            panic!("only PostgreSQL connections can be cut");
        };
        let mut connection = diesel_async::AsyncPgConnection::establish(admin_url)
            .await
            .unwrap();
        connection
            .batch_execute(&format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{schema}'"
            ))
            .await
            .unwrap();
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Nothing => {}
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::MysqlDatabase { admin_url, name } => {
                let (admin_url, sql) = (
                    admin_url.clone(),
                    format!("DROP DATABASE IF EXISTS `{name}`"),
                );
                let cleanup = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    runtime.block_on(async {
                        if let Ok(mut connection) =
                            diesel_async::AsyncMysqlConnection::establish(&admin_url).await
                        {
                            let _ = connection.batch_execute(&sql).await;
                        }
                    });
                });
                let _ = cleanup.join();
            }
            Cleanup::Database { admin_url, name } => {
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                run_on_side_runtime(admin_url.clone(), sql);
            }
            Cleanup::Schema { admin_url, schema } => {
                run_on_side_runtime(
                    admin_url.clone(),
                    format!("DROP SCHEMA \"{schema}\" CASCADE"),
                );
            }
        }
    }
}

/// Runs one statement on a thread with a runtime of its own (drops happen inside the test's runtime).
fn run_on_side_runtime(admin_url: String, sql: String) {
    let cleanup = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            if let Ok(mut connection) = diesel_async::AsyncPgConnection::establish(&admin_url).await
            {
                let _ = connection.batch_execute(&sql).await;
            }
        });
    });
    let _ = cleanup.join();
}

/// The same server URL, naming another database.
fn replace_database(url: &str, database: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(base, query)| (base, Some(query)));
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    let server = rest.split_once('/').map_or(rest, |(server, _)| server);
    match query {
        Some(query) => format!("{scheme}://{server}/{database}?{query}"),
        None => format!("{scheme}://{server}/{database}"),
    }
}
