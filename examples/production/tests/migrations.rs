//! The production example's committed migration folders match its structs, and bring a fresh database of each kind to
//! the same schema as `migrate()`: what `migrations check` guards in a deployment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use fullauth_tests::{Backend, TestDatabase};

fn migrations(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_migrations"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn the_committed_folders_match_the_structs() {
    for backend in ["sqlite", "postgres", "mysql"] {
        let (ok, report) = migrations(&[
            "migrations",
            "check",
            "--dir",
            &format!("migrations/{backend}"),
        ]);
        assert!(
            ok,
            "migrations/{backend} lags behind the structs; run `migrations write`: {report}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_folders_migrate_a_fresh_database_of_each_kind() {
    for (backend, folder) in [
        (Backend::Sqlite, "sqlite"),
        (Backend::Postgres, "postgres"),
        (Backend::Mysql, "mysql"),
    ] {
        let Some(db) = TestDatabase::create(backend).await else {
            continue;
        };
        let (ok, report) = migrations(&["migrations", "check", "--database-url", &db.url]);
        assert!(
            !ok && report.contains("table `users` is missing"),
            "{report}"
        );
        let adapter = fullauth::DieselAdapter::connect(&db.url)
            .await
            .unwrap()
            .user::<production::models::User>()
            .refresh_tokens::<production::models::RefreshToken>();
        adapter
            .migrate_from(format!(
                "{}/migrations/{folder}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .await
            .unwrap();
        let (ok, report) = migrations(&[
            "migrations",
            "check",
            "--dir",
            &format!("migrations/{folder}"),
            "--database-url",
            &db.url,
        ]);
        assert!(ok, "{backend:?}: {report}");
    }
}
