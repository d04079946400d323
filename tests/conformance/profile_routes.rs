//! `GET /me`, `GET /me/verified`, `PATCH /me`, `DELETE /me`, `POST /change-password`.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use reqwest::Method;
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    me_returns_the_public_user,
    me_requires_a_bearer_token,
    me_verified_requires_a_verified_email,
    patch_me_updates_custom_fields,
    patch_me_refuses_empty_and_protected_only_bodies,
    patch_me_reports_unknown_fields_sorted,
    patch_me_validates_types_then_constraints,
    patch_me_drops_protected_fields_mixed_with_valid_ones,
    delete_me_after_a_recent_sign_in,
    delete_me_checks_the_password_when_given,
    delete_me_requires_reauthentication_when_stale,
    change_password_ends_every_session,
    change_password_refuses_a_wrong_current_password,
    change_password_validates_the_body_and_policy,
);

async fn me_returns_the_public_user(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let me = app.get("/me", &access).await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json["email"], "ada@example.com");
        assert_eq!(
            me.json["id"],
            fullauth_tests::tokens::payload(&access)["sub"]
        );
        assert!(me.json.get("hashed_password").is_none());
        assert!(me.json.get("internal_note").is_none());
    })
    .await;
}

async fn me_requires_a_bearer_token(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let url = app.auth_url("/me");
        for header in [
            None,
            Some("Basic YWRhOnB3".to_owned()),
            Some("Bearer".to_owned()),
            Some(format!("Token {access}")),
        ] {
            let mut request = app.client.get(&url);
            if let Some(header) = header {
                request = request.header("authorization", header);
            }
            fullauth_tests::TestResponse::read(request.send().await.unwrap())
                .await
                .assert_unauthorized();
        }
        let lower = app
            .client
            .get(&url)
            .header("authorization", format!("bearer {access}"))
            .send()
            .await
            .unwrap();
        assert_eq!(lower.status(), 200, "the scheme is case-insensitive");
    })
    .await;
}

async fn me_verified_requires_a_verified_email(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        app.get("/me/verified", &access)
            .await
            .assert_detail(403, "Not enough permissions");
        Connection::open(&app.db)
            .await
            .set_verified("ada@example.com", true)
            .await;
        let verified = app.get("/me/verified", &access).await;
        assert_eq!(verified.status, 200);
        assert_eq!(verified.json["is_verified"], true);
        app.call(Method::GET, "/me/verified", None, None)
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn patch_me_updates_custom_fields(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let body = json!({"display_name": "Ada L.", "age": 37, "nickname": "countess", "newsletter": "yes",
                          "last_seen_at": "2026-01-02T03:04:05.123456Z"});
        let response = app.call(Method::PATCH, "/me", Some(&access), Some(body)).await;
        assert_eq!(response.status, 200, "{response:?}");
        assert_eq!(response.json["display_name"], "Ada L.");
        assert_eq!(response.json["age"], 37);
        assert_eq!(response.json["newsletter"], true);
        assert_eq!(response.json["last_seen_at"], "2026-01-02T03:04:05.123456Z");
        let me = app.get("/me", &access).await;
        assert_eq!(me.json, response.json, "the update is stored");
        let cleared = app.call(Method::PATCH, "/me", Some(&access), Some(json!({"nickname": null}))).await;
        assert_eq!(cleared.json["nickname"], serde_json::Value::Null);
        assert_eq!(cleared.json["display_name"], "Ada L.");
    })
    .await;
}

async fn patch_me_refuses_empty_and_protected_only_bodies(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        for body in [
            json!({}),
            json!({"is_superuser": true, "email": "x@example.com"}),
            json!({"plan": "gold"}),
        ] {
            app.call(Method::PATCH, "/me", Some(&access), Some(body))
                .await
                .assert_detail(400, "No valid fields to update");
        }
        let me = app.get("/me", &access).await;
        assert_eq!(
            (me.json["is_superuser"].clone(), me.json["plan"].clone()),
            (json!(false), json!("free"))
        );
        app.call(
            Method::PATCH,
            "/me",
            None,
            Some(json!({"display_name": "x"})),
        )
        .await
        .assert_unauthorized();
    })
    .await;
}

async fn patch_me_reports_unknown_fields_sorted(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let body = json!({"zeta": 1, "display_name": "x", "alpha": 2, "internal_note": "sneaky"});
        let response = app
            .call(Method::PATCH, "/me", Some(&access), Some(body))
            .await;
        response.assert_detail(422, "Unknown fields: alpha, internal_note, zeta");
        assert_eq!(app.get("/me", &access).await.json["display_name"], "");
    })
    .await;
}

async fn patch_me_validates_types_then_constraints(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let wrong_type = app
            .call(
                Method::PATCH,
                "/me",
                Some(&access),
                Some(json!({"age": "old"})),
            )
            .await;
        assert_eq!(wrong_type.status, 422);
        assert_eq!(wrong_type.json["detail"][0]["loc"], json!(["body", "age"]));
        let too_long = app
            .call(
                Method::PATCH,
                "/me",
                Some(&access),
                Some(json!({"display_name": "x".repeat(101)})),
            )
            .await;
        assert_eq!(too_long.status, 422);
        assert_eq!(too_long.json["detail"][0]["type"], "string_too_long");
        assert_eq!(too_long.json["detail"][0]["loc"], json!(["display_name"]));
        let null = app
            .call(
                Method::PATCH,
                "/me",
                Some(&access),
                Some(json!({"display_name": null})),
            )
            .await;
        assert_eq!(null.status, 422);
        assert_eq!(null.json["detail"][0]["type"], "string_type");
        assert_eq!(null.json["detail"][0]["loc"], json!(["display_name"]));
        let array = app
            .call(
                Method::PATCH,
                "/me",
                Some(&access),
                Some(json!(["display_name"])),
            )
            .await;
        assert_eq!(array.json["detail"][0]["type"], "model_attributes_type");
        assert_eq!(app.get("/me", &access).await.json["display_name"], "");
    })
    .await;
}

