//! A deployed table whose declared indexes changed since it was created gains the new index, through
//! `migrate()` and through migration folders, and `migrations check` names it until then. Here: the session
//! index of the refresh-token table, as databases created before it was declared have it.

use std::process::ExitCode;

use fullauth::DieselAdapter;
use fullauth::store::AuthStore as _;
use fullauth_tests::models::evolution::v2;
use fullauth_tests::{Backend, TestDatabase, inspect::Connection};

use crate::evolution::{check_folder_and_database, cli};

crate::on_every_backend!(
    a_new_index_is_created_by_migrate,
    a_new_index_is_created_by_written_folders
);

type Adapter = DieselAdapter<v2::Person, v2::PersonSession>;

const NEW_INDEX: &str = "people_sessions_family_live_idx";
const OLD_INDEX: &str = "people_sessions_family_id_idx";
const MISSING: &str = "index `people_sessions_family_live_idx` on `people_sessions` is missing";

async fn connect(db: &TestDatabase) -> Adapter {
    DieselAdapter::connect(&db.url)
        .await
        .unwrap()
        .user::<v2::Person>()
        .refresh_tokens::<v2::PersonSession>()
}

async fn index_names(adapter: &Adapter) -> Vec<String> {
    let state = adapter.schema_state().await.unwrap();
    let names = state
        .indexes("people_sessions")
        .expect("read from the catalog");
    names.iter().cloned().collect()
}

async fn a_new_index_is_created_by_migrate(backend: Backend) {
    if backend == Backend::Memory {
        return; // no schema to evolve
    }
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let adapter = connect(&db).await;
    adapter.migrate().await.unwrap();
    // The table as an earlier release created it: the family's index on its id alone.
    let drop = match backend {
        Backend::Mysql => format!("DROP INDEX {NEW_INDEX} ON people_sessions;"),
        _ => format!("DROP INDEX {NEW_INDEX};"),
    };
    let mut connection = Connection::open(&db).await;
    connection
        .execute(&format!(
            "{drop} CREATE INDEX {OLD_INDEX} ON people_sessions (family_id);"
        ))
        .await;
    assert!(!index_names(&adapter).await.contains(&NEW_INDEX.to_owned()));

    let (code, report) = cli(&["migrations", "check", "--database-url", &db.url]).await;
    assert_eq!(code, ExitCode::from(1), "{report}");
    assert!(report.contains(&format!("database: {MISSING}")), "{report}");

    adapter.migrate().await.unwrap();
    adapter.migrate().await.unwrap();
    let (code, report) = cli(&["migrations", "check", "--database-url", &db.url]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    let names = index_names(&adapter).await;
    assert!(names.contains(&NEW_INDEX.to_owned()), "{names:?}");
    assert!(
        names.contains(&OLD_INDEX.to_owned()),
        "indexes fullauth no longer declares are left alone: {names:?}"
    );
    let applied = connection.applied_migrations().await;
    assert_eq!(
        applied.len(),
        3,
        "create, create, then the index: {applied:?}"
    );
}

async fn a_new_index_is_created_by_written_folders(backend: Backend) {
    let (name, quote) = match backend {
        Backend::Sqlite => ("sqlite", '"'),
        Backend::Postgres => ("postgres", '"'),
        Backend::Mysql => ("mysql", '`'),
        Backend::Memory => return,
    };
    let Some(db) = TestDatabase::create(backend).await else {
        return;
    };
    let dir = std::env::temp_dir().join(format!(
        "fullauth-index-migrations-{}",
        uuid::Uuid::new_v4().simple()
    ));
    let folder = dir.to_str().unwrap();
    let (code, report) = cli(&["migrations", "write", folder, "--backend", name]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    // The folder as an earlier release wrote it.
    let q = |identifier: &str| format!("{quote}{identifier}{quote}");
    let new_line = format!(
        "CREATE INDEX {} ON {} ({}, {}, {}, {});",
        q(NEW_INDEX),
        q("people_sessions"),
        q("family_id"),
        q("used_at"),
        q("revoked_at"),
        q("expires_at")
    );
    let old_line = format!(
        "CREATE INDEX {} ON {} ({});",
        q(OLD_INDEX),
        q("people_sessions"),
        q("family_id")
    );
    let created = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path().join("up.sql"))
        .find(|up| std::fs::read_to_string(up).unwrap().contains(&new_line))
        .expect("the folder creates the index");
    let sql = std::fs::read_to_string(&created).unwrap();
    std::fs::write(&created, sql.replace(&new_line, &old_line)).unwrap();
    let adapter = connect(&db).await;
    adapter.migrate_from(&dir).await.unwrap();

    let (code, report) = check_folder_and_database(folder, &db.url).await;
    assert_eq!(code, ExitCode::from(1), "{report}");
    assert!(
        report.contains(&format!("folder {folder}: {MISSING}")),
        "{report}"
    );
    assert!(report.contains(&format!("database: {MISSING}")), "{report}");

    let (code, report) = cli(&["migrations", "write", folder, "--backend", name]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    assert_eq!(report.matches("wrote ").count(), 1, "{report}");
    let (code, report) = cli(&["migrations", "write", folder, "--backend", name]).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    assert_eq!(report.matches("wrote ").count(), 0, "up to date: {report}");
    adapter.migrate_from(&dir).await.unwrap();
    let (code, report) = check_folder_and_database(folder, &db.url).await;
    assert_eq!(code, ExitCode::SUCCESS, "{report}");
    assert!(index_names(&adapter).await.contains(&NEW_INDEX.to_owned()));
    std::fs::remove_dir_all(&dir).unwrap();
}
