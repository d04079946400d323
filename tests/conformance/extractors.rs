//! The extractors an application uses on its own routes, and the answers around the routers.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use serde_json::json;

use crate::run;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    current_user_on_an_application_route,
    verified_and_super_user_guards,
    optional_user_is_none_without_a_valid_token,
    access_claims_need_no_user_lookup,
    inactive_users_get_401_everywhere,
    unknown_paths_and_methods_answer_like_fastapi,
);

async fn current_user_on_an_application_route(backend: Backend) {
    run(backend, |app| async move {
        app.get_app("/profile", None).await.assert_unauthorized();
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let profile = app.get_app("/profile", Some(&access)).await;
        assert_eq!(profile.status, 200);
        assert_eq!(profile.json["email"], "ada@example.com");
    })
    .await;
}

async fn verified_and_super_user_guards(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        app.get_app("/dashboard", Some(&access))
            .await
            .assert_detail(403, "Not enough permissions");
        app.get_app("/admin", Some(&access))
            .await
            .assert_detail(403, "Not enough permissions");
        app.get_app("/dashboard", None).await.assert_unauthorized();
        let mut db = Connection::open(&app.db).await;
        db.set_verified("ada@example.com", true).await;
        db.set_superuser("ada@example.com", true).await;
        assert_eq!(
            app.get_app("/dashboard", Some(&access)).await.json,
            json!({"email": "ada@example.com"})
        );
        assert_eq!(
            app.get_app("/admin", Some(&access)).await.json,
            json!({"admin": "ada@example.com"})
        );
        db.set_superuser("ada@example.com", false).await;
        app.get_app("/admin", Some(&access))
            .await
            .assert_detail(403, "Not enough permissions");
    })
    .await;
}

async fn optional_user_is_none_without_a_valid_token(backend: Backend) {
    run(backend, |app| async move {
        assert_eq!(
            app.get_app("/greeting", None).await.json,
            json!({"user": null})
        );
        assert_eq!(
            app.get_app("/greeting", Some("not-a-token")).await.json,
            json!({"user": null})
        );
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        assert_eq!(
            app.get_app("/greeting", Some(&access)).await.json,
            json!({"user": "ada@example.com"})
        );
    })
    .await;
}

async fn access_claims_need_no_user_lookup(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let claims = fullauth_tests::tokens::payload(&access);
        let whoami = app.get_app("/whoami", Some(&access)).await;
        assert_eq!(
            whoami.json,
            json!({"sub": claims["sub"], "family_id": claims["family_id"]})
        );
        app.get_app("/whoami", None).await.assert_unauthorized();
        app.call(reqwest::Method::POST, "/logout", Some(&access), None)
            .await;
        app.get_app("/whoami", Some(&access))
            .await
            .assert_unauthorized();
    })
    .await;
}

async fn inactive_users_get_401_everywhere(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        Connection::open(&app.db)
            .await
            .set_active("ada@example.com", false)
            .await;
        app.get("/me", &access).await.assert_unauthorized();
        app.get_app("/profile", Some(&access))
            .await
            .assert_unauthorized();
        app.get_app("/dashboard", Some(&access))
            .await
            .assert_unauthorized();
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
        let patch = app
            .call(
                reqwest::Method::PATCH,
                "/me",
                Some(&access),
                Some(json!({"display_name": "x"})),
            )
            .await;
        patch.assert_unauthorized();
    })
    .await;
}

async fn unknown_paths_and_methods_answer_like_fastapi(backend: Backend) {
    run(backend, |app| async move {
        let missing = app.get_app("/nowhere", None).await;
        missing.assert_detail(404, "Not Found");
        let wrong_method = app.call(reqwest::Method::GET, "/login", None, None).await;
        wrong_method.assert_detail(405, "Method Not Allowed");
    })
    .await;
}
