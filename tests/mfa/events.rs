//! Turning MFA on and off, a recovery code used, a locked second factor, and the sign-in the code completes are
//! announced; a sign-in that waits for its code is not a sign-in yet.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fullauth::events::AuthEvent;
use fullauth_tests::models::User;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::json;

use super::{PASSWORD, assert_signed_in, enrolled, mfa_on, pending, verify};

on_sqlite_and_postgres!(mfa_changes_and_uses_are_announced);

type Seen = Arc<Mutex<Vec<String>>>;

/// The names seen so far, sorted (each event's handlers run on a task of their own), once `count` arrived.
async fn names(seen: &Seen, count: usize) -> Vec<String> {
    for _ in 0..100 {
        if seen.lock().unwrap().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let mut names = seen.lock().unwrap().clone();
    names.sort();
    names
}

async fn mfa_changes_and_uses_are_announced(backend: Backend) {
    let seen: Seen = Arc::default();
    let handle = Arc::clone(&seen);
    let Some(app) = TestApp::start_customized(
        backend,
        mfa_on,
        Box::new(move |builder| {
            builder.on_event(move |event: AuthEvent<User>| {
                let handle = Arc::clone(&handle);
                async move {
                    let name = match &event {
                        AuthEvent::MfaRecoveryCodeUsed { remaining, .. } => {
                            format!("{}:{remaining}", event.name())
                        }
                        _ => event.name().to_owned(),
                    };
                    handle.lock().unwrap().push(name);
                    Ok::<(), String>(())
                }
            })
        }),
    )
    .await
    else {
        return;
    };
    let ada = enrolled(&app, "ada@example.com").await;
    assert_eq!(
        names(&seen, 3).await,
        ["after_login", "after_mfa_enabled", "after_register"]
    );
    seen.lock().unwrap().clear();

    let mfa_token = pending(&app, "ada@example.com").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(seen.lock().unwrap().is_empty(), "a 202 is no sign-in yet");
    let signed_in = verify(&app, &mfa_token, &ada.recovery_codes[0]).await;
    assert_signed_in(&signed_in, "ada@example.com");
    assert_eq!(
        names(&seen, 2).await,
        ["after_login", "mfa_recovery_code_used:9"]
    );
    seen.lock().unwrap().clear();

    let mfa_token = pending(&app, "ada@example.com").await;
    for _ in 0..5 {
        verify(&app, &mfa_token, "000000")
            .await
            .assert_unauthorized();
    }
    assert_eq!(names(&seen, 1).await, ["mfa_locked"]);
    seen.lock().unwrap().clear();

    let disabled = app
        .call(
            Method::DELETE,
            "/mfa",
            Some(&ada.access),
            Some(json!({ "current_password": PASSWORD })),
        )
        .await;
    assert_eq!(disabled.status, 204, "{}", disabled.text);
    assert_eq!(names(&seen, 1).await, ["after_mfa_disabled"]);
}
