//! The admin router: superusers only, fastapi-fullauth's role and permission routes, and the user administration
//! fullauth adds; concurrency and hostile input included.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::{Value, json};

use crate::{run, run_with};

crate::on_every_backend!(
    every_admin_route_needs_a_superuser,
    roles_are_assigned_and_removed_as_fastapi_fullauth_answers,
    parallel_identical_assignments_leave_one_link,
    unknown_users_are_404_and_change_nothing,
    malformed_admin_bodies_are_422_and_change_nothing,
    permissions_are_assigned_to_roles,
    roles_are_listed_with_their_permissions,
    users_are_listed_in_pages,
    deactivation_ends_every_session_at_once,
    the_access_token_and_the_user_json_carry_roles,
    superusers_are_created_once_and_never_promoted,
);

const PASSWORD: &str = "correct horse battery";

async fn admin_call(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> TestResponse {
    app.call(method, path, token, body).await
}

/// Every admin route with a body that is valid for `target`.
fn admin_routes(target: &Value) -> Vec<(Method, String, Option<Value>)> {
    let id = target
        .as_str()
        .map_or_else(|| target.to_string(), str::to_owned);
    vec![
        (
            Method::POST,
            "/admin/assign-role".into(),
            Some(json!({"user_id": target, "role": "editor"})),
        ),
        (
            Method::POST,
            "/admin/remove-role".into(),
            Some(json!({"user_id": target, "role": "editor"})),
        ),
        (
            Method::POST,
            "/admin/assign-permission".into(),
            Some(json!({"role": "editor", "permission": "posts:edit"})),
        ),
        (
            Method::POST,
            "/admin/remove-permission".into(),
            Some(json!({"role": "editor", "permission": "posts:edit"})),
        ),
        (Method::GET, "/admin/role-permissions/editor".into(), None),
        (Method::GET, "/admin/roles".into(), None),
        (Method::GET, "/admin/users".into(), None),
        (Method::GET, format!("/admin/users/{id}"), None),
        (Method::GET, format!("/admin/users/{id}/roles"), None),
        (Method::POST, format!("/admin/users/{id}/activate"), None),
        (Method::POST, format!("/admin/users/{id}/deactivate"), None),
    ]
}

async fn every_admin_route_needs_a_superuser(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (plain, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let (target, _) = app.signed_up("bob@example.com", PASSWORD).await;
        let target = app.user_id(&target).await;
        for (method, path, body) in admin_routes(&target) {
            admin_call(&app, method.clone(), &path, None, body.clone())
                .await
                .assert_unauthorized();
            admin_call(
                &app,
                method.clone(),
                &path,
                Some("not-a-token"),
                body.clone(),
            )
            .await
            .assert_unauthorized();
            admin_call(&app, method.clone(), &path, Some(&plain), body.clone())
                .await
                .assert_detail(403, "Not enough permissions");
            let allowed = admin_call(&app, method.clone(), &path, Some(&admin), body).await;
            assert_eq!(allowed.status, 200, "{method} {path}: {allowed:?}");
        }
    })
    .await;
}

async fn roles_are_assigned_and_removed_as_fastapi_fullauth_answers(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let id = app.user_id(&ada).await;
        let shown = id.as_str().unwrap().to_owned();
        let body = json!({"user_id": id, "role": "editor"});
        for _ in 0..2 {
            admin_call(
                &app,
                Method::POST,
                "/admin/assign-role",
                Some(&admin),
                Some(body.clone()),
            )
            .await
            .assert_detail(200, &format!("Role 'editor' assigned to user {shown}."));
        }
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.role_links("ada@example.com").await, vec!["editor"]);
        assert_eq!(db.roles_named("editor").await, 1);
        assert_eq!(
            app.get(&format!("/admin/users/{shown}/roles"), &admin)
                .await
                .json,
            json!(["editor"])
        );

        for _ in 0..2 {
            admin_call(
                &app,
                Method::POST,
                "/admin/remove-role",
                Some(&admin),
                Some(body.clone()),
            )
            .await
            .assert_detail(200, &format!("Role 'editor' removed from user {shown}."));
        }
        assert!(db.role_links("ada@example.com").await.is_empty());
        assert_eq!(db.roles_named("editor").await, 1, "the role itself stays");
        assert_eq!(
            app.get(&format!("/admin/users/{shown}/roles"), &admin)
                .await
                .json,
            json!([])
        );
    })
    .await;
}

async fn parallel_identical_assignments_leave_one_link(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let id = app.user_id(&ada).await;
        let body = json!({"user_id": id, "role": "admin"});
        let requests = (0..20).map(|_| {
            app.call(
                Method::POST,
                "/admin/assign-role",
                Some(&admin),
                Some(body.clone()),
            )
        });
        let answers = futures::future::join_all(requests).await;
        for answer in &answers {
            assert_eq!(answer.status, 200, "{answer:?}");
        }
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.role_links("ada@example.com").await, vec!["admin"]);
        assert_eq!(db.roles_named("admin").await, 1);
        assert_eq!(app.app_status("/guarded/admin", &ada).await, 200);
    })
    .await;
}

