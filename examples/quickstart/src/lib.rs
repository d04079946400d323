//! The quickstart's models and routes, shared by the server (`src/main.rs`), the `migrations` command
//! (`src/bin/migrations.rs`) and the tests.

pub mod models;

use axum::routing::get;
use axum::{Json, Router};
use fullauth::{CurrentUser, FullAuth, PublicUser, VerifiedUser};
use serde_json::{Value, json};

use models::User;

/// The application: fullauth's routers under `/api/v1/auth`, and the seed's own `/profile` and `/dashboard`.
pub fn app(fullauth: FullAuth<User>) -> Router {
    Router::new()
        .route("/profile", get(profile))
        .route("/dashboard", get(dashboard))
        .merge(fullauth.router())
        .fallback(fullauth::not_found)
        .with_state(fullauth)
}

/// Any signed-in user.
async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
    Json(PublicUser(user))
}

/// Only users who confirmed their email address.
async fn dashboard(VerifiedUser(user): VerifiedUser<User>) -> Json<Value> {
    Json(json!({ "email": user.auth.email }))
}
