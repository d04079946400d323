//! `POST /register` and `POST /login`.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use fullauth_tests::models::PUBLIC_USER_KEYS;
use fullauth_tests::tokens;
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";
const REGISTERED: &str = "If this email isn't already registered, the account has been created.";

crate::on_every_backend!(
    register_answers_202_and_stores_a_normalized_user,
    register_answers_the_same_for_a_taken_email,
    register_without_enumeration_protection_answers_201_then_409,
    register_stores_custom_fields_with_defaults,
    register_ignores_privileged_and_read_only_fields,
    register_reports_every_invalid_field,
    register_enforces_the_password_policy,
    login_returns_tokens_and_the_user,
    login_failures_are_indistinguishable,
    login_accepts_any_case_and_surrounding_spaces,
    login_field_name_is_configurable,
    login_reports_missing_fields,
    failed_sign_ins_and_taken_emails_cost_one_hash_like_the_rest,
);

async fn register_answers_202_and_stores_a_normalized_user(backend: Backend) {
    run(backend, |app| async move {
        let response = app
            .post(
                "/register",
                json!({"email": "  Ada@Example.COM ", "password": PASSWORD}),
            )
            .await;
        response.assert_detail(202, REGISTERED);
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.emails().await, vec!["ada@example.com"]);
        let hash = db.password_hash("ada@example.com").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(!hash.contains(PASSWORD));
    })
    .await;
}

async fn register_answers_the_same_for_a_taken_email(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let mut db = Connection::open(&app.db).await;
        let hash = db.password_hash("ada@example.com").await;
        let again = app
            .post(
                "/register",
                json!({"email": "ADA@example.com", "password": "another password"}),
            )
            .await;
        again.assert_detail(202, REGISTERED);
        assert_eq!(db.user_count().await, 1);
        assert_eq!(
            db.password_hash("ada@example.com").await,
            hash,
            "the existing account must be untouched"
        );
        app.login("ada@example.com", PASSWORD).await;
    })
    .await;
}

async fn register_without_enumeration_protection_answers_201_then_409(backend: Backend) {
    run_with(
        backend,
        |config| config.sign_in.prevent_registration_enumeration = false,
        |app| async move {
            let created = app
                .post(
                    "/register",
                    json!({"email": "ada@example.com", "password": PASSWORD}),
                )
                .await;
            assert_eq!(created.status, 201);
            assert_eq!(created.json["email"], "ada@example.com");
            assert_eq!(created.json["is_active"], true);
            assert_eq!(created.json["is_verified"], false);
            assert_eq!(created.json["is_superuser"], false);
            assert!(uuid::Uuid::parse_str(created.json["id"].as_str().unwrap()).is_ok());
            assert!(created.json.get("hashed_password").is_none());
            let duplicate = app
                .post(
                    "/register",
                    json!({"email": "Ada@Example.com", "password": PASSWORD}),
                )
                .await;
            duplicate.assert_detail(409, "A user with this email already exists");
        },
    )
    .await;
}

async fn register_stores_custom_fields_with_defaults(backend: Backend) {
    run(backend, |app| async move {
        let body = json!({
            "email": "ada@example.com", "password": PASSWORD,
            "display_name": "Ada", "age": "36", "nickname": null, "newsletter": true,
        });
        app.post("/register", body)
            .await
            .assert_detail(202, REGISTERED);
        let (access, _) = app.login("ada@example.com", PASSWORD).await;
        let me = app.get("/me", &access).await;
        assert_eq!(me.status, 200);
        let keys: Vec<&str> = me
            .json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys, PUBLIC_USER_KEYS,
            "public fields in declaration order, hidden ones left out"
        );
        assert_eq!(me.json["display_name"], "Ada");
        assert_eq!(me.json["phone"], "");
        assert_eq!(me.json["age"], 36);
        assert_eq!(me.json["nickname"], serde_json::Value::Null);
        assert_eq!(me.json["newsletter"], true);
        assert_eq!(me.json["plan"], "free");
    })
    .await;
}

