//! Token settings that change what is issued and what is accepted: issuer and audience, algorithm, `nbf`,
//! and transparent rehashing of older password hashes.

use std::time::Duration;

use fullauth::{FullAuthConfig, JwtAlgorithm, PasswordHashCost};
use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, tokens};
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    issuer_and_audience_are_stamped_and_required,
    the_configured_algorithm_is_the_only_one_accepted,
    tokens_not_yet_valid_are_refused,
    a_weaker_stored_hash_is_upgraded_at_sign_in,
    migrations_are_recorded_and_run_once,
);

fn with_issuer(config: &mut FullAuthConfig) {
    config.tokens.jwt_issuer = Some("https://auth.example.com".into());
    config.tokens.jwt_audience = Some("example-api".into());
}

async fn issuer_and_audience_are_stamped_and_required(backend: Backend) {
    run_with(backend, with_issuer, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let claims = tokens::payload(&access);
        assert_eq!(
            (claims["iss"].clone(), claims["aud"].clone()),
            (json!("https://auth.example.com"), json!("example-api"))
        );
        assert_eq!(app.get("/me", &access).await.status, 200);
        let header = tokens::header(&access);
        let secret = fullauth_tests::app::SECRET.as_bytes();
        for (field, value) in [
            ("iss", None),
            ("aud", None),
            ("iss", Some("https://evil.example")),
            ("aud", Some("other-api")),
        ] {
            let mut forged = claims.clone();
            match value {
                Some(value) => forged[field] = json!(value),
                None => {
                    forged.as_object_mut().unwrap().remove(field);
                }
            }
            app.get("/me", &tokens::sign(&header, &forged, secret))
                .await
                .assert_unauthorized();
        }
    })
    .await;
}

async fn the_configured_algorithm_is_the_only_one_accepted(backend: Backend) {
    run_with(
        backend,
        |config| config.tokens.algorithm = JwtAlgorithm::HS512,
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            assert_eq!(tokens::header(&access)["alg"], "HS512");
            assert_eq!(app.get("/me", &access).await.status, 200);
            let hs256 = tokens::sign(
                &json!({"alg": "HS256", "typ": "JWT"}),
                &tokens::payload(&access),
                fullauth_tests::app::SECRET.as_bytes(),
            );
            app.get("/me", &hs256).await.assert_unauthorized();
        },
    )
    .await;
}

async fn tokens_not_yet_valid_are_refused(backend: Backend) {
    run(backend, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let mut claims = tokens::payload(&access);
        claims["nbf"] = json!(claims["iat"].as_i64().unwrap() + 3600);
        let early = tokens::sign(
            &tokens::header(&access),
            &claims,
            fullauth_tests::app::SECRET.as_bytes(),
        );
        app.get("/me", &early).await.assert_unauthorized();
    })
    .await;
}

async fn a_weaker_stored_hash_is_upgraded_at_sign_in(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        let weak = fullauth::password::PasswordHasher::new(
            PasswordHashCost {
                memory_kib: 8192,
                iterations: 1,
                parallelism: 1,
            },
            1,
        )
        .unwrap()
        .hash(PASSWORD.into())
        .await
        .unwrap();
        let mut db = Connection::open(&app.db).await;
        db.set_password_hash("ada@example.com", Some(&weak)).await;
        app.login("ada@example.com", PASSWORD).await;
        // The upgrade runs after the answer, off the request path.
        let mut upgraded = None;
        for _ in 0..100 {
            let stored = db.password_hash("ada@example.com").await.unwrap();
            if stored != weak {
                upgraded = Some(stored);
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let upgraded = upgraded.expect("the hash was upgraded");
        assert!(
            upgraded.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{upgraded}"
        );
        app.login("ada@example.com", PASSWORD).await;
    })
    .await;
}

async fn migrations_are_recorded_and_run_once(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        app.auth.migrate().await.unwrap();
        app.auth.migrate().await.unwrap();
        let mut db = Connection::open(&app.db).await;
        let expected: &[&str] = match backend {
            Backend::Memory => &[],
            _ => &[
                "00000000000100",
                "00000000000200",
                "00000000000300",
                "00000000000400",
                "00000000000500",
                "00000000000600",
                "00000000000700",
                "00000000000800",
                "00000000000900",
            ],
        };
        assert_eq!(db.applied_migrations().await, expected);
        assert_eq!(
            db.user_count().await,
            1,
            "running the migrations again keeps the data"
        );
    })
    .await;
}
