//! Scripted scenarios: steps sent in lockstep to both servers, each side keeping its own variables (its tokens,
//! its ids), and what each side answered, normalized for the comparison.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use fullauth_tests::passkey_device::Device;

use crate::observation::Observation;

/// What a step sends as its body.
#[derive(Clone)]
enum Body {
    Json(Value),
    Raw(&'static str),
}

/// One request of a scenario.
#[derive(Clone)]
pub struct Step {
    /// What the step shows, for the report.
    pub name: String,
    method: Method,
    path: String,
    bearer: Option<String>,
    body: Option<Body>,
    saves: Vec<(String, String)>,
    saves_body: Option<String>,
    /// The deliberate difference (a row of COMPATIBILITY.md) this step shows, if any.
    pub differs: Option<Difference>,
}

/// A deliberate difference a step shows: its id in COMPATIBILITY.md, and where it shows.
#[derive(Clone, Copy, Debug)]
pub struct Difference {
    /// The row's id.
    pub id: &'static str,
    /// The JSON pointers into the body where the answers differ; empty, anywhere in the answer. The rest of the
    /// answer must still be the same.
    pub at: &'static [&'static str],
}

/// The password of the scenarios' accounts.
pub const PASSWORD: &str = "correct horse 1";

/// `POST /register` of an account of `email` with [`PASSWORD`].
pub fn register(email: &str) -> Step {
    post(
        "register",
        "/api/v1/auth/register",
        serde_json::json!({"email": email, "password": PASSWORD}),
    )
}

/// `POST /login` as `email` with `password`, keeping the access token in `variable` and the refresh token in
/// `<variable>_refresh`.
pub fn sign_in(name: &str, email: &str, password: &str, variable: &str) -> Step {
    post(
        name,
        "/api/v1/auth/login",
        serde_json::json!({"email": email, "password": password}),
    )
    .save(variable, "/access_token")
    .save(&format!("{variable}_refresh"), "/refresh_token")
}

/// A `GET` of `path` (`{variable}` replaced by the side's value).
pub fn get(name: &str, path: &str) -> Step {
    Step::new(name, Method::GET, path, None)
}

/// A `POST` of `path` with a JSON body (every `{variable}` in its strings replaced).
pub fn post(name: &str, path: &str, body: Value) -> Step {
    Step::new(name, Method::POST, path, Some(Body::Json(body)))
}

/// A `POST` of `path` without a body.
pub fn post_empty(name: &str, path: &str) -> Step {
    Step::new(name, Method::POST, path, None)
}

/// A `PATCH` of `path` with a JSON body.
pub fn patch(name: &str, path: &str, body: Value) -> Step {
    Step::new(name, Method::PATCH, path, Some(Body::Json(body)))
}

/// A `DELETE` of `path`, with a JSON body when `body` is not null.
pub fn delete(name: &str, path: &str, body: Value) -> Step {
    let body = (!body.is_null()).then_some(Body::Json(body));
    Step::new(name, Method::DELETE, path, body)
}

impl Step {
    fn new(name: &str, method: Method, path: &str, body: Option<Body>) -> Step {
        Step {
            name: name.to_owned(),
            method,
            path: path.to_owned(),
            bearer: None,
            body,
            saves: Vec::new(),
            saves_body: None,
            differs: None,
        }
    }

    /// Sends the access token kept in `variable` as a bearer token.
    pub fn bearer(mut self, variable: &str) -> Step {
        self.bearer = Some(variable.to_owned());
        self
    }

    /// Sends `text` as a JSON body as it is, unparsed (for bodies that are not valid JSON).
    pub fn raw(mut self, text: &'static str) -> Step {
        self.body = Some(Body::Raw(text));
        self
    }

    /// Keeps the string (or number) at `pointer` of the answer in `variable`.
    pub fn save(mut self, variable: &str, pointer: &str) -> Step {
        self.saves.push((variable.to_owned(), pointer.to_owned()));
        self
    }

    /// Keeps the whole JSON body of the answer in `variable`, for a `"{json:variable}"` string of a later body.
    pub fn save_body(mut self, variable: &str) -> Step {
        self.saves_body = Some(variable.to_owned());
        self
    }

    /// Marks the step as showing the deliberate difference `id`, anywhere in its answer.
    pub fn differs(mut self, id: &'static str) -> Step {
        self.differs = Some(Difference { id, at: &[] });
        self
    }