async fn register_ignores_privileged_and_read_only_fields(backend: Backend) {
    run(backend, |app| async move {
        let body = json!({
            "email": "eve@example.com", "password": PASSWORD,
            "is_superuser": true, "is_verified": true, "is_active": false, "roles": ["admin"],
            "id": "00000000-0000-0000-0000-000000000001", "hashed_password": "x", "created_at": "2000-01-01T00:00:00Z",
            "plan": "enterprise", "internal_note": "vip",
        });
        app.post("/register", body).await.assert_detail(202, REGISTERED);
        let (access, _) = app.login("eve@example.com", PASSWORD).await;
        let me = app.get("/me", &access).await;
        assert_eq!(me.json["is_superuser"], false);
        assert_eq!(me.json["is_verified"], false);
        assert_eq!(me.json["is_active"], true);
        assert_eq!(me.json["plan"], "free");
        assert_ne!(me.json["id"], "00000000-0000-0000-0000-000000000001");
        assert_eq!(me.json["roles"], json!([]), "no role comes from the body");
        let created_at = Connection::open(&app.db).await.user_created_at("eve@example.com").await;
        assert!(created_at.year() >= 2026);
    })
    .await;
}

async fn register_reports_every_invalid_field(backend: Backend) {
    run(backend, |app| async move {
        let empty = app.post("/register", json!({})).await;
        assert_eq!(empty.status, 422);
        assert_eq!(
            empty.json,
            json!({"detail": [
                {"type": "missing", "loc": ["body", "email"], "msg": "Field required", "input": {}},
                {"type": "missing", "loc": ["body", "password"], "msg": "Field required", "input": {}},
            ]})
        );

        let wrong = app.post("/register", json!({"email": 42, "password": ["x"]})).await;
        assert_eq!(wrong.status, 422);
        assert_eq!(wrong.json["detail"][0]["type"], "string_type");
        assert_eq!(wrong.json["detail"][0]["input"], 42);
        assert_eq!(wrong.json["detail"][1]["loc"], json!(["body", "password"]));

        let bad_email = app.post("/register", json!({"email": "not-an-email", "password": PASSWORD})).await;
        assert_eq!(
            bad_email.json,
            json!({"detail": [{
                "type": "value_error", "loc": ["body", "email"],
                "msg": "value is not a valid email address: An email address must have an @-sign.",
                "input": "not-an-email", "ctx": {"reason": "An email address must have an @-sign."},
            }]})
        );

        let too_long = app
            .post("/register", json!({"email": "a@example.com", "password": PASSWORD, "phone": "1".repeat(21), "age": "x"}))
            .await;
        assert_eq!(
            too_long.json,
            json!({"detail": [
                {"type": "string_too_long", "loc": ["body", "phone"], "msg": "String should have at most 20 characters",
                 "input": "1".repeat(21), "ctx": {"max_length": 20}},
                {"type": "int_parsing", "loc": ["body", "age"],
                 "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"},
            ]})
        );

        assert_eq!(Connection::open(&app.db).await.user_count().await, 0);
    })
    .await;
}

async fn register_enforces_the_password_policy(backend: Backend) {
    run(backend, |app| async move {
        let short = app
            .post(
                "/register",
                json!({"email": "a@example.com", "password": "short"}),
            )
            .await;
        short.assert_detail(422, "Password must be at least 8 characters");
        let huge = app
            .post(
                "/register",
                json!({"email": "a@example.com", "password": "x".repeat(100_000)}),
            )
            .await;
        huge.assert_detail(422, "Password must be at most 4096 characters");
        let unicode = app
            .post(
                "/register",
                json!({"email": "u@example.com", "password": "  пароль🔑  "}),
            )
            .await;
        unicode.assert_detail(202, REGISTERED);
        app.login("u@example.com", "  пароль🔑  ").await;
        let trimmed = app
            .post(
                "/login",
                json!({"email": "u@example.com", "password": "пароль🔑"}),
            )
            .await;
        trimmed.assert_unauthorized();
        assert_eq!(Connection::open(&app.db).await.user_count().await, 1);
    })
    .await;
}

