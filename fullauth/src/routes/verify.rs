//! `POST /verify-email/request`, `/verify-email/confirm`, `/password-reset/request`, `/password-reset/confirm`.
//!
//! The four routes form one rate-limit bucket, `password_reset`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::json;

use super::fields::{required_email, required_string};
use super::mount::Mount;
use crate::extract::CurrentUser;
use crate::flows::Bucket;
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::http::Client;
use crate::json::{Issues, JsonBody};
use crate::model::FullAuthUser;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(
            &mount.path("/verify-email/request"),
            post(request_verification::<U>),
        )
        .route(
            &mount.path("/verify-email/confirm"),
            post(confirm_verification::<U>),
        )
        .route(
            &mount.path("/password-reset/request"),
            post(request_reset::<U>),
        )
        .route(
            &mount.path("/password-reset/confirm"),
            post(confirm_reset::<U>),
        )
}

const VERIFICATION_REQUESTED: &str = "If eligible, a verification email has been sent.";
const RESET_REQUESTED: &str = "If the email exists, a reset link has been sent.";

fn accepted(detail: &str) -> Response {
    (StatusCode::ACCEPTED, Json(json!({ "detail": detail }))).into_response()
}

async fn request_verification<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    CurrentUser(user): CurrentUser<U>,
    client: Client,
) -> Result<Response, ApiError> {
    auth.rate_limit(Bucket::PasswordReset, &client.0).await?;
    auth.request_email_verification(&user)?;
    Ok(accepted(VERIFICATION_REQUESTED))
}

async fn confirm_verification<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let token = required_string(&body, "token", &mut issues);
    let token = issues.into_result(token)?.unwrap_or_default();
    auth.rate_limit(Bucket::PasswordReset, &client.0).await?;
    auth.confirm_email_verification(&token).await?;
    Ok(Json(json!({ "detail": "Email verified." })).into_response())
}

async fn request_reset<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let email = required_email(&body, "email", &mut issues);
    let email = issues.into_result(email)?.unwrap_or_default();
    auth.rate_limit(Bucket::PasswordReset, &client.0).await?;
    auth.request_password_reset(&email).await?;
    Ok(accepted(RESET_REQUESTED))
}

async fn confirm_reset<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let token = required_string(&body, "token", &mut issues);
    let new_password = required_string(&body, "new_password", &mut issues);
    let (Some(token), Some(new_password)) = (token, new_password) else {
        return Err(issues.into());
    };
    auth.rate_limit(Bucket::PasswordReset, &client.0).await?;
    auth.confirm_password_reset(&token, new_password).await?;
    Ok(Json(json!({ "detail": "Password has been reset." })).into_response())
}
