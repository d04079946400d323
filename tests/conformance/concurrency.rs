//! Real parallel requests against one server and one database.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};
use futures::future::join_all;
use serde_json::json;

use crate::{run, run_with};

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(
    parallel_registrations_of_one_email_create_one_account,
    parallel_registrations_without_enumeration_protection,
    parallel_refreshes_with_one_token_succeed_once,
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
        |config| config.prevent_registration_enumeration = false,
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
