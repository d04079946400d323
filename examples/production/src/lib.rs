//! The production example's models and routes, shared by the server (`src/main.rs`), the `migrations` command
//! (`src/bin/migrations.rs`) and the tests.

pub mod models;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use fullauth::{ApiError, CurrentUser, FullAuth, RequireRole, UserJson, VerifiedUser};
use serde_json::{Value, json};

use models::{Staff, User};

/// The application: fullauth's routers under `/api/v1/auth` (the admin router included, since the models declare
/// roles), `/profile` and `/dashboard` as in the quickstart, `/staff` for the roles `admin` and `editor`, and the
/// OpenAPI document of fullauth's routes at `/openapi.json`, rendered at `/docs`.
pub fn app(fullauth: FullAuth<User>) -> Router {
    Router::new()
        .route("/profile", get(profile))
        .route("/dashboard", get(dashboard))
        .route("/staff", get(staff))
        .merge(fullauth.router())
        .merge(fullauth::openapi::docs_router(&fullauth.openapi()))
        .fallback(fullauth::not_found)
        .with_state(fullauth)
}

/// Any signed-in user, as `GET /api/v1/auth/me` shows them (with their roles).
async fn profile(
    State(fullauth): State<FullAuth<User>>,
    CurrentUser(user): CurrentUser<User>,
) -> Result<Json<UserJson<User>>, ApiError> {
    Ok(Json(fullauth.user_json(user).await?))
}

/// Only users who confirmed their email address.
async fn dashboard(VerifiedUser(user): VerifiedUser<User>) -> Json<Value> {
    Json(json!({ "email": user.auth.email }))
}

/// Only users with the role `admin` or `editor` (or superusers).
async fn staff(guard: RequireRole<Staff>) -> Json<Value> {
    Json(json!({ "user_id": guard.sub }))
}
