//! The auth router: `POST /register`, `/login`, `/refresh`, `/logout`.

use utoipa::openapi::path::HttpMethod::Post;

use super::context::Context;
use super::operation::Op;
use super::schema_kit::{component, nullable, object, string};

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let refresh_body = || object([("refresh_token", nullable(string()), false)]).into();
    let login_body = object([
        (context.login_field.as_str(), string().into(), true),
        ("password", string().into(), true),
    ]);
    vec![
        context
            .op(Post, "/register", "register", "Create an account")
            .body(component("UserRegistration"), true)
            .detail(
                202,
                "With `sign_in.prevent_registration_enumeration` (the default), the same answer whether the \
                 address was free or taken.",
            )
            .answer(201, "The new user, when enumeration is not hidden.", component("User"))
            .detail(409, "The address is taken, when enumeration is not hidden.")
            .detail(
                422,
                "The password breaks the policy: every broken rule, joined with `; `.",
            )
            .rate_limited("register"),
        context
            .op(Post, "/login", "login", "Sign in with a password")
            .body(login_body.into(), true)
            .answer(200, "Signed in.", component("LoginResponse"))
            .second_factor(context.second_factor, "The user turned MFA on: send a code with the `mfa_token` to `POST /mfa/verify`.")
            .unauthorized("Wrong password, unknown or inactive account, locked account: one answer for all.")
            .rate_limited("login"),
        context
            .op(Post, "/refresh", "refresh", "Trade a refresh token for new tokens")
            .body(refresh_body(), false)
            .answer(200, "New tokens of the same session.", component("TokenPair"))
            .reads_refresh_cookie()
            .unauthorized(
                "No refresh token, or one that is invalid, expired, revoked or reused (which ends the session).",
            )
            .rate_limited("refresh"),
        context
            .op(Post, "/logout", "logout", "Sign out")
            .body(refresh_body(), false)
            .empty(204, "The session ended; cookies are cleared.")
            .reads_refresh_cookie()
            .unauthorized("Neither the access token nor the refresh token is valid."),
    ]
}
