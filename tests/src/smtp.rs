//! A real SMTP server for the mail tests: `tests/smtp/sink.py` (aiosmtpd) on a free loopback port, one per test,
//! writing every mail it accepts as JSON into a directory of its own.
//!
//! It needs `python3` with `aiosmtpd` (`python3 -m pip install aiosmtpd`; `.ci/run` installs it). Without them
//! the mail tests say they were skipped, unless `FULLAUTH_REQUIRE_SERVICES=1`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::database::services_required;

/// How long a test waits for a mail before failing.
const ARRIVAL_TIMEOUT: Duration = Duration::from_secs(15);

/// A running SMTP server process; stopped when dropped.
pub struct SmtpSink {
    port: u16,
    dir: PathBuf,
    taken: Mutex<HashSet<PathBuf>>,
    _process: Child,
}

/// A mail as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    pub auth_user: Option<String>,
    /// Whether the mail came over TLS.
    pub tls: bool,
    pub from: String,
    pub to: String,
    pub subject: String,
    pub content_type: String,
    pub text: String,
    pub html: String,
}

impl ReceivedMail {
    fn from_json(value: &Value) -> Self {
        let text = |field: &str| value[field].as_str().unwrap_or_default().to_owned();
        ReceivedMail {
            envelope_from: text("envelope_from"),
            envelope_to: value["envelope_to"]
                .as_array()
                .map(|all| {
                    all.iter()
                        .filter_map(|to| to.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            auth_user: value["auth_user"].as_str().map(str::to_owned),
            tls: value["tls"].as_bool().unwrap_or(false),
            from: text("from"),
            to: text("to"),
            subject: text("subject"),
            content_type: text("content_type"),
            text: text("text"),
            html: text("html"),
        }
    }

    /// The first link of the plain-text part.
    pub fn link(&self) -> String {
        self.text
            .split_whitespace()
            .find(|word| word.starts_with("http://") || word.starts_with("https://"))
            .unwrap_or_else(|| panic!("no link in the mail: {}", self.text))
            .to_owned()
    }

    /// The token of the link.
    pub fn token(&self) -> String {
        let link = self.link();
        let (_, token) = link
            .split_once("?token=")
            .unwrap_or_else(|| panic!("no token in the link {link}"));
        token.to_owned()
    }
}

impl SmtpSink {
    /// A server accepting every mail without authentication.
    pub async fn start() -> Option<SmtpSink> {
        Self::launch(&[]).await
    }

    /// A server that requires `AUTH` with these credentials.
    pub async fn start_with_login(user: &str, password: &str) -> Option<SmtpSink> {
        Self::launch(&["--user", user, "--password", password]).await
    }

    /// A server with TLS, its certificate (for `127.0.0.1` and `localhost`) issued by a certificate authority
    /// made for it, whose certificate is [`Self::ca_file`]. `--starttls` requires STARTTLS; `--smtps` speaks
    /// TLS from the first byte.
    pub async fn start_with_tls(mode: &str) -> Option<SmtpSink> {
        let dir = std::env::temp_dir().join(format!(
            "fullauth-smtp-tls-{}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        if !make_certificates(&dir).await {
            let _ = std::fs::remove_dir_all(&dir);
            let reason = "openssl is needed to make certificates for the SMTP TLS tests";
            assert!(
                !services_required(),
                "{reason}, and FULLAUTH_REQUIRE_SERVICES=1 requires it"
            );
            eprintln!("skipped: {reason}");
            return None;
        }
        let (cert, key) = (dir.join("server.pem"), dir.join("server.key"));
        let sink = Self::launch(&[
            mode,
            &cert.display().to_string(),
            &key.display().to_string(),
        ])
        .await;
        if let Some(sink) = &sink {
            std::fs::rename(dir.join("ca.pem"), sink.ca_file()).unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
        sink
    }

    /// The certificate of the authority that issued a TLS server's certificate.
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }

    async fn launch(extra: &[&str]) -> Option<SmtpSink> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/smtp/sink.py");
        let available = Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|status| status.success());
        if !available {
            let reason = "python3 with aiosmtpd is needed for the SMTP tests (python3 -m pip install aiosmtpd)";
            assert!(
                !services_required(),
                "{reason}, and FULLAUTH_REQUIRE_SERVICES=1 requires them"
            );
            eprintln!("skipped: {reason}");
            return None;
        }
        let dir =
            std::env::temp_dir().join(format!("fullauth-smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut process = Command::new("python3")
            .arg(script)
            .arg("--dir")
            .arg(&dir)
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Its own log (failed TLS handshakes and refused clients are logged there on purpose).
            .stderr(std::fs::File::create(dir.join("server.log")).unwrap())
            .kill_on_drop(true)
            .spawn()
            .expect("starting the SMTP server");
        let stdout = process.stdout.take().expect("its standard output");
        let mut line = String::new();
        tokio::time::timeout(
            Duration::from_secs(20),
            BufReader::new(stdout).read_line(&mut line),
        )
        .await
        .expect("the SMTP server did not start in time")
        .unwrap();
        let port = line.trim().parse().unwrap_or_else(|_| {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            panic!("the SMTP server did not start: {line:?}\n{log}")
        });
        Some(SmtpSink {
            port,
            dir,
            taken: Mutex::new(HashSet::new()),
            _process: process,
        })
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Takes the oldest mail to `address` not taken yet, waiting for it to arrive.
    pub async fn next_to(&self, address: &str) -> ReceivedMail {
        let deadline = tokio::time::Instant::now() + ARRIVAL_TIMEOUT;
        loop {
            if let Some(mail) = self.take_first(address) {
                return mail;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no mail to {address} reached the SMTP server within {ARRIVAL_TIMEOUT:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Checks that no mail to `address` arrives within `wait`.
    pub async fn expect_none_to(&self, address: &str, wait: Duration) {
        tokio::time::sleep(wait).await;
        if let Some(mail) = self.take_first(address) {
            panic!("expected no mail to {address}, got {mail:?}");
        }
    }

    /// The logins of the refused `AUTH` attempts, waiting up to `wait` for at least one.
    pub async fn refused_logins(&self, wait: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
                .unwrap()
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| {
                    path.extension()
                        .is_some_and(|extension| extension == "authfail")
                })
                .collect();
            files.sort();
            if !files.is_empty() || tokio::time::Instant::now() >= deadline {
                return files
                    .iter()
                    .map(|path| std::fs::read_to_string(path).unwrap())
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many mails the server accepted in all.
    pub fn received(&self) -> usize {
        self.files().len()
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .unwrap()
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .collect();
        files.sort();
        files
    }

    fn take_first(&self, address: &str) -> Option<ReceivedMail> {
        let mut taken = self.taken.lock().unwrap();
        for path in self.files() {
            if taken.contains(&path) {
                continue;
            }
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let mail = ReceivedMail::from_json(&value);
            if mail
                .envelope_to
                .iter()
                .any(|to| to.eq_ignore_ascii_case(address))
            {
                taken.insert(path);
                return Some(mail);
            }
        }
        None
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Makes `ca.pem` (a certificate authority) and `server.pem` / `server.key` (a server certificate it issued
/// for `127.0.0.1` and `localhost`) in `dir`, with the openssl command; `false` when there is no openssl.
async fn make_certificates(dir: &std::path::Path) -> bool {
    let run = |args: Vec<String>| async move {
        Command::new("openssl")
            .args(&args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|status| status.success())
    };
    let words = |text: &str| {
        text.split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    if !run(words("version")).await {
        return false;
    }
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n\
         keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let steps = [
        "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.pem -days 2 \
         -subj /CN=fullauth-test-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign",
        "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr \
         -subj /CN=localhost",
        "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
         -extfile server.ext",
    ];
    for step in steps {
        assert!(run(words(step)).await, "openssl {step} failed");
    }
    true
}
