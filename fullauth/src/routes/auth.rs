//! `POST /register`, `/login`, `/refresh`, `/logout`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

use super::caller::no_store;
use super::fields::{optional_body_field, required_email, required_string};
use super::mount::Mount;
use crate::flows::FullAuth;
use crate::flows::{Bucket, Registration, TokenPair};
use crate::http::ApiError;
use crate::http::{Client, SignInClient};
use crate::json::{Issues, JsonBody};
use crate::model::{FullAuthUser, UserJson, UserMixin};
use crate::tokens::Redacted;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/register"), post(register::<U>))
        .route(&mount.path("/login"), post(login::<U>))
        .route(&mount.path("/refresh"), post(refresh::<U>))
        .route(&mount.path("/logout"), post(logout::<U>))
}

/// The answer of `POST /login`: a [`TokenPair`] and the user's public JSON.
///
/// `Debug` shows the tokens' lengths, never the tokens.
#[derive(Clone, Serialize)]
#[serde(bound(serialize = ""))]
pub struct LoginResponse<U: FullAuthUser> {
    /// Access token (JWT).
    pub access_token: String,
    /// Refresh token (JWT); `None` when a cookie carries it.
    pub refresh_token: Option<String>,
    /// Always `"bearer"`.
    pub token_type: &'static str,
    /// Access-token lifetime in seconds.
    pub expires_in: u64,
    /// The signed-in user, with their roles when roles are on.
    pub user: UserJson<U>,
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

const REGISTERED: &str = "If this email isn't already registered, the account has been created.";

async fn register<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let email = required_email(&body, "email", &mut issues);
    let password = required_string(&body, "password", &mut issues);
    let user = U::from_input(
        UserMixin::new(email.as_deref().unwrap_or_default()),
        &body,
        &mut issues,
    );
    let (Some(user), Some(password)) = (user, password) else {
        return Err(issues.into());
    };
    if !issues.is_empty() {
        return Err(issues.into());
    }
    auth.rate_limit(Bucket::Register, &client.0).await?;
    let hide_existence = auth.config().sign_in.prevent_registration_enumeration;
    match auth.register(user, password).await? {
        _ if hide_existence => {
            Ok((StatusCode::ACCEPTED, Json(json!({ "detail": REGISTERED }))).into_response())
        }
        Registration::Created(user) => {
            let user = auth.user_json(user).await?;
            Ok((StatusCode::CREATED, Json(user)).into_response())
        }
        Registration::EmailTaken => Err(ApiError::detail(
            StatusCode::CONFLICT,
            "A user with this email already exists",
        )),
    }
}

async fn login<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    SignInClient(client): SignInClient,
    address: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let identifier = required_string(&body, &auth.config().sign_in.login_field, &mut issues);
    let password = required_string(&body, "password", &mut issues);
    let (Some(identifier), Some(password)) = (identifier, password) else {
        return Err(issues.into());
    };
    auth.rate_limit(Bucket::Login, &address.0).await?;
    let (user, tokens, grants) = auth.sign_in(&identifier, password, &client).await?;
    let user = auth.user_json_granted(user, grants);
    let (tokens, cookies) = auth.hand_over_tokens(tokens);
    Ok(no_store(cookies.apply(
        Json(LoginResponse::new(tokens, user)).into_response(),
    )))
}

async fn refresh<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    client: Client,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let from_body = optional_body_field(body, "refresh_token")?;
    let token = auth.refresh_cookie(&headers)?.or(from_body);
    let token = token.ok_or(ApiError::Unauthorized)?;
    auth.rate_limit(Bucket::Refresh, &client.0).await?;
    let (pair, cookies) = auth.hand_over_tokens(auth.refresh(token).await?);
    Ok(no_store(cookies.apply(Json(pair).into_response())))
}

async fn logout<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let from_body = optional_body_field(body, "refresh_token")?;
    let refresh_token = auth.refresh_cookie(&headers)?.or(from_body);
    let outcome = auth
        .logout(auth.access_token_of(&headers)?, refresh_token)
        .await;
    // Cookies that no longer sign anyone in are cleared on a 401 too.
    let response = match outcome {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => error.into_response(),
    };
    Ok(auth.forget_tokens().apply(response))
}
