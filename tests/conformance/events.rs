//! Events: every step of an account's life reaches the application's handlers, after the response; a handler
//! that fails or panics changes nothing for the request, the other handlers or the mail.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fullauth::events::AuthEvent;
use fullauth_tests::app::FRONTEND_URL;
use fullauth_tests::models::User;
use fullauth_tests::{Backend, SmtpSink, TestApp};
use reqwest::Method;
use serde_json::json;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new secret";

crate::on_every_backend!(every_step_is_an_event_and_broken_handlers_break_nothing);

type Seen = Arc<Mutex<Vec<String>>>;

/// What a handler writes down about an event.
fn describe(event: &AuthEvent<User>) -> String {
    match event {
        AuthEvent::AfterRegister { user }
        | AuthEvent::AfterLogin { user }
        | AuthEvent::AfterPasswordChange { user }
        | AuthEvent::AfterPasswordReset { user } => format!("{} {}", event.name(), user.auth.email),
        AuthEvent::AfterEmailVerify { user } => {
            format!(
                "{} {} verified={}",
                event.name(),
                user.auth.email,
                user.auth.is_verified
            )
        }
        AuthEvent::AfterLogout { user_id } => format!("{} {}", event.name(), !user_id.is_empty()),
        AuthEvent::SendVerificationEmail { user, token, mail }
        | AuthEvent::SendPasswordResetEmail { user, token, mail } => format!(
            "{} {} to={} link-has-token={}",
            event.name(),
            user.auth.email,
            mail.to,
            mail.text.contains(token.as_str())
        ),
        other => other.name().to_owned(),
    }
}

/// Waits until `count` events were seen, and takes them.
async fn take(seen: &Seen, count: usize) -> Vec<String> {
    for _ in 0..500 {
        {
            let mut events = seen.lock().unwrap();
            if events.len() >= count {
                return events.drain(..).collect();
            }
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {count} events, saw {:?}", seen.lock().unwrap());
}

async fn every_step_is_an_event_and_broken_handlers_break_nothing(backend: Backend) {
    let Some(sink) = SmtpSink::start().await else {
        return;
    };
    let seen: Seen = Arc::default();
    let recorder = Arc::clone(&seen);
    let smtp = sink.url();
    let Some(app) = TestApp::start_customized(
        backend,
        |config| {
            config.smtp_url = Some(fullauth::SmtpUrl(smtp));
            config.frontend_url = Some(FRONTEND_URL.into());
        },
        Box::new(move |builder| {
            builder
                .on_event(|_event: AuthEvent<User>| async {
                    Err::<(), _>("this handler always fails")
                })
                .on_event(|event: AuthEvent<User>| async move {
                    if matches!(event, AuthEvent::AfterLogin { .. }) {
                        panic!("this handler panics on sign-ins");
                    }
                    Ok::<(), std::convert::Infallible>(())
                })
                .on_event(|event: AuthEvent<User>| {
                    assert!(
                        event.mail().is_none(),
                        "this handler panics on mail events before it even returns a future"
                    );
                    std::future::ready(Ok::<(), std::convert::Infallible>(()))
                })
                .on_event(move |event: AuthEvent<User>| {
                    let recorder = Arc::clone(&recorder);
                    async move {
                        recorder.lock().unwrap().push(describe(&event));
                        Ok::<(), std::convert::Infallible>(())
                    }
                })
        }),
    )
    .await
    else {
        return;
    };

    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    let mut events = take(&seen, 2).await;
    events.sort();
    assert_eq!(
        events,
        [
            "after_login ada@example.com",
            "after_register ada@example.com"
        ]
    );

    let verify = app
        .call(Method::POST, "/verify-email/request", Some(&access), None)
        .await;
    assert_eq!(verify.status, 202);
    assert_eq!(
        take(&seen, 1).await,
        ["send_verification_email ada@example.com to=ada@example.com link-has-token=true"]
    );
    let token = sink.next_to("ada@example.com").await.token();
    let confirmed = app
        .post("/verify-email/confirm", json!({ "token": token }))
        .await;
    assert_eq!(confirmed.status, 200);
    assert_eq!(
        take(&seen, 1).await,
        ["after_email_verify ada@example.com verified=true"]
    );

    let body = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let changed = app
        .call(Method::POST, "/change-password", Some(&access), Some(body))
        .await;
    assert_eq!(changed.status, 200);
    assert_eq!(
        take(&seen, 1).await,
        ["after_password_change ada@example.com"]
    );

    let requested = app
        .post(
            "/password-reset/request",
            json!({"email": "ada@example.com"}),
        )
        .await;
    assert_eq!(requested.status, 202);
    assert_eq!(
        take(&seen, 1).await,
        ["send_password_reset_email ada@example.com to=ada@example.com link-has-token=true"]
    );
    let token = sink.next_to("ada@example.com").await.token();
    let reset = app
        .post(
            "/password-reset/confirm",
            json!({"token": token, "new_password": PASSWORD}),
        )
        .await;
    assert_eq!(reset.status, 200);
    assert_eq!(
        take(&seen, 1).await,
        ["after_password_reset ada@example.com"]
    );

    let (access, _) = app.login("ada@example.com", PASSWORD).await;
    assert_eq!(take(&seen, 1).await, ["after_login ada@example.com"]);
    let logout = app.call(Method::POST, "/logout", Some(&access), None).await;
    assert_eq!(logout.status, 204);
    assert_eq!(take(&seen, 1).await, ["after_logout true"]);

    // Refused requests are not events.
    app.post(
        "/login",
        json!({"email": "ada@example.com", "password": "wrong password"}),
    )
    .await
    .assert_unauthorized();
    let unknown = app
        .post(
            "/password-reset/request",
            json!({"email": "nobody@example.com"}),
        )
        .await;
    assert_eq!(unknown.status, 202);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}
