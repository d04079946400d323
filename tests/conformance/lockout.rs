//! Account lockout: wrong passwords counted per normalized email, atomically; at the limit every route that takes
//! a password answers as for a wrong one until the lock expires.

use std::sync::Arc;

use fullauth::shared_state::{MemoryState, SharedState};
use fullauth::tokens::token_digest;
use fullauth_tests::{Backend, TestApp, tokens};
use reqwest::Method;
use serde_json::json;

use crate::{run_with, run_with_mail};

crate::on_every_backend!(
    five_wrong_passwords_lock_the_account_until_the_lock_expires,
    parallel_wrong_logins_lock_like_serial_ones,
    parallel_guesses_get_no_more_password_checks_than_the_limit,
    a_right_password_clears_the_count,
    current_password_checks_count_too,
    lockout_can_be_turned_off,
    a_password_reset_by_mail_lifts_the_lock,
);

const PASSWORD: &str = "correct horse battery";

/// An app whose shared state the test keeps a handle on.
async fn app_with_state(backend: Backend) -> Option<(TestApp, Arc<MemoryState>)> {
    let state = Arc::new(MemoryState::new());
    let handle = Arc::clone(&state);
    let app = TestApp::start_customized(
        backend,
        |_| {},
        Box::new(move |builder| builder.shared_state(handle)),
    )
    .await?;
    Some((app, state))
}

async fn wrong_login(app: &TestApp, email: &str) {
    app.assert_login_refused(email, "wrong password!").await;
}

async fn login_status(app: &TestApp, email: &str) -> u16 {
    app.post("/login", json!({"email": email, "password": PASSWORD}))
        .await
        .status
}

async fn five_wrong_passwords_lock_the_account_until_the_lock_expires(backend: Backend) {
    let Some((app, state)) = app_with_state(backend).await else {
        return;
    };
    app.register("ada@example.com", PASSWORD).await;
    app.register("bob@example.com", PASSWORD).await;
    for attempt in 0..4 {
        // Any spelling of the address counts for the same account.
        let email = if attempt % 2 == 0 {
            "ada@example.com"
        } else {
            " ADA@Example.com "
        };
        wrong_login(&app, email).await;
    }
    assert_eq!(
        login_status(&app, "ada@example.com").await,
        200,
        "four failures do not lock"
    );
    for _ in 0..5 {
        wrong_login(&app, "ada@example.com").await;
    }
    // Locked: the right password gets the very answer of a wrong one.
    let locked = app
        .post(
            "/login",
            json!({"email": "ada@example.com", "password": PASSWORD}),
        )
        .await;
    locked.assert_unauthorized();
    assert_eq!(
        login_status(&app, "bob@example.com").await,
        200,
        "other accounts are not affected"
    );

    // The lock is a key that expires on its own (15 minutes); take it away as its expiry would. The key names
    // the account by an HMAC under the server's secret: a dump of the shared state cannot be tested against a
    // list of addresses by hashing them.
    let plain = token_digest("ada@example.com");
    for kind in ["locked", "failures"] {
        let key = format!("fullauth:lockout:{kind}:{plain}");
        assert!(!state.contains_any(&[key]).await.unwrap(), "{kind}");
    }
    let digest = tokens::account_key(fullauth_tests::app::SECRET.as_bytes(), "ada@example.com");
    assert!(
        state
            .contains_any(&[format!("fullauth:lockout:locked:{digest}")])
            .await
            .unwrap()
    );
    state
        .remove(&format!("fullauth:lockout:locked:{digest}"))
        .await
        .unwrap();
    state
        .remove(&format!("fullauth:lockout:failures:{digest}"))
        .await
        .unwrap();
    assert_eq!(login_status(&app, "ada@example.com").await, 200);
}

async fn parallel_wrong_logins_lock_like_serial_ones(backend: Backend) {
    run_with(
        backend,
        |_| {},
        |app| async move {
            app.register("serial@example.com", PASSWORD).await;
            app.register("parallel@example.com", PASSWORD).await;
            for _ in 0..20 {
                wrong_login(&app, "serial@example.com").await;
            }
            let attempts = (0..20).map(|_| {
                app.post(
                    "/login",
                    json!({"email": "parallel@example.com", "password": "wrong password!"}),
                )
            });
            for answer in futures::future::join_all(attempts).await {
                answer.assert_unauthorized();
            }
            for email in ["serial@example.com", "parallel@example.com"] {
                assert_eq!(login_status(&app, email).await, 401, "{email} is locked");
            }
        },
    )
    .await;
}

