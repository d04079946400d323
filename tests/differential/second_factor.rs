//! The mfa router: enrolment, confirmation with a code of the authenticator, the sign-in that asks for a second
//! factor, a recovery code, and turning the factor off; each with its refusals.

use serde_json::json;

use crate::runner::{Action, totp};
use crate::scenario::{PASSWORD, Step, delete, get, post, register, sign_in};

/// `POST /mfa/verify` with `mfa_token` and `code` (`{variable}`s replaced).
fn verify(name: &str, mfa_token: &str, code: &str) -> Step {
    post(
        name,
        "/api/v1/auth/mfa/verify",
        json!({"mfa_token": mfa_token, "code": code}),
    )
}

/// MFA from enrolment to removal.
pub fn enrol_sign_in_and_remove() -> Vec<Action> {
    let sign_in = || {
        post(
            "sign in",
            "/api/v1/auth/login",
            json!({"email": "mo@example.com", "password": "correct horse 1"}),
        )
    };
    vec![
        register("mo@example.com").into(),
        sign_in().save("mo", "/access_token").into(),
        get("the factor before enrolment", "/api/v1/auth/mfa")
            .bearer("mo")
            .into(),
        get("the factor without a token", "/api/v1/auth/mfa").into(),
        post(
            "enrol with a wrong password",
            "/api/v1/auth/mfa/enroll",
            json!({"current_password": "wrong horse 1"}),
        )
        .bearer("mo")
        .into(),
        post(
            "enrol",
            "/api/v1/auth/mfa/enroll",
            json!({"current_password": "correct horse 1"}),
        )
        .bearer("mo")
        .save("secret", "/secret")
        .into(),
        post(
            "confirm with a wrong code",
            "/api/v1/auth/mfa/confirm",
            json!({"code": "000000"}),
        )
        .bearer("mo")
        .into(),
        post(
            "confirm without a code",
            "/api/v1/auth/mfa/confirm",
            json!({}),
        )
        .bearer("mo")
        .into(),
        totp("secret", "code"),
        post(
            "confirm",
            "/api/v1/auth/mfa/confirm",
            json!({"code": "{code}"}),
        )
        .bearer("mo")
        .save("recovery", "/recovery_codes/0")
        .into(),
        get("the factor after confirmation", "/api/v1/auth/mfa")
            .bearer("mo")
            .into(),
        post(
            "enrol again",
            "/api/v1/auth/mfa/enroll",
            json!({"current_password": "correct horse 1"}),
        )
        .bearer("mo")
        .into(),
        sign_in().save("mfa_token", "/mfa_token").into(),
        verify("verify with a wrong code", "{mfa_token}", "000000").into(),
        verify("verify with a token that is not one", "nonsense", "000000").into(),
        verify("verify with an access token", "{mo}", "000000").into(),
        post(
            "verify without a code",
            "/api/v1/auth/mfa/verify",
            json!({"mfa_token": "{mfa_token}"}),
        )
        .into(),
        verify("verify with a recovery code", "{mfa_token}", "{recovery}")
            .save("mo", "/access_token")
            .into(),
        get("the factor after a recovery code", "/api/v1/auth/mfa")
            .bearer("mo")
            .into(),
        get(
            "the sessions after a sign-in with a second factor",
            "/api/v1/auth/sessions",
        )
        .bearer("mo")
        .differs("mfa-pending-session")
        .into(),
        sign_in().save("mfa_token", "/mfa_token").into(),
        verify(
            "verify with a recovery code used before",
            "{mfa_token}",
            "{recovery}",
        )
        .into(),
        delete(
            "turn the factor off with a wrong password",
            "/api/v1/auth/mfa",
            json!({"current_password": "wrong horse 1"}),
        )
        .bearer("mo")
        .into(),
        delete(
            "turn the factor off",
            "/api/v1/auth/mfa",
            json!({"current_password": "correct horse 1"}),
        )
        .bearer("mo")
        .differs("no-content-type-on-204")
        .into(),
        get("the factor after turning it off", "/api/v1/auth/mfa")
            .bearer("mo")
            .into(),
        sign_in().into(),
    ]
}

/// Wrong codes sent to `/mfa/verify` with the default per-route limits: fullauth's `mfa` bucket (shared with
/// `/mfa/confirm`) stops them at the fifth request of the window; fastapi-fullauth's counts nothing.
pub fn guessing_codes() -> Vec<Action> {
    let mut actions: Vec<Action> = vec![
        register("gil@example.com").into(),
        sign_in("sign in", "gil@example.com", PASSWORD, "gil").into(),
        post(
            "enrol",
            "/api/v1/auth/mfa/enroll",
            json!({"current_password": "correct horse 1"}),
        )
        .bearer("gil")
        .save("secret", "/secret")
        .into(),
        totp("secret", "code"),
        post(
            "confirm",
            "/api/v1/auth/mfa/confirm",
            json!({"code": "{code}"}),
        )
        .bearer("gil")
        .into(),
        post(
            "sign in, a second factor asked for",
            "/api/v1/auth/login",
            json!({"email": "gil@example.com", "password": "correct horse 1"}),
        )
        .save("mfa_token", "/mfa_token")
        .into(),
    ];
    for attempt in 1..=5 {
        let step = verify(
            &format!("a wrong code, attempt {attempt}"),
            "{mfa_token}",
            "000000",
        );
        let step = if attempt >= 5 {
            step.differs("mfa-rate-limit")
        } else {
            step
        };
        actions.push(step.into());
    }
    actions
}
