//! Passkeys end to end over HTTP: ceremonies with webauthn-rs's software authenticator, registrations forged
//! byte by byte for every malformed or lying credential, and the routes' answers on each database.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;

/// Stamps out each listed test on SQLite, PostgreSQL and MySQL.
macro_rules! on_databases {
    ($($test:ident),* $(,)?) => {
        fullauth_tests::on_backends!(
            [sqlite: Sqlite, postgres: Postgres, mysql: Mysql],
            [$($test),*]
        );
    };
}

mod bad_assertions;
mod bad_registrations;
mod ceremonies;
mod forge;
mod forged_sign_ins;
mod gate;
mod manage;
mod mfa;
mod parallel;

use fullauth::FullAuthConfig;
pub use fullauth_tests::passkey_device::{Device, ORIGIN, wrapped};
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::{Value, json};

/// A change a test makes to a credential before sending it.
pub type Tampering<'a> = Box<dyn Fn(&Value) -> Value + 'a>;

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";

/// Passkeys on for `localhost`, served from [`ORIGIN`].
pub fn passkeys_on(config: &mut FullAuthConfig) {
    config.passkey.rp_id = Some("localhost".into());
    config.passkey.rp_name = Some("Fullauth Tests".into());
    config.passkey.origins = vec![ORIGIN.into()];
}

/// Runs `test` against an app on `backend` with passkeys on (then `configure`); skipped when the backend
/// cannot run here (and it is not required).
pub async fn with_passkeys<F, Fut>(
    backend: Backend,
    configure: impl FnOnce(&mut FullAuthConfig),
    test: F,
) where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()>,
{
    let app = TestApp::start(backend, |config| {
        passkeys_on(config);
        configure(config);
    })
    .await;
    if let Some(app) = app {
        test(app).await;
    }
}

/// The events an app emitted, as `(name, the user's email)`, in the order its handler saw them.
#[derive(Clone, Default)]
pub struct EventLog(std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>);