    /// Marks the step as showing the deliberate difference `id` at the body's JSON pointers `at` only.
    pub fn differs_at(mut self, id: &'static str, at: &'static [&'static str]) -> Step {
        self.differs = Some(Difference { id, at });
        self
    }
}

/// `credential` as a browser hands it over when the options ask for no attestation: the client data's origin
/// without the trailing slash the software authenticator adds, and the attestation statement dropped (format
/// `none`, the authenticator data untouched), which is what lets the client data change: it is signed by nothing
/// else. fastapi-fullauth compares origins as text and checks the self-attestation it would otherwise get.
fn as_a_browser_sends(mut credential: Value) -> Value {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let field = |credential: &Value, name: &str| -> Vec<u8> {
        let encoded = credential["response"][name]
            .as_str()
            .expect("a base64url field");
        URL_SAFE_NO_PAD.decode(encoded).expect("base64url")
    };
    let mut client_data: Value =
        serde_json::from_slice(&field(&credential, "clientDataJSON")).expect("client data in JSON");
    if let Some(Value::String(origin)) = client_data.get_mut("origin") {
        let trimmed = origin.trim_end_matches('/').to_owned();
        *origin = trimmed;
    }
    let auth_data = cbor_bytes_after(&field(&credential, "attestationObject"), b"authData");
    let mut attestation = vec![0xa3, 0x63];
    attestation.extend_from_slice(b"fmt");
    attestation.push(0x64);
    attestation.extend_from_slice(b"none");
    attestation.push(0x67);
    attestation.extend_from_slice(b"attStmt");
    attestation.push(0xa0);
    attestation.push(0x68);
    attestation.extend_from_slice(b"authData");
    let length = u16::try_from(auth_data.len()).expect("authenticator data under 64 KiB");
    attestation.push(0x59);
    attestation.extend_from_slice(&length.to_be_bytes());
    attestation.extend_from_slice(&auth_data);
    credential["response"]["clientDataJSON"] =
        Value::String(URL_SAFE_NO_PAD.encode(client_data.to_string()));
    credential["response"]["attestationObject"] =
        Value::String(URL_SAFE_NO_PAD.encode(attestation));
    credential
}

/// The byte string that follows the text key `key` in a CBOR map.
fn cbor_bytes_after(cbor: &[u8], key: &[u8]) -> Vec<u8> {
    let mut text_key = vec![0x60 + u8::try_from(key.len()).expect("a short key")];
    text_key.extend_from_slice(key);
    let start = cbor
        .windows(text_key.len())
        .position(|window| window == text_key.as_slice())
        .expect("the key in the map")
        + text_key.len();
    let (length, header) = match cbor[start] {
        short @ 0x40..=0x57 => (usize::from(short - 0x40), 1),
        0x58 => (usize::from(cbor[start + 1]), 2),
        0x59 => (
            usize::from(u16::from_be_bytes([cbor[start + 1], cbor[start + 2]])),
            3,
        ),
        other => panic!("a byte string after the key, not {other:#x}"),
    };
    cbor[start + header..start + header + length].to_vec()
}

/// One server as a scenario sees it: its address, a client with a cookie jar, and its variables.
pub struct Side {
    /// `python` or `fullauth`, for the report.
    pub name: &'static str,
    base: String,
    client: reqwest::Client,
    variables: HashMap<String, String>,
    json_variables: HashMap<String, Value>,
    device: Device,
}

impl Side {
    /// A side talking to `base`.
    pub fn new(name: &'static str, base: &str) -> Side {
        Side {
            name,
            base: base.to_owned(),
            // Every request has a connection of its own. uvicorn closes a connection right after a 500 it has
            // already sent (an exception escaped the application), without a `Connection: close` header, so a
            // pooled connection could carry the next step into a reset; keep-alive timeouts race the same way.
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .build()
                .unwrap(),
            variables: HashMap::new(),
            json_variables: HashMap::new(),
            device: Device::verifying(),
        }
    }

    fn fill(&self, text: &str) -> String {
        let mut filled = text.to_owned();
        for (name, value) in &self.variables {
            filled = filled.replace(&format!("{{{name}}}"), value);
        }
        filled
    }

