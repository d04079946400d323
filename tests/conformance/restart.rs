//! Revocations live in the database: they hold on another instance, and after a restart, even though the
//! in-memory shared state starts empty.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use reqwest::Method;
use serde_json::json;

use crate::run;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    a_sign_out_holds_after_a_restart,
    a_password_change_holds_after_a_restart,
    a_replay_revocation_holds_after_a_restart,
    a_deactivated_user_is_refused_by_every_instance,
);

async fn a_sign_out_holds_after_a_restart(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let (other_access, _) = app.login("ada@example.com", PASSWORD).await;
        assert_eq!(
            app.call(Method::POST, "/logout", Some(&access), None)
                .await
                .status,
            204
        );
        let restarted = app.another_instance().await;
        restarted.get("/me", &access).await.assert_unauthorized();
        restarted
            .post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        assert_eq!(
            restarted.get("/me", &other_access).await.status,
            200,
            "other sessions go on"
        );
    })
    .await;
}

async fn a_password_change_holds_after_a_restart(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let (other_access, _) = app.login("ada@example.com", PASSWORD).await;
        let body = json!({"current_password": PASSWORD, "new_password": "a brand new secret"});
        let changed = app
            .call(Method::POST, "/change-password", Some(&access), Some(body))
            .await;
        assert_eq!(changed.status, 200);
        let restarted = app.another_instance().await;
        for token in [&access, &other_access] {
            restarted.get("/me", token).await.assert_unauthorized();
            restarted
                .get_app("/profile", Some(token))
                .await
                .assert_unauthorized();
        }
    })
    .await;
}

async fn a_replay_revocation_holds_after_a_restart(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let rotated = app
            .post("/refresh", json!({"refresh_token": refresh}))
            .await;
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        let restarted = app.another_instance().await;
        restarted.get("/me", &access).await.assert_unauthorized();
        restarted
            .get("/me", &rotated.str("access_token"))
            .await
            .assert_unauthorized();
        restarted
            .post(
                "/refresh",
                json!({"refresh_token": rotated.str("refresh_token")}),
            )
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn a_deactivated_user_is_refused_by_every_instance(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let second = app.another_instance().await;
        assert_eq!(
            second.get("/me", &access).await.status,
            200,
            "sessions are shared"
        );
        Connection::open(&app.db)
            .await
            .set_active("ada@example.com", false)
            .await;
        app.get("/me", &access).await.assert_unauthorized();
        second.get("/me", &access).await.assert_unauthorized();
    })
    .await;
}
