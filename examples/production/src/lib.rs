//! The production example's models and routes, shared by the server (`src/main.rs`), the `migrations` command
//! (`src/bin/migrations.rs`) and the tests.

pub mod models;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use fullauth::openapi::utoipa::openapi::OpenApiBuilder;
use fullauth::openapi::utoipa::openapi::path::{HttpMethod, PathItem, PathsBuilder};
use fullauth::openapi::utoipa::openapi::schema::{ObjectBuilder, Ref, Type};
use fullauth::openapi::{Guard, OpenApi, json_answer};
use fullauth::{ApiError, CurrentUser, FullAuth, RequireRole, UserJson, VerifiedUser};
use serde_json::{Value, json};

use models::{Staff, User};

/// The application: fullauth's routers under `/api/v1/auth` (the admin router included, since the models declare
/// roles), `/profile` and `/dashboard` as in the quickstart, `/staff` for the roles `admin` and `editor`, and the
/// OpenAPI document of fullauth's routes and these at `/openapi.json`, rendered at `/docs`.
pub fn app(fullauth: FullAuth<User>) -> Router {
    let mut document = fullauth.openapi();
    document.merge(own_routes(&fullauth));
    document.info.title = "fullauth production example".to_owned();
    Router::new()
        .route("/profile", get(profile))
        .route("/dashboard", get(dashboard))
        .route("/staff", get(staff))
        .merge(fullauth.router())
        .merge(fullauth::openapi::docs_router(&document))
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

/// The OpenAPI description of the routes above, merged into fullauth's document by [`app`]: each starts from
/// fullauth's description of its guard, and `/profile` answers with fullauth's `User` component.
fn own_routes(fullauth: &FullAuth<User>) -> OpenApi {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let one = |name: &str| {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property(name, text())
            .required(name)
    };
    let profile = fullauth
        .guarded_operation(Guard::SignedIn, "The signed-in user, with their roles")
        .response(
            "200",
            json_answer("The signed-in user.", Ref::from_schema_name("User")),
        );
    let dashboard = fullauth
        .guarded_operation(Guard::Restricted, "The dashboard of a verified user")
        .response("200", json_answer("The user's address.", one("email")));
    let staff = fullauth
        .guarded_operation(Guard::Restricted, "For the roles admin and editor")
        .response("200", json_answer("The caller's id.", one("user_id")));
    let paths = PathsBuilder::new()
        .path("/profile", PathItem::new(HttpMethod::Get, profile))
        .path("/dashboard", PathItem::new(HttpMethod::Get, dashboard))
        .path("/staff", PathItem::new(HttpMethod::Get, staff));
    OpenApiBuilder::new().paths(paths).build()
}
