//! Helpers of the MFA tests: an authenticator app computing RFC 6238 codes, and the routes of the mfa router.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fullauth::FullAuthConfig;
use fullauth::mfa::{DIGITS, code, from_base32, step_at};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{TestApp, TestResponse};

/// The password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";
/// The issuer the tests' authenticator apps show.
pub const ISSUER: &str = "Fullauth Tests";

/// MFA on, with the tests' issuer.
pub fn mfa_on(config: &mut FullAuthConfig) {
    config.mfa.issuer = Some(ISSUER.into());
}

/// The time step of this moment.
fn current_step() -> i64 {
    step_at(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
}

/// An authenticator app holding one secret: it shows the code of a time step the server has not accepted yet,
/// waiting for the next step when both it may use (this one and the next) are taken.
pub struct Authenticator {
    secret: Vec<u8>,
    last_step: i64,
}

impl Authenticator {
    /// The app after scanning the base32 `secret` that `POST /mfa/enroll` answered.
    pub fn new(secret: &str) -> Self {
        Self {
            secret: from_base32(secret).expect("the secret is base32"),
            last_step: 0,
        }
    }

    /// The code of `offset` steps from now, whether used or not.
    pub fn code_at(&self, offset: i64) -> String {
        code(&self.secret, current_step() + offset, DIGITS)
    }

    /// The code of the last step this app's codes were used for.
    pub fn last_code(&self) -> String {
        code(&self.secret, self.last_step, DIGITS)
    }

    /// A code the server will accept: of the current step or the next (which stays within the allowed skew if
    /// the step changes on the way), never one of a step used before.
    pub async fn next_code(&mut self) -> String {
        loop {
            let now = current_step();
            let step = now.max(self.last_step + 1);
            if step <= now + 1 {
                self.last_step = step;
                return code(&self.secret, step, DIGITS);
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}

/// A user with MFA on: their access token from before MFA was on, their app, and their recovery codes.
pub struct Enrolled {
    pub access: String,
    pub app: Authenticator,
    pub recovery_codes: Vec<String>,
}

/// `POST /mfa/enroll` with `body`.
pub async fn enroll(app: &TestApp, token: &str, body: Option<Value>) -> TestResponse {
    app.call(Method::POST, "/mfa/enroll", Some(token), body)
        .await
}

/// `POST /mfa/confirm` with `code`.
pub async fn confirm(app: &TestApp, token: &str, code: &str) -> TestResponse {
    app.call(
        Method::POST,
        "/mfa/confirm",
        Some(token),
        Some(json!({ "code": code })),
    )
    .await
}

/// `POST /mfa/verify` with `mfa_token` and `code`.
pub async fn verify(app: &TestApp, mfa_token: &str, code: &str) -> TestResponse {
    app.post(
        "/mfa/verify",
        json!({ "mfa_token": mfa_token, "code": code }),
    )
    .await
}

/// `GET /mfa`.
pub async fn status(app: &TestApp, token: &str) -> Value {
    let status = app.get("/mfa", token).await;
    assert_eq!(status.status, 200, "{}", status.text);
    status.json
}

/// Signs `email` up and turns MFA on for them.
pub async fn enrolled(app: &TestApp, email: &str) -> Enrolled {
    let (access, _) = app.signed_up(email, PASSWORD).await;
    turned_on(app, access, Some(json!({ "current_password": PASSWORD }))).await
}

/// Turns MFA on for the user signed in with `access`, enrolling with `body`.
pub async fn turned_on(app: &TestApp, access: String, body: Option<Value>) -> Enrolled {
    let started = enroll(app, &access, body).await;
    assert_eq!(started.status, 200, "{}", started.text);
    let mut authenticator = Authenticator::new(&started.str("secret"));
    let code = authenticator.next_code().await;
    let confirmed = confirm(app, &access, &code).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    let recovery_codes = confirmed.json["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect();
    Enrolled {
        access,
        app: authenticator,
        recovery_codes,
    }
}

/// `POST /login` for a user with MFA on: asserts the `202` and returns its `mfa_token`.
pub async fn pending(app: &TestApp, email: &str) -> String {
    let answer = app
        .post("/login", json!({ "email": email, "password": PASSWORD }))
        .await;
    assert_mfa_required(&answer)
}

/// Asserts the `202` of a sign-in that waits for its second factor, and returns its `mfa_token`.
pub fn assert_mfa_required(answer: &TestResponse) -> String {
    assert_eq!(answer.status, 202, "{}", answer.text);
    let keys: Vec<&String> = answer.json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["mfa_required", "mfa_token"], "{}", answer.text);
    assert_eq!(answer.json["mfa_required"], true);
    assert_eq!(answer.header("cache-control").as_deref(), Some("no-store"));
    assert!(answer.header("set-cookie").is_none(), "{answer:?}");
    answer.str("mfa_token")
}

/// Asserts a `LoginResponse` for `email`, and returns its access token.
pub fn assert_signed_in(answer: &TestResponse, email: &str) -> String {
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["token_type"], "bearer");
    assert!(answer.json["refresh_token"].is_string(), "{}", answer.text);
    assert_eq!(answer.json["user"]["email"], email);
    answer.str("access_token")
}
