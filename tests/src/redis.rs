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
        let port = free_port();
        let mut server = RedisServer {
            port,
            process: None,
        };
        server.resume().await;
        Some(server)
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
        self.stop();
        let process = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.process = Some(process);
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", self.port))
                .await
                .is_ok()
            {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("redis-server did not start on port {}", self.port);
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