async fn unknown_users_are_404_and_change_nothing(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let nobody = uuid::Uuid::now_v7().to_string();
        for path in ["/admin/assign-role", "/admin/remove-role"] {
            admin_call(
                &app,
                Method::POST,
                path,
                Some(&admin),
                Some(json!({"user_id": nobody, "role": "admin"})),
            )
            .await
            .assert_detail(404, "User not found");
        }
        for (method, path) in [
            (Method::GET, format!("/admin/users/{nobody}")),
            (Method::GET, format!("/admin/users/{nobody}/roles")),
            (Method::POST, format!("/admin/users/{nobody}/activate")),
            (Method::POST, format!("/admin/users/{nobody}/deactivate")),
        ] {
            admin_call(&app, method, &path, Some(&admin), None)
                .await
                .assert_detail(404, "User not found");
        }
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.role_count().await, 0, "no role was created");
        assert_eq!(app.get("/admin/roles", &admin).await.json, json!([]));
    })
    .await;
}

async fn malformed_admin_bodies_are_422_and_change_nothing(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let id = app.user_id(&ada).await;
        let long = "x".repeat(101);
        let cases = [
            (
                json!({"user_id": "not-a-uuid", "role": "admin"}),
                "user_id",
                "uuid_parsing",
            ),
            (
                json!({"user_id": 42, "role": "admin"}),
                "user_id",
                "uuid_type",
            ),
            (json!({"role": "admin"}), "user_id", "missing"),
            (
                json!({"user_id": id, "role": ""}),
                "role",
                "string_too_short",
            ),
            (
                json!({"user_id": id, "role": long}),
                "role",
                "string_too_long",
            ),
            (
                json!({"user_id": id, "role": " admin"}),
                "role",
                "value_error",
            ),
            (
                json!({"user_id": id, "role": "ad\u{0}min"}),
                "role",
                "value_error",
            ),
            (
                json!({"user_id": id, "role": ["admin"]}),
                "role",
                "string_type",
            ),
            (json!({"user_id": id}), "role", "missing"),
        ];
        for (body, field, kind) in cases {
            for path in ["/admin/assign-role", "/admin/remove-role"] {
                let answer =
                    admin_call(&app, Method::POST, path, Some(&admin), Some(body.clone())).await;
                assert_eq!(answer.status, 422, "{body}: {answer:?}");
                let issue = &answer.json["detail"][0];
                assert_eq!(issue["loc"], json!(["body", field]), "{answer:?}");
                assert_eq!(issue["type"], kind, "{answer:?}");
            }
        }
        // Validation comes first, even without a token.
        let anonymous = admin_call(
            &app,
            Method::POST,
            "/admin/assign-permission",
            None,
            Some(json!({"role": "editor", "permission": ""})),
        )
        .await;
        assert_eq!(anonymous.status, 422);
        for body in [json!([]), json!("text"), Value::Null] {
            let answer = admin_call(
                &app,
                Method::POST,
                "/admin/assign-permission",
                Some(&admin),
                Some(body),
            )
            .await;
            assert_eq!(answer.status, 422, "{answer:?}");
        }
        for path in [
            "/admin/users?limit=0",
            "/admin/users?limit=201",
            "/admin/users?offset=-1",
            "/admin/users?limit=x",
        ] {
            let answer = app.get(path, &admin).await;
            assert_eq!(answer.status, 422, "{path}: {answer:?}");
            assert_eq!(answer.json["detail"][0]["loc"][0], "query");
        }
        let nul = app.get("/admin/users?email=a%00b", &admin).await;
        assert_eq!(nul.status, 422, "{nul:?}");
        assert_eq!(nul.json["detail"][0]["loc"], json!(["query", "email"]));
        assert_eq!(
            app.get("/admin/role-permissions/ad%00min", &admin)
                .await
                .json,
            json!([])
        );
        let huge = app
            .get(&format!("/admin/users?limit={}", "9".repeat(60)), &admin)
            .await;
        assert_eq!(huge.json["detail"][0]["type"], "less_than_equal");
        let answer = app.get("/admin/users/not-a-uuid", &admin).await;
        assert_eq!(answer.status, 422);
        assert_eq!(answer.json["detail"][0]["loc"], json!(["path", "user_id"]));

        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.role_count().await, 0);
        assert!(db.role_links("ada@example.com").await.is_empty());
    })
    .await;
}

