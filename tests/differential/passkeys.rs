//! The passkey router: a passkey registered and listed, the start of a sign-in with it, and its removal, with the
//! refusals; each side's options answered by a software authenticator of its own, as a browser at the same origin
//! would. A completed sign-in is not compared: the software authenticator signs its origin with a trailing slash
//! no browser writes, which fastapi-fullauth refuses (fullauth's own tests sign in with it, and in Chromium).

use serde_json::json;

use crate::runner::{Action, authenticator};
use crate::scenario::{PASSWORD, Step, delete, get, post, post_empty, register, sign_in};

/// `POST /passkeys/register/begin` for `pia`: the options kept in `creation`, their key in `creation_key`.
fn begin_registration(name: &str) -> Step {
    post_empty(name, "/api/v1/auth/passkeys/register/begin")
        .bearer("pia")
        .save_body("creation")
        .save("creation_key", "/challenge_key")
        .differs_at("passkey-algorithms", &["/pubKeyCredParams"])
}

/// Registering a passkey, listing it, beginning a sign-in with it, and removing it.
pub fn register_list_and_remove() -> Vec<Action> {
    vec![
        register("pia@example.com").into(),
        sign_in("sign in", "pia@example.com", PASSWORD, "pia").into(),
        post_empty("begin a registration without a token", "/api/v1/auth/passkeys/register/begin")
            .into(),
        begin_registration("begin a registration").into(),
        authenticator("creation", "credential"),
        post(
            "complete a registration with an unknown challenge",
            "/api/v1/auth/passkeys/register/complete",
            json!({"challenge_key": "nonsense", "credential": "{json:credential}", "device_name": "Laptop"}),
        )
        .bearer("pia")
        .into(),
        post(
            "complete a registration",
            "/api/v1/auth/passkeys/register/complete",
            json!({"challenge_key": "{creation_key}", "credential": "{json:credential}", "device_name": "Laptop"}),
        )
        .bearer("pia")
        .save("passkey_id", "/id")
        .differs_at("passkey-created-at", &["/created_at"])
        .into(),
        post(
            "complete the same registration again",
            "/api/v1/auth/passkeys/register/complete",
            json!({"challenge_key": "{creation_key}", "credential": "{json:credential}", "device_name": "Laptop"}),
        )
        .bearer("pia")
        .into(),
        get("the passkeys", "/api/v1/auth/passkeys")
            .bearer("pia")
            .differs_at("passkey-created-at", &["/0/created_at"])
            .into(),
        post(
            "begin a sign-in",
            "/api/v1/auth/passkeys/authenticate/begin",
            json!({"email": "pia@example.com"}),
        )
        .save_body("request")
        .save("request_key", "/challenge_key")
        .differs_at("passkey-user-verification", &["/userVerification"])
        .into(),
        post(
            "complete a sign-in with an unknown challenge",
            "/api/v1/auth/passkeys/authenticate/complete",
            json!({"challenge_key": "nonsense", "credential": {"id": "AAAA", "type": "public-key"}}),
        )
        .into(),
        post(
            "complete a sign-in with a credential that is not one",
            "/api/v1/auth/passkeys/authenticate/complete",
            json!({"challenge_key": "{request_key}", "credential": {"id": "AAAA", "type": "public-key"}}),
        )
        .into(),
        post(
            "complete a sign-in without a credential",
            "/api/v1/auth/passkeys/authenticate/complete",
            json!({"challenge_key": "{request_key}"}),
        )
        .into(),
        get("the passkeys after the refused sign-ins", "/api/v1/auth/passkeys")
            .bearer("pia")
            .differs_at("passkey-created-at", &["/0/created_at"])
            .into(),
        delete(
            "delete an unknown passkey",
            "/api/v1/auth/passkeys/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
            json!(null),
        )
        .bearer("pia")
        .into(),
        delete("delete the passkey", "/api/v1/auth/passkeys/{passkey_id}", json!(null))
            .bearer("pia")
            .differs("no-content-type-on-204")
            .into(),
        get("the passkeys after the deletion", "/api/v1/auth/passkeys")
            .bearer("pia")
            .into(),
        begin_registration("begin another registration").into(),
        authenticator("creation", "credential"),
        post(
            "complete a registration with a device name of 201 characters",
            "/api/v1/auth/passkeys/register/complete",
            json!({"challenge_key": "{creation_key}", "credential": "{json:credential}", "device_name": "d".repeat(201)}),
        )
        .bearer("pia")
        .differs("passkey-device-name")
        .into(),
    ]
}
