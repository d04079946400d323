//! A real OpenID Connect provider on loopback: the `oidc-provider` npm package (`tests/oidc/`), one process per
//! test, and a client that goes through its login and consent pages the way a user's browser would.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::database::skip_missing;

/// The client id fullauth is registered with at the provider.
pub const CLIENT_ID: &str = "fullauth-app";
/// Its client secret.
pub const CLIENT_SECRET: &str = "fullauth-app-secret-0123456789abcdef";
/// The redirect URIs registered at the provider (and allowed by the test apps).
pub const REDIRECT_URIS: [&str; 2] = [
    "https://app.example.com/oauth/callback",
    "http://127.0.0.1:3000/oauth/callback",
];

/// A running provider; it stops when dropped.
pub struct OidcProvider {
    /// `http://127.0.0.1:<port>`.
    pub issuer: String,
    http: reqwest::Client,
    _process: Child,
}

/// Where a provider sent the user back: the query of the redirect URI.
#[derive(Debug, Clone)]
pub struct ProviderAnswer {
    /// The authorization code.
    pub code: String,
    /// The state, as sent.
    pub state: String,
}

impl OidcProvider {
    /// Starts a provider that knows the test client; `None` (after saying why) when Node or the package is not
    /// installed and `FULLAUTH_REQUIRE_SERVICES=1` is not set.
    pub async fn start() -> Option<OidcProvider> {
        OidcProvider::start_with(&[]).await
    }

    /// [`Self::start`], with more clients registered beside the test client (each a JSON object of
    /// oidc-provider's client metadata).
    pub async fn start_with(more_clients: &[Value]) -> Option<OidcProvider> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/oidc");
        let installed = std::path::Path::new(dir)
            .join("node_modules/oidc-provider")
            .is_dir();
        let node = Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .await
            .is_ok_and(|status| status.success());
        if !(installed && node) {
            skip_missing(
                "Node.js with the OpenID provider of the OAuth tests",
                "install Node.js, then: cd tests/oidc && npm ci",
            );
            return None;
        }
        let mut clients = vec![json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": REDIRECT_URIS,
        })];
        clients.extend_from_slice(more_clients);
        let clients = Value::Array(clients);
        let mut process = Command::new("node")
            .arg(format!("{dir}/server.mjs"))
            .arg(clients.to_string())
            .current_dir(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("starting the OpenID provider");
        let stdout = process.stdout.take().expect("its standard output");
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        tokio::time::timeout(Duration::from_secs(20), reader.read_line(&mut line))
            .await
            .expect("the OpenID provider did not start in time")
            .unwrap();
        // Keep reading what it prints: a closed pipe would end it at its next notice.
        tokio::spawn(async move {
            let mut sink = String::new();
            while reader.read_line(&mut sink).await.is_ok_and(|read| read > 0) {
                sink.clear();
            }
        });
        let issuer = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("the OpenID provider did not start: {line:?}"))
            .to_owned();
        Some(OidcProvider {
            issuer,
            http: browser(),
            _process: process,
        })
    }

    /// Follows `authorization_url` through the provider's login (as `account`, see `tests/oidc/server.mjs`)
    /// and consent pages, with a fresh cookie jar, to the redirect back to the application; returns the code
    /// and state it carries, or the provider's `error` parameter.
    pub async fn consent(
        &self,
        authorization_url: &str,
        account: &str,
    ) -> Result<ProviderAnswer, String> {
        let browser = browser();
        let mut next = authorization_url.to_owned();
        for _ in 0..12 {
            if let Some(answer) = redirect_answer(&next) {
                return answer;
            }
            let url = if next.starts_with('/') {
                format!("{}{next}", self.issuer)
            } else {
                next.clone()
            };
            let response = browser.get(&url).send().await.unwrap();
            if let Some(location) = location(&response) {
                next = location;
                continue;
            }
            let page = response.text().await.unwrap();
            let form: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
                vec![("prompt", "login"), ("login", account), ("password", "any")]
            } else {
                vec![("prompt", "consent")]
            };
            let response = browser.post(&url).form(&form).send().await.unwrap();
            next = location(&response)
                .unwrap_or_else(|| panic!("the provider's form at {url} did not redirect"));
        }
        panic!("the provider never sent the user back")
    }

    /// A plain client for the provider's own endpoints.
    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|value| value.to_str().unwrap().to_owned())
}

/// The code and state (or error) of a redirect to one of the registered redirect URIs.
fn redirect_answer(url: &str) -> Option<Result<ProviderAnswer, String>> {
    let (base, query) = url.split_once('?')?;
    if !REDIRECT_URIS.contains(&base) {
        return None;
    }
    let parsed: Value = Value::Object(
        url::form_urlencoded::parse(query.as_bytes())
            .map(|(key, value)| (key.into_owned(), Value::String(value.into_owned())))
            .collect(),
    );
    if let Some(error) = parsed["error"].as_str() {
        return Some(Err(error.to_owned()));
    }
    Some(Ok(ProviderAnswer {
        code: parsed["code"].as_str()?.to_owned(),
        state: parsed["state"].as_str()?.to_owned(),
    }))
}
