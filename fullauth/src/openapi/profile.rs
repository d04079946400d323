//! The profile router: `GET /me`, `GET /me/verified`, `PATCH /me`, `DELETE /me`, `POST /change-password`.

use utoipa::openapi::path::HttpMethod::{Delete, Get, Patch, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{component, nullable, object, string};

const REAUTH: &str = "`Re-authentication required`: no password was given and the sign-in is older than \
                      `sign_in.reauth_max_age_seconds`.";

pub(super) fn operations(context: &Context) -> Vec<Op> {
    vec![
        context
            .op(Get, "/me", "me", "The signed-in user")
            .caller(Caller::SignedIn)
            .answer(200, "The user.", component("User")),
        context
            .op(
                Get,
                "/me/verified",
                "me_verified",
                "The signed-in user, if their address is verified",
            )
            .caller(Caller::SignedIn)
            .answer(200, "The user.", component("User"))
            .detail(
                403,
                "The address is not verified: `Not enough permissions`.",
            ),
        context
            .op(Patch, "/me", "update_me", "Change the user's own fields")
            .caller(Caller::SignedIn)
            .body(component("UserUpdate"), true)
            .answer(200, "The updated user.", component("User"))
            .detail(
                400,
                "`No valid fields to update`: the body names no field, or only protected ones.",
            )
            .detail(
                422,
                "`Unknown fields: a, b`: fields the user model does not let clients write.",
            ),
        context
            .op(Delete, "/me", "delete_me", "Delete the account")
            .caller(Caller::SignedIn)
            .body(
                object([("current_password", nullable(string()), false)]).into(),
                false,
            )
            .empty(
                204,
                "The account and everything that hangs off it are gone.",
            )
            .detail(403, "`Current password is incorrect`.")
            .detail(403, REAUTH)
            .detail(409, "The last active superuser cannot be deleted.")
            .rate_limited("reauth"),
        context
            .op(
                Post,
                "/change-password",
                "change_password",
                "Change the password",
            )
            .caller(Caller::SignedIn)
            .body(
                object([
                    ("current_password", nullable(string()), false),
                    ("new_password", context.new_password(), true),
                ])
                .into(),
                true,
            )
            .detail(200, "Changed; every session of the user ends.")
            .detail(400, "`Current password is incorrect`.")
            .detail(403, REAUTH)
            .detail(422, "The new password breaks the policy.")
            .rate_limited("reauth"),
    ]
}
