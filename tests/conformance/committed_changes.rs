//! A change the database has committed is answered as done, even when what follows it (marking sessions revoked
//! in the shared state, lifting a lockout) cannot reach Redis: an error would make the client retry a change that
//! already happened.

use fullauth_tests::inspect::Connection;
use fullauth_tests::redis::RedisServer;
use fullauth_tests::{Backend, TestApp};
use serde_json::json;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_reset_committed_while_redis_is_down_answers_200() {
    let Some(mut redis) = RedisServer::start().await else {
        return;
    };
    let url = redis.url();
    let Some((app, sink)) = TestApp::start_with_mail(Backend::Postgres, |config| {
        config.shared_state.redis_url = Some(fullauth::RedisUrl(url));
    })
    .await
    else {
        return;
    };
    app.signed_up("ada@example.com", PASSWORD).await;
    app.post(
        "/password-reset/request",
        json!({"email": "ada@example.com"}),
    )
    .await
    .assert_detail(202, "If the email exists, a reset link has been sent.");
    let token = sink.next_to("ada@example.com").await.token();
    let before = Connection::open(&app.db)
        .await
        .password_hash("ada@example.com")
        .await;

    redis.stop();
    let confirmed = app
        .post(
            "/password-reset/confirm",
            json!({"token": token, "new_password": NEW_PASSWORD}),
        )
        .await;
    confirmed.assert_detail(200, "Password has been reset.");
    let after = Connection::open(&app.db)
        .await
        .password_hash("ada@example.com")
        .await;
    assert_ne!(before, after, "the new password is stored");

    redis.resume().await;
    // The new password signs in, the old one does not, and the link was used up.
    assert!(
        app.signs_in_soon("ada@example.com", NEW_PASSWORD).await,
        "the new password signs in once Redis is back"
    );
    app.assert_login_refused("ada@example.com", PASSWORD).await;
    let again = app
        .post(
            "/password-reset/confirm",
            json!({"token": token, "new_password": "yet another secret"}),
        )
        .await;
    again.assert_unauthorized();
}
