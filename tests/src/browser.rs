//! A real headless Chromium, driven through ChromeDriver's WebDriver protocol, for the tests where a browser is
//! the client: cookies, `SameSite`, CORS and forged cross-site requests behave as browsers make them behave.
//!
//! Needs `chromium` and `chromedriver` (Debian's `chromium` and `chromium-driver` packages). Without them the
//! browser tests say they were skipped, unless `FULLAUTH_REQUIRE_SERVICES=1`.

use std::io::{Read as _, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

use crate::database::skip_missing;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// One ChromeDriver process with one browser session.
pub struct Browser {
    driver: Child,
    endpoint: String,
    client: reqwest::Client,
    profile: std::path::PathBuf,
}

/// Reads ChromeDriver's output up to the line that names the port it chose (`--port=0`), then keeps reading the
/// rest on a thread of its own, so that ChromeDriver never writes into a closed pipe.
fn announced_port(output: std::process::ChildStdout) -> Option<u16> {
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(output));
    let port = lines.by_ref().map_while(Result::ok).find_map(|line| {
        line.strip_prefix("ChromeDriver was started successfully on port ")
            .and_then(|rest| rest.trim_end_matches('.').trim().parse().ok())
    })?;
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Some(port)
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Chromium outlives a killed ChromeDriver: the session is ended first, which closes the browser.
        self.end_session();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Starts ChromeDriver on a free port and opens a headless Chromium with an empty profile; `None` (after
    /// saying so) when they are not installed and services are not required.
    pub async fn start() -> Option<Browser> {
        let installed = [CHROMIUM, CHROMEDRIVER]
            .iter()
            .all(|path| std::path::Path::new(path).exists());
        if !installed {
            skip_missing(
                &format!("{CHROMIUM} and {CHROMEDRIVER}"),
                "apt-get install chromium chromium-driver",
            );
            return None;
        }
        let mut driver = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let output = driver
            .stdout
            .take()
            .expect("ChromeDriver's standard output");
        let port = tokio::task::spawn_blocking(move || announced_port(output))
            .await
            .unwrap()
            .expect("chromedriver did not say which port it listens on");
        let profile = std::env::temp_dir().join(format!(
            "fullauth-browser-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let mut browser = Browser {
            driver,
            endpoint: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::new(),
            profile,
        };
        browser.wait_until_ready().await;
        browser.open_session().await;
        Some(browser)
    }

    /// Sends `DELETE /session/{id}` and waits for the answer, which ChromeDriver gives once the browser has quit.
    /// Plain blocking I/O, because it runs in `Drop`, also while a failed test unwinds.
    fn end_session(&self) {
        let Some((host, path)) = self
            .endpoint
            .strip_prefix("http://")
            .and_then(|rest| rest.split_once('/'))
        else {
            return;
        };
        let Ok(mut stream) = std::net::TcpStream::connect(host) else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request =
            format!("DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        if stream.write_all(request.as_bytes()).is_ok() {
            let _ = stream.read_to_end(&mut Vec::new());
        }
    }

    async fn wait_until_ready(&self) {
        for _ in 0..100 {
            let status = self
                .client
                .get(format!("{}/status", self.endpoint))
                .send()
                .await;
            if let Ok(status) = status {
                let body: Value = status.json().await.unwrap_or_default();
                if body["value"]["ready"] == true {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start");
    }

    async fn open_session(&mut self) {
        let arguments = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ]
        .iter()
        .map(|argument| (*argument).to_owned())
        .chain([format!("--user-data-dir={}", self.profile.display())])
        .collect::<Vec<_>>();
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": arguments},
        }}});
        let created = self.command("POST", "/session", capabilities).await;
        let id = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {created}"))
            .to_owned();
        self.endpoint = format!("{}/session/{id}", self.endpoint);
    }

    async fn command(&self, method: &str, path: &str, body: Value) -> Value {
        let url = format!("{}{path}", self.endpoint);
        let request = match method {
            "POST" => self.client.post(url).json(&body),
            "DELETE" => self.client.delete(url),
            _ => self.client.get(url),
        };
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        answer["value"].clone()
    }

    /// Opens `url` in the tab, as a user typing it would, and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        let answer = self.command("POST", "/url", json!({ "url": url })).await;
        assert!(answer.is_null(), "navigation to {url} failed: {answer}");
    }

    /// Runs `script` in the page; its last argument is the callback that ends it with a value.
    pub async fn run(&self, script: &str, args: Value) -> Value {
        let answer = self
            .command(
                "POST",
                "/execute/async",
                json!({ "script": script, "args": args }),
            )
            .await;
        assert!(answer.get("error").is_none(), "the script failed: {answer}");
        answer
    }

    /// The URL and visible text of the page the tab shows now.
    pub async fn page(&self) -> (String, String) {
        let url = self.command("GET", "/url", Value::Null).await;
        let text = self
            .run(
                "arguments[0](document.body ? document.body.innerText : '')",
                json!([]),
            )
            .await;
        (
            url.as_str().unwrap_or_default().to_owned(),
            text.as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Adds a virtual authenticator to the browser (WebDriver's WebAuthn extension, CDP's `WebAuthn` domain
    /// underneath): CTAP2 on the platform's internal transport, keeping discoverable credentials, verifying its
    /// user, consenting without a person. Returns its id.
    pub async fn add_virtual_authenticator(&self) -> String {
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": true,
        });
        let id = self
            .command("POST", "/webauthn/authenticator", options)
            .await;
        id.as_str()
            .unwrap_or_else(|| panic!("no virtual authenticator: {id}"))
            .to_owned()
    }

    /// The credentials a virtual authenticator holds, private keys and signature counters included.
    pub async fn credentials(&self, authenticator: &str) -> Vec<Value> {
        let path = format!("/webauthn/authenticator/{authenticator}/credentials");
        let credentials = self.command("GET", &path, Value::Null).await;
        credentials
            .as_array()
            .unwrap_or_else(|| panic!("no credentials: {credentials}"))
            .clone()
    }

    /// Empties a virtual authenticator.
    pub async fn remove_credentials(&self, authenticator: &str) {
        let path = format!("/webauthn/authenticator/{authenticator}/credentials");
        self.command("DELETE", &path, Value::Null).await;
    }

    /// Puts a credential (as [`Self::credentials`] lists them) into a virtual authenticator.
    pub async fn add_credential(&self, authenticator: &str, credential: Value) {
        let path = format!("/webauthn/authenticator/{authenticator}/credential");
        let answer = self.command("POST", &path, credential).await;
        assert!(
            answer.get("error").is_none(),
            "the credential was not added: {answer}"
        );
    }
}
