//! A server under test, run as its own process so that its memory can be read from outside.

use std::fs::File;
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::scripts;

/// How to start one server.
pub struct Launch {
    /// Shown in the report.
    pub name: String,
    pub program: PathBuf,
    /// Arguments; `{port}` is replaced by the port chosen for the server.
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub dir: PathBuf,
}

/// A running server, killed when dropped.
pub struct Server {
    pub name: String,
    pub address: SocketAddr,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// Starts the server on a free loopback port (`BIND_ADDR`, or `{port}` in its arguments) and waits until it
    /// answers HTTP.
    pub async fn start(launch: Launch) -> Result<Self, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|error| format!("no free port: {error}"))?
            .port();
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let log = launch
            .dir
            .join(format!("{}.log", launch.name.replace([' ', '(', ')'], "-")));
        let output = File::create(&log).map_err(|error| format!("{}: {error}", log.display()))?;
        let errors = output.try_clone().map_err(|error| error.to_string())?;
        let args = launch
            .args
            .iter()
            .map(|arg| arg.replace("{port}", &port.to_string()));
        let child = Command::new(&launch.program)
            .args(args)
            .current_dir(&launch.dir)
            .env("BIND_ADDR", address.to_string())
            .envs(launch.env.iter().map(|(key, value)| (key, value)))
            .stdout(Stdio::from(output))
            .stderr(Stdio::from(errors))
            .spawn()
            .map_err(|error| format!("{} does not start: {error}", launch.program.display()))?;
        let mut server = Self {
            name: launch.name,
            address,
            child,
            log,
        };
        let started = Instant::now();
        while !scripts::answers(address).await {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{} exited ({status}); its output:\n{}",
                    server.name,
                    server.output()
                ));
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!(
                    "{} did not answer within 60 s; its output:\n{}",
                    server.name,
                    server.output()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(server)
    }

    /// The process id, for its memory readings.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
