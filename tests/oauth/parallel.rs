//! Parallel first sign-ins of one identity: one user and one link, on every database; the others sign the
//! same user in or answer 400, never a second user or a 5xx.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;

use crate::{assert_failed, callback, consented, with_provider};

fullauth_tests::on_every_backend!(parallel_first_sign_ins_create_one_user_and_one_link);

async fn parallel_first_sign_ins_create_one_user_and_one_link(backend: Backend) {
    with_provider(
        backend,
        |_, _| {},
        |app, idp| async move {
            let mut flows = Vec::new();
            for _ in 0..6 {
                flows.push(consented(&app, &idp, "idp", "twin:twin@example.com:1", None).await);
            }
            let answers = futures::future::join_all(
                flows
                    .iter()
                    .map(|(answer, binding)| callback(&app, "idp", answer, binding, None)),
            )
            .await;
            let mut ids = Vec::new();
            for answer in &answers {
                if answer.status == 200 {
                    ids.push(answer.json["user"]["id"].clone());
                } else {
                    assert_failed(answer);
                }
            }
            assert!(!ids.is_empty(), "no sign-in succeeded");
            ids.dedup();
            assert_eq!(ids.len(), 1, "several users: {ids:?}");
            let mut db = Connection::open(&app.db).await;
            assert_eq!(db.user_count().await, 1);
            assert_eq!(db.oauth_links().await.len(), 1);
        },
    )
    .await;
}
