//! `GET /sessions`, `DELETE /sessions/{family_id}`, `POST /sessions/revoke-others`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;
use time::OffsetDateTime;

use super::caller::caller;
use super::mount::Mount;
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;
use crate::store::Session;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/sessions"), get(list::<U>))
        .route(
            &mount.path("/sessions/revoke-others"),
            post(revoke_others::<U>),
        )
        .route(
            &mount.path("/sessions/{family_id}"),
            delete(revoke_one::<U>),
        )
}

/// One session as `GET /sessions` shows it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub(crate) struct SessionView {
    /// 32 hex digits.
    family_id: String,
    /// The address the session signed in from.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    ip_address: Option<String>,
    /// The browser or client that signed in.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    user_agent: Option<String>,
    /// When the session signed in.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    created_at: OffsetDateTime,
    /// When the session was last refreshed.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    last_used_at: OffsetDateTime,
    /// When its refresh token expires.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    expires_at: OffsetDateTime,
    /// Whether this is the session of the calling token.
    current: bool,
}

impl SessionView {
    fn new(session: Session, current: Option<uuid::Uuid>) -> Self {
        Self {
            current: current == Some(session.family_id),
            family_id: session.family_id.simple().to_string(),
            ip_address: session.ip_address,
            user_agent: session.user_agent,
            created_at: session.created_at,
            last_used_at: session.last_used_at,
            expires_at: session.expires_at,
        }
    }
}

async fn list<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, claims) = caller(&auth, &headers).await?;
    let current = claims.family();
    let sessions: Vec<SessionView> = auth
        .sessions(&user)
        .await?
        .into_iter()
        .map(|session| SessionView::new(session, current))
        .collect();
    Ok(Json(sessions).into_response())
}

async fn revoke_one<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    family_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let (user, _) = caller(&auth, &headers).await?;
    let not_found = || ApiError::detail(StatusCode::NOT_FOUND, "Session not found");
    let Ok(Path(family_id)) = family_id else {
        return Err(not_found());
    };
    let family_id = uuid::Uuid::try_parse(&family_id).map_err(|_| not_found())?;
    if !auth.end_session(&user, family_id).await? {
        return Err(not_found());
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn revoke_others<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (user, claims) = caller(&auth, &headers).await?;
    let current = claims.family().ok_or(ApiError::Unauthorized)?;
    let ended = auth.end_other_sessions(&user, current).await?;
    let detail = format!("Signed out {ended} other session(s).");
    Ok(Json(json!({ "detail": detail })).into_response())
}