async fn permissions_are_assigned_to_roles(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let body = json!({"role": "editor", "permission": "posts:edit"});
        for _ in 0..2 {
            admin_call(
                &app,
                Method::POST,
                "/admin/assign-permission",
                Some(&admin),
                Some(body.clone()),
            )
            .await
            .assert_detail(200, "Permission 'posts:edit' assigned to role 'editor'.");
        }
        admin_call(
            &app,
            Method::POST,
            "/admin/assign-permission",
            Some(&admin),
            Some(json!({"role": "editor", "permission": "posts:delete"})),
        )
        .await;
        assert_eq!(
            app.get("/admin/role-permissions/editor", &admin).await.json,
            json!(["posts:delete", "posts:edit"])
        );
        assert_eq!(
            app.get("/admin/role-permissions/nobody", &admin).await.json,
            json!([])
        );
        assert_eq!(
            app.get(
                &format!("/admin/role-permissions/{}", "x".repeat(300)),
                &admin
            )
            .await
            .json,
            json!([])
        );
        for _ in 0..2 {
            admin_call(
                &app,
                Method::POST,
                "/admin/remove-permission",
                Some(&admin),
                Some(body.clone()),
            )
            .await
            .assert_detail(200, "Permission 'posts:edit' removed from role 'editor'.");
        }
        assert_eq!(
            app.get("/admin/role-permissions/editor", &admin).await.json,
            json!(["posts:delete"])
        );
        // Names with spaces and punctuation travel in the path percent-encoded.
        admin_call(
            &app,
            Method::POST,
            "/admin/assign-permission",
            Some(&admin),
            Some(json!({"role": "content team/EU", "permission": "posts:edit"})),
        )
        .await;
        assert_eq!(
            app.get("/admin/role-permissions/content%20team%2FEU", &admin)
                .await
                .json,
            json!(["posts:edit"])
        );
    })
    .await;
}

async fn roles_are_listed_with_their_permissions(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let id = app.user_id(&ada).await;
        for (role, permission) in [
            ("editor", "posts:edit"),
            ("editor", "posts:publish"),
            ("auditor", "logs:read"),
        ] {
            app.call(
                Method::POST,
                "/admin/assign-permission",
                Some(&admin),
                Some(json!({"role": role, "permission": permission})),
            )
            .await;
        }
        app.call(
            Method::POST,
            "/admin/assign-role",
            Some(&admin),
            Some(json!({"user_id": id, "role": "support"})),
        )
        .await;
        assert_eq!(
            app.get("/admin/roles", &admin).await.json,
            json!([
                {"name": "auditor", "permissions": ["logs:read"]},
                {"name": "editor", "permissions": ["posts:edit", "posts:publish"]},
                {"name": "support", "permissions": []},
            ])
        );
    })
    .await;
}

async fn users_are_listed_in_pages(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        for name in ["ada", "bob", "carol"] {
            app.register(&format!("{name}@example.com"), PASSWORD).await;
        }
        let (bob, _) = app.login("bob@example.com", PASSWORD).await;
        let bob_id = app.user_id(&bob).await;
        app.call(
            Method::POST,
            "/admin/assign-role",
            Some(&admin),
            Some(json!({"user_id": bob_id, "role": "editor"})),
        )
        .await;

        let all = app.get("/admin/users", &admin).await;
        assert_eq!(
            (
                all.json["total"].clone(),
                all.json["limit"].clone(),
                all.json["offset"].clone()
            ),
            (json!(4), json!(50), json!(0))
        );
        let emails: Vec<&str> = all.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["email"].as_str().unwrap())
            .collect();
        assert_eq!(
            emails,
            [
                "root@example.com",
                "ada@example.com",
                "bob@example.com",
                "carol@example.com"
            ]
        );
        let bob_json = &all.json["items"][2];
        assert_eq!(bob_json["roles"], json!(["editor"]));
        assert!(bob_json.get("hashed_password").is_none());

        let page = app.get("/admin/users?limit=2&offset=1", &admin).await;
        let emails: Vec<&str> = page.json["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|user| user["email"].as_str().unwrap())
            .collect();
        assert_eq!(emails, ["ada@example.com", "bob@example.com"]);
        assert_eq!(page.json["total"], 4);

        let filtered = app.get("/admin/users?email=%20BOB%40", &admin).await;
        assert_eq!(filtered.json["total"], 1, "{filtered:?}");
        assert_eq!(filtered.json["items"][0]["email"], "bob@example.com");
        let far = app
            .get("/admin/users?offset=9223372036854775807&limit=200", &admin)
            .await;
        assert_eq!(
            (far.json["items"].clone(), far.json["total"].clone()),
            (json!([]), json!(4))
        );
        let wildcard = app.get("/admin/users?email=%25", &admin).await;
        assert_eq!(wildcard.json["total"], 0, "% is not a wildcard");

        let one = app
            .get(
                &format!("/admin/users/{}", bob_id.as_str().unwrap()),
                &admin,
            )
            .await;
        assert_eq!(one.json["email"], "bob@example.com");
        assert_eq!(one.json["roles"], json!(["editor"]));
    })
    .await;
}

