//! Roles and permissions: the four role models beside the user, guards declared once with `roles!` and
//! `permissions!`, and routes that need them.

use axum::routing::get;
use axum::{Json, Router};
use fullauth::openapi::utoipa::openapi::OpenApiBuilder;
use fullauth::openapi::utoipa::openapi::path::{HttpMethod, PathItem, PathsBuilder};
use fullauth::openapi::utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use fullauth::openapi::{Guard, OpenApi, json_answer};
use fullauth::prelude::*;
use serde_json::{Value, json};

/// The user.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
}

/// The users' refresh tokens.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

/// Roles, such as `admin` and `editor`.
#[derive(FullAuthRole, Clone, Debug)]
#[fullauth(table = "roles")]
pub struct Role {
    #[fullauth(mixin)]
    pub role: RoleMixin,
}

/// Permissions, such as `posts:edit`, given to roles.
#[derive(FullAuthPermission, Clone, Debug)]
#[fullauth(table = "permissions")]
pub struct Permission {
    #[fullauth(mixin)]
    pub permission: PermissionMixin,
}

/// Which user has which role: declaring it turns roles on for `User`.
#[derive(FullAuthUserRole, Clone, Debug)]
#[fullauth(table = "user_roles", user = User, role = Role)]
pub struct UserRole {
    #[fullauth(mixin)]
    pub link: UserRoleMixin,
}

/// Which role grants which permission.
#[derive(FullAuthRolePermission, Clone, Debug)]
#[fullauth(table = "role_permissions", role = Role, permission = Permission)]
pub struct RolePermission {
    #[fullauth(mixin)]
    pub link: RolePermissionMixin,
}

fullauth::roles! {
    for User;
    /// Anyone who works on the site: administrators and editors.
    pub Staff = "admin" | "editor";
}

fullauth::permissions! {
    for User;
    /// Editing posts, granted to roles by `assign_permission`.
    pub EditPosts = "posts:edit";
}

/// The permission each role grants, given at start (idempotently): editors edit posts.
pub const ROLE_PERMISSIONS: [(&str, &str); 2] = [("editor", "posts:edit"), ("admin", "posts:edit")];

/// fullauth's routers (the admin router among them: the user has role models), and three guarded routes: one
/// per role set, one per permission, and a router that admits administrators only; the OpenAPI document of
/// fullauth's routes and these at `/openapi.json`, rendered at `/docs`.
pub fn app(fullauth: FullAuth<User>) -> Router {
    let admin_only = Router::new()
        .route(
            "/admin/reports",
            get(|| async { Json(json!({"reports": []})) }),
        )
        .route_layer(fullauth.require_role(["admin"]));
    let mut document = fullauth.openapi();
    document.merge(own_routes(&fullauth));
    document.info.title = "fullauth roles example".to_owned();
    Router::new()
        .route("/staff", get(staff))
        .route("/posts/drafts", get(drafts))
        .merge(admin_only)
        .merge(fullauth.router())
        .merge(fullauth::openapi::docs_router(&document))
        .fallback(fullauth::not_found)
        .with_state(fullauth)
}

/// Administrators and editors, and superusers, who pass every guard.
async fn staff(guard: RequireRole<Staff>) -> Json<Value> {
    Json(json!({ "staff": guard.sub }))
}

/// Whoever holds `posts:edit` through one of their roles.
async fn drafts(guard: RequirePermission<EditPosts>) -> Json<Value> {
    Json(json!({ "drafts": [], "editor": guard.sub }))
}

/// The OpenAPI description of the guarded routes above, merged into fullauth's document by [`app`]: each starts
/// from fullauth's description of its guard (401, 403, ...).
fn own_routes(fullauth: &FullAuth<User>) -> OpenApi {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let list = || ArrayBuilder::new().items(ObjectBuilder::new());
    let staff = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("staff", text())
        .required("staff");
    let drafts = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("drafts", list())
        .property("editor", text())
        .required("drafts")
        .required("editor");
    let reports = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("reports", list())
        .required("reports");
    let guarded = |summary: &str, answer: &str, body: ObjectBuilder| {
        let operation = fullauth
            .guarded_operation(Guard::Restricted, summary)
            .response("200", json_answer(answer, body));
        PathItem::new(HttpMethod::Get, operation)
    };
    let paths = PathsBuilder::new()
        .path(
            "/staff",
            guarded("For the roles admin and editor", "The caller's id.", staff),
        )
        .path(
            "/posts/drafts",
            guarded("For holders of posts:edit", "The drafts.", drafts),
        )
        .path(
            "/admin/reports",
            guarded("For administrators", "The reports.", reports),
        );
    OpenApiBuilder::new().paths(paths).build()
}
