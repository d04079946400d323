//! What the comparison runs, from the environment.

use std::path::PathBuf;
use std::time::Duration;

/// A database the servers run on.
pub struct Database {
    /// `SQLite` or `PostgreSQL`.
    pub label: &'static str,
    /// For PostgreSQL, a server URL; its database `fullauth_bench` is dropped and created for the run.
    pub server_url: Option<String>,
}

/// The comparison's settings.
pub struct Settings {
    /// fullauth's example server binary (the roles example: role models declared).
    pub fullauth: PathBuf,
    /// The bare axum server binary.
    pub bare: PathBuf,
    /// A Python interpreter of a virtual environment with fastapi-fullauth 0.18 and uvicorn.
    pub python: Option<PathBuf>,
    /// The folder with the Python library's benchmark application.
    pub python_app: PathBuf,
    pub databases: Vec<Database>,
    /// Clients of each load.
    pub clients: usize,
    /// Length of a `GET /me` round, of the refresh and register loads, and of the ceiling measurement.
    pub seconds: Duration,
    /// `GET /me` rounds per server, each fullauth round followed by one of the bare server.
    pub rounds: usize,
    /// Length of the sign-in flood.
    pub login_seconds: Duration,
    /// Where the report, the RSS samples and the plots go.
    pub out: PathBuf,
}

impl Settings {
    /// `compare-servers <fullauth binary>`; `BENCH_POSTGRES_URL`, `BENCH_PYTHON`, `BENCH_CLIENTS` (16),
    /// `BENCH_SECONDS` (10), `BENCH_ROUNDS` (4), `BENCH_LOGIN_SECONDS` (30), `BENCH_OUT`
    /// (`compare-servers-results`).
    pub fn from_env() -> Result<Self, String> {
        let fullauth = std::env::args_os()
            .nth(1)
            .map(PathBuf::from)
            .ok_or("usage: compare-servers <fullauth example server binary>")?;
        let own = std::env::current_exe().map_err(|error| error.to_string())?;
        let bare = own.with_file_name("bare-server");
        let mut databases = vec![Database {
            label: "SQLite",
            server_url: None,
        }];
        if let Some(url) = variable("BENCH_POSTGRES_URL") {
            databases.push(Database {
                label: "PostgreSQL",
                server_url: Some(url),
            });
        }
        let python_app = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python");
        Ok(Self {
            fullauth,
            bare,
            python: variable("BENCH_PYTHON").map(PathBuf::from),
            python_app,
            databases,
            clients: number("BENCH_CLIENTS", 16)?,
            seconds: Duration::from_secs(number("BENCH_SECONDS", 10)?),
            rounds: number("BENCH_ROUNDS", 4)?.max(1),
            login_seconds: Duration::from_secs(number("BENCH_LOGIN_SECONDS", 30)?),
            out: PathBuf::from(variable("BENCH_OUT").unwrap_or("compare-servers-results".into())),
        })
    }
}

fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

fn number<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match variable(name) {
        None => Ok(default),
        Some(value) => value
            .parse()
            .map_err(|_| format!("{name}={value:?} is not a whole number")),
    }
}
