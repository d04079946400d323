//! `POST /register`, `/login`, `/refresh`, `/logout`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::caller::no_store;
use super::fields::{optional_body_field, required_email, required_string};
use super::mount::Mount;
use crate::flows::FullAuth;
use crate::flows::{Bucket, Registration};
use crate::http::ApiError;
use crate::http::{Client, SignInClient};
use crate::json::{Issues, JsonBody};
use crate::model::{FullAuthUser, UserMixin};

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/register"), post(register::<U>))
        .route(&mount.path("/login"), post(login::<U>))
        .route(&mount.path("/refresh"), post(refresh::<U>))
        .route(&mount.path("/logout"), post(logout::<U>))
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
    let (user, passed) = auth.sign_in(&identifier, password, &client).await?;
    Ok(super::signed_in::signed_in(&auth, user, passed))
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
