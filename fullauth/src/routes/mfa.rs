//! The mfa router: `GET /mfa`, `POST /mfa/enroll`, `POST /mfa/confirm`, `DELETE /mfa`, `POST /mfa/verify`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use super::caller::{caller, no_store};
use super::fields::{optional_body_field, required_bounded_string, required_string};
use super::mount::Mount;
use super::signed_in::signed_in;
use crate::flows::{Bucket, FullAuth, Presence};
use crate::http::{ApiError, Client, SignInClient};
use crate::json::{Issues, JsonBody};
use crate::model::FullAuthUser;
use crate::tokens::Claims;

/// The longest code the routes read, as fastapi-fullauth: a TOTP code is 6 digits, a recovery code 14
/// characters; spaces are allowed around and between.
pub(crate) const MAX_CODE_CHARACTERS: usize = 64;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/mfa"), get(status::<U>).delete(disable::<U>))
        .route(&mount.path("/mfa/enroll"), post(enroll::<U>))
        .route(&mount.path("/mfa/confirm"), post(confirm::<U>))
        .route(&mount.path("/mfa/verify"), post(verify::<U>))
}

/// The signed-in caller of a route that changes the second factor, and the proof of presence of its optional
/// `{"current_password"}` body; checking a password takes from the `reauth` bucket.
async fn present_caller<U: FullAuthUser>(
    auth: &FullAuth<U>,
    headers: &HeaderMap,
    client: &Client,
    body: JsonBody,
) -> Result<(U, Claims, Presence), ApiError> {
    let password = optional_body_field(body, "current_password")?;
    let (user, claims) = caller(auth, headers).await?;
    let presence = match password.filter(|password| !password.is_empty()) {
        Some(password) => {
            auth.rate_limit(Bucket::Reauth, &client.0).await?;
            Presence::Password(password)
        }
        None => Presence::RecentSignIn,
    };
    Ok((user, claims, presence))
}

async fn status<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    Ok(Json(auth.mfa_status(&user).await?).into_response())
}

async fn enroll<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (user, claims, presence) = present_caller(&auth, &headers, &client, body).await?;
    let enrolment = auth.mfa_enroll(&user, &claims, presence).await?;
    Ok(no_store(Json(enrolment).into_response()))
}

async fn confirm<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let code = required_bounded_string(&body, "code", MAX_CODE_CHARACTERS, &mut issues);
    let Some(code) = code.filter(|_| issues.is_empty()) else {
        return Err(issues.into());
    };
    let (user, _) = caller(&auth, &headers).await?;
    auth.rate_limit(Bucket::Mfa, &client.0).await?;
    let recovery_codes = auth.mfa_confirm(&user, &code).await?;
    Ok(no_store(
        Json(json!({ "recovery_codes": recovery_codes })).into_response(),
    ))
}

async fn disable<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    client: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (user, claims, presence) = present_caller(&auth, &headers, &client, body).await?;
    auth.mfa_disable(&user, &claims, presence).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn verify<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    SignInClient(client): SignInClient,
    address: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let mfa_token = required_string(&body, "mfa_token", &mut issues);
    let code = required_bounded_string(&body, "code", MAX_CODE_CHARACTERS, &mut issues);
    let (Some(mfa_token), Some(code)) = (mfa_token, code) else {
        return Err(issues.into());
    };
    if !issues.is_empty() {
        return Err(issues.into());
    }
    auth.rate_limit(Bucket::Mfa, &address.0).await?;
    let (user, passed) = auth.mfa_verify_granting(&mfa_token, &code, &client).await?;
    Ok(signed_in(&auth, user, passed))
}