async fn patch_me_drops_protected_fields_mixed_with_valid_ones(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let body = json!({"display_name": "Ada", "is_superuser": true, "is_verified": true, "email": "eve@example.com",
                          "roles": ["admin"], "plan": "gold", "password": "hijacked1"});
        let response = app.call(Method::PATCH, "/me", Some(&access), Some(body)).await;
        assert_eq!(response.status, 200);
        assert_eq!(response.json["display_name"], "Ada");
        assert_eq!(response.json["is_superuser"], false);
        assert_eq!(response.json["is_verified"], false);
        assert_eq!(response.json["email"], "ada@example.com");
        assert_eq!(response.json["plan"], "free");
        app.login("ada@example.com", PASSWORD).await;
    })
    .await;
}

async fn delete_me_after_a_recent_sign_in(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        app.signed_up("bob@example.com", PASSWORD).await;
        let response = app.call(Method::DELETE, "/me", Some(&access), None).await;
        assert_eq!(response.status, 204);
        assert!(response.text.is_empty());
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.emails().await, vec!["bob@example.com"]);
        assert_eq!(
            db.refresh_token_count().await,
            1,
            "the user's refresh tokens went with it"
        );
        app.get("/me", &access).await.assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        app.assert_login_refused("ada@example.com", PASSWORD).await;
    })
    .await;
}

async fn delete_me_checks_the_password_when_given(backend: Backend) {
    run_with(
        backend,
        |config| config.sign_in.reauth_max_age_seconds = 0,
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let wrong = app
                .call(
                    Method::DELETE,
                    "/me",
                    Some(&access),
                    Some(json!({"current_password": "nope nope"})),
                )
                .await;
            wrong.assert_detail(403, "Current password is incorrect");
            let typed = app
                .call(
                    Method::DELETE,
                    "/me",
                    Some(&access),
                    Some(json!({"current_password": 5})),
                )
                .await;
            assert_eq!(typed.status, 422);
            assert_eq!(Connection::open(&app.db).await.user_count().await, 1);
            let right = app
                .call(
                    Method::DELETE,
                    "/me",
                    Some(&access),
                    Some(json!({"current_password": PASSWORD})),
                )
                .await;
            assert_eq!(right.status, 204);
            assert_eq!(Connection::open(&app.db).await.user_count().await, 0);
        },
    )
    .await;
}

async fn delete_me_requires_reauthentication_when_stale(backend: Backend) {
    run_with(
        backend,
        |config| config.sign_in.reauth_max_age_seconds = 0,
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            app.call(Method::DELETE, "/me", Some(&access), None)
                .await
                .assert_detail(403, "Re-authentication required");
            app.call(
                Method::DELETE,
                "/me",
                Some(&access),
                Some(json!({"current_password": ""})),
            )
            .await
            .assert_detail(403, "Re-authentication required");
            assert_eq!(Connection::open(&app.db).await.user_count().await, 1);
        },
    )
    .await;
}

async fn change_password_ends_every_session(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let (other_access, other_refresh) = app.login("ada@example.com", PASSWORD).await;
        let (bob_access, _) = app.signed_up("bob@example.com", PASSWORD).await;
        let body = json!({"current_password": PASSWORD, "new_password": "a brand new secret"});
        let response = app
            .call(Method::POST, "/change-password", Some(&access), Some(body))
            .await;
        response.assert_detail(200, "Password changed successfully.");
        for token in [&access, &other_access] {
            app.get("/me", token).await.assert_unauthorized();
        }
        for token in [&refresh, &other_refresh] {
            app.post("/refresh", json!({"refresh_token": token}))
                .await
                .assert_unauthorized();
        }
        app.assert_login_refused("ada@example.com", PASSWORD).await;
        app.login("ada@example.com", "a brand new secret").await;
        assert_eq!(
            app.get("/me", &bob_access).await.status,
            200,
            "other users keep their sessions"
        );
    })
    .await;
}

async fn change_password_refuses_a_wrong_current_password(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        for body in [
            json!({"current_password": "not it at all", "new_password": "a brand new secret"}),
            json!({"new_password": "a brand new secret"}),
            json!({"current_password": null, "new_password": "a brand new secret"}),
            json!({"current_password": "x".repeat(5000), "new_password": "a brand new secret"}),
        ] {
            let response = app
                .call(Method::POST, "/change-password", Some(&access), Some(body))
                .await;
            response.assert_detail(400, "Current password is incorrect");
        }
        assert_eq!(app.get("/me", &access).await.status, 200);
        app.login("ada@example.com", PASSWORD).await;
    })
    .await;
}

async fn change_password_validates_the_body_and_policy(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let missing = app
            .call(
                Method::POST,
                "/change-password",
                Some(&access),
                Some(json!({"current_password": PASSWORD})),
            )
            .await;
        assert_eq!(missing.status, 422);
        assert_eq!(
            missing.json["detail"][0]["loc"],
            json!(["body", "new_password"])
        );
        let short = json!({"current_password": PASSWORD, "new_password": "short"});
        app.call(Method::POST, "/change-password", Some(&access), Some(short))
            .await
            .assert_detail(422, "Password must be at least 8 characters");
        app.call(
            Method::POST,
            "/change-password",
            None,
            Some(json!({"current_password": PASSWORD, "new_password": "long enough"})),
        )
        .await
        .assert_unauthorized();
        app.login("ada@example.com", PASSWORD).await;
    })
    .await;
}
