//! The absolute lifetime of a session: refreshing keeps a session going only until its maximum age, counted from
//! the sign-in that opened it; then the refresh is refused and the session ends as a sign-out of it would.

use std::time::Duration;

use fullauth::FullAuthConfig;
use fullauth_tests::Backend;
use serde_json::json;

use crate::run_with;

const PASSWORD: &str = "correct horse battery";

crate::on_every_backend!(a_session_ends_at_its_maximum_age_however_often_it_is_refreshed);

async fn a_session_ends_at_its_maximum_age_however_often_it_is_refreshed(backend: Backend) {
    let short_sessions = |config: &mut FullAuthConfig| {
        config.tokens.session_max_age_seconds = Some(3);
    };
    run_with(backend, short_sessions, |app| async move {
        // Taken before the sign-in, so the session is never older than this says.
        let before_sign_in = std::time::Instant::now();
        let (_, mut refresh) = app.signed_up("ada@example.com", PASSWORD).await;
        let mut access = String::new();
        // Refreshed every 700 ms, far more often than any idle timeout would need: it still ends at 3 s.
        let started = std::time::Instant::now();
        let refused = loop {
            tokio::time::sleep(Duration::from_millis(700)).await;
            let answer = app
                .post("/refresh", json!({"refresh_token": refresh}))
                .await;
            if answer.status != 200 {
                break answer;
            }
            assert!(
                started.elapsed() < Duration::from_secs(4),
                "refreshed past the maximum age"
            );
            refresh = answer.str("refresh_token");
            access = answer.str("access_token");
            let me = app.get("/me", &access).await.status;
            // The age counts from the sign-in in whole seconds: under 2 s here, the session is surely live.
            if before_sign_in.elapsed() < Duration::from_secs(2) {
                assert_eq!(me, 200);
            }
        };
        assert!(
            started.elapsed() >= Duration::from_millis(2_000),
            "ended too early"
        );
        refused.assert_unauthorized();
        // Ended as `DELETE /sessions/{id}` ends one: its last access token is refused, and it is not listed.
        assert!(!access.is_empty(), "refreshed at least once");
        app.get("/me", &access).await.assert_unauthorized();
        let (other, _) = app.login("ada@example.com", PASSWORD).await;
        let sessions = app.get("/sessions", &other).await;
        assert_eq!(sessions.status, 200, "{sessions:?}");
        assert_eq!(
            sessions.json.as_array().map(Vec::len),
            Some(1),
            "{sessions:?}"
        );
        // A refresh token from before the end works no more either.
        app.post("/refresh", json!({"refresh_token": refresh}))
            .await
            .assert_unauthorized();
    })
    .await;
}
