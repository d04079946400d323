//! The per-account budget of verification and reset mails: many client addresses together cannot flood one
//! inbox, and the answers do not tell when the budget is spent.

use std::time::Duration;

use fullauth::FullAuthConfig;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use crate::run_with_mail;

const PASSWORD: &str = "correct horse battery";
const QUIET: Duration = Duration::from_millis(700);

crate::on_every_backend!(one_inbox_gets_at_most_its_hourly_budget);

/// Per-client rate limits on, each request from another client address (through a trusted proxy).
fn many_clients(config: &mut FullAuthConfig) {
    config.rate_limits.enabled = true;
    config.proxies.trusted_headers = vec!["X-Forwarded-For".into()];
    config.proxies.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
}

async fn reset_from(app: &TestApp, client: usize, email: &str) {
    let answer = app
        .client
        .post(app.auth_url("/password-reset/request"))
        .header("x-forwarded-for", format!("198.51.100.{client}"))
        .json(&json!({ "email": email }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 202);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(
        body,
        json!({"detail": "If the email exists, a reset link has been sent."})
    );
}

async fn one_inbox_gets_at_most_its_hourly_budget(backend: Backend) {
    run_with_mail(backend, many_clients, |app, sink| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        app.register("bob@example.com", PASSWORD).await;
        // Five mails, each asked for by another client: all sent.
        for client in 0..5 {
            reset_from(&app, client, "ada@example.com").await;
            sink.next_to("ada@example.com").await;
        }
        // The sixth and seventh are answered alike, and nothing is sent.
        for client in 5..7 {
            reset_from(&app, client, "ADA@example.com").await;
        }
        sink.expect_none_to("ada@example.com", QUIET).await;
        // Verification mails count in the same budget.
        let verification = app
            .call(Method::POST, "/verify-email/request", Some(&access), None)
            .await;
        verification.assert_detail(202, "If eligible, a verification email has been sent.");
        sink.expect_none_to("ada@example.com", QUIET).await;
        // Another account has a budget of its own.
        reset_from(&app, 9, "bob@example.com").await;
        sink.next_to("bob@example.com").await;
    })
    .await;
}
