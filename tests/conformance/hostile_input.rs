//! Hostile input: every request gets a clear 4xx, none a 5xx, and nothing in the database changes.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp, tokens};
use reqwest::Method;
use serde_json::json;

use crate::run;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    text_the_database_cannot_store_is_refused,
    malformed_bodies_change_nothing,
    oversized_bodies_are_refused,
    forged_tokens_are_refused,
    look_alike_addresses_with_invisible_characters_are_refused
);

/// Counts of users, refresh tokens and live refresh tokens, to show that nothing changed.
async fn snapshot(app: &TestApp) -> (i64, i64, i64, Vec<Option<String>>) {
    let mut db = Connection::open(&app.db).await;
    let hash = db.password_hash("ada@example.com").await;
    (
        db.user_count().await,
        db.refresh_token_count().await,
        db.live_refresh_token_count().await,
        vec![hash],
    )
}

async fn malformed_bodies_change_nothing(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let before = snapshot(&app).await;
        for path in ["/register", "/login", "/refresh", "/logout", "/change-password"] {
            let invalid = app.post_raw(path, Some("application/json"), b"{\"email\": }".to_vec()).await;
            assert_eq!(invalid.status, 422, "{path}");
            assert_eq!(invalid.json["detail"][0]["type"], "json_invalid");
            assert_eq!(invalid.json["detail"][0]["loc"], json!(["body", 10]));
            let text = app.post_raw(path, Some("text/plain"), b"email=x".to_vec()).await;
            assert_eq!(text.status, 422, "{path}");
            assert_eq!(text.json["detail"][0]["type"], "model_attributes_type");
            let nested = app.post_raw(path, None, format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes()).await;
            assert_eq!(nested.status, 422, "{path}");
        }
        let empty = app.post_raw("/login", None, Vec::new()).await;
        assert_eq!(empty.json, json!({"detail": [{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}]}));
        for body in [json!([1, 2]), json!("text"), json!(null), json!(12)] {
            let response = app.post("/register", body).await;
            assert_eq!(response.status, 422);
        }
        let patch = app.call(Method::PATCH, "/me", Some(&access), Some(json!({"display_name": {"$ne": 1}}))).await;
        assert_eq!(patch.status, 422);
        assert_eq!(snapshot(&app).await, before);
    })
    .await;
}

async fn oversized_bodies_are_refused(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let before = snapshot(&app).await;
        let two_megabytes = 2 * 1024 * 1024;
        let (status, body) = app
            .send_oversized("POST", "/register", None, two_megabytes)
            .await;
        assert_eq!(
            (status, body.as_str()),
            (413, r#"{"detail":"Request body too large"}"#)
        );
        let (status, _) = app
            .send_oversized("PATCH", "/me", Some(&access), two_megabytes)
            .await;
        assert_eq!(status, 413);
        let response = app
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": "x".repeat(100_000)}),
            )
            .await;
        response.assert_unauthorized();
        assert_eq!(snapshot(&app).await, before);
    })
    .await;
}

async fn forged_tokens_are_refused(backend: Backend) {
    run(backend, |app| async move {
        let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let before = snapshot(&app).await;
        let header = tokens::header(&access);
        let claims = tokens::payload(&access);
        let mut string_exp = claims.clone();
        string_exp["exp"] = json!(string_exp["exp"].to_string());
        let mut expired = claims.clone();
        expired["exp"] = json!(claims["iat"].as_i64().unwrap() - 3600);
        let mut no_exp = claims.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        let mut as_refresh = claims.clone();
        as_refresh["type"] = json!("refresh");
        let mut other_subject = claims.clone();
        other_subject["sub"] = json!("not-a-uuid");
        let secret = fullauth_tests::app::SECRET.as_bytes();

        let forged = [
            access[..access.len() - 10].to_owned(),
            format!("{access}x"),
            access.replace('.', ""),
            tokens::sign(&header, &claims, b"another secret key, 32 bytes or more!!"),
            tokens::unsigned(&json!({"alg": "none", "typ": "JWT"}), &claims),
            tokens::unsigned(&json!({"alg": "NONE", "typ": "JWT"}), &claims),
            tokens::sign(&header, &string_exp, secret),
            tokens::sign(&header, &expired, secret),
            tokens::sign(&header, &no_exp, secret),
            tokens::sign(&header, &as_refresh, secret),
            tokens::sign(&header, &other_subject, secret),
            tokens::sign(
                &json!({"alg": "HS256", "typ": "JWT", "jku": "https://evil.example/keys"}),
                &claims,
                b"evil key evil key evil key evil key",
            ),
            refresh.clone(),
            "a".repeat(100_000),
            String::new(),
        ];
        for token in &forged {
            app.get("/me", token).await.assert_unauthorized();
        }
        assert_eq!(
            tokens::sign(&header, &claims, secret),
            access,
            "the forging helper signs like the server"
        );
        assert_eq!(snapshot(&app).await, before);
        assert_eq!(app.get("/me", &access).await.status, 200);
    })
    .await;
}

async fn text_the_database_cannot_store_is_refused(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let before = snapshot(&app).await;
        let nul = app
            .post(
                "/register",
                json!({"email": "b@example.com", "password": PASSWORD, "display_name": "a\u{0}b"}),
            )
            .await;
        assert_eq!(nul.status, 422);
        assert_eq!(nul.json["detail"][0]["type"], "string_nul");
        let patch = app
            .call(
                Method::PATCH,
                "/me",
                Some(&access),
                Some(json!({"display_name": "a\u{0}b"})),
            )
            .await;
        assert_eq!(patch.status, 422);
        let email = app
            .post(
                "/register",
                json!({"email": "a\u{0}@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(email.status, 422);
        app.assert_login_refused("a\u{0}@example.com", PASSWORD)
            .await;
        let long = format!("{}@{}.com", "İ".repeat(40), "x".repeat(60));
        let grows = app
            .post("/register", json!({"email": long, "password": PASSWORD}))
            .await;
        assert_eq!(
            grows.status, 422,
            "the address is too long once lower-cased"
        );
        let huge = format!("{}@example.com", "a".repeat(5000));
        app.assert_login_refused(&huge, PASSWORD).await;
        assert_eq!(snapshot(&app).await, before);
    })
    .await;
}

async fn look_alike_addresses_with_invisible_characters_are_refused(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let before = snapshot(&app).await;
        // Each looks like ada@example.com (or like nothing unusual) on screen.
        for look_alike in [
            "ada\u{200B}@example.com",
            "a\u{200D}da@example.com",
            "ad\u{00AD}a@example.com",
            "\u{FEFF}ada@example.com",
            "ada\u{2060}@example.com",
            "ada\u{202E}@example.com",
            "ada\u{2066}\u{2069}@example.com",
            "ada\u{0085}@example.com",
        ] {
            let registered = app
                .post(
                    "/register",
                    json!({"email": look_alike, "password": PASSWORD}),
                )
                .await;
            assert_eq!(registered.status, 422, "{look_alike:?}: {registered:?}");
            let reason = registered.json["detail"][0]["msg"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            assert!(reason.contains("invisible"), "{look_alike:?}: {reason}");
            // Nor does the look-alike reach the real account.
            app.assert_login_refused(look_alike, PASSWORD).await;
        }
        assert_eq!(snapshot(&app).await, before);
        assert_eq!(app.get("/me", &access).await.status, 200);
    })
    .await;
}