impl EventLog {
    /// The events named `name` so far, waiting up to two seconds for `count` of them (handlers run after the
    /// response).
    pub async fn named(&self, name: &str, count: usize) -> Vec<String> {
        for _ in 0..100 {
            if self.matching(name).len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.matching(name)
    }

    /// Every event's name so far, waiting up to two seconds for `count` of them.
    pub async fn names(&self, count: usize) -> Vec<String> {
        for _ in 0..100 {
            if self.0.lock().unwrap().len() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(name, _)| name.clone())
            .collect()
    }

    fn matching(&self, name: &str) -> Vec<String> {
        let events = self.0.lock().unwrap();
        events
            .iter()
            .filter(|(event, _)| event == name)
            .map(|(_, email)| email.clone())
            .collect()
    }
}

/// An app on `backend` with passkeys on, recording its events; `None` when the backend cannot run here.
pub async fn with_event_log(backend: Backend) -> Option<(TestApp, EventLog)> {
    use fullauth::events::AuthEvent;
    let log = EventLog::default();
    let handle = log.clone();
    let app = TestApp::start_customized(
        backend,
        passkeys_on,
        Box::new(move |builder| {
            builder.on_event(move |event: AuthEvent<fullauth_tests::models::User>| {
                let handle = handle.clone();
                async move {
                    let email = match &event {
                        AuthEvent::AfterRegister { user }
                        | AuthEvent::AfterLogin { user }
                        | AuthEvent::AfterPasskeyRegistered { user, .. }
                        | AuthEvent::AfterPasskeyDeleted { user, .. }
                        | AuthEvent::PasskeyCounterRegressed { user, .. } => {
                            user.auth.email.clone()
                        }
                        _ => String::new(),
                    };
                    handle
                        .0
                        .lock()
                        .unwrap()
                        .push((event.name().to_owned(), email));
                    Ok::<(), String>(())
                }
            })
        }),
    )
    .await?;
    Some((app, log))
}

/// `POST /passkeys/register/begin` for the user of `token`.
pub async fn register_begin(app: &TestApp, token: &str) -> TestResponse {
    app.call(Method::POST, "/passkeys/register/begin", Some(token), None)
        .await
}

/// `POST /passkeys/register/complete`.
pub async fn register_complete(
    app: &TestApp,
    token: &str,
    challenge_key: &str,
    credential: Value,
    device_name: &str,
) -> TestResponse {
    app.call(
        Method::POST,
        "/passkeys/register/complete",
        Some(token),
        Some(json!({
            "challenge_key": challenge_key,
            "credential": credential,
            "device_name": device_name,
        })),
    )
    .await
}

/// A passkey just registered: as the routes show it, and its credential id.
pub struct Registered {
    /// The `201` body.
    pub passkey: Value,
    /// The credential id, base64url.
    pub credential_id: String,
}

/// A whole registration of a passkey on `device` for the user of `token`; expects 201.
pub async fn registered(app: &TestApp, token: &str, device: &mut Device, name: &str) -> Registered {
    let begin = register_begin(app, token).await;
    assert_eq!(begin.status, 200, "{}", begin.text);
    let credential = device.create(&begin.json);
    let credential_id = credential["id"].as_str().unwrap().to_owned();
    let complete =
        register_complete(app, token, &begin.str("challenge_key"), credential, name).await;
    assert_eq!(complete.status, 201, "{}", complete.text);
    Registered {
        passkey: complete.json,
        credential_id,
    }
}

/// `POST /passkeys/authenticate/begin`, with an email or without a body.
pub async fn sign_in_begin(app: &TestApp, email: Option<&str>) -> TestResponse {
    let body = email.map(|email| json!({ "email": email }));
    app.call(Method::POST, "/passkeys/authenticate/begin", None, body)
        .await
}

/// `POST /passkeys/authenticate/complete`.
pub async fn sign_in_complete(
    app: &TestApp,
    challenge_key: &str,
    credential: Value,
) -> TestResponse {
    app.post(
        "/passkeys/authenticate/complete",
        json!({ "challenge_key": challenge_key, "credential": credential }),
    )
    .await
}

/// A whole sign-in with `device`, naming `email`.
pub async fn sign_in(app: &TestApp, device: &mut Device, email: &str) -> TestResponse {
    let begin = sign_in_begin(app, Some(email)).await;
    assert_eq!(begin.status, 200, "{}", begin.text);
    let assertion = device.get(&begin.json, None);
    sign_in_complete(app, &begin.str("challenge_key"), assertion).await
}

/// A user with a password, signed in; returns their access token.
pub async fn user(app: &TestApp, email: &str) -> String {
    app.signed_up(email, PASSWORD).await.0
}

/// Asserts the one answer every failed sign-in gets.
pub fn assert_sign_in_failed(response: &TestResponse) {
    assert_eq!(response.status, 401, "{}", response.text);
    assert_eq!(
        response.json,
        json!({ "detail": "Passkey authentication failed" })
    );
}

/// Asserts the answer to a registration credential that fails a check.
pub fn assert_registration_failed(response: &TestResponse) {
    assert_eq!(response.status, 400, "{}", response.text);
    assert_eq!(
        response.json,
        json!({ "detail": "Passkey registration failed" })
    );
}

/// Asserts the answer to a `challenge_key` that names no open registration of the caller.
pub fn assert_challenge_invalid(response: &TestResponse) {
    assert_eq!(response.status, 400, "{}", response.text);
    assert_eq!(
        response.json,
        json!({ "detail": "Challenge expired or invalid" })
    );
}

/// The passkeys of the user of `token`, as `GET /passkeys` lists them.
pub async fn passkeys(app: &TestApp, token: &str) -> Vec<Value> {
    let list = app.get("/passkeys", token).await;
    assert_eq!(list.status, 200, "{}", list.text);
    list.json.as_array().unwrap().clone()
}