async fn a_right_password_clears_the_count(backend: Backend) {
    run_with(
        backend,
        |_| {},
        |app| async move {
            app.register("ada@example.com", PASSWORD).await;
            for _ in 0..4 {
                wrong_login(&app, "ada@example.com").await;
            }
            assert_eq!(login_status(&app, "ada@example.com").await, 200);
            for _ in 0..4 {
                wrong_login(&app, "ada@example.com").await;
            }
            assert_eq!(
                login_status(&app, "ada@example.com").await,
                200,
                "the count started again"
            );
        },
    )
    .await;
}

async fn current_password_checks_count_too(backend: Backend) {
    run_with(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let change = |current: &str| {
                app.call(
                Method::POST,
                "/change-password",
                Some(&access),
                Some(json!({"current_password": current, "new_password": "another good password"})),
            )
            };
            for _ in 0..5 {
                change("wrong password!")
                    .await
                    .assert_detail(400, "Current password is incorrect");
            }
            // Locked: the right current password is refused as a wrong one, and so is a sign-in.
            change(PASSWORD)
                .await
                .assert_detail(400, "Current password is incorrect");
            assert_eq!(login_status(&app, "ada@example.com").await, 401);
            let delete = app
                .call(
                    Method::DELETE,
                    "/me",
                    Some(&access),
                    Some(json!({"current_password": PASSWORD})),
                )
                .await;
            delete.assert_detail(403, "Current password is incorrect");
            assert_eq!(app.get("/me", &access).await.status, 200, "nothing changed");
        },
    )
    .await;
}

async fn lockout_can_be_turned_off(backend: Backend) {
    run_with(
        backend,
        |config| config.lockout.enabled = false,
        |app| async move {
            app.register("ada@example.com", PASSWORD).await;
            for _ in 0..8 {
                wrong_login(&app, "ada@example.com").await;
            }
            assert_eq!(login_status(&app, "ada@example.com").await, 200);
        },
    )
    .await;
}

async fn a_password_reset_by_mail_lifts_the_lock(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            app.register("ada@example.com", PASSWORD).await;
            for _ in 0..5 {
                wrong_login(&app, "ada@example.com").await;
            }
            assert_eq!(login_status(&app, "ada@example.com").await, 401, "locked");
            let requested = app
                .post(
                    "/password-reset/request",
                    json!({"email": "ada@example.com"}),
                )
                .await;
            assert_eq!(requested.status, 202);
            let token = sink.next_to("ada@example.com").await.token();
            let reset = app
                .post(
                    "/password-reset/confirm",
                    json!({"token": token, "new_password": "a brand new secret"}),
                )
                .await;
            assert_eq!(reset.status, 200, "{reset:?}");
            let login = app
                .post(
                    "/login",
                    json!({"email": "ada@example.com", "password": "a brand new secret"}),
                )
                .await;
            assert_eq!(login.status, 200, "the reset lifted the lock: {login:?}");
        },
    )
    .await;
}

/// Signs `email` in once and returns its user id (a success also clears any count).
async fn id_of(app: &TestApp, email: &str) -> String {
    let login = app
        .post("/login", json!({"email": email, "password": PASSWORD}))
        .await;
    assert_eq!(login.status, 200, "{login:?}");
    login.json["user"]["id"]
        .to_string()
        .trim_matches('"')
        .to_owned()
}

/// How many of `email`'s sign-ins had their password checked, and how many were refused unchecked as locked.
pub(crate) fn checked_and_refused(email: &str, id: &str) -> (usize, usize) {
    let checked = fullauth_tests::audit::lines_with(&[
        "sign-in failed: wrong password",
        &format!("user_id={id}"),
    ]);
    let refused = fullauth_tests::audit::lines_with(&[
        "sign-in failed: account locked",
        &format!("email={email}"),
    ]);
    (checked.len(), refused.len())
}

async fn parallel_guesses_get_no_more_password_checks_than_the_limit(backend: Backend) {
    fullauth_tests::audit::capture();
    run_with(
        backend,
        |_| {},
        |app| async move {
            let email = format!("guesses-{}@example.com", uuid::Uuid::new_v4().simple());
            app.register(&email, PASSWORD).await;
            let id = id_of(&app, &email).await;
            let guesses = (0..20).map(|_| {
                app.post(
                    "/login",
                    json!({"email": email, "password": "wrong password!"}),
                )
            });
            for answer in futures::future::join_all(guesses).await {
                answer.assert_unauthorized();
            }
            // Each guess was counted before its password was looked at: five checks, fifteen refusals.
            assert_eq!(checked_and_refused(&email, &id), (5, 15));
        },
    )
    .await;
}
