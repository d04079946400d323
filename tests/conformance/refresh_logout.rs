//! `POST /refresh` and `POST /logout`: rotation, reuse detection, sign-out.

use fullauth_tests::inspect::Connection;
use fullauth_tests::tokens;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    refresh_rotates_within_the_session,
    refresh_replay_revokes_the_whole_session,
    refresh_rejects_bad_input,
    refresh_without_rotation_keeps_the_refresh_token,
    refresh_refuses_an_inactive_user,
    logout_ends_the_session_and_only_it,
    logout_with_only_a_refresh_token,
    logout_without_any_valid_token_is_401,
    logout_refuses_a_used_or_revoked_refresh_token_alone,
);

async fn refresh_rotates_within_the_session(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let response = app
            .post("/refresh", json!({"refresh_token": refresh}))
            .await;
        assert_eq!(response.status, 200);
        assert_eq!(
            response.header("cache-control").as_deref(),
            Some("no-store")
        );
        let keys: Vec<&str> = response
            .json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            ["access_token", "refresh_token", "token_type", "expires_in"]
        );
        let new_refresh = response.str("refresh_token");
        assert_ne!(new_refresh, refresh);
        let (old_claims, new_claims) = (
            tokens::payload(&access),
            tokens::payload(&response.str("access_token")),
        );
        assert_eq!(old_claims["family_id"], new_claims["family_id"]);
        assert_eq!(
            old_claims["auth_time"], new_claims["auth_time"],
            "refreshing is not signing in"
        );
        assert_eq!(
            app.get("/me", &response.str("access_token")).await.status,
            200
        );
        let mut db = Connection::open(&app.db).await;
        assert_eq!(
            (
                db.refresh_token_count().await,
                db.live_refresh_token_count().await
            ),
            (2, 1)
        );
        let again = app
            .post("/refresh", json!({"refresh_token": new_refresh}))
            .await;
        assert_eq!(again.status, 200);
    })
    .await;
}

async fn refresh_replay_revokes_the_whole_session(backend: Backend) {
    run(backend, |app| async move {
        let (first_access, first_refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let (other_access, other_refresh) = app.login("ada@example.com", PASSWORD).await;
        let rotated = app
            .post("/refresh", json!({"refresh_token": first_refresh}))
            .await;
        let (second_access, second_refresh) =
            (rotated.str("access_token"), rotated.str("refresh_token"));

        app.post("/refresh", json!({"refresh_token": first_refresh}))
            .await
            .assert_unauthorized();

        app.post("/refresh", json!({"refresh_token": second_refresh}))
            .await
            .assert_unauthorized();
        app.get("/me", &second_access).await.assert_unauthorized();
        app.get("/me", &first_access).await.assert_unauthorized();
        assert_eq!(
            app.get("/me", &other_access).await.status,
            200,
            "another session is unaffected"
        );
        assert_eq!(
            app.post("/refresh", json!({"refresh_token": other_refresh}))
                .await
                .status,
            200
        );
        assert_eq!(
            Connection::open(&app.db)
                .await
                .live_refresh_token_count()
                .await,
            1
        );
    })
    .await;
}

async fn refresh_rejects_bad_input(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        app.call(Method::POST, "/refresh", None, None)
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({})).await.assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": null}))
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": ""}))
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": "garbage"}))
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": access}))
            .await
            .assert_unauthorized();
        let wrong_type = app.post("/refresh", json!({"refresh_token": 12})).await;
        assert_eq!(wrong_type.status, 422);
        assert_eq!(wrong_type.json["detail"][0]["type"], "string_type");
    })
    .await;
}

async fn refresh_without_rotation_keeps_the_refresh_token(backend: Backend) {
    run_with(
        backend,
        |config| config.tokens.refresh_token_rotation = false,
        |app| async move {
            let (_, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
            for _ in 0..2 {
                let response = app
                    .post("/refresh", json!({"refresh_token": refresh}))
                    .await;
                assert_eq!(response.status, 200);
                assert_eq!(response.str("refresh_token"), refresh);
                assert_eq!(
                    app.get("/me", &response.str("access_token")).await.status,
                    200
                );
            }
        },
    )
    .await;
}

async fn refresh_refuses_an_inactive_user(backend: Backend) {
    run(backend, |app| async move {
        let (_, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let mut db = Connection::open(&app.db).await;
        db.set_active("ada@example.com", false).await;
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        db.set_active("ada@example.com", true).await;
        assert_eq!(
            app.post("/refresh", json!({"refresh_token": refresh}))
                .await
                .status,
            200,
            "nothing was used up"
        );
    })
    .await;
}

async fn logout_ends_the_session_and_only_it(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let (other_access, other_refresh) = app.login("ada@example.com", PASSWORD).await;
        let rotated = app
            .post("/refresh", json!({"refresh_token": refresh}))
            .await;
        let (newer_access, newer_refresh) =
            (rotated.str("access_token"), rotated.str("refresh_token"));

        let response = app
            .call(Method::POST, "/logout", Some(&newer_access), None)
            .await;
        assert_eq!(response.status, 204);
        assert!(response.text.is_empty());
        app.get("/me", &newer_access).await.assert_unauthorized();
        app.get("/me", &access).await.assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": newer_refresh}))
            .await
            .assert_unauthorized();
        assert_eq!(app.get("/me", &other_access).await.status, 200);
        assert_eq!(
            app.post("/refresh", json!({"refresh_token": other_refresh}))
                .await
                .status,
            200
        );
    })
    .await;
}

async fn logout_with_only_a_refresh_token(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let response = app.post("/logout", json!({"refresh_token": refresh})).await;
        assert_eq!(response.status, 204);
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        app.get("/me", &access).await.assert_unauthorized();
    })
    .await;
}

async fn logout_without_any_valid_token_is_401(backend: Backend) {
    run(backend, |app: TestApp| async move {
        app.call(Method::POST, "/logout", None, None)
            .await
            .assert_unauthorized();
        app.call(
            Method::POST,
            "/logout",
            Some("not-a-token"),
            Some(json!({"refresh_token": "nope"})),
        )
        .await
        .assert_unauthorized();
    })
    .await;
}

async fn logout_refuses_a_used_or_revoked_refresh_token_alone(backend: Backend) {
    run(backend, |app| async move {
        let (_, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let rotated = app
            .post("/refresh", json!({"refresh_token": refresh}))
            .await;
        app.post("/logout", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        let newer = rotated.str("refresh_token");
        assert_eq!(
            app.post("/logout", json!({"refresh_token": newer}))
                .await
                .status,
            204
        );
        app.post("/logout", json!({"refresh_token": newer}))
            .await
            .assert_unauthorized();
        let (_, other) = app.login("ada@example.com", PASSWORD).await;
        assert_eq!(
            app.post("/refresh", json!({"refresh_token": other}))
                .await
                .status,
            200,
            "a replay of a signed-out token revokes nothing else"
        );
    })
    .await;
}