    fn fill_json(&self, value: &Value) -> Value {
        match value {
            Value::String(text) if text.starts_with("{json:") => {
                let name = text.trim_start_matches("{json:").trim_end_matches('}');
                self.json_variables
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| panic!("{}: no JSON value in {name}", self.name))
            }
            Value::String(text) => Value::String(self.fill(text)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.fill_json(v)).collect()),
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(key, v)| (key.clone(), self.fill_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Sends `step` and returns what came back, after keeping the values the step saves.
    pub async fn send(&mut self, step: &Step) -> Observation {
        self.send_reading(step).await.0
    }

    /// [`Self::send`], also returning the JSON body as it was sent.
    pub async fn send_reading(&mut self, step: &Step) -> (Observation, Option<Value>) {
        let url = format!("{}{}", self.base, self.fill(&step.path));
        let mut request = self.client.request(step.method.clone(), url);
        if let Some(variable) = &step.bearer {
            let token =
                self.variables.get(variable).cloned().unwrap_or_else(|| {
                    panic!("{}: step {:?} needs {variable}", self.name, step.name)
                });
            request = request.bearer_auth(token);
        }
        request = match &step.body {
            Some(Body::Json(body)) => request.json(&self.fill_json(body)),
            Some(Body::Raw(text)) => request
                .header("content-type", "application/json")
                .body(*text),
            None => request,
        };
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("{}: step {:?}: {error:?}", self.name, step.name));
        let (observation, body) = Observation::read(response).await;
        if let (Some(variable), Some(body)) = (&step.saves_body, &body) {
            self.json_variables.insert(variable.clone(), body.clone());
        }
        for (variable, pointer) in &step.saves {
            let value = match body.as_ref().and_then(|body| body.pointer(pointer)) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Number(number)) => number.to_string(),
                other => panic!(
                    "{}: step {:?} answered {other:?} at {pointer}: {observation:#?}",
                    self.name, step.name
                ),
            };
            self.variables.insert(variable.clone(), value);
        }
        (observation, body)
    }

    /// Waits for the token of the last `kind` mail (`verify` or `reset`) sent to `email`, and keeps it in
    /// `variable`.
    pub async fn take_mail(&mut self, email: &str, kind: &str, variable: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let response = self
                .client
                .get(format!("{}/_test/mail", self.base))
                .query(&[("email", email), ("kind", kind)])
                .send()
                .await
                .unwrap();
            if response.status().is_success() {
                let body: Value = response.json().await.unwrap();
                let token = body["token"].as_str().unwrap().to_owned();
                if self.variables.get(variable) != Some(&token) {
                    self.variables.insert(variable.to_owned(), token);
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{}: no new {kind} mail to {email} within 10 s",
                self.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Keeps in `variable` the current TOTP code of the base32 secret kept in `secret`.
    pub async fn totp(&mut self, secret: &str, variable: &str) {
        let secret = self
            .variables
            .get(secret)
            .cloned()
            .unwrap_or_else(|| panic!("{}: no secret in {secret}", self.name));
        let code = fullauth_tests::mfa::Authenticator::new(&secret)
            .next_code()
            .await;
        self.variables.insert(variable.to_owned(), code);
    }

    /// Keeps in `variable` what this side's authenticator answers to the options kept in `options`: a new
    /// credential for creation options, an assertion for request options.
    pub fn authenticate(&mut self, options: &str, variable: &str) {
        let options = self
            .json_variables
            .get(options)
            .cloned()
            .unwrap_or_else(|| panic!("{}: no options in {options}", self.name));
        let answer = if options.get("pubKeyCredParams").is_some() {
            as_a_browser_sends(self.device.create(&options))
        } else {
            self.device.get(&options, None)
        };
        self.json_variables.insert(variable.to_owned(), answer);
    }

    /// Goes through `provider`'s login and consent pages as `account`, from the authorization URL kept in `url`,
    /// and keeps the code and state it sends back in `code` and `state`.
    pub async fn consent(
        &mut self,
        provider: &fullauth_tests::oidc::OidcProvider,
        url: &str,
        account: &str,
    ) {
        let authorization_url = self
            .variables
            .get(url)
            .cloned()
            .unwrap_or_else(|| panic!("{}: no authorization URL in {url}", self.name));
        let answer = provider
            .consent(&authorization_url, account)
            .await
            .unwrap_or_else(|error| panic!("{}: the provider refused: {error}", self.name));
        self.variables.insert("code".to_owned(), answer.code);
        self.variables.insert("state".to_owned(), answer.state);
    }

    /// Makes the user with `email` a superuser, directly in the database.
    pub async fn make_superuser(&self, email: &str) {
        let response = self
            .client
            .post(format!("{}/_test/superuser", self.base))
            .json(&serde_json::json!({ "email": email }))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{}: superuser", self.name);
    }
}