async fn deactivation_ends_every_session_at_once(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, ada_refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let (second, _) = app.login("ada@example.com", PASSWORD).await;
        let id = app.user_id(&ada).await;
        let id = id.as_str().unwrap();

        let deactivated = app
            .call(
                Method::POST,
                &format!("/admin/users/{id}/deactivate"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(deactivated.status, 200, "{deactivated:?}");
        assert_eq!(deactivated.json["is_active"], false);
        app.get("/me", &ada).await.assert_unauthorized();
        app.get("/me", &second).await.assert_unauthorized();
        assert_eq!(
            app.get_app("/whoami", Some(&ada)).await.status,
            401,
            "access tokens are revoked"
        );
        app.post("/refresh", json!({"refresh_token": ada_refresh}))
            .await
            .assert_unauthorized();
        app.assert_login_refused("ada@example.com", PASSWORD).await;
        let mut db = Connection::open(&app.db).await;
        assert_eq!(
            db.live_refresh_token_count().await,
            1,
            "only the admin's session is left"
        );

        let activated = app
            .call(
                Method::POST,
                &format!("/admin/users/{id}/activate"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(activated.json["is_active"], true);
        let (again, _) = app.login("ada@example.com", PASSWORD).await;
        assert_eq!(app.get("/me", &again).await.status, 200);

        let own_id = app.user_id(&admin).await;
        app.call(
            Method::POST,
            &format!("/admin/users/{}/deactivate", own_id.as_str().unwrap()),
            Some(&admin),
            None,
        )
        .await
        .assert_detail(400, "You cannot deactivate your own account");
        assert_eq!(app.get("/me", &admin).await.status, 200);
    })
    .await;
}

async fn the_access_token_and_the_user_json_carry_roles(backend: Backend) {
    run(backend, |app| async move {
        let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
        let (ada, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        assert_eq!(fullauth_tests::tokens::payload(&ada)["roles"], json!([]));
        let id = app.user_id(&ada).await;
        for role in ["editor", "admin"] {
            app.call(
                Method::POST,
                "/admin/assign-role",
                Some(&admin),
                Some(json!({"user_id": id, "role": role})),
            )
            .await;
        }
        assert_eq!(
            app.get("/me", &ada).await.json["roles"],
            json!(["admin", "editor"])
        );
        let login = app
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(login.json["user"]["roles"], json!(["admin", "editor"]));
        let access = login.str("access_token");
        let claims = fullauth_tests::tokens::payload(&access);
        assert_eq!(claims["roles"], json!(["admin", "editor"]));
        assert!(
            claims.get("permissions").is_none(),
            "database checks keep tokens small"
        );
        let refreshed = app
            .post("/refresh", json!({"refresh_token": refresh}))
            .await;
        assert_eq!(
            fullauth_tests::tokens::payload(&refreshed.str("access_token"))["roles"],
            json!(["admin", "editor"])
        );
    })
    .await;
}

async fn superusers_are_created_once_and_never_promoted(backend: Backend) {
    run_with(
        backend,
        |_| {},
        |app| async move {
            let created = app
                .auth
                .create_superuser("Root@Example.com", PASSWORD)
                .await
                .unwrap();
            assert!(matches!(created, fullauth::SuperuserOutcome::Created(_)));
            let again = app
                .auth
                .create_superuser("root@example.com", "another password")
                .await
                .unwrap();
            assert!(matches!(
                again,
                fullauth::SuperuserOutcome::AlreadyExists(_)
            ));
            // The password was left alone.
            let (root, _) = app.login("root@example.com", PASSWORD).await;
            let me = app.get("/me", &root).await;
            assert_eq!(
                (
                    me.json["is_superuser"].clone(),
                    me.json["is_verified"].clone()
                ),
                (json!(true), json!(true))
            );

            app.register("taken@example.com", PASSWORD).await;
            let refused = app
                .auth
                .create_superuser("taken@example.com", PASSWORD)
                .await;
            assert!(refused.unwrap_err().to_string().contains("not a superuser"));
            let (taken, _) = app.login("taken@example.com", PASSWORD).await;
            assert_eq!(app.get("/me", &taken).await.json["is_superuser"], false);

            assert!(
                app.auth
                    .create_superuser("new@example.com", "short")
                    .await
                    .is_err()
            );
            assert!(
                app.auth
                    .create_superuser("not an email", PASSWORD)
                    .await
                    .is_err()
            );
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 2);
        },
    )
    .await;
}
