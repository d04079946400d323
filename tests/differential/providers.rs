//! The oauth router against a real OpenID provider: the provider list, the authorization URL, the callback that
//! creates an account, the callback's refusals, the linked accounts, and unlinking the only sign-in method.

use serde_json::json;

use crate::runner::{Action, consent};
use crate::scenario::{delete, get, post};

/// Where the provider sends users back, allowed on both sides.
const REDIRECT_URI: &str = "http://127.0.0.1:3000/oauth/callback";

fn authorize(name: &str) -> crate::scenario::Step {
    get(
        name,
        &format!("/api/v1/auth/oauth/local/authorize?redirect_uri={REDIRECT_URI}"),
    )
}

fn callback(name: &str, body: serde_json::Value) -> crate::scenario::Step {
    post(name, "/api/v1/auth/oauth/local/callback", body)
}

/// A first sign-in through the provider, and what follows.
pub fn sign_in_with_a_provider() -> Vec<Action> {
    vec![
        get("the providers", "/api/v1/auth/oauth/providers").into(),
        get(
            "authorize with an unknown provider",
            &format!("/api/v1/auth/oauth/nowhere/authorize?redirect_uri={REDIRECT_URI}"),
        )
        .into(),
        get(
            "authorize with a redirect URI not allowed",
            "/api/v1/auth/oauth/local/authorize?redirect_uri=https://evil.example.com/callback",
        )
        .into(),
        get(
            "authorize without a redirect URI",
            "/api/v1/auth/oauth/local/authorize",
        )
        .into(),
        authorize("authorize")
            .differs_at("oidc-nonce", &["/authorization_url"])
            .save("url", "/authorization_url")
            .save("binding", "/binding")
            .into(),
        consent("url", "ann:ann@example.com:1"),
        callback(
            "call back with another binding",
            json!({"code": "{code}", "state": "{state}", "binding": "not-the-binding"}),
        )
        .into(),
        callback(
            "call back with a state that is not one",
            json!({"code": "{code}", "state": "nonsense", "binding": "{binding}"}),
        )
        .into(),
        callback(
            "call back without a code",
            json!({"state": "{state}", "binding": "{binding}"}),
        )
        .into(),
        callback(
            "call back",
            json!({"code": "{code}", "state": "{state}", "binding": "{binding}"}),
        )
        .save("ann", "/access_token")
        .into(),
        callback(
            "call back again with the same state",
            json!({"code": "{code}", "state": "{state}", "binding": "{binding}"}),
        )
        .into(),
        get("the new user", "/api/v1/auth/me").bearer("ann").into(),
        get("the linked accounts", "/api/v1/auth/oauth/accounts")
            .bearer("ann")
            .into(),
        get(
            "the linked accounts without a token",
            "/api/v1/auth/oauth/accounts",
        )
        .into(),
        delete(
            "unlink the only sign-in method",
            "/api/v1/auth/oauth/accounts/local",
            json!(null),
        )
        .bearer("ann")
        .into(),
        delete(
            "unlink a provider never linked",
            "/api/v1/auth/oauth/accounts/nowhere",
            json!(null),
        )
        .bearer("ann")
        .into(),
        authorize("authorize a second time")
            .differs_at("oidc-nonce", &["/authorization_url"])
            .save("url", "/authorization_url")
            .save("binding", "/binding")
            .into(),
        consent("url", "ann:ann@example.com:1"),
        callback(
            "sign in again through the provider",
            json!({"code": "{code}", "state": "{state}", "binding": "{binding}"}),
        )
        .into(),
        post(
            "register an account the provider's user has not verified here",
            "/api/v1/auth/register",
            json!({"email": "bo@example.com", "password": "correct horse 1"}),
        )
        .into(),
        authorize("authorize as the owner of that address")
            .differs_at("oidc-nonce", &["/authorization_url"])
            .save("url", "/authorization_url")
            .save("binding", "/binding")
            .into(),
        consent("url", "bo:bo@example.com:1"),
        callback(
            "sign in through the provider with the address of an unverified account",
            json!({"code": "{code}", "state": "{state}", "binding": "{binding}"}),
        )
        .differs("oauth-link-needs-verified-account")
        .into(),
    ]
}
