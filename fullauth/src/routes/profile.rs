//! `GET /me`, `GET /me/verified`, `PATCH /me`, `DELETE /me`, `POST /change-password`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::caller::caller;
use super::fields::{optional_body_field, optional_string, required_string};
use super::mount::Mount;
use crate::extract::VerifiedUser;
use crate::flows::Bucket;
use crate::flows::FullAuth;
use crate::flows::Presence;
use crate::http::ApiError;
use crate::http::Client;
use crate::json::{Issues, JsonBody};
use crate::model::FullAuthUser;
use crate::model::UserJson;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(
            &mount.path("/me"),
            get(me::<U>).patch(update_me::<U>).delete(delete_me::<U>),
        )
        .route(&mount.path("/me/verified"), get(me_verified::<U>))
        .route(&mount.path("/change-password"), post(change_password::<U>))
}

/// Fields no client may ever set on itself.
const PROTECTED_FIELDS: [&str; 10] = [
    "id",
    "email",
    "hashed_password",
    "is_active",
    "is_verified",
    "is_superuser",
    "roles",
    "password",
    "created_at",
    "refresh_tokens",
];

/// The caller with their roles, from one store call.
async fn me<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Json<UserJson<U>>, ApiError> {
    let token = auth.required_access_token(&headers)?;
    let (user, _) = auth.authenticate_json(&token).await?;
    Ok(Json(user))
}

/// The caller, who must have verified their address: refused before their roles are read.
async fn me_verified<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    VerifiedUser(user): VerifiedUser<U>,
) -> Result<Json<UserJson<U>>, ApiError> {
    Ok(Json(auth.user_json(user).await?))
}

async fn update_me<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let patch = U::patch_from_input(&body, &mut issues);
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let (user, _) = caller(&auth, &headers).await?;

    let mut sent: Vec<&str> = body
        .keys()
        .map(String::as_str)
        .filter(|key| !PROTECTED_FIELDS.contains(key) && !U::READ_ONLY_FIELDS.contains(key))
        .collect();
    if sent.is_empty() {
        return Err(ApiError::detail(
            StatusCode::BAD_REQUEST,
            "No valid fields to update",
        ));
    }
    sent.retain(|key| !U::UPDATABLE_FIELDS.contains(key));
    if !sent.is_empty() {
        sent.sort_unstable();
        return Err(ApiError::detail(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Unknown fields: {}", sent.join(", ")),
        ));
    }
    U::check_patch(&body, &mut issues);
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let updated = auth.update_profile(&user, &patch).await?;
    Ok(Json(auth.user_json(updated).await?).into_response())
}

async fn delete_me<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let password = optional_body_field(body, "current_password")?;
    let (user, claims) = caller(&auth, &headers).await?;
    auth.rate_limit(Bucket::Reauth, &client.0).await?;
    let presence = match password.filter(|password| !password.is_empty()) {
        Some(password) => Presence::Password(password),
        None => Presence::RecentSignIn,
    };
    auth.delete_account(user, claims, presence).await?;
    Ok(auth
        .forget_tokens()
        .apply(StatusCode::NO_CONTENT.into_response()))
}

async fn change_password<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let new = required_string(&body, "new_password", &mut issues);
    let current = optional_string(&body, "current_password", &mut issues);
    let Some(new) = new.filter(|_| issues.is_empty()) else {
        return Err(issues.into());
    };
    let (user, claims) = caller(&auth, &headers).await?;
    auth.rate_limit(Bucket::Reauth, &client.0).await?;
    auth.change_password(user, claims, current, new).await?;
    Ok(Json(json!({"detail": "Password changed successfully."})).into_response())
}
