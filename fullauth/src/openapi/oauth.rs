//! The oauth router: sign-in with OAuth providers, and linking them to an account.

use utoipa::openapi::path::HttpMethod::{Delete, Get, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{Shape, array, component, object, schema_of, string};
use crate::flows::OAuthStart;
use crate::routes::AccountView;

pub(super) fn operations(context: &Context) -> Vec<Op> {
    let provider_name = || -> Shape {
        string()
            .enum_values(Some(context.providers.iter().cloned()))
            .into()
    };
    let provider = |op: Op| {
        op.path_parameter(
            "provider",
            provider_name(),
            "The provider's configured name.",
        )
        .detail(404, "`OAuth provider '<name>' not configured`.")
    };
    let redirect = |op: Op| {
        op.query_parameter(
            "redirect_uri",
            string()
                .enum_values(Some(context.redirect_uris.iter().cloned()))
                .into(),
            true,
            "Where the provider sends the browser back: one of the provider's `redirect_uris`, exactly.",
        )
        .detail(400, "`Invalid redirect URI`, or `OAuth authentication failed`.")
    };
    let started = schema_of::<OAuthStart>;
    let callback = || -> Shape {
        object([
            ("code", string().into(), true),
            ("state", string().into(), true),
            ("binding", string().into(), true),
        ])
        .into()
    };
    let account = schema_of::<AccountView>;
    vec![
        context
            .op(
                Get,
                "/oauth/providers",
                "oauth_providers",
                "The configured providers",
            )
            .answer(
                200,
                "Their names.",
                object([("providers", array(string()), true)]).into(),
            ),
        redirect(provider(context.op(
            Get,
            "/oauth/{provider}/authorize",
            "oauth_authorize",
            "Start signing in with a provider",
        )))
        .answer(
            200,
            "Send the browser to `authorization_url`; keep `binding` for the callback.",
            started(),
        ),
        provider(context.op(
            Post,
            "/oauth/{provider}/callback",
            "oauth_callback",
            "Finish signing in with a provider",
        ))
        .body(callback(), true)
        .answer(200, "Signed in.", component("LoginResponse"))
        .second_factor(
            context.second_factor,
            "The user turned MFA on: a second factor is needed.",
        )
        .detail(400, "`OAuth authentication failed`, whatever the reason.")
        .rate_limited("login"),
        context
            .op(
                Get,
                "/oauth/accounts",
                "oauth_accounts",
                "The providers linked to the account",
            )
            .caller(Caller::SignedIn)
            .answer(200, "The links, by provider.", array(account())),
        context
            .op(
                Delete,
                "/oauth/accounts/{provider}",
                "oauth_unlink",
                "Unlink a provider",
            )
            .caller(Caller::SignedIn)
            .path_parameter("provider", provider_name(), "The provider's name.")
            .empty(204, "Unlinked.")
            .detail(400, "It is the account's only way to sign in.")
            .detail(404, "`OAuth account not found`."),
        redirect(provider(
            context
                .op(
                    Get,
                    "/oauth/{provider}/link/authorize",
                    "oauth_link_authorize",
                    "Start linking a provider to the account",
                )
                .caller(Caller::SignedIn),
        ))
        .answer(200, "Send the browser to `authorization_url`.", started()),
        provider(
            context
                .op(
                    Post,
                    "/oauth/{provider}/link/callback",
                    "oauth_link_callback",
                    "Finish linking a provider to the account",
                )
                .caller(Caller::SignedIn),
        )
        .body(callback(), true)
        .answer(200, "Linked.", account())
        .detail(400, "`OAuth authentication failed`.")
        .detail(
            409,
            "The provider's account belongs to another user, or this provider is linked already.",
        ),
    ]
}
