//! Real parallel requests against one server and one database.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp, TestResponse};
use futures::future::join_all;
use reqwest::Method;
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    parallel_registrations_of_one_email_create_one_account,
    parallel_registrations_without_enumeration_protection,
    parallel_refreshes_with_one_token_succeed_once,
    sign_ins_racing_a_password_change_leave_no_session,
    sign_ins_racing_an_account_deletion_leave_no_session,
    refreshes_racing_sign_outs_leave_no_live_token,
);

fn mixed_case(index: usize) -> String {
    let email = "race@example.com";
    email
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if (i + index).is_multiple_of(2) {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

async fn register_in_parallel(app: &TestApp, count: usize) -> Vec<u16> {
    let requests = (0..count).map(|index| {
        let body = json!({"email": mixed_case(index), "password": PASSWORD});
        let request = app.client.post(app.auth_url("/register")).json(&body);
        async move {
            fullauth_tests::TestResponse::read(request.send().await.unwrap())
                .await
                .status
        }
    });
    join_all(requests.map(tokio::spawn))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

async fn parallel_registrations_of_one_email_create_one_account(backend: Backend) {
    run(backend, |app| async move {
        let statuses = register_in_parallel(&app, 20).await;
        assert!(statuses.iter().all(|status| *status == 202), "{statuses:?}");
        let mut db = Connection::open(&app.db).await;
        assert_eq!(db.emails().await, vec!["race@example.com"]);
        app.login("RACE@example.com", PASSWORD).await;
    })
    .await;
}

async fn parallel_registrations_without_enumeration_protection(backend: Backend) {
    run_with(
        backend,
        |config| config.sign_in.prevent_registration_enumeration = false,
        |app| async move {
            let statuses = register_in_parallel(&app, 20).await;
            assert_eq!(
                statuses.iter().filter(|status| **status == 201).count(),
                1,
                "{statuses:?}"
            );
            assert_eq!(
                statuses.iter().filter(|status| **status == 409).count(),
                19,
                "{statuses:?}"
            );
            assert_eq!(Connection::open(&app.db).await.user_count().await, 1);
        },
    )
    .await;
}

async fn parallel_refreshes_with_one_token_succeed_once(backend: Backend) {
    run(backend, |app| async move {
        let (_, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let requests = (0..10).map(|_| {
            let request = app
                .client
                .post(app.auth_url("/refresh"))
                .json(&json!({"refresh_token": refresh}));
            tokio::spawn(async move {
                fullauth_tests::TestResponse::read(request.send().await.unwrap())
                    .await
                    .status
            })
        });
        let statuses: Vec<u16> = join_all(requests)
            .await
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            statuses.iter().filter(|status| **status == 200).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|status| **status == 401).count(),
            9,
            "{statuses:?}"
        );
    })
    .await;
}

/// Starts `action`, waits until it has started its `hashes`-th password hash, then sends `count` sign-ins.
///
/// With one hashing slot, the sign-ins read the user (and the old password hash) while `action` still hashes,
/// queue behind it, and verify only after `action` committed: exactly the window in which a sign-in could open
/// a session that the password change or the deletion no longer sees.
async fn sign_ins_during<F>(
    app: &TestApp,
    hashes: u64,
    count: usize,
    action: F,
) -> Vec<TestResponse>
where
    F: std::future::Future<Output = TestResponse> + Send + 'static,
{
    let hasher = app.auth.password_hasher().clone();
    let before = hasher.operations();
    let action = tokio::spawn(action);
    while hasher.operations() < before + hashes {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let body = json!({"email": "ada@example.com", "password": PASSWORD});
    let sign_ins: Vec<_> = (0..count)
        .map(|_| {
            let request = app.client.post(app.auth_url("/login")).json(&body);
            tokio::spawn(async move { TestResponse::read(request.send().await.unwrap()).await })
        })
        .collect();
    let responses = join_all(sign_ins)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    action.await.unwrap();
    responses
}

/// Every session the answers opened is dead: its access token and its refresh token are refused.
async fn assert_all_dead(app: &TestApp, responses: &[TestResponse]) {
    for response in responses.iter().filter(|response| response.status == 200) {
        app.get("/me", &response.str("access_token"))
            .await
            .assert_unauthorized();
        app.post(
            "/refresh",
            json!({"refresh_token": response.str("refresh_token")}),
        )
        .await
        .assert_unauthorized();
    }
    assert!(
        responses
            .iter()
            .all(|response| matches!(response.status, 200 | 401))
    );
}

fn one_hashing_slot(config: &mut fullauth::FullAuthConfig) {
    config.passwords.hash_concurrency = Some(1);
    // Most of the racing sign-ins use a password that stops being right half-way: they are about sessions, not
    // about the lockout those failures would trigger.
    config.lockout.enabled = false;
}

async fn sign_ins_racing_a_password_change_leave_no_session(backend: Backend) {
    run_with(backend, one_hashing_slot, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let change = {
            let body = json!({"current_password": PASSWORD, "new_password": "a brand new secret"});
            let request = app
                .client
                .post(app.auth_url("/change-password"))
                .bearer_auth(&access)
                .json(&body);
            async move { TestResponse::read(request.send().await.unwrap()).await }
        };
        // The change verifies the current password, then hashes the new one: sign in during the second.
        let responses = sign_ins_during(&app, 2, 30, change).await;
        assert_all_dead(&app, &responses).await;
        assert_eq!(
            Connection::open(&app.db)
                .await
                .live_refresh_token_count()
                .await,
            0
        );
        app.login("ada@example.com", "a brand new secret").await;
    })
    .await;
}

async fn sign_ins_racing_an_account_deletion_leave_no_session(backend: Backend) {
    run_with(backend, one_hashing_slot, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        let delete = {
            let body = json!({"current_password": PASSWORD});
            let request = app
                .client
                .delete(app.auth_url("/me"))
                .bearer_auth(&access)
                .json(&body);
            async move { TestResponse::read(request.send().await.unwrap()).await }
        };
        let responses = sign_ins_during(&app, 1, 30, delete).await;
        assert_all_dead(&app, &responses).await;
        let mut db = Connection::open(&app.db).await;
        assert_eq!(
            (db.user_count().await, db.refresh_token_count().await),
            (0, 0)
        );
    })
    .await;
}

async fn refreshes_racing_sign_outs_leave_no_live_token(backend: Backend) {
    run(backend, |app| async move {
        app.register("ada@example.com", PASSWORD).await;
        for _ in 0..20 {
            let (access, refresh) = app.login("ada@example.com", PASSWORD).await;
            let rotate = app
                .client
                .post(app.auth_url("/refresh"))
                .json(&json!({"refresh_token": refresh}));
            let sign_out = app
                .client
                .request(Method::POST, app.auth_url("/logout"))
                .bearer_auth(&access);
            let (rotated, signed_out) = tokio::join!(
                tokio::spawn(async move { TestResponse::read(rotate.send().await.unwrap()).await }),
                tokio::spawn(
                    async move { TestResponse::read(sign_out.send().await.unwrap()).await }
                ),
            );
            assert_eq!(signed_out.unwrap().status, 204);
            let rotated = rotated.unwrap();
            if rotated.status == 200 {
                app.get("/me", &rotated.str("access_token"))
                    .await
                    .assert_unauthorized();
                app.post(
                    "/refresh",
                    json!({"refresh_token": rotated.str("refresh_token")}),
                )
                .await
                .assert_unauthorized();
            } else {
                rotated.assert_unauthorized();
            }
        }
        assert_eq!(
            Connection::open(&app.db)
                .await
                .live_refresh_token_count()
                .await,
            0
        );
    })
    .await;
}
