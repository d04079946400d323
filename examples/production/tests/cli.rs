//! The application binary's `secret` and `check` commands, as fastapi-fullauth's command line has them: a new
//! secret key, and the deployment's configuration and database checked before it serves.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use fullauth_tests::{Backend, TestDatabase};

const SECRET: &str = "production-cli-secret-0123456789abcdef";

/// Runs the binary with `args` and exactly the `FULLAUTH_*` variables given: `(success, standard output)`.
fn run(args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_migrations"));
    for (name, _) in std::env::vars() {
        if name.starts_with("FULLAUTH_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    let output = command
        .args(args)
        .envs(env.iter().copied())
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
fn secret_prints_a_new_key_each_time() {
    let (ok, first) = run(&["secret"], &[]);
    assert!(ok, "{first}");
    let first = first.trim().to_owned();
    assert_eq!(first.len(), 86, "{first}");
    assert!(
        first
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let (_, second) = run(&["secret"], &[]);
    assert_ne!(first, second.trim());
    let (ok, usage) = run(&["secret", "extra"], &[]);
    assert!(!ok, "{usage}");
}

#[test]
fn check_names_what_is_wrong_with_the_configuration() {
    let (ok, report) = run(
        &["check"],
        &[
            ("FULLAUTH_SECRET_KEY", SECRET),
            ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "0"),
        ],
    );
    assert!(!ok, "{report}");
    assert!(
        report.contains("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES"),
        "{report}"
    );
    let (ok, report) = run(&["check"], &[]);
    assert!(!ok, "{report}");
    assert!(
        report.contains("FULLAUTH_SECRET_KEY is not set"),
        "{report}"
    );
    assert!(report.contains("database: not checked"), "{report}");
    let (ok, report) = run(
        &["check"],
        &[
            ("FULLAUTH_SECRET_KEY", SECRET),
            ("FULLAUTH_ALGORITHM", "EdDSA"),
        ],
    );
    assert!(
        !ok && report.contains("FULLAUTH_PRIVATE_KEY_FILE"),
        "{report}"
    );
}

#[test]
fn check_names_the_variables_no_setting_reads() {
    let (_, report) = run(
        &["check"],
        &[
            ("FULLAUTH_SECRET_KEY", SECRET),
            ("FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES", "5"),
            ("FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES", "5"),
        ],
    );
    assert!(report.contains("configuration: ok"), "{report}");
    assert!(
        report.contains(
            "configuration: note: FULLAUTH_ACCES_TOKEN_EXPIRE_MINUTES is set, but no fullauth setting reads it"
        ),
        "{report}"
    );
    assert_eq!(report.matches("note:").count(), 1, "{report}");

    // A refused configuration still has its misspelt names noted: they are often why it is refused.
    let (ok, report) = run(
        &["check"],
        &[
            ("FULLAUTH_SECRET_KEY", SECRET),
            ("FULLAUTH_ALGORITHM", "EdDSA"),
            ("FULLAUTH_PRIVATE_KEY_FIlE", "/etc/keys/signing.pem"),
        ],
    );
    assert!(!ok, "{report}");
    assert!(
        report.contains("FULLAUTH_PRIVATE_KEY_FILE is required")
            && report.contains("note: FULLAUTH_PRIVATE_KEY_FIlE is set"),
        "{report}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn check_compares_the_database_with_the_structs() {
    let Some(db) = TestDatabase::create(Backend::Sqlite).await else {
        return;
    };
    let env = [
        ("FULLAUTH_SECRET_KEY", SECRET),
        ("DATABASE_URL", db.url.as_str()),
    ];
    let (ok, report) = run(&["check"], &env);
    assert!(!ok, "{report}");
    assert!(report.contains("configuration: ok"), "{report}");
    assert!(report.contains("table `users` is missing"), "{report}");
    let adapter = fullauth::DieselAdapter::connect(&db.url)
        .await
        .unwrap()
        .user::<production::models::User>()
        .refresh_tokens::<production::models::RefreshToken>();
    let config = fullauth::FullAuthConfig::with_secret(SECRET).unwrap();
    fullauth::FullAuth::new(adapter, config)
        .unwrap()
        .migrate()
        .await
        .unwrap();
    let (ok, report) = run(&["check"], &env);
    assert!(ok, "{report}");
    assert!(
        report.contains("configuration: ok") && report.contains("database: ok"),
        "{report}"
    );
}
