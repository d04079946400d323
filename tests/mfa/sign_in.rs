//! Signing in with MFA on: the password gives `202` and no session, the code opens it; recovery codes stand in
//! for the code, once each.

use fullauth_tests::Backend;
use fullauth_tests::cookies::set_cookie;
use fullauth_tests::inspect::Connection;
use serde_json::json;

use super::{
    PASSWORD, assert_mfa_required, assert_signed_in, enrolled, pending, status, turned_on, verify,
    with_mfa,
};

on_sqlite_and_postgres!(
    the_password_waits_for_the_code_and_the_code_opens_the_session,
    a_recovery_code_opens_one_session_once,
    a_user_without_mfa_signs_in_as_before,
    mfa_off_in_the_configuration_asks_for_no_code,
    cookie_transport_sets_the_cookies_once_the_code_opens_the_session,
    the_session_the_code_opens_carries_the_custom_claims,
);

async fn the_password_waits_for_the_code_and_the_code_opens_the_session(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mut db = Connection::open(&app.db).await;
            let rows = db.refresh_token_count().await;
            let sessions = app.get("/sessions", &ada.access).await.json;

            let mfa_token = pending(&app, "ada@example.com").await;
            // No session yet: no refresh-token row, nothing new in /sessions, and the token opens nothing.
            assert_eq!(db.refresh_token_count().await, rows);
            assert_eq!(app.get("/sessions", &ada.access).await.json, sessions);
            app.get("/me", &mfa_token).await.assert_unauthorized();
            app.post("/refresh", json!({ "refresh_token": mfa_token }))
                .await
                .assert_unauthorized();

            let code = ada.app.next_code().await;
            let signed_in = verify(&app, &mfa_token, &code).await;
            let access = assert_signed_in(&signed_in, "ada@example.com");
            assert_eq!(
                signed_in.header("cache-control").as_deref(),
                Some("no-store")
            );
            assert_eq!(db.refresh_token_count().await, rows + 1);
            let me = app.get("/me", &access).await;
            assert_eq!(me.status, 200, "{}", me.text);
            assert_eq!(me.json["email"], "ada@example.com");
            let refreshed = app
                .post(
                    "/refresh",
                    json!({ "refresh_token": signed_in.str("refresh_token") }),
                )
                .await;
            assert_eq!(refreshed.status, 200, "{}", refreshed.text);

            // The token opened its session: with another right code it opens no second one.
            let opened = db.refresh_token_count().await;
            let code = ada.app.next_code().await;
            verify(&app, &mfa_token, &code).await.assert_unauthorized();
            assert_eq!(db.refresh_token_count().await, opened);
        },
    )
    .await;
}

async fn a_recovery_code_opens_one_session_once(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let ada = enrolled(&app, "ada@example.com").await;
            let first = &ada.recovery_codes[0];
            let signed_in = verify(&app, &pending(&app, "ada@example.com").await, first).await;
            assert_signed_in(&signed_in, "ada@example.com");
            assert_eq!(
                status(&app, &ada.access).await,
                json!({ "enabled": true, "recovery_codes_remaining": 9 })
            );
            verify(&app, &pending(&app, "ada@example.com").await, first)
                .await
                .assert_unauthorized();
            // Typed in capitals, with spaces around: still the code.
            let typed = format!("  {}  ", ada.recovery_codes[1].to_uppercase());
            let signed_in = verify(&app, &pending(&app, "ada@example.com").await, &typed).await;
            assert_signed_in(&signed_in, "ada@example.com");
            assert_eq!(
                status(&app, &ada.access).await["recovery_codes_remaining"],
                8
            );
            // Another user's recovery code is not this user's.
            let bo = enrolled(&app, "bo@example.com").await;
            verify(
                &app,
                &pending(&app, "ada@example.com").await,
                &bo.recovery_codes[0],
            )
            .await
            .assert_unauthorized();
            assert_eq!(
                status(&app, &bo.access).await["recovery_codes_remaining"],
                10
            );
        },
    )
    .await;
}

async fn a_user_without_mfa_signs_in_as_before(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            enrolled(&app, "ada@example.com").await;
            app.register("bo@example.com", PASSWORD).await;
            let login = app
                .post(
                    "/login",
                    json!({ "email": "bo@example.com", "password": PASSWORD }),
                )
                .await;
            assert_signed_in(&login, "bo@example.com");
            // A wrong password is the usual 401, never a 202.
            app.assert_login_refused("ada@example.com", "not it").await;
        },
    )
    .await;
}

async fn mfa_off_in_the_configuration_asks_for_no_code(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            enrolled(&app, "ada@example.com").await;
            let mut config = app.auth.config().clone();
            config.mfa.enabled = Some(false);
            let without = app.another_instance_configured(config).await;
            let login = without
                .post(
                    "/login",
                    json!({ "email": "ada@example.com", "password": PASSWORD }),
                )
                .await;
            assert_signed_in(&login, "ada@example.com");
            let route = without.get("/mfa", &login.str("access_token")).await;
            assert_eq!(
                route.status, 404,
                "the mfa router is not mounted: {}",
                route.text
            );
        },
    )
    .await;
}

async fn cookie_transport_sets_the_cookies_once_the_code_opens_the_session(backend: Backend) {
    with_mfa(
        backend,
        |config| config.cookies.transport = true,
        |app| async move {
            app.register("ada@example.com", PASSWORD).await;
            let credentials = json!({ "email": "ada@example.com", "password": PASSWORD });
            let login = app.post("/login", credentials.clone()).await;
            assert_eq!(login.status, 200, "{}", login.text);
            let mut ada = turned_on(
                &app,
                login.str("access_token"),
                Some(json!({ "current_password": PASSWORD })),
            )
            .await;
            // The 202 sets no cookie (asserted by `assert_mfa_required`).
            let mfa_token = assert_mfa_required(&app.post("/login", credentials).await);
            let code = ada.app.next_code().await;
            let verified = verify(&app, &mfa_token, &code).await;
            assert_eq!(verified.status, 200, "{}", verified.text);
            assert_eq!(verified.json["refresh_token"], serde_json::Value::Null);
            assert!(set_cookie(&verified.headers, "fullauth_access").is_some());
            assert!(set_cookie(&verified.headers, "fullauth_refresh").is_some());
        },
    )
    .await;
}

async fn the_session_the_code_opens_carries_the_custom_claims(backend: Backend) {
    let Some(app) = fullauth_tests::TestApp::start_customized(
        backend,
        super::mfa_on,
        Box::new(|builder| {
            builder.custom_claims(|user: fullauth_tests::models::User| async move {
                Ok(json!({ "tenant": user.auth.email }))
            })
        }),
    )
    .await
    else {
        return;
    };
    let mut ada = enrolled(&app, "ada@example.com").await;
    let mfa_token = pending(&app, "ada@example.com").await;
    assert!(
        fullauth_tests::tokens::payload(&mfa_token)
            .get("extra")
            .is_none()
    );
    let code = ada.app.next_code().await;
    let access = assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
    assert_eq!(
        fullauth_tests::tokens::payload(&access)["extra"],
        json!({ "tenant": "ada@example.com" })
    );
}
