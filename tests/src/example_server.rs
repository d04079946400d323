//! An example's server binary started as a user starts it: in a fresh directory, on a free port, its output read
//! line by line.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A running example server; stopped and its directory removed when dropped.
pub struct ExampleServer {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    output: Receiver<String>,
    _dir: TempDir,
}

impl ExampleServer {
    /// Starts `binary` (an example's `CARGO_BIN_EXE_...`) with `env` on top of a clean environment for the
    /// example (`BIND_ADDR=127.0.0.1:0`, no `DATABASE_URL`), in a fresh directory, and waits for the address it
    /// logs.
    pub fn start(binary: &str, env: &[(&str, &str)]) -> Self {
        Self::try_start(binary, env)
            .unwrap_or_else(|| panic!("{binary} stopped before it listened"))
    }

    /// Like [`Self::start`], but `None` when the server stops before it listens (a `BIND_ADDR` whose port is
    /// taken, say), so that the caller can try another.
    pub fn try_start(binary: &str, env: &[(&str, &str)]) -> Option<Self> {
        let dir = TempDir::new("server");
        let mut child = Command::new(binary)
            .current_dir(&dir.0)
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "warn,fullauth::serve=info")
            .env_remove("DATABASE_URL")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|error| panic!("{binary} does not start: {error}"));
        let stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        // Keep reading, so the server never writes into a closed pipe; the lines go to the test.
        let (sender, output) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        let mut server = Self {
            child,
            base: String::new(),
            output,
            _dir: dir,
        };
        let line = server.line_with("listening on http://")?;
        server.base = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .map(|word| {
                word.trim_end_matches(|c: char| !c.is_ascii_digit())
                    .to_owned()
            })
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Some(server)
    }

    /// Waits for a line of the server's standard output that contains `text`, and returns it.
    pub fn printed_line_with(&self, text: &str) -> String {
        self.line_with(text)
            .unwrap_or_else(|| panic!("the server stopped without printing a line with {text:?}"))
    }

    /// A line with `text`, or `None` when the server stopped before printing one; panics after 15 seconds.
    fn line_with(&self, text: &str) -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(line) if line.contains(text) => return Some(line),
                Ok(_) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the server printed no line with {text:?} in 15 seconds")
                }
            }
        }
    }

    /// `base` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for ExampleServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `binary` to its end with `env`, in a fresh directory, for a start that must fail: its exit status and
/// standard error.
pub fn run_to_end(binary: &str, env: &[(&str, &str)], remove: &[&str]) -> (bool, String) {
    let dir = TempDir::new("run");
    let mut command = Command::new(binary);
    command
        .current_dir(&dir.0)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env_remove("DATABASE_URL");
    for name in remove {
        command.env_remove(name);
    }
    let output = command.envs(env.iter().copied()).output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A directory of its own for one server, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new, empty directory.
    pub fn new(purpose: &str) -> Self {
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let run = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "fullauth-example-{purpose}-{}-{run}",
            std::process::id()
        ));
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
