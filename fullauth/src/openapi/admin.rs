//! The admin router, for superusers: roles, permissions and user accounts.

use utoipa::openapi::path::HttpMethod::{Get, Post};

use super::context::Context;
use super::operation::{Caller, Op};
use super::schema_kit::{Shape, array, component, integer, object, schema_of, string};
use super::schemas::id_schema;
use crate::model::{FullAuthUser, MAX_NAME_LENGTH};
use crate::routes::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, UsersPage};
use crate::store::RoleSummary;

pub(super) fn operations<U: FullAuthUser>(context: &Context) -> Vec<Op> {
    let name = || -> Shape {
        string()
            .min_length(Some(1))
            .max_length(Some(MAX_NAME_LENGTH))
            .description(Some(
                "1 to 100 characters, without surrounding whitespace or control characters.",
            ))
            .into()
    };
    let user_and_role = || {
        object([
            ("user_id", id_schema::<U::Id>(), true),
            ("role", name(), true),
        ])
        .into()
    };
    let role_and_permission =
        || object([("role", name(), true), ("permission", name(), true)]).into();
    let user_path = |op: Op| {
        op.typed_path_parameter("user_id", id_schema::<U::Id>(), "The user's id.")
            .detail(404, "`User not found`.")
    };
    let users_page = schema_of::<UsersPage<U>>();
    let role_summary = schema_of::<RoleSummary>();
    vec![
        context
            .op(
                Post,
                "/admin/assign-role",
                "assign_role",
                "Give a user a role (created if missing)",
            )
            .body(user_and_role(), true)
            .detail(200, "Assigned (also when it already was).")
            .detail(404, "`User not found`."),
        context
            .op(
                Post,
                "/admin/remove-role",
                "remove_role",
                "Take a role from a user",
            )
            .body(user_and_role(), true)
            .detail(200, "Removed (also when it was not assigned).")
            .detail(404, "`User not found`."),
        context
            .op(
                Post,
                "/admin/assign-permission",
                "assign_permission",
                "Give a role a permission",
            )
            .body(role_and_permission(), true)
            .detail(200, "Assigned (also when it already was)."),
        context
            .op(
                Post,
                "/admin/remove-permission",
                "remove_permission",
                "Take a permission from a role",
            )
            .body(role_and_permission(), true)
            .detail(200, "Removed (also when it was not assigned)."),
        context
            .op(
                Get,
                "/admin/role-permissions/{role_name}",
                "role_permissions",
                "A role's permissions",
            )
            .path_parameter("role_name", string().into(), "The role's name.")
            .answer(
                200,
                "Its permission names, sorted; `[]` for an unknown role.",
                array(string()),
            ),
        context
            .op(
                Get,
                "/admin/roles",
                "roles",
                "Every role with its permissions",
            )
            .answer(200, "The roles, by name.", array(role_summary)),
        context
            .op(
                Get,
                "/admin/users",
                "users",
                "A page of users, oldest first",
            )
            .query_parameter(
                "limit",
                integer("int64")
                    .minimum(Some(1))
                    .maximum(Some(MAX_PAGE_SIZE))
                    .default(Some(DEFAULT_PAGE_SIZE.into()))
                    .into(),
                false,
                "Users per page.",
            )
            .query_parameter(
                "offset",
                integer("int64")
                    .minimum(Some(0))
                    .default(Some(0.into()))
                    .into(),
                false,
                "Users to skip.",
            )
            .query_parameter(
                "email",
                string()
                    .max_length(Some(crate::email_address::MAX_LENGTH))
                    .into(),
                false,
                "Only users whose address contains this text.",
            )
            .answer(200, "The page.", users_page),
        user_path(context.op(Get, "/admin/users/{user_id}", "user", "One user")).answer(
            200,
            "The user.",
            component("User"),
        ),
        user_path(context.op(
            Get,
            "/admin/users/{user_id}/roles",
            "user_roles",
            "A user's roles",
        ))
        .answer(200, "Their role names, sorted.", array(string())),
        user_path(context.op(
            Post,
            "/admin/users/{user_id}/activate",
            "activate_user",
            "Let a user sign in again",
        ))
        .answer(200, "The user.", component("User")),
        user_path(context.op(
            Post,
            "/admin/users/{user_id}/deactivate",
            "deactivate_user",
            "Stop a user from signing in; their sessions end",
        ))
        .answer(200, "The user.", component("User"))
        .detail(400, "`You cannot deactivate your own account`.")
        .detail(409, "The last active superuser cannot be deactivated."),
    ]
    .into_iter()
    .map(|op| op.caller(Caller::Superuser))
    .collect()
}
