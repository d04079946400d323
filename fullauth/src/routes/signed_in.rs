//! The answer of every route that signs a user in (`POST /login`, the OAuth callback, a passkey sign-in,
//! `POST /mfa/verify`): the `LoginResponse` with its cookies, or `202` with the `mfa_token` of a sign-in that waits
//! for its second factor.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use serde::Serialize;

use super::caller::no_store;
use crate::flows::{FullAuth, Passed, TokenPair};
use crate::model::{FullAuthUser, UserJson};
use crate::tokens::Redacted;

/// The answer of a sign-in that opened a session: a [`TokenPair`] and the user's public JSON.
///
/// `Debug` shows the tokens' lengths, never the tokens.
#[derive(Clone, Serialize)]
#[serde(bound(serialize = ""))]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        bound = "",
        description = "The tokens of a new session and the signed-in user."
    )
)]
pub struct LoginResponse<U: FullAuthUser> {
    /// Access token (JWT).
    pub access_token: String,
    /// Refresh token (JWT); `null` (`None`) when a cookie carries it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub refresh_token: Option<String>,
    /// Always `"bearer"`.
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::flows::bearer))]
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
    /// The signed-in user, with their roles when roles are on.
    #[cfg_attr(feature = "openapi", schema(schema_with = the_user))]
    pub user: UserJson<U>,
}

/// The schema of `user`: the document's `User` component, whose fields are the application's.
#[cfg(feature = "openapi")]
pub(crate) fn the_user() -> utoipa::openapi::Ref {
    utoipa::openapi::Ref::from_schema_name("User")
}

impl<U: FullAuthUser> std::fmt::Debug for LoginResponse<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("access_token", &Redacted(&self.access_token))
            .field(
                "refresh_token",
                &self.refresh_token.as_deref().map(Redacted),
            )
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("user", &self.user)
            .finish()
    }
}

impl<U: FullAuthUser> LoginResponse<U> {
    pub(crate) fn new(tokens: TokenPair, user: UserJson<U>) -> Self {
        Self {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            user,
        }
    }
}

pub(super) fn signed_in<U: FullAuthUser>(auth: &FullAuth<U>, user: U, passed: Passed) -> Response {
    match passed {
        Passed::Session(tokens, grants) => {
            let user = auth.user_json_granted(user, grants);
            let (tokens, cookies) = auth.hand_over_tokens(tokens);
            no_store(cookies.apply(Json(LoginResponse::new(tokens, user)).into_response()))
        }
        Passed::MfaRequired(mfa_token) => no_store(
            (
                StatusCode::ACCEPTED,
                Json(json!({ "mfa_required": true, "mfa_token": mfa_token })),
            )
                .into_response(),
        ),
    }
}
