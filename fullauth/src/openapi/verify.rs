//! The verify router: email verification and password reset, all four in the `password_reset` limit.

use utoipa::openapi::path::HttpMethod::Post;

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{formatted, object, string};

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let token = || ("token", string().into(), true);
    vec![
        context
            .op(
                Post,
                "/verify-email/request",
                "request_email_verification",
                "Mail a verification link",
            )
            .caller(Caller::SignedIn)
            .detail(202, "Mailed, when the address is not verified yet."),
        context
            .op(
                Post,
                "/verify-email/confirm",
                "confirm_email",
                "Verify the address with the mailed token",
            )
            .body(object([token()]).into(), true)
            .detail(200, "`Email verified.`")
            .unauthorized("The token is invalid, expired, used, or its user is gone or inactive."),
        context
            .op(
                Post,
                "/password-reset/request",
                "request_password_reset",
                "Mail a password-reset link",
            )
            .body(
                object([("email", formatted("idn-email").into(), true)]).into(),
                true,
            )
            .detail(
                202,
                "The same answer whether or not an account has this address.",
            ),
        context
            .op(
                Post,
                "/password-reset/confirm",
                "reset_password",
                "Set a new password with the mailed token",
            )
            .body(
                object([token(), ("new_password", context.new_password(), true)]).into(),
                true,
            )
            .detail(
                200,
                "`Password has been reset.`; every session of the user ends.",
            )
            .unauthorized(
                "The token is invalid, expired, used, or older than the last password change.",
            )
            .detail(
                422,
                "The new password breaks the policy (the token stays usable).",
            ),
    ]
    .into_iter()
    .map(|op| op.rate_limited("password_reset"))
    .collect()
}
