//! Role and permission guards, as extractors (`RequireRole<Admin>`) and as layers (`require_role([...])`), in both
//! role-check modes.

use fullauth::RoleCheck;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use crate::{run, run_with};

crate::on_every_backend!(
    a_removed_role_stops_working_at_the_next_request,
    any_one_role_of_a_guard_passes,
    permissions_pass_through_roles,
    superusers_pass_every_guard,
    privileged_fields_in_bodies_grant_nothing,
    token_checks_trust_the_token_until_it_is_replaced,
);

const PASSWORD: &str = "correct horse battery";

/// Gives (or takes, with `remove`) a role through the admin router.
async fn set_role(app: &TestApp, admin: &str, user: &str, role: &str, remove: bool) {
    let id = app.user_id(user).await;
    let path = if remove {
        "/admin/remove-role"
    } else {
        "/admin/assign-role"
    };
    let answer = app
        .call(
            Method::POST,
            path,
            Some(admin),
            Some(json!({"user_id": id, "role": role})),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

async fn set_permission(app: &TestApp, admin: &str, role: &str, permission: &str, remove: bool) {
    let path = if remove {
        "/admin/remove-permission"
    } else {
        "/admin/assign-permission"
    };
    let answer = app
        .call(
            Method::POST,
            path,
            Some(admin),
            Some(json!({"role": role, "permission": permission})),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

async fn a_removed_role_stops_working_at_the_next_request(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        for path in ["/guarded/admin", "/layered/admin"] {
            let anonymous = app.get_app(path, None).await;
            assert_eq!(anonymous.status, 401, "{path}");
            assert_eq!(
                anonymous.json,
                json!({"detail": "Could not validate credentials"})
            );
            assert_eq!(app.app_status(path, "garbage").await, 401, "{path}");
            let refused = app.get_app(path, Some(&ada)).await;
            assert_eq!(refused.status, 403, "{path}");
            assert_eq!(refused.json, json!({"detail": "Not enough permissions"}));
        }

        set_role(&app, &admin, &ada, "admin", false).await;
        for path in ["/guarded/admin", "/layered/admin"] {
            let granted = app.get_app(path, Some(&ada)).await;
            assert_eq!(granted.status, 200, "{path}: the same token works at once");
            assert_eq!(granted.json["sub"], app.user_id(&ada).await);
        }

        set_role(&app, &admin, &ada, "admin", true).await;
        for path in ["/guarded/admin", "/layered/admin"] {
            assert_eq!(
                app.app_status(path, &ada).await,
                403,
                "{path}: refused at the next request"
            );
        }
        // An unknown path under a layered router is still 404, not 401.
        assert_eq!(app.get_app("/layered/nothing", None).await.status, 404);
    })
    .await;
}

async fn any_one_role_of_a_guard_passes(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        set_role(&app, &admin, &ada, "editor", false).await;
        assert_eq!(app.app_status("/guarded/staff", &ada).await, 200);
        assert_eq!(app.app_status("/guarded/admin", &ada).await, 403);
        // Role names are exact.
        set_role(&app, &admin, &ada, "editor", true).await;
        set_role(&app, &admin, &ada, "Editor", false).await;
        assert_eq!(app.app_status("/guarded/staff", &ada).await, 403);
    })
    .await;
}

async fn permissions_pass_through_roles(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        set_role(&app, &admin, &ada, "editor", false).await;
        for path in ["/guarded/edit", "/layered/edit"] {
            assert_eq!(
                app.app_status(path, &ada).await,
                403,
                "{path}: the role has no permission yet"
            );
        }
        set_permission(&app, &admin, "editor", "posts:edit", false).await;
        for path in ["/guarded/edit", "/layered/edit"] {
            assert_eq!(app.app_status(path, &ada).await, 200, "{path}");
        }
        set_permission(&app, &admin, "editor", "posts:edit", true).await;
        for path in ["/guarded/edit", "/layered/edit"] {
            assert_eq!(
                app.app_status(path, &ada).await,
                403,
                "{path}: removed from the role"
            );
        }
        // The layer accepts any of its permissions; the extractor only its own.
        set_permission(&app, &admin, "editor", "posts:publish", false).await;
        assert_eq!(app.app_status("/layered/edit", &ada).await, 200);
        assert_eq!(app.app_status("/guarded/edit", &ada).await, 403);
        // A permission held through a role the user loses goes with it.
        set_role(&app, &admin, &ada, "editor", true).await;
        assert_eq!(app.app_status("/layered/edit", &ada).await, 403);
    })
    .await;
}

