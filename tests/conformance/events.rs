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

crate::on_every_backend!(
    every_step_is_an_event_and_broken_handlers_break_nothing,
    role_and_account_changes_are_events,
);

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
        AuthEvent::AfterRoleAssigned { user_id, role }
        | AuthEvent::AfterRoleRemoved { user_id, role } => {
            format!("{} {user_id} {role}", event.name())
        }
        AuthEvent::AfterPermissionAssigned { role, permission }
        | AuthEvent::AfterPermissionRemoved { role, permission } => {
            format!("{} {role} {permission}", event.name())
        }
        AuthEvent::AfterUserActivated { user } | AuthEvent::AfterUserDeactivated { user } => {
            format!(
                "{} {} active={}",
                event.name(),
                user.auth.email,
                user.auth.is_active
            )
        }
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
            config.mail.smtp_url = Some(fullauth::SmtpUrl(smtp));
            config.mail.frontend_url = Some(FRONTEND_URL.into());
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
    app.assert_login_refused("ada@example.com", "wrong password")
        .await;
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

async fn role_and_account_changes_are_events(backend: Backend) {
    let seen: Seen = Arc::default();
    let recorder = Arc::clone(&seen);
    let Some(app) = TestApp::start_customized(
        backend,
        |_| {},
        Box::new(move |builder| {
            builder.on_event(move |event: AuthEvent<User>| {
                let recorder = Arc::clone(&recorder);
                async move {
                    if !matches!(
                        event,
                        AuthEvent::AfterLogin { .. } | AuthEvent::AfterRegister { .. }
                    ) {
                        recorder.lock().unwrap().push(describe(&event));
                    }
                    Ok::<(), std::convert::Infallible>(())
                }
            })
        }),
    )
    .await
    else {
        return;
    };
    let (admin, _) = app.superuser("root@example.com", PASSWORD).await;
    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    let id = app.user_id(&access).await;
    let sub = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
    let admin_call = |path: String, body: Option<serde_json::Value>| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let answer = app.call(Method::POST, &path, Some(&admin), body).await;
            assert_eq!(answer.status, 200, "{path}: {answer:?}");
        }
    };
    let grant = json!({"user_id": id, "role": "editor"});
    admin_call("/admin/assign-role".into(), Some(grant.clone())).await;
    admin_call("/admin/remove-role".into(), Some(grant)).await;
    let permission = json!({"role": "editor", "permission": "posts:edit"});
    admin_call("/admin/assign-permission".into(), Some(permission.clone())).await;
    admin_call("/admin/remove-permission".into(), Some(permission)).await;
    admin_call(format!("/admin/users/{sub}/deactivate"), None).await;
    admin_call(format!("/admin/users/{sub}/activate"), None).await;
    // Each event's handlers run on a task of their own: the order between events is not promised.
    let mut events = take(&seen, 6).await;
    events.sort();
    let mut expected = [
        format!("after_role_assigned {sub} editor"),
        format!("after_role_removed {sub} editor"),
        "after_permission_assigned editor posts:edit".to_owned(),
        "after_permission_removed editor posts:edit".to_owned(),
        "after_user_deactivated ada@example.com active=false".to_owned(),
        "after_user_activated ada@example.com active=true".to_owned(),
    ];
    expected.sort();
    assert_eq!(events, expected);
    // An unknown user changes nothing and tells no one.
    let nobody = app
        .call(
            Method::POST,
            "/admin/assign-role",
            Some(&admin),
            Some(json!({"user_id": id_of_nobody(&id), "role": "editor"})),
        )
        .await;
    assert_eq!(nobody.status, 404, "{nobody:?}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        seen.lock().unwrap().is_empty(),
        "{:?}",
        seen.lock().unwrap()
    );
}

/// An id of the same kind as `id` that no user has.
fn id_of_nobody(id: &serde_json::Value) -> serde_json::Value {
    match id {
        serde_json::Value::Number(_) => json!(999_999_999),
        _ => json!(uuid::Uuid::new_v4().to_string()),
    }
}
