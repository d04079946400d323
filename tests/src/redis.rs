//! Redis for the tests: the shared server named by `FULLAUTH_TEST_REDIS_URL` (each test in a namespace of its own),
//! and servers of a test's own, `redis-server` processes that a test can stop and start again.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fullauth::shared_state::RedisState;

use crate::database::{service_url, services_required};

/// A `RedisState` on the shared test Redis, in a fresh namespace; `None` when Redis is not configured and not
/// required.
pub async fn shared_state() -> Option<RedisState> {
    let url = service_url("FULLAUTH_TEST_REDIS_URL")?;
    let state = RedisState::connect(&url)
        .await
        .unwrap_or_else(|error| panic!("cannot connect to FULLAUTH_TEST_REDIS_URL: {error}"));
    Some(state.with_namespace(format!("test-{}", uuid::Uuid::new_v4().simple())))
}

/// A `redis-server` of one test, on a port of its own, keeping nothing on disk.
pub struct RedisServer {
    port: u16,
    process: Option<Child>,
}

impl RedisServer {
    /// Starts a server; `None` when `redis-server` is not installed and services are not required.
    pub async fn start() -> Option<RedisServer> {
        let available = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !available {
            assert!(!services_required(), "redis-server is not installed");
            eprintln!("skipped: redis-server is not installed");
            return None;
        }
        // The port is chosen before the server starts, so another process may take it first: then the server
        // stops at once, and another port is tried.
        for _ in 0..5 {
            let mut server = RedisServer {
                port: free_port(),
                process: None,
            };
            if server.launch().await {
                return Some(server);
            }
        }
        panic!("redis-server did not start on any of five free ports");
    }

    /// `redis://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Stops the server, as a crash would.
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            let _ = process.kill();
            let _ = process.wait();
        }
    }

    /// Starts the server again on the same port (empty: it keeps nothing) and waits until it answers.
    pub async fn resume(&mut self) {
        assert!(
            self.launch().await,
            "redis-server did not start again on port {}",
            self.port
        );
    }

    /// Starts a server on `self.port` and waits until it is the one answering there: `false` when it stopped
    /// first, the port being taken.
    async fn launch(&mut self) -> bool {
        self.stop();
        let process = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let pid = process.id();
        let process = self.process.insert(process);
        for _ in 0..100 {
            if process.try_wait().ok().flatten().is_some() {
                self.process = None;
                return false;
            }
            if answering_process(self.port).await == Some(pid) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not answer on port {}", self.port);
    }
}

/// The process id of the Redis server answering on `port`, from `INFO server`.
async fn answering_process(port: u16) -> Option<u32> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .ok()?;
    stream
        .write_all(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
        .await
        .ok()?;
    let mut answer = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut buffer))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        answer.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&answer);
        if let Some(rest) = text.split("process_id:").nth(1)
            && let Some((pid, _)) = rest.split_once("\r\n")
        {
            return pid.trim().parse().ok();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}
