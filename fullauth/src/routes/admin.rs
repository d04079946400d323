//! The admin router (superusers only): roles and permissions as fastapi-fullauth has them, plus what a real
//! administrator needs besides: the roles, a user's roles, the users (paged, filtered by email), and turning
//! accounts off and on.
//!
//! Bodies and query strings are validated first (422), then the caller (401, then 403 unless superuser).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};

use super::caller::caller;
use super::fields::{required_name, required_user_id};
use super::mount::Mount;
use super::query_string::QueryString;
use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::json::FieldValue as _;
use crate::json::{Issue, Issues, JsonBody, Location};
use crate::log_field::LogField;
use crate::model::FullAuthUser;
use crate::model::UserJson;
use crate::store::UserQuery;

pub(super) fn routes<U: FullAuthUser>(mount: &Mount) -> Router<FullAuth<U>> {
    Router::new()
        .route(&mount.path("/admin/assign-role"), post(assign_role::<U>))
        .route(&mount.path("/admin/remove-role"), post(remove_role::<U>))
        .route(
            &mount.path("/admin/assign-permission"),
            post(assign_permission::<U>),
        )
        .route(
            &mount.path("/admin/remove-permission"),
            post(remove_permission::<U>),
        )
        .route(
            &mount.path("/admin/role-permissions/{role_name}"),
            get(role_permissions::<U>),
        )
        .route(&mount.path("/admin/roles"), get(roles::<U>))
        .route(&mount.path("/admin/users"), get(users::<U>))
        .route(&mount.path("/admin/users/{user_id}"), get(user::<U>))
        .route(
            &mount.path("/admin/users/{user_id}/roles"),
            get(user_roles::<U>),
        )
        .route(
            &mount.path("/admin/users/{user_id}/activate"),
            post(activate::<U>),
        )
        .route(
            &mount.path("/admin/users/{user_id}/deactivate"),
            post(deactivate::<U>),
        )
}

/// Most users one page of `GET /admin/users` holds.
pub(crate) const MAX_PAGE_SIZE: u64 = 200;
/// Users one page of `GET /admin/users` holds when the query does not say.
pub(crate) const DEFAULT_PAGE_SIZE: u64 = 50;

/// The calling user, who must be an active superuser.
async fn superuser<U: FullAuthUser>(
    auth: &FullAuth<U>,
    headers: &HeaderMap,
) -> Result<U, ApiError> {
    let (user, _) = caller(auth, headers).await?;
    if user.is_superuser() {
        Ok(user)
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Records which superuser did what, next to the operation's own audit line.
fn audit<U: FullAuthUser>(admin: &U, action: &str, target: &str) {
    tracing::info!(
        target: "fullauth::audit",
        admin_id = %admin.id(),
        action,
        target = %LogField(target),
        "admin action"
    );
}

fn user_not_found() -> ApiError {
    ApiError::detail(StatusCode::NOT_FOUND, "User not found")
}

fn detail(message: String) -> Response {
    Json(json!({ "detail": message })).into_response()
}

/// `{"user_id", "role"}`, validated.
fn user_and_role<U: FullAuthUser>(body: JsonBody) -> Result<(U::Id, String), ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let user_id = required_user_id::<U::Id>(&body, "user_id", &mut issues);
    let role = required_name(&body, "role", &mut issues);
    match (user_id, role) {
        (Some(user_id), Some(role)) if issues.is_empty() => Ok((user_id, role)),
        _ => Err(issues.into()),
    }
}

/// `{"role", "permission"}`, validated.
fn role_and_permission(body: JsonBody) -> Result<(String, String), ApiError> {
    let body = body.into_object()?;
    let mut issues = Issues::new();
    let role = required_name(&body, "role", &mut issues);
    let permission = required_name(&body, "permission", &mut issues);
    match (role, permission) {
        (Some(role), Some(permission)) if issues.is_empty() => Ok((role, permission)),
        _ => Err(issues.into()),
    }
}

/// The `{user_id}` of a path, as the user model's id type (422 when it cannot be one).
fn path_user_id<U: FullAuthUser>(
    path: Result<Path<String>, PathRejection>,
) -> Result<U::Id, ApiError> {
    let Ok(Path(text)) = path else {
        return Err(user_not_found());
    };
    let loc = [Location::from("path"), Location::from("user_id")];
    let mut issues = Issues::new();
    let id = U::Id::from_json(&Value::String(text), &loc).map_err(|issue| issues.push(issue));
    id.map_err(|()| issues.into())
}

async fn assign_role<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (user_id, role) = user_and_role::<U>(body)?;
    let admin = superuser(&auth, &headers).await?;
    if !auth.assign_role(&user_id, &role).await? {
        return Err(user_not_found());
    }
    audit(&admin, "assign-role", &format!("{user_id} {role}"));
    Ok(detail(format!("Role '{role}' assigned to user {user_id}.")))
}

async fn remove_role<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (user_id, role) = user_and_role::<U>(body)?;
    let admin = superuser(&auth, &headers).await?;
    if !auth.remove_role(&user_id, &role).await? {
        return Err(user_not_found());
    }
    audit(&admin, "remove-role", &format!("{user_id} {role}"));
    Ok(detail(format!(
        "Role '{role}' removed from user {user_id}."
    )))
}

