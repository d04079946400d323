//! The mfa router: turning TOTP on and off, and the second step of a sign-in.

use utoipa::openapi::path::HttpMethod::{Delete, Get, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{Shape, array, component, nullable, object, schema_of, string};
use crate::flows::{MfaEnrolment, MfaStatus};
use crate::routes::MAX_CODE_CHARACTERS;

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let code = || -> Shape {
        string()
            .min_length(Some(1))
            .max_length(Some(MAX_CODE_CHARACTERS))
            .into()
    };
    let proof = || -> Shape { object([("current_password", nullable(string()), false)]).into() };
    let reauth = |op: Op| {
        op.detail(
            403,
            "`Current password is incorrect`, or `Re-authentication required`.",
        )
        .rate_limited("reauth")
    };
    vec![
        context
            .op(Get, "/mfa", "mfa_status", "Whether MFA is on")
            .caller(Caller::SignedIn)
            .answer(200, "The status.", schema_of::<MfaStatus>()),
        reauth(
            context
                .op(Post, "/mfa/enroll", "mfa_enroll", "Start turning MFA on")
                .caller(Caller::SignedIn)
                .body(proof(), false),
        )
        .answer(
            200,
            "Add the secret to an authenticator app, then confirm with a code.",
            schema_of::<MfaEnrolment>(),
        )
        .detail(409, "MFA is on already."),
        context
            .op(
                Post,
                "/mfa/confirm",
                "mfa_confirm",
                "Finish turning MFA on with a code",
            )
            .caller(Caller::SignedIn)
            .body(object([("code", code(), true)]).into(), true)
            .answer(
                200,
                "MFA is on: keep these recovery codes, each works once.",
                object([("recovery_codes", array(string()), true)]).into(),
            )
            .detail(
                400,
                "`Invalid code`, no enrolment started, or MFA is on already.",
            )
            .rate_limited("mfa"),
        reauth(
            context
                .op(Delete, "/mfa", "mfa_disable", "Turn MFA off")
                .caller(Caller::SignedIn)
                .body(proof(), false),
        )
        .empty(204, "MFA is off."),
        context
            .op(
                Post,
                "/mfa/verify",
                "mfa_verify",
                "The second step of a sign-in",
            )
            .body(
                object([("mfa_token", string().into(), true), ("code", code(), true)]).into(),
                true,
            )
            .answer(200, "Signed in.", component("LoginResponse"))
            .unauthorized("The token or the code is wrong, expired or used.")
            .rate_limited("mfa"),
    ]
}
