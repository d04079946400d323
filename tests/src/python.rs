//! The Python library itself, fastapi-fullauth 0.18, in a virtual environment: found or made once per test
//! process, then served by uvicorn on loopback for the tests that compare answers with it.
//!
//! The interpreter is `$FULLAUTH_TEST_PYTHON` when set, otherwise `~/.cache/fullauth-python/bin/python`. When that
//! environment lacks the pinned packages (`tests/differential/python/requirements.txt`), they are installed into
//! it; when Python or the package index is out of reach, the tests say they were skipped, unless
//! `FULLAUTH_REQUIRE_SERVICES=1`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tokio::process::{Child, Command};

use crate::database::{free_port, skip_missing};
use crate::example_server::TempDir;

/// The folder of the Python side of the comparisons: `app.py` and `requirements.txt`.
pub const PYTHON_APP_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/differential/python");

/// The interpreter of a ready virtual environment, or `None` after saying why there is none.
pub fn interpreter() -> Option<PathBuf> {
    static READY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    match READY.get_or_init(prepare) {
        Ok(python) => Some(python.clone()),
        Err(why) => {
            skip_missing(
                &format!("fastapi-fullauth 0.18 in a virtual environment ({why})"),
                "python3 -m venv ~/.cache/fullauth-python && ~/.cache/fullauth-python/bin/pip install -r \
                 tests/differential/python/requirements.txt, or set FULLAUTH_TEST_PYTHON",
            );
            None
        }
    }
}

fn environment_folder() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(std::env::temp_dir, PathBuf::from);
    home.join(".cache/fullauth-python")
}

fn prepare() -> Result<PathBuf, String> {
    let python = match std::env::var_os("FULLAUTH_TEST_PYTHON") {
        Some(python) => PathBuf::from(python),
        None => {
            let folder = environment_folder();
            let python = folder.join("bin/python");
            if !python.exists() {
                run(
                    std::process::Command::new("python3")
                        .args(["-m", "venv"])
                        .arg(&folder),
                    "python3 -m venv",
                )?;
            }
            python
        }
    };
    if !has_the_packages(&python) {
        let requirements = Path::new(PYTHON_APP_DIR).join("requirements.txt");
        run(
            std::process::Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(requirements),
            "pip install",
        )?;
        if !has_the_packages(&python) {
            return Err("the packages do not import after pip installed them".to_owned());
        }
    }
    Ok(python)
}

fn has_the_packages(python: &Path) -> bool {
    std::process::Command::new(python)
        .args([
            "-c",
            "import importlib.metadata as m, uvicorn, aiosqlite, asyncpg, sqlmodel, pyotp, webauthn, httpx; \
             assert m.version('fastapi-fullauth') == '0.18.0'",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn run(command: &mut std::process::Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|error| format!("{what} does not start: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!("{what} failed: {}", stderr.trim()))
    }
}

/// `app.py` served by uvicorn on a free loopback port; stopped when dropped.
pub struct PythonServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    _process: Child,
    _folder: TempDir,
}

impl PythonServer {
    /// Serves `app.py` with `env` (its `DIFF_*` and `FULLAUTH_*` settings) and waits until it answers; `None`
    /// when the virtual environment is missing and not required. `folder` (which holds its database) is removed
    /// when the server stops.
    pub async fn start(env: &[(String, String)], folder: TempDir) -> Option<PythonServer> {
        let python = interpreter()?;
        let port = free_port();
        // Its log (tracebacks of the errors it answers 500 for) goes to a file, shown if it does not start.
        let log_path = folder.path().join("uvicorn.log");
        let log = std::fs::File::create(&log_path).expect("creating the server's log");
        let mut process = Command::new(python)
            .args(["-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .args(["--log-level", "warning", "--no-access-log"])
            .current_dir(PYTHON_APP_DIR)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONWARNINGS", "ignore")
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .expect("starting uvicorn");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let answered = client
                .get(format!("{base}/openapi.json"))
                .send()
                .await
                .is_ok_and(|response| response.status().is_success());
            if answered {
                break;
            }
            if let Ok(Some(status)) = process.try_wait() {
                panic!(
                    "fastapi-fullauth stopped ({status}) before answering; its log:\n{}",
                    std::fs::read_to_string(&log_path).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "fastapi-fullauth did not answer on {base} within 30 s; its log:\n{}",
                std::fs::read_to_string(&log_path).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Some(PythonServer {
            base,
            _process: process,
            _folder: folder,
        })
    }
}
