//! Registration, sign-in, the current user, refresh and sign-out, with their documented refusals.

use serde_json::json;

use crate::runner::Action;
use crate::scenario::{get, post, post_empty};

/// Signs up and in: the happy paths and every refusal a client handles.
pub fn sign_up_and_in() -> Vec<Action> {
    vec![
        post(
            "register a new account",
            "/api/v1/auth/register",
            json!({"email": "ada@example.com", "password": "correct horse 1", "display_name": "Ada"}),
        ),
        post(
            "register a taken email",
            "/api/v1/auth/register",
            json!({"email": "ada@example.com", "password": "correct horse 1"}),
        ),
        post(
            "register with a short password",
            "/api/v1/auth/register",
            json!({"email": "bob@example.com", "password": "short"}),
        ),
        post(
            "register with an invalid email",
            "/api/v1/auth/register",
            json!({"email": "not-an-email", "password": "correct horse 1"}),
        ),
        post(
            "register without a password",
            "/api/v1/auth/register",
            json!({"email": "bob@example.com"}),
        ),
        post(
            "register with a number for a password",
            "/api/v1/auth/register",
            json!({"email": "bob@example.com", "password": 12345678}),
        ),
        post("register with a body that is not JSON", "/api/v1/auth/register", json!(null))
            .raw("{\"email\": ")
            .differs_at("json-decode-message", &["/detail/0/ctx/error"]),
        post(
            "register with an array for a body",
            "/api/v1/auth/register",
            json!(["ada@example.com"]),
        ),
        post(
            "sign in",
            "/api/v1/auth/login",
            json!({"email": "ada@example.com", "password": "correct horse 1"}),
        )
        .save("ada", "/access_token")
        .save("ada_refresh", "/refresh_token"),
        post(
            "sign in with an email in capitals",
            "/api/v1/auth/login",
            json!({"email": "ADA@Example.com", "password": "correct horse 1"}),
        ),
        post(
            "sign in with a wrong password",
            "/api/v1/auth/login",
            json!({"email": "ada@example.com", "password": "wrong horse 1"}),
        ),
        post(
            "sign in as nobody",
            "/api/v1/auth/login",
            json!({"email": "nobody@example.com", "password": "correct horse 1"}),
        ),
        post(
            "sign in without a password",
            "/api/v1/auth/login",
            json!({"email": "ada@example.com"}),
        ),
        get("the current user", "/api/v1/auth/me").bearer("ada"),
        get("the current user without a token", "/api/v1/auth/me"),
        get("the current user with a refresh token", "/api/v1/auth/me").bearer("ada_refresh"),
        get("a verified user's route, unverified", "/api/v1/auth/me/verified").bearer("ada"),
        post(
            "refresh",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{ada_refresh}"}),
        )
        .save("ada_refresh_2", "/refresh_token")
        .save("ada_2", "/access_token"),
        post(
            "refresh with an access token",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{ada}"}),
        ),
        post(
            "refresh with garbage",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "not a token"}),
        ),
        post_empty("refresh without a token", "/api/v1/auth/refresh"),
        post(
            "refresh with a used refresh token",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{ada_refresh}"}),
        ),
        get("the current user after the reuse", "/api/v1/auth/me").bearer("ada_2"),
        post(
            "refresh with the family's newest token after the reuse",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{ada_refresh_2}"}),
        ),
        post(
            "sign in again",
            "/api/v1/auth/login",
            json!({"email": "ada@example.com", "password": "correct horse 1"}),
        )
        .save("ada", "/access_token")
        .save("ada_refresh", "/refresh_token"),
        post(
            "sign out",
            "/api/v1/auth/logout",
            json!({"refresh_token": "{ada_refresh}"}),
        )
        .bearer("ada"),
        get("the current user after signing out", "/api/v1/auth/me").bearer("ada"),
        post(
            "refresh after signing out",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{ada_refresh}"}),
        ),
        post_empty("sign out without any token", "/api/v1/auth/logout"),
        get("an unknown path", "/api/v1/auth/nothing-here"),
        get("an unknown path outside the prefix", "/nothing-here"),
    ]
    .into_iter()
    .map(Action::from)
    .collect()
}

/// The same account life with the tokens in cookies: their attributes when set, refreshed and cleared.
pub fn in_cookies() -> Vec<Action> {
    vec![
        post(
            "register",
            "/api/v1/auth/register",
            json!({"email": "lu@example.com", "password": "correct horse 1"}),
        ),
        post(
            "sign in, the tokens in cookies",
            "/api/v1/auth/login",
            json!({"email": "lu@example.com", "password": "correct horse 1"}),
        )
        .differs("refresh-cookie-path"),
        get("the current user by the access cookie", "/api/v1/auth/me"),
        post_empty("refresh by the refresh cookie", "/api/v1/auth/refresh")
            .differs("refresh-cookie-path"),
        get("the current user after the refresh", "/api/v1/auth/me"),
        post_empty("sign out by the cookies", "/api/v1/auth/logout").differs("refresh-cookie-path"),
        get("the current user after signing out", "/api/v1/auth/me"),
        post_empty("refresh after signing out", "/api/v1/auth/refresh"),
    ]
    .into_iter()
    .map(Action::from)
    .collect()
}
