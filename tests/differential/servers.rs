//! Both servers of a comparison, started with the same `FULLAUTH_*` settings.

use fullauth_tests::python::PythonServer;

use crate::rust_side::RustServer;

/// The secret key both sides sign with.
pub const SECRET_KEY: &str = "differential-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz";

/// The two servers.
pub struct Pair {
    pub python: PythonServer,
    pub rust: RustServer,
}

/// Per-route limits high enough that a scenario from one address never meets them.
pub const NO_RATE_LIMITS: (&str, &str) = (
    "FULLAUTH_AUTH_RATE_LIMITS",
    r#"{"login": 10000, "register": 10000, "password_reset": 10000, "passkey_auth": 10000, "refresh": 10000, "reauth": 10000, "mfa": 10000}"#,
);

impl Pair {
    /// Starts both servers with `settings` (on top of a shared secret key); `python_only` goes to the Python
    /// side alone (`DIFF_*` switches of `app.py`), `rust_only` to fullauth alone (the same choice in fullauth's
    /// own words). `None` when the Python library is not installed and not required.
    pub async fn start(
        settings: &[(&str, &str)],
        python_only: &[(&str, &str)],
        rust_only: &[(&str, &str)],
    ) -> Option<Pair> {
        let common: Vec<(String, String)> = std::iter::once(("FULLAUTH_SECRET_KEY", SECRET_KEY))
            .chain(settings.iter().copied())
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        let database = fullauth_tests::example_server::TempDir::new("python");
        let python_env: Vec<(String, String)> = common
            .iter()
            .cloned()
            .chain(
                python_only
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
            )
            .chain(std::iter::once((
                "DIFF_DATABASE_URL".to_owned(),
                format!(
                    "sqlite+aiosqlite:///{}",
                    database.path().join("python.db").display()
                ),
            )))
            .collect();
        let python = PythonServer::start(&python_env, database).await?;
        let rust_env: Vec<(String, String)> = common
            .into_iter()
            .chain(
                rust_only
                    .iter()
                    .map(|(n, v)| ((*n).to_owned(), (*v).to_owned())),
            )
            .collect();
        let rust = RustServer::start(&rust_env).await;
        Some(Pair { python, rust })
    }
}