async fn assign_permission<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (role, permission) = role_and_permission(body)?;
    let admin = superuser(&auth, &headers).await?;
    auth.assign_permission(&role, &permission).await?;
    audit(&admin, "assign-permission", &format!("{role} {permission}"));
    Ok(detail(format!(
        "Permission '{permission}' assigned to role '{role}'."
    )))
}

async fn remove_permission<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<Response, ApiError> {
    let (role, permission) = role_and_permission(body)?;
    let admin = superuser(&auth, &headers).await?;
    auth.remove_permission(&role, &permission).await?;
    audit(&admin, "remove-permission", &format!("{role} {permission}"));
    Ok(detail(format!(
        "Permission '{permission}' removed from role '{role}'."
    )))
}

async fn role_permissions<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    role: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    superuser(&auth, &headers).await?;
    // A role that cannot exist (bad encoding, too long) has no permissions.
    let permissions = match role {
        Ok(Path(role)) => auth.role_permissions(&role).await?,
        Err(_) => Vec::new(),
    };
    Ok(Json(permissions).into_response())
}

async fn roles<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    superuser(&auth, &headers).await?;
    Ok(Json(auth.roles().await?).into_response())
}

/// One page of `GET /admin/users`.
#[derive(Serialize)]
#[serde(bound(serialize = ""))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(bound = ""))]
pub(crate) struct UsersPage<U: FullAuthUser> {
    /// The users of the page, as the routes show a user.
    #[cfg_attr(feature = "openapi", schema(schema_with = users_of_the_page))]
    items: Vec<UserJson<U>>,
    /// How many users match, on every page.
    total: u64,
    /// The page size asked for.
    limit: u64,
    /// The users skipped before this page.
    offset: u64,
}

/// The `items` of a [`UsersPage`]: the document's `User` component, whose fields are the application's.
#[cfg(feature = "openapi")]
fn users_of_the_page() -> utoipa::openapi::Array {
    utoipa::openapi::Array::new(super::signed_in::the_user())
}

async fn users<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let query = QueryString::parse(query.as_deref());
    let mut issues = Issues::new();
    let limit = query.integer("limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, &mut issues);
    let offset = query.integer("offset", 0, 0, i64::MAX as u64, &mut issues);
    if !issues.is_empty() {
        return Err(issues.into());
    }
    let email = query
        .get("email")
        .map(crate::email_address::normalize)
        .filter(|email| !email.is_empty());
    if let Some(filter) = &email
        && (filter.chars().any(char::is_control)
            || filter.chars().count() > crate::email_address::MAX_LENGTH)
    {
        issues.push(Issue::new(
            "value_error",
            vec![Location::from("query"), Location::from("email")],
            "Value error, the email filter must be at most 320 characters without control characters",
            Value::String(filter.clone()),
        ));
        return Err(issues.into());
    }
    superuser(&auth, &headers).await?;
    let page = auth
        .list_users(&UserQuery {
            email_contains: email,
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
            offset,
        })
        .await?;
    Ok(Json(UsersPage {
        items: auth.users_json(page.users).await?,
        total: page.total,
        limit,
        offset,
    })
    .into_response())
}

/// The user a path names, as JSON with roles.
async fn found_user<U: FullAuthUser>(auth: &FullAuth<U>, user_id: &U::Id) -> Result<U, ApiError> {
    auth.find_user(user_id).await?.ok_or_else(user_not_found)
}

async fn user<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    user_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let user_id = path_user_id::<U>(user_id)?;
    superuser(&auth, &headers).await?;
    let user = found_user(&auth, &user_id).await?;
    Ok(Json(auth.user_json(user).await?).into_response())
}

async fn user_roles<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    user_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let user_id = path_user_id::<U>(user_id)?;
    superuser(&auth, &headers).await?;
    found_user(&auth, &user_id).await?;
    Ok(Json(auth.user_roles(&user_id).await?).into_response())
}

async fn activate<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    user_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    set_active(auth, headers, user_id, true).await
}

async fn deactivate<U: FullAuthUser>(
    State(auth): State<FullAuth<U>>,
    headers: HeaderMap,
    user_id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    set_active(auth, headers, user_id, false).await
}

async fn set_active<U: FullAuthUser>(
    auth: FullAuth<U>,
    headers: HeaderMap,
    user_id: Result<Path<String>, PathRejection>,
    active: bool,
) -> Result<Response, ApiError> {
    let user_id = path_user_id::<U>(user_id)?;
    let admin = superuser(&auth, &headers).await?;
    if !active && admin.id() == &user_id {
        return Err(ApiError::detail(
            StatusCode::BAD_REQUEST,
            "You cannot deactivate your own account",
        ));
    }
    let user = auth
        .set_user_active(&user_id, active)
        .await?
        .ok_or_else(user_not_found)?;
    let action = if active { "activate" } else { "deactivate" };
    audit(&admin, action, &user_id.to_string());
    Ok(Json(auth.user_json(user).await?).into_response())
}