async fn superusers_pass_every_guard(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        for path in [
            "/guarded/admin",
            "/guarded/staff",
            "/guarded/edit",
            "/layered/admin",
            "/layered/edit",
        ] {
            assert_eq!(app.app_status(path, &admin).await, 200, "{path}");
        }
    })
    .await;
}

async fn privileged_fields_in_bodies_grant_nothing(backend: Backend) {
    run(backend, |app| async move {
        let body = json!({
            "email": "mallory@example.com", "password": PASSWORD,
            "roles": ["admin"], "is_superuser": true, "is_verified": true,
        });
        let registered = app.post("/register", body).await;
        assert!(matches!(registered.status, 201 | 202), "{registered:?}");
        let (mallory, _) = app.login("mallory@example.com", PASSWORD).await;
        let me = app.get("/me", &mallory).await;
        assert_eq!(
            (me.json["is_superuser"].clone(), me.json["roles"].clone()),
            (json!(false), json!([]))
        );

        let only_privileged = app
            .call(
                Method::PATCH,
                "/me",
                Some(&mallory),
                Some(json!({"roles": ["admin"], "is_superuser": true})),
            )
            .await;
        only_privileged.assert_detail(400, "No valid fields to update");
        let mixed = app
            .call(
                Method::PATCH,
                "/me",
                Some(&mallory),
                Some(json!({"roles": ["admin"], "is_superuser": true, "display_name": "M"})),
            )
            .await;
        assert_eq!(mixed.status, 200, "{mixed:?}");
        assert_eq!(
            (
                mixed.json["is_superuser"].clone(),
                mixed.json["roles"].clone()
            ),
            (json!(false), json!([]))
        );
        for path in ["/guarded/admin", "/layered/admin", "/guarded/edit"] {
            assert_eq!(app.app_status(path, &mallory).await, 403, "{path}");
        }
        let (again, _) = app.login("mallory@example.com", PASSWORD).await;
        assert_eq!(fullauth_tests::tokens::payload(&again)["roles"], json!([]));
    })
    .await;
}

async fn token_checks_trust_the_token_until_it_is_replaced(backend: Backend) {
    let token_mode = |config: &mut fullauth::FullAuthConfig| config.roles.check = RoleCheck::Token;
    run_with(backend, token_mode, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        assert_eq!(
            fullauth_tests::tokens::payload(&admin)["is_superuser"],
            true
        );
        assert_eq!(app.app_status("/guarded/edit", &admin).await, 200);

        let (ada, ada_refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        set_role(&app, &admin, &ada, "admin", false).await;
        set_permission(&app, &admin, "admin", "posts:edit", false).await;
        assert_eq!(
            app.app_status("/guarded/admin", &ada).await,
            403,
            "the token was issued before the role"
        );
        let refreshed = app
            .post("/refresh", json!({"refresh_token": ada_refresh}))
            .await;
        let fresh = refreshed.str("access_token");
        let claims = fullauth_tests::tokens::payload(&fresh);
        assert_eq!(
            (
                claims["roles"].clone(),
                claims["permissions"].clone(),
                claims["is_superuser"].clone()
            ),
            (json!(["admin"]), json!(["posts:edit"]), json!(false))
        );
        for path in [
            "/guarded/admin",
            "/layered/admin",
            "/guarded/edit",
            "/layered/edit",
        ] {
            assert_eq!(app.app_status(path, &fresh).await, 200, "{path}");
        }

        set_role(&app, &admin, &fresh, "admin", true).await;
        assert_eq!(
            app.app_status("/guarded/admin", &fresh).await,
            200,
            "stale until the token is replaced, as documented"
        );
        let (replaced, _) = app.login("ada@example.com", PASSWORD).await;
        assert_eq!(app.app_status("/guarded/admin", &replaced).await, 403);

        // Revocations still hold without the database: a signed-out token is refused.
        let logout = app
            .call(Method::POST, "/logout", Some(&fresh), Some(json!({})))
            .await;
        assert_eq!(logout.status, 204);
        assert_eq!(app.app_status("/guarded/admin", &fresh).await, 401);
    })
    .await;
}

/// fullauth as an application crate might re-export it.
mod reexported {
    pub use fullauth as auth;
}

fullauth::roles! {
    crate = self::reexported::auth;
    for fullauth_tests::models::User;
    /// Declared through a re-export.
    pub Auditor = "auditor" | "admin";
}

fullauth::permissions! {
    crate = crate::guards::reexported::auth;
    for fullauth_tests::models::User;
    pub ReadReports = "reports:read";
}

#[test]
fn guards_can_name_fullauth_through_a_re_export() {
    use fullauth::{PermissionRequirement, RoleRequirement};
    assert_eq!(Auditor::ROLES, ["auditor", "admin"]);
    assert_eq!(ReadReports::PERMISSIONS, ["reports:read"]);
}
