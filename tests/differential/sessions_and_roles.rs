//! Sessions, and the administration of roles and permissions.

use serde_json::json;

use crate::runner::{Action, superuser};
use crate::scenario::{PASSWORD, Step, delete, get, post, post_empty, register};

fn sign_in(name: &str, email: &str, variable: &str) -> Step {
    crate::scenario::sign_in(name, email, PASSWORD, variable)
}

/// `GET /sessions`, ending one session, and ending all others.
pub fn sessions() -> Vec<Action> {
    vec![
        register("ed@example.com").into(),
        register("flo@example.com").into(),
        sign_in("sign in on a laptop", "ed@example.com", "laptop").into(),
        sign_in("sign in on a phone", "ed@example.com", "phone").into(),
        post(
            "the phone refreshes",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{phone_refresh}"}),
        )
        .save("phone_refresh", "/refresh_token")
        .into(),
        post(
            "the phone refreshes again",
            "/api/v1/auth/refresh",
            json!({"refresh_token": "{phone_refresh}"}),
        )
        .save("phone", "/access_token")
        .into(),
        sign_in("sign in on a tablet", "ed@example.com", "tablet").into(),
        sign_in("another user signs in", "flo@example.com", "flo").into(),
        get("the sessions", "/api/v1/auth/sessions")
            .bearer("laptop")
            .save("first_family", "/0/family_id")
            .save("last_family", "/2/family_id")
            .into(),
        get("the sessions without a token", "/api/v1/auth/sessions").into(),
        delete(
            "end an unknown session",
            "/api/v1/auth/sessions/0123456789abcdef0123456789abcdef",
            json!(null),
        )
        .bearer("laptop")
        .into(),
        delete(
            "end another user's session",
            "/api/v1/auth/sessions/{first_family}",
            json!(null),
        )
        .bearer("flo")
        .into(),
        delete(
            "end a session with an id that is not one",
            "/api/v1/auth/sessions/not-an-id",
            json!(null),
        )
        .bearer("laptop")
        .into(),
        delete(
            "end the oldest session",
            "/api/v1/auth/sessions/{last_family}",
            json!(null),
        )
        .bearer("tablet")
        .into(),
        get("the sessions after ending one", "/api/v1/auth/sessions")
            .bearer("tablet")
            .into(),
        post_empty(
            "end the other sessions",
            "/api/v1/auth/sessions/revoke-others",
        )
        .bearer("tablet")
        .into(),
        get("a signed-out session's user", "/api/v1/auth/me")
            .bearer("phone")
            .into(),
        get("the sessions that are left", "/api/v1/auth/sessions")
            .bearer("tablet")
            .into(),
        post_empty(
            "end the other sessions when there are none",
            "/api/v1/auth/sessions/revoke-others",
        )
        .bearer("tablet")
        .into(),
    ]
}

/// The admin router, refused and accepted, and roles in the user's JSON.
pub fn roles_and_permissions() -> Vec<Action> {
    vec![
        register("gus@example.com").into(),
        register("hal@example.com").into(),
        sign_in("a user signs in", "hal@example.com", "hal").into(),
        get("the user's id", "/api/v1/auth/me")
            .bearer("hal")
            .save("hal_id", "/id")
            .into(),
        superuser("gus@example.com"),
        sign_in("the superuser signs in", "gus@example.com", "gus").into(),
        post(
            "assign a role without a token",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .into(),
        post(
            "assign a role as a user",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .bearer("hal")
        .into(),
        post(
            "assign a role",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        post(
            "assign the same role again",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        post(
            "assign a role to nobody",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        post(
            "assign a role to an id that is not one",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "hal", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        post(
            "assign a role without naming it",
            "/api/v1/auth/admin/assign-role",
            json!({"user_id": "{hal_id}"}),
        )
        .bearer("gus")
        .into(),
        get("the user with a role", "/api/v1/auth/me")
            .bearer("hal")
            .into(),
        post(
            "give the role a permission",
            "/api/v1/auth/admin/assign-permission",
            json!({"role": "editor", "permission": "posts:delete"}),
        )
        .bearer("gus")
        .into(),
        post(
            "give the role a second permission",
            "/api/v1/auth/admin/assign-permission",
            json!({"role": "editor", "permission": "posts:edit"}),
        )
        .bearer("gus")
        .into(),
        get(
            "the role's permissions",
            "/api/v1/auth/admin/role-permissions/editor",
        )
        .bearer("gus")
        .into(),
        get(
            "an unknown role's permissions",
            "/api/v1/auth/admin/role-permissions/nobody",
        )
        .bearer("gus")
        .into(),
        get(
            "a role's permissions as a user",
            "/api/v1/auth/admin/role-permissions/editor",
        )
        .bearer("hal")
        .into(),
        post(
            "take a permission from the role",
            "/api/v1/auth/admin/remove-permission",
            json!({"role": "editor", "permission": "posts:edit"}),
        )
        .bearer("gus")
        .into(),
        get(
            "the role's permissions after one was taken",
            "/api/v1/auth/admin/role-permissions/editor",
        )
        .bearer("gus")
        .into(),
        post(
            "take the role from the user",
            "/api/v1/auth/admin/remove-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        post(
            "take a role the user does not have",
            "/api/v1/auth/admin/remove-role",
            json!({"user_id": "{hal_id}", "role": "editor"}),
        )
        .bearer("gus")
        .into(),
        get("the user without the role", "/api/v1/auth/me")
            .bearer("hal")
            .into(),
    ]
}
