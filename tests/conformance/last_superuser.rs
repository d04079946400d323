//! The last active superuser cannot be deleted or deactivated, by themselves or by another superuser, and two
//! superusers deactivating each other at once leave one of them: the system always keeps an administrator.

use fullauth_tests::{Backend, TestApp, TestResponse};
use reqwest::Method;
use serde_json::json;

use crate::run;

const PASSWORD: &str = "correct horse battery";
const LAST: &str = "The last active superuser cannot be deleted or deactivated: make another user a superuser first.";

crate::on_every_backend!(the_system_keeps_an_active_superuser);

async fn deactivate(app: &TestApp, by: &str, id: &str) -> TestResponse {
    app.call(
        Method::POST,
        &format!("/admin/users/{id}/deactivate"),
        Some(by),
        None,
    )
    .await
}

async fn the_system_keeps_an_active_superuser(backend: Backend) {
    run(backend, |app| async move {
        let (ada, _) = app.superuser("ada@example.com", PASSWORD).await;
        let ada_id = app.user_id(&ada).await.as_str().unwrap().to_owned();
        // Alone: neither deleting nor deactivating themselves.
        let deleted = app
            .call(
                Method::DELETE,
                "/me",
                Some(&ada),
                Some(json!({"current_password": PASSWORD})),
            )
            .await;
        deleted.assert_detail(409, LAST);
        // (Deactivating one's own account is refused anyway.)
        deactivate(&app, &ada, &ada_id)
            .await
            .assert_detail(400, "You cannot deactivate your own account");
        assert_eq!(app.get("/me", &ada).await.status, 200);

        // Two superusers deactivating each other at once: one of them stays.
        let (bob, _) = app.superuser("bob@example.com", PASSWORD).await;
        let bob_id = app.user_id(&bob).await.as_str().unwrap().to_owned();
        let (on_bob, on_ada) = tokio::join!(
            deactivate(&app, &ada, &bob_id),
            deactivate(&app, &bob, &ada_id)
        );
        // One goes through. The other is refused: as the last superuser (409) when both passed their checks
        // at once, or as a deactivated caller (401) when the first one had already committed.
        let statuses = [on_bob.status, on_ada.status];
        assert!(
            matches!(statuses, [200, 401 | 409] | [401 | 409, 200]),
            "{on_bob:?} {on_ada:?}"
        );
        let (standing, gone) = if on_bob.status == 200 {
            (&ada, &bob)
        } else {
            (&bob, &ada)
        };
        for answer in [&on_bob, &on_ada] {
            if answer.status == 409 {
                answer.assert_detail(409, LAST);
            }
        }
        assert_eq!(app.get("/me", standing).await.status, 200);
        app.get("/me", gone).await.assert_unauthorized();
        // The one left cannot go either.
        app.call(
            Method::DELETE,
            "/me",
            Some(standing),
            Some(json!({"current_password": PASSWORD})),
        )
        .await
        .assert_detail(409, LAST);
    })
    .await;
}
