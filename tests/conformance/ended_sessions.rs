//! The refresh-token table keeps what can still be used or recognized as replayed: a user's sign-in deletes the
//! user's tokens that expired longer ago than any session lasts, and nothing else.

use std::time::Duration;

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};

use crate::run;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(a_sign_in_deletes_the_users_long_ended_tokens);

async fn a_sign_in_deletes_the_users_long_ended_tokens(backend: Backend) {
    run(backend, |app: TestApp| async move {
        for email in ["ada@example.com", "grace@example.com", "bob@example.com"] {
            app.signed_up(email, PASSWORD).await;
        }
        let mut db = Connection::open(&app.db).await;
        let now = time::OffsetDateTime::now_utc();
        let days = |count: u64| Duration::from_secs(count * 24 * 3600);
        // Longer ago than any session of the test configuration lasts, and yesterday.
        let long_ago = now - days(400);
        db.set_refresh_expiry("ada@example.com", long_ago).await;
        db.set_refresh_expiry("bob@example.com", long_ago).await;
        db.set_refresh_expiry("grace@example.com", now - days(1))
            .await;
        assert_eq!(db.refresh_token_count().await, 3);

        app.login("ada@example.com", PASSWORD).await;
        assert_eq!(
            db.refresh_token_count().await,
            3,
            "Ada's ended token went, her new one came; Bob's stays until he signs in"
        );
        app.login("grace@example.com", PASSWORD).await;
        assert_eq!(
            db.refresh_token_count().await,
            4,
            "a token expired within a session's lifetime stays"
        );
        app.login("bob@example.com", PASSWORD).await;
        assert_eq!(db.refresh_token_count().await, 4);
    })
    .await;
}
