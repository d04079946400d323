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
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::database::skip_missing;
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
        // uvicorn binds a port of the system's choosing (no port picked here that another server could take
        // first) and says which once the application has started.
        let mut process = Command::new(python)
            .args([
                "-m",
                "uvicorn",
                "app:app",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
            ])
            .args([
                "--log-level",
                "info",
                "--no-access-log",
                "--timeout-keep-alive",
                "30",
            ])
            .current_dir(PYTHON_APP_DIR)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("PYTHONWARNINGS", "ignore")
            .envs(env.iter().map(|(name, value)| (name, value)))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("starting uvicorn");
        let stderr = process.stderr.take().expect("its standard error");
        // Its log (with the tracebacks of the errors it answers 500 for) is kept, and shown if it does not start.
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let (address, listening) = tokio::sync::oneshot::channel();
        let kept = std::sync::Arc::clone(&log);
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            let mut address = Some(address);
            while let Ok(Some(line)) = lines.next_line().await {
                let base = line
                    .split_whitespace()
                    .find(|word| word.starts_with("http://127.0.0.1:"));
                if let Some(base) = base
                    && let Some(address) = address.take()
                {
                    let _ = address.send(base.to_owned());
                }
                let mut log = kept
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                log.push_str(&line);
                log.push('\n');
            }
        });
        let shown = || log.lock().map(|log| log.clone()).unwrap_or_default();
        let base = match tokio::time::timeout(Duration::from_secs(30), listening).await {
            Ok(Ok(base)) => base,
            Ok(Err(_)) => panic!(
                "fastapi-fullauth stopped before listening; its log:\n{}",
                shown()
            ),
            Err(_) => panic!(
                "fastapi-fullauth did not listen within 30 s; its log:\n{}",
                shown()
            ),
        };
        Some(PythonServer {
            base,
            _process: process,
            _folder: folder,
        })
    }
}
