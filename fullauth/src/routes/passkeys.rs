//! The passkey router: `POST /passkeys/register/begin`, `POST /passkeys/register/complete`,
//! `POST /passkeys/authenticate/begin`, `POST /passkeys/authenticate/complete`, `GET /passkeys`,
//! `DELETE /passkeys/{passkey_id}`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;

use super::caller::{caller, no_store};
use super::fields::{optional_string, required_string};
use super::mount::Mount;
use crate::error::{Error, PasskeyFailure};
use crate::flows::{Bucket, FullAuth};
use crate::http::{ApiError, Client, SignInClient};
use crate::json::{FieldValue, Issue, Issues, JsonBody, JsonObject, Location};
use crate::model::{FullAuthUser, MAX_DEVICE_NAME_LENGTH};
use crate::store::PasskeyOf;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/passkeys"), get(list::<U>))
        .route(&mount.path("/passkeys/{passkey_id}"), delete(remove::<U>))
        .route(
            &mount.path("/passkeys/register/begin"),
            post(register_begin::<U>),
        )
        .route(
            &mount.path("/passkeys/register/complete"),
            post(register_complete::<U>),
        )
        .route(
            &mount.path("/passkeys/authenticate/begin"),
            post(authenticate_begin::<U>),
        )
        .route(
            &mount.path("/passkeys/authenticate/complete"),
            post(authenticate_complete::<U>),
        )
}

/// A passkey as the routes show it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct PasskeyView {
    /// The passkey's id, for `DELETE /passkeys/{passkey_id}`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = "uuid"))]
    id: uuid::Uuid,
    /// The name the user gave the device.
    device_name: String,
    /// How the browser reaches the authenticator (`usb`, `nfc`, `ble`, `internal`, `hybrid`).
    transports: Vec<String>,
    /// Whether the passkey is synced to other devices.
    backed_up: bool,
    /// When it was registered.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    created_at: OffsetDateTime,
    /// When it last signed in; `null` before its first sign-in.
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(
        feature = "openapi",
        schema(value_type = Option<String>, format = DateTime, required = true)
    )]
    last_used_at: Option<OffsetDateTime>,
}

impl<Id> From<crate::model::PasskeyMixin<Id>> for PasskeyView {
    fn from(passkey: crate::model::PasskeyMixin<Id>) -> Self {
        Self {
            id: passkey.id,
            device_name: passkey.device_name,
            transports: passkey
                .transports
                .split(',')
                .filter(|transport| !transport.is_empty())
                .map(str::to_owned)
                .collect(),
            backed_up: passkey.backed_up,
            created_at: passkey.created_at,
            last_used_at: passkey.last_used_at,
        }
    }
}

/// `body.<field>` as a JSON object: the credential a browser's `PublicKeyCredential.toJSON()` wrote.
fn required_object(body: &JsonObject, field: &str, issues: &mut Issues) -> Option<Value> {
    let loc = vec![Location::from("body"), Location::from(field)];
    match body.get(field) {
        Some(value @ Value::Object(_)) => Some(value.clone()),
        None => {
            issues.push(Issue::missing(loc, Value::Object(body.clone())));
            None
        }
        Some(other) => {
            issues.push(Issue::new(
                "dict_type",
                loc,
                "Input should be a valid dictionary",
                other.clone(),
            ));
            None
        }
    }
}

/// The optional `device_name`: a string of at most 200 characters, empty when left out.
fn device_name(body: &JsonObject, issues: &mut Issues) -> String {
    let loc = [Location::from("body"), Location::from("device_name")];
    let Some(value) = body.get("device_name") else {
        return String::new();
    };
    match <String as FieldValue>::from_json(value, &loc) {
        Ok(name) if name.chars().count() <= MAX_DEVICE_NAME_LENGTH => name,
        Ok(name) => {
            issues.push(
                Issue::new(
                    "string_too_long",
                    loc.to_vec(),
                    format!("String should have at most {MAX_DEVICE_NAME_LENGTH} characters"),
                    Value::String(name),
                )
                .with_ctx("max_length", Value::from(MAX_DEVICE_NAME_LENGTH)),
            );
            String::new()
        }
        Err(issue) => {
            issues.push(issue);
            String::new()
        }
    }
}

/// A complete body: `challenge_key` and `credential`, with `device_name` at registration.
struct CompleteBody {
    challenge_key: String,
    credential: Value,
    device_name: String,
}

impl CompleteBody {
    fn read(body: JsonBody, with_device_name: bool) -> Result<Self, ApiError> {
        let body = body.into_object()?;
        let mut issues = Issues::new();
        let challenge_key = required_string(&body, "challenge_key", &mut issues);
        let credential = required_object(&body, "credential", &mut issues);
        let device_name = if with_device_name {
            device_name(&body, &mut issues)
        } else {
            String::new()
        };
        match (challenge_key, credential) {
            (Some(challenge_key), Some(credential)) if issues.is_empty() => Ok(Self {
                challenge_key,
                credential,
                device_name,
            }),
            _ => Err(issues.into()),
        }
    }
}

async fn register_begin<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let options = auth.passkey_registration_options(&user).await?;
    Ok(no_store(Json(options).into_response()))
}

async fn register_complete<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = CompleteBody::read(body, true)?;
    let (user, _) = caller(&auth, &headers).await?;
    let passkey: PasskeyOf<U> = auth
        .passkey_register(
            &user,
            &body.challenge_key,
            body.credential,
            body.device_name,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(PasskeyView::from(passkey))).into_response())
}

async fn authenticate_begin<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    address: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = body.into_optional_object()?;
    let mut issues = Issues::new();
    let email = optional_string(&body, "email", &mut issues);
    issues.into_result(()).map_err(ApiError::from)?;
    auth.rate_limit(Bucket::PasskeyAuth, &address.0).await?;
    let options = auth.passkey_sign_in_options(email.as_deref()).await?;
    Ok(no_store(Json(options).into_response()))
}

async fn authenticate_complete<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    SignInClient(client): SignInClient,
    address: Client,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let body = CompleteBody::read(body, false)?;
    auth.rate_limit(Bucket::PasskeyAuth, &address.0).await?;
    let (user, passed) = auth
        .passkey_sign_in_granting(&body.challenge_key, body.credential, &client)
        .await?;
    Ok(super::signed_in::signed_in(&auth, user, passed))
}

async fn list<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let passkeys: Vec<PasskeyView> = auth
        .passkeys(&user)
        .await?
        .into_iter()
        .map(PasskeyView::from)
        .collect();
    Ok(Json(passkeys).into_response())
}

async fn remove<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let Ok(Path(id)) = id else {
        return Err(Error::Passkey(PasskeyFailure::NotFound).into());
    };
    let loc = [Location::from("path"), Location::from("passkey_id")];
    let id = <uuid::Uuid as FieldValue>::from_json(&Value::String(id), &loc)
        .map_err(|issue| ApiError::from(Issues::from(issue)))?;
    auth.passkey_delete(&user, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