async fn login_returns_tokens_and_the_user(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let response = app
            .post(
                "/login",
                json!({"email": "ada@example.com", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status, 200);
        assert_eq!(response.json["token_type"], "bearer");
        assert_eq!(response.json["expires_in"], 1800);
        assert_eq!(response.json["user"]["email"], "ada@example.com");
        assert!(response.json["user"].get("hashed_password").is_none());
        assert_eq!(
            response.header("cache-control").as_deref(),
            Some("no-store")
        );

        let access = tokens::payload(&response.str("access_token"));
        assert_eq!(access["type"], "access");
        assert_eq!(access["sub"], response.json["user"]["id"]);
        assert_eq!(access["roles"], json!([]));
        assert_eq!(access["extra"], json!({}));
        assert_eq!(
            access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
            1800
        );
        assert_eq!(access["jti"].as_str().unwrap().len(), 32);
        assert!(access["auth_time"].is_i64());
        assert_eq!(
            tokens::header(&response.str("access_token"))["alg"],
            "HS256"
        );

        let refresh_token = response.str("refresh_token");
        let refresh = tokens::payload(&refresh_token);
        assert_eq!(refresh["type"], "refresh");
        assert_eq!(refresh["family_id"], access["family_id"]);
        assert!(refresh.get("roles").is_none());

        let mut db = Connection::open(&app.db).await;
        let digests = db.token_digests().await;
        assert_eq!(
            digests,
            vec![fullauth::tokens::token_digest(&refresh_token)],
            "only the digest is stored"
        );
        assert_eq!(
            db.user_agents().await,
            vec![Some("fullauth-tests/1.0".to_owned())]
        );
    })
    .await;
}

async fn login_failures_are_indistinguishable(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        app.register("inactive@example.com", PASSWORD).await;
        app.register("oauth@example.com", PASSWORD).await;
        let mut db = Connection::open(&app.db).await;
        db.set_active("inactive@example.com", false).await;
        db.set_password_hash("oauth@example.com", None).await;
        let huge = "x".repeat(100_000);
        for (email, password) in [
            ("ada@example.com", "wrong password"),
            ("nobody@example.com", PASSWORD),
            ("inactive@example.com", PASSWORD),
            ("oauth@example.com", PASSWORD),
            ("ada@example.com", huge.as_str()),
        ] {
            app.assert_login_refused(email, password).await;
        }
        assert_eq!(db.refresh_token_count().await, 0);
    })
    .await;
}

async fn login_accepts_any_case_and_surrounding_spaces(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let response = app
            .post(
                "/login",
                json!({"email": "  ADA@Example.com ", "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status, 200);
    })
    .await;
}

async fn login_field_name_is_configurable(backend: Backend) {
    run_with(
        backend,
        |config| config.sign_in.login_field = "username".into(),
        |app| async move {
            app.register("ada@example.com", PASSWORD).await;
            let response = app
                .post(
                    "/login",
                    json!({"username": "ada@example.com", "password": PASSWORD}),
                )
                .await;
            assert_eq!(response.status, 200);
            let old = app
                .post(
                    "/login",
                    json!({"email": "ada@example.com", "password": PASSWORD}),
                )
                .await;
            assert_eq!(old.status, 422);
            assert_eq!(old.json["detail"][0]["loc"], json!(["body", "username"]));
        },
    )
    .await;
}

async fn login_reports_missing_fields(backend: Backend) {
    run(backend, |app| async move {
        let response = app.post("/login", json!({"email": "ada@example.com"})).await;
        assert_eq!(
            response.json,
            json!({"detail": [{"type": "missing", "loc": ["body", "password"], "msg": "Field required",
                               "input": {"email": "ada@example.com"}}]})
        );
        assert_eq!(response.status, 422);
    })
    .await;
}

async fn failed_sign_ins_and_taken_emails_cost_one_hash_like_the_rest(backend: Backend) {
    run(backend, |app| async move {
        let hasher = app.auth.password_hasher().clone();
        let before = hasher.operations();
        app.register("ada@example.com", PASSWORD).await;
        assert_eq!(hasher.operations() - before, 1, "a new account: one hash");
        let before = hasher.operations();
        app.register("ADA@example.com", "some other password").await;
        assert_eq!(
            hasher.operations() - before,
            1,
            "a taken email: the same one hash"
        );

        app.register("inactive@example.com", PASSWORD).await;
        app.register("oauth@example.com", PASSWORD).await;
        let mut db = Connection::open(&app.db).await;
        db.set_active("inactive@example.com", false).await;
        db.set_password_hash("oauth@example.com", None).await;
        let before = hasher.operations();
        app.login("ada@example.com", PASSWORD).await;
        assert_eq!(
            hasher.operations() - before,
            1,
            "a successful sign-in: one verification"
        );
        for (email, password) in [
            ("ada@example.com", "wrong password"),
            ("nobody@example.com", PASSWORD),
            ("inactive@example.com", PASSWORD),
            ("oauth@example.com", PASSWORD),
        ] {
            let before = hasher.operations();
            app.assert_login_refused(email, password).await;
            assert_eq!(
                hasher.operations() - before,
                1,
                "{email}: one verification, like a success"
            );
        }
    })
    .await;
}
