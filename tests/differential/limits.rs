//! The per-route rate limits with their headers, the lockout, and registration with enumeration protection off.

use serde_json::json;

use crate::runner::Action;
use crate::scenario::{Step, post};

fn login(name: &str, password: &str) -> Step {
    post(
        name,
        "/api/v1/auth/login",
        json!({"email": "ivy@example.com", "password": password}),
    )
}

/// Registration with `PREVENT_REGISTRATION_ENUMERATION` off, then the `register` limit (3) and the `login` limit
/// (5) with the default window.
pub fn rate_limits() -> Vec<Action> {
    let mut steps = vec![
        post(
            "register with enumeration protection off",
            "/api/v1/auth/register",
            json!({"email": "ivy@example.com", "password": "correct horse 1", "phone": "555"}),
        ),
        post(
            "register a taken email with enumeration protection off",
            "/api/v1/auth/register",
            json!({"email": "ivy@example.com", "password": "correct horse 1"}),
        ),
        post(
            "register with a body the limit does not count",
            "/api/v1/auth/register",
            json!({"email": "jo@example.com"}),
        ),
        post(
            "register a third time",
            "/api/v1/auth/register",
            json!({"email": "jo@example.com", "password": "correct horse 1"}),
        ),
        post(
            "register beyond the limit",
            "/api/v1/auth/register",
            json!({"email": "kim@example.com", "password": "correct horse 1"}),
        ),
    ];
    for attempt in 1..=5 {
        steps.push(login(
            &format!("sign in, attempt {attempt}"),
            "correct horse 1",
        ));
    }
    steps.push(login("sign in beyond the limit", "correct horse 1"));
    steps.into_iter().map(Action::from).collect()
}

/// Five wrong passwords lock the account: the right one is refused as the wrong ones were.
pub fn lockout() -> Vec<Action> {
    let mut steps = vec![post(
        "register",
        "/api/v1/auth/register",
        json!({"email": "ivy@example.com", "password": "correct horse 1"}),
    )];
    for attempt in 1..=5 {
        steps.push(login(
            &format!("a wrong password, attempt {attempt}"),
            "wrong horse 1",
        ));
    }
    steps.push(login(
        "the right password on a locked account",
        "correct horse 1",
    ));
    steps.into_iter().map(Action::from).collect()
}
