//! The passkey router: registering, listing and deleting passkeys, and signing in with them.

use utoipa::openapi::path::HttpMethod::{Delete, Get, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{
    Shape, array, component, formatted, integer, nullable, object, schema_of, string,
};
use crate::model::MAX_DEVICE_NAME_LENGTH;
use crate::routes::PasskeyView;

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let credential_descriptor = || -> Shape {
        object([
            ("type", string().into(), true),
            ("id", string().into(), true),
            ("transports", array(string()), false),
        ])
        .into()
    };
    let creation_options = object([
        (
            "rp",
            object([
                ("name", string().into(), true),
                ("id", string().into(), true),
            ])
            .into(),
            true,
        ),
        (
            "user",
            object([
                ("id", string().into(), true),
                ("name", string().into(), true),
                ("displayName", string().into(), true),
            ])
            .into(),
            true,
        ),
        ("challenge", string().into(), true),
        (
            "pubKeyCredParams",
            array(object([
                ("type", string().into(), true),
                ("alg", integer("int64").into(), true),
            ])),
            true,
        ),
        ("timeout", integer("int64").into(), false),
        ("excludeCredentials", array(credential_descriptor()), false),
        ("authenticatorSelection", object([]).into(), false),
        ("attestation", string().into(), false),
        ("challenge_key", string().into(), true),
    ]);
    let request_options = object([
        ("challenge", string().into(), true),
        ("timeout", integer("int64").into(), false),
        ("rpId", string().into(), true),
        ("allowCredentials", array(credential_descriptor()), false),
        ("userVerification", string().into(), false),
        ("challenge_key", string().into(), true),
    ]);
    let passkey = schema_of::<PasskeyView>;
    let credential = || -> Shape {
        object([])
            .description(Some(
                "The `PublicKeyCredential` the browser returned, as JSON (binary fields in base64url).",
            ))
            .into()
    };
    vec![
        context
            .op(Get, "/passkeys", "passkeys", "The account's passkeys, oldest first")
            .caller(Caller::SignedIn)
            .answer(200, "The passkeys.", array(passkey())),
        context
            .op(Delete, "/passkeys/{passkey_id}", "delete_passkey", "Delete a passkey")
            .caller(Caller::SignedIn)
            .typed_path_parameter("passkey_id", formatted("uuid").into(), "The passkey's id.")
            .empty(204, "Deleted.")
            .detail(400, "It is the account's only way to sign in.")
            .detail(404, "`Passkey not found`."),
        context
            .op(Post, "/passkeys/register/begin", "passkey_register_begin", "Start registering a passkey")
            .caller(Caller::SignedIn)
            .answer(
                200,
                "The options for `navigator.credentials.create`, and the `challenge_key` to send back.",
                creation_options.into(),
            )
            .detail(400, "`Passkey registration failed`: the ceremony could not start for this account."),
        context
            .op(
                Post,
                "/passkeys/register/complete",
                "passkey_register_complete",
                "Finish registering a passkey",
            )
            .caller(Caller::SignedIn)
            .body(
                object([
                    ("challenge_key", string().into(), true),
                    ("credential", credential(), true),
                    (
                        "device_name",
                        string().max_length(Some(MAX_DEVICE_NAME_LENGTH)).into(),
                        false,
                    ),
                ])
                .into(),
                true,
            )
            .answer(201, "The new passkey.", passkey())
            .detail(
                400,
                "`Challenge expired or invalid`, or `Passkey registration failed`.",
            ),
        context
            .op(
                Post,
                "/passkeys/authenticate/begin",
                "passkey_authenticate_begin",
                "Start signing in with a passkey",
            )
            .body(object([("email", nullable(string()), false)]).into(), false)
            .answer(
                200,
                "The options for `navigator.credentials.get`, and the `challenge_key` to send back.",
                request_options.into(),
            )
            .detail(401, "`Passkey authentication failed`: the ceremony could not start.")
            .rate_limited("passkey_auth"),
        context
            .op(
                Post,
                "/passkeys/authenticate/complete",
                "passkey_authenticate_complete",
                "Finish signing in with a passkey",
            )
            .body(
                object([
                    ("challenge_key", string().into(), true),
                    ("credential", credential(), true),
                ])
                .into(),
                true,
            )
            .answer(200, "Signed in.", component("LoginResponse"))
            .second_factor(context.second_factor, "The user turned MFA on and this passkey does not count as two factors.")
            .detail(401, "`Passkey authentication failed`, whatever the reason.")
            .rate_limited("passkey_auth"),
    ]
}
