//! `POST /verify-email/request`, `/verify-email/confirm`, `/password-reset/request`, `/password-reset/confirm`,
//! with every mail delivered to a real SMTP server and read back from it.

use std::time::Duration;

use fullauth::tokens::TokenType;
use fullauth_tests::app::{FRONTEND_URL, MAIL_FROM};
use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, ReceivedMail, SmtpSink, TestApp, TestResponse};
use reqwest::Method;
use serde_json::json;

use crate::run_with_mail;

const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new secret";
const VERIFICATION_SENT: &str = "If eligible, a verification email has been sent.";
const RESET_SENT: &str = "If the email exists, a reset link has been sent.";
/// Long enough for a mail that was going to be sent to reach the SMTP server.
const QUIET: Duration = Duration::from_millis(700);

crate::on_every_backend!(
    verification_mail_confirms_the_address,
    reset_mail_sets_a_new_password_and_ends_every_session,
    reset_requests_answer_alike_for_every_address,
    verification_requests_need_a_signed_in_unverified_user,
    mail_tokens_work_once,
    expired_mail_tokens_fail,
    mail_tokens_need_their_own_signing_key,
    a_reset_token_dies_when_the_password_changes,
    a_verification_token_is_bound_to_the_address_it_was_sent_to,
    empty_null_and_foreign_tokens_fail,
    tokens_of_deleted_or_inactive_users_fail,
    parallel_reset_confirmations_succeed_once,
    a_refused_new_password_keeps_the_reset_token,
    mail_links_never_come_from_the_request,
);

async fn request_verification(app: &TestApp, access: &str) {
    app.call(Method::POST, "/verify-email/request", Some(access), None)
        .await
        .assert_detail(202, VERIFICATION_SENT);
}

async fn request_reset(app: &TestApp, email: &str) {
    app.post("/password-reset/request", json!({ "email": email }))
        .await
        .assert_detail(202, RESET_SENT);
}

async fn confirm_verification(app: &TestApp, token: &str) -> TestResponse {
    app.post("/verify-email/confirm", json!({ "token": token }))
        .await
}

async fn confirm_reset(app: &TestApp, token: &str, new_password: &str) -> TestResponse {
    app.post(
        "/password-reset/confirm",
        json!({ "token": token, "new_password": new_password }),
    )
    .await
}

/// Requests a reset for `email` and reads the token from the mail the SMTP server received.
async fn reset_token(app: &TestApp, sink: &SmtpSink, email: &str) -> String {
    request_reset(app, email).await;
    sink.next_to(email).await.token()
}

fn assert_mail_shape(mail: &ReceivedMail, to: &str, page: &str) {
    assert_eq!(mail.envelope_to, vec![to.to_owned()]);
    assert_eq!(mail.envelope_from, "no-reply@example.com");
    assert_eq!(mail.from, MAIL_FROM);
    assert_eq!(mail.to, to);
    assert_eq!(mail.content_type, "multipart/alternative");
    let link = mail.link();
    assert!(
        link.starts_with(&format!("{FRONTEND_URL}{page}?token=")),
        "{link}"
    );
    assert!(
        mail.html
            .contains(&format!("href=\"{}\"", link.replace('&', "&amp;"))),
        "the HTML part links to the same page: {}",
        mail.html
    );
}

async fn verification_mail_confirms_the_address(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            assert_eq!(app.get("/me/verified", &access).await.status, 403);
            request_verification(&app, &access).await;
            let mail = sink.next_to("ada@example.com").await;
            assert_mail_shape(&mail, "ada@example.com", "/verify-email");
            assert!(
                mail.subject.contains("Confirm your email address"),
                "{}",
                mail.subject
            );

            confirm_verification(&app, &mail.token())
                .await
                .assert_detail(200, "Email verified.");
            let me = app.get("/me", &access).await;
            assert_eq!(me.json["is_verified"], true);
            assert_eq!(app.get("/me/verified", &access).await.status, 200);

            request_verification(&app, &access).await;
            sink.expect_none_to("ada@example.com", QUIET).await;
        },
    )
    .await;
}

async fn reset_mail_sets_a_new_password_and_ends_every_session(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
            let (other_access, other_refresh) = app.login("ada@example.com", PASSWORD).await;
            let (bob_access, _) = app.signed_up("bob@example.com", PASSWORD).await;
            request_reset(&app, "  ADA@Example.com ").await;
            let mail = sink.next_to("ada@example.com").await;
            assert_mail_shape(&mail, "ada@example.com", "/reset-password");
            assert!(
                mail.subject.contains("Reset your password"),
                "{}",
                mail.subject
            );

            confirm_reset(&app, &mail.token(), NEW_PASSWORD)
                .await
                .assert_detail(200, "Password has been reset.");
            for token in [&access, &other_access] {
                app.get("/me", token).await.assert_unauthorized();
            }
            for token in [&refresh, &other_refresh] {
                app.post("/refresh", json!({ "refresh_token": token }))
                    .await
                    .assert_unauthorized();
            }
            app.assert_login_refused("ada@example.com", PASSWORD).await;
            app.login("ada@example.com", NEW_PASSWORD).await;
            assert_eq!(
                app.get("/me", &bob_access).await.status,
                200,
                "other users keep their sessions"
            );
            assert_eq!(
                Connection::open(&app.db)
                    .await
                    .live_refresh_token_count()
                    .await,
                2
            );
        },
    )
    .await;
}

async fn reset_requests_answer_alike_for_every_address(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            app.signed_up("ada@example.com", PASSWORD).await;
            app.signed_up("inactive@example.com", PASSWORD).await;
            Connection::open(&app.db)
                .await
                .set_active("inactive@example.com", false)
                .await;
            let known = app
                .post(
                    "/password-reset/request",
                    json!({ "email": "ada@example.com" }),
                )
                .await;
            let unknown = app
                .post(
                    "/password-reset/request",
                    json!({ "email": "nobody@example.com" }),
                )
                .await;
            let inactive = app
                .post(
                    "/password-reset/request",
                    json!({ "email": "inactive@example.com" }),
                )
                .await;
            for response in [&known, &unknown, &inactive] {
                response.assert_detail(202, RESET_SENT);
                assert_eq!(
                    response.header("content-type").as_deref(),
                    Some("application/json")
                );
            }
            sink.next_to("ada@example.com").await;
            sink.expect_none_to("nobody@example.com", QUIET).await;
            sink.expect_none_to("inactive@example.com", Duration::ZERO)
                .await;
            assert_eq!(sink.received(), 1);

            let bad = app
                .post(
                    "/password-reset/request",
                    json!({ "email": "not-an-email" }),
                )
                .await;
            assert_eq!(bad.status, 422);
            assert_eq!(bad.json["detail"][0]["loc"], json!(["body", "email"]));
            let missing = app.post("/password-reset/request", json!({})).await;
            assert_eq!(missing.status, 422);
            assert_eq!(missing.json["detail"][0]["type"], "missing");
            let malformed = app
                .post_raw(
                    "/password-reset/request",
                    Some("application/json"),
                    b"{".to_vec(),
                )
                .await;
            assert_eq!(malformed.status, 422);
            assert_eq!(sink.received(), 1, "no mail for a refused request");
        },
    )
    .await;
}

async fn verification_requests_need_a_signed_in_unverified_user(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
            app.call(Method::POST, "/verify-email/request", None, None)
                .await
                .assert_unauthorized();
            app.call(Method::POST, "/verify-email/request", Some(&refresh), None)
                .await
                .assert_unauthorized();
            Connection::open(&app.db)
                .await
                .set_verified("ada@example.com", true)
                .await;
            request_verification(&app, &access).await;
            sink.expect_none_to("ada@example.com", QUIET).await;
            assert_eq!(sink.received(), 0);
        },
    )
    .await;
}

async fn mail_tokens_work_once(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            request_verification(&app, &access).await;
            let verification = sink.next_to("ada@example.com").await.token();
            assert_eq!(confirm_verification(&app, &verification).await.status, 200);
            confirm_verification(&app, &verification)
                .await
                .assert_unauthorized();

            let reset = reset_token(&app, &sink, "ada@example.com").await;
            assert_eq!(confirm_reset(&app, &reset, NEW_PASSWORD).await.status, 200);
            confirm_reset(&app, &reset, "yet another password")
                .await
                .assert_unauthorized();
            app.login("ada@example.com", NEW_PASSWORD).await;

            // Single use holds on another instance of the same application (or after a restart).
            let second = reset_token(&app, &sink, "ada@example.com").await;
            let other = app.another_instance().await;
            assert_eq!(
                confirm_reset(&other, &second, "the third password")
                    .await
                    .status,
                200
            );
            confirm_reset(&app, &second, "the fourth password")
                .await
                .assert_unauthorized();
        },
    )
    .await;
}

/// A mail token for ada, issued by the app's own codec at `issued_at`.
async fn mail_token(app: &TestApp, purpose: TokenType, issued_at: time::OffsetDateTime) -> String {
    let access = app.login("ada@example.com", PASSWORD).await.0;
    let user_id = fullauth_tests::tokens::payload(&access)["sub"]
        .as_str()
        .unwrap()
        .to_owned();
    let hash = Connection::open(&app.db)
        .await
        .password_hash("ada@example.com")
        .await;
    let codec = app.auth.tokens();
    let fingerprint = codec.account_fingerprint(purpose, "ada@example.com", hash.as_deref());
    let lifetime = Duration::from_secs(15 * 60);
    codec
        .issue_mail_token(purpose, user_id, lifetime, fingerprint, issued_at)
        .unwrap()
        .token
}

async fn expired_mail_tokens_fail(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, _sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let long_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
            let verification = mail_token(&app, TokenType::EmailVerification, long_ago).await;
            let reset = mail_token(&app, TokenType::PasswordReset, long_ago).await;
            confirm_verification(&app, &verification)
                .await
                .assert_unauthorized();
            confirm_reset(&app, &reset, NEW_PASSWORD)
                .await
                .assert_unauthorized();
            app.login("ada@example.com", PASSWORD).await;
            assert_eq!(app.get("/me", &access).await.json["is_verified"], false);

            // The same tokens issued now work: only their age was wrong.
            let now = time::OffsetDateTime::now_utc();
            let verification = mail_token(&app, TokenType::EmailVerification, now).await;
            let reset = mail_token(&app, TokenType::PasswordReset, now).await;
            assert_eq!(confirm_verification(&app, &verification).await.status, 200);
            assert_eq!(confirm_reset(&app, &reset, NEW_PASSWORD).await.status, 200);
        },
    )
    .await;
}

async fn mail_tokens_need_their_own_signing_key(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, _sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let genuine = mail_token(
                &app,
                TokenType::PasswordReset,
                time::OffsetDateTime::now_utc(),
            )
            .await;
            let claims = fullauth_tests::tokens::payload(&genuine);
            let header = fullauth_tests::tokens::header(&genuine);
            // Whoever holds the access-token secret (another service verifying access tokens, say) cannot mint
            // mail tokens: the same claims signed with it are refused.
            let secret = fullauth_tests::app::SECRET.as_bytes();
            let forged = fullauth_tests::tokens::sign(&header, &claims, secret);
            confirm_reset(&app, &forged, NEW_PASSWORD)
                .await
                .assert_unauthorized();
            let mut as_verification = claims.clone();
            as_verification["type"] = json!("email_verification");
            as_verification["fp"] = json!(app.auth.tokens().account_fingerprint(
                TokenType::EmailVerification,
                "ada@example.com",
                None
            ));
            let forged = fullauth_tests::tokens::sign(&header, &as_verification, secret);
            confirm_verification(&app, &forged)
                .await
                .assert_unauthorized();
            assert_eq!(app.get("/me", &access).await.json["is_verified"], false);
            app.login("ada@example.com", PASSWORD).await;
            assert_eq!(
                confirm_reset(&app, &genuine, NEW_PASSWORD).await.status,
                200
            );
        },
    )
    .await;
}

async fn a_reset_token_dies_when_the_password_changes(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            app.signed_up("ada@example.com", PASSWORD).await;
            let first = reset_token(&app, &sink, "ada@example.com").await;
            let second = reset_token(&app, &sink, "ada@example.com").await;
            assert_eq!(confirm_reset(&app, &second, NEW_PASSWORD).await.status, 200);
            confirm_reset(&app, &first, "another new password")
                .await
                .assert_unauthorized();

            let stale = reset_token(&app, &sink, "ada@example.com").await;
            let (access, _) = app.login("ada@example.com", NEW_PASSWORD).await;
            let body =
                json!({"current_password": NEW_PASSWORD, "new_password": "changed the usual way"});
            let changed = app
                .call(Method::POST, "/change-password", Some(&access), Some(body))
                .await;
            assert_eq!(changed.status, 200);
            confirm_reset(&app, &stale, "another new password")
                .await
                .assert_unauthorized();
            app.login("ada@example.com", "changed the usual way").await;
        },
    )
    .await;
}

async fn a_verification_token_is_bound_to_the_address_it_was_sent_to(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            request_verification(&app, &access).await;
            let token = sink.next_to("ada@example.com").await.token();
            let mut db = Connection::open(&app.db).await;
            db.set_email("ada@example.com", "ada@new.example").await;
            confirm_verification(&app, &token)
                .await
                .assert_unauthorized();
            assert_eq!(app.get("/me", &access).await.json["is_verified"], false);

            request_verification(&app, &access).await;
            let fresh = sink.next_to("ada@new.example").await.token();
            assert_eq!(confirm_verification(&app, &fresh).await.status, 200);
            let me = app.get("/me", &access).await;
            assert_eq!(
                (me.json["email"].clone(), me.json["is_verified"].clone()),
                (json!("ada@new.example"), json!(true))
            );
        },
    )
    .await;
}

async fn empty_null_and_foreign_tokens_fail(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, refresh) = app.signed_up("ada@example.com", PASSWORD).await;
            for path in ["/verify-email/confirm", "/password-reset/confirm"] {
                let empty = json!({"token": "", "new_password": NEW_PASSWORD});
                app.post(path, empty).await.assert_unauthorized();
                let null = app
                    .post(path, json!({"token": null, "new_password": NEW_PASSWORD}))
                    .await;
                assert_eq!(null.status, 422, "{null:?}");
                assert_eq!(null.json["detail"][0]["type"], "string_type");
                assert_eq!(null.json["detail"][0]["loc"], json!(["body", "token"]));
                let number = app
                    .post(path, json!({"token": 7, "new_password": NEW_PASSWORD}))
                    .await;
                assert_eq!(number.status, 422);
                let missing = app.post(path, json!({"new_password": NEW_PASSWORD})).await;
                assert_eq!(missing.json["detail"][0]["type"], "missing");
                for foreign in [&access, &refresh, "not.a.token", &"x".repeat(20_000)] {
                    let body = json!({"token": foreign, "new_password": NEW_PASSWORD});
                    app.post(path, body).await.assert_unauthorized();
                }
            }
            let missing_password = app
                .post("/password-reset/confirm", json!({"token": "abc"}))
                .await;
            assert_eq!(
                missing_password.json["detail"][0]["loc"],
                json!(["body", "new_password"])
            );

            // Each purpose stays in its lane: a reset token does not verify, a verification token does not reset,
            // and neither is an access token.
            let reset = reset_token(&app, &sink, "ada@example.com").await;
            request_verification(&app, &access).await;
            let verification = sink.next_to("ada@example.com").await.token();
            confirm_verification(&app, &reset)
                .await
                .assert_unauthorized();
            confirm_reset(&app, &verification, NEW_PASSWORD)
                .await
                .assert_unauthorized();
            for token in [&reset, &verification] {
                app.get("/me", token).await.assert_unauthorized();
                app.post("/refresh", json!({ "refresh_token": token }))
                    .await
                    .assert_unauthorized();
            }
            app.login("ada@example.com", PASSWORD).await;
            assert_eq!(app.get("/me", &access).await.json["is_verified"], false);
        },
    )
    .await;
}

async fn tokens_of_deleted_or_inactive_users_fail(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            request_verification(&app, &access).await;
            let verification = sink.next_to("ada@example.com").await.token();
            let reset = reset_token(&app, &sink, "ada@example.com").await;
            let deleted = app.call(Method::DELETE, "/me", Some(&access), None).await;
            assert_eq!(deleted.status, 204);
            confirm_verification(&app, &verification)
                .await
                .assert_unauthorized();
            confirm_reset(&app, &reset, NEW_PASSWORD)
                .await
                .assert_unauthorized();
            // A new account with the same address is another user: the old links do not reach it.
            app.signed_up("ada@example.com", PASSWORD).await;
            confirm_reset(&app, &reset, NEW_PASSWORD)
                .await
                .assert_unauthorized();

            app.signed_up("bob@example.com", PASSWORD).await;
            let bob_reset = reset_token(&app, &sink, "bob@example.com").await;
            let mut db = Connection::open(&app.db).await;
            db.set_active("bob@example.com", false).await;
            confirm_reset(&app, &bob_reset, NEW_PASSWORD)
                .await
                .assert_unauthorized();
            db.set_active("bob@example.com", true).await;
            app.login("bob@example.com", PASSWORD).await;
        },
    )
    .await;
}

async fn parallel_reset_confirmations_succeed_once(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            app.signed_up("ada@example.com", PASSWORD).await;
            let token = reset_token(&app, &sink, "ada@example.com").await;
            let url = app.auth_url("/password-reset/confirm");
            let requests = (0..10).map(|index| {
                let request = app.client.post(&url).json(&json!({
                    "token": token,
                    "new_password": format!("new password number {index}"),
                }));
                async move { TestResponse::read(request.send().await.unwrap()).await }
            });
            let responses = futures::future::join_all(requests).await;
            let winners: Vec<usize> = responses
                .iter()
                .enumerate()
                .filter(|(_, response)| response.status == 200)
                .map(|(index, _)| index)
                .collect();
            assert_eq!(winners.len(), 1, "{responses:?}");
            for response in responses.iter().filter(|response| response.status != 200) {
                response.assert_unauthorized();
            }
            // The winner's password first: the nine wrong ones after it lock the account.
            let winner_first =
                std::iter::once(winners[0]).chain((0..10).filter(|index| *index != winners[0]));
            for index in winner_first {
                let password = format!("new password number {index}");
                let login = app
                    .post(
                        "/login",
                        json!({"email": "ada@example.com", "password": password}),
                    )
                    .await;
                assert_eq!(
                    login.status == 200,
                    index == winners[0],
                    "{index}: {login:?}"
                );
            }
        },
    )
    .await;
}

async fn a_refused_new_password_keeps_the_reset_token(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            app.signed_up("ada@example.com", PASSWORD).await;
            let token = reset_token(&app, &sink, "ada@example.com").await;
            confirm_reset(&app, &token, "short")
                .await
                .assert_detail(422, "Password must be at least 8 characters");
            let too_long = confirm_reset(&app, &token, &"x".repeat(100_000)).await;
            assert_eq!(too_long.status, 422, "{too_long:?}");
            app.login("ada@example.com", PASSWORD).await;
            assert_eq!(confirm_reset(&app, &token, NEW_PASSWORD).await.status, 200);
        },
    )
    .await;
}

async fn mail_links_never_come_from_the_request(backend: Backend) {
    run_with_mail(
        backend,
        |_| {},
        |app, sink| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let hostile = [
                ("host", "evil.example"),
                ("x-forwarded-host", "evil.example"),
                ("x-forwarded-proto", "http"),
                ("forwarded", "host=evil.example;proto=http"),
                ("origin", "https://evil.example"),
                ("referer", "https://evil.example/reset"),
            ];
            let mut reset = app
                .client
                .post(app.auth_url("/password-reset/request"))
                .json(&json!({"email": "ada@example.com"}));
            let mut verify = app
                .client
                .post(app.auth_url("/verify-email/request"))
                .bearer_auth(&access);
            for (name, value) in hostile {
                reset = reset.header(name, value);
                verify = verify.header(name, value);
            }
            assert_eq!(
                TestResponse::read(reset.send().await.unwrap()).await.status,
                202
            );
            assert_eq!(
                TestResponse::read(verify.send().await.unwrap())
                    .await
                    .status,
                202
            );
            // Both mails go out after their answers, in either order.
            let mut links = Vec::new();
            for _ in 0..2 {
                let mail = sink.next_to("ada@example.com").await;
                for part in [&mail.text, &mail.html] {
                    assert!(!part.contains("evil"), "{part}");
                }
                links.push(mail.link());
            }
            links.sort();
            for (link, page) in links.iter().zip(["/reset-password", "/verify-email"]) {
                assert!(
                    link.starts_with(&format!("{FRONTEND_URL}{page}?token=")),
                    "{link}"
                );
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_failures_never_reach_the_client() {
    // A server that hangs up on every client before its greeting: each delivery fails after the answer.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let attempts = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&attempts);
    tokio::spawn(async move {
        while let Ok((connection, _)) = listener.accept().await {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(connection);
        }
    });
    let Some(app) = TestApp::start(Backend::Sqlite, |config| {
        config.mail.smtp_url = Some(fullauth::SmtpUrl(format!("smtp://127.0.0.1:{port}")));
        config.mail.frontend_url = Some(FRONTEND_URL.into());
    })
    .await
    else {
        return;
    };
    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    request_reset(&app, "ada@example.com").await;
    request_verification(&app, &access).await;
    for _ in 0..500 {
        if attempts.load(std::sync::atomic::Ordering::SeqCst) >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(
        attempts.load(std::sync::atomic::Ordering::SeqCst) >= 2,
        "both mails were attempted"
    );
    assert_eq!(app.get("/me", &access).await.status, 200);
    request_reset(&app, "ada@example.com").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_credentials_from_the_url_sign_in_to_the_server() {
    let Some(sink) = SmtpSink::start_with_login("mailer", "s3cret/with:symbols").await else {
        return;
    };
    let url = format!(
        "smtp://mailer:{}@127.0.0.1:{}",
        "s3cret%2Fwith%3Asymbols",
        sink.port()
    );
    let Some(app) = TestApp::start(Backend::Sqlite, |config| {
        config.mail.smtp_url = Some(fullauth::SmtpUrl(url));
        config.mail.frontend_url = Some(FRONTEND_URL.into());
        config.mail.from = MAIL_FROM.into();
    })
    .await
    else {
        return;
    };
    app.signed_up("ada@example.com", PASSWORD).await;
    request_reset(&app, "ada@example.com").await;
    let mail = sink.next_to("ada@example.com").await;
    assert_eq!(mail.auth_user.as_deref(), Some("mailer"));

    // The same server refuses a client with the wrong password: the mail is lost, the answer is not.
    let wrong = format!("smtp://mailer:wrong@127.0.0.1:{}", sink.port());
    let Some(other) = TestApp::start(Backend::Sqlite, |config| {
        config.mail.smtp_url = Some(fullauth::SmtpUrl(wrong));
        config.mail.frontend_url = Some(FRONTEND_URL.into());
    })
    .await
    else {
        return;
    };
    other.signed_up("bob@example.com", PASSWORD).await;
    request_reset(&other, "bob@example.com").await;
    assert_eq!(
        sink.refused_logins(Duration::from_secs(10)).await,
        ["mailer"]
    );
    sink.expect_none_to("bob@example.com", QUIET).await;
}

/// Wording of the application's own.
struct PlainTemplates;

impl fullauth::mail::MailTemplates for PlainTemplates {
    fn verification(&self, context: &fullauth::mail::MailContext<'_>) -> fullauth::mail::Mail {
        fullauth::mail::Mail {
            to: context.to.to_owned(),
            subject: "Bitte bestätigen".into(),
            text: format!(
                "Hallo! {} ({} Minuten)",
                context.link, context.expires_in_minutes
            ),
            html: format!(
                "<p><a href=\"{}\">Bestätigen</a></p>",
                fullauth::mail::escape_html(context.link)
            ),
        }
    }

    fn password_reset(&self, context: &fullauth::mail::MailContext<'_>) -> fullauth::mail::Mail {
        fullauth::mail::Mail {
            to: context.to.to_owned(),
            subject: "Neues Passwort".into(),
            text: format!("Token: {} {}", context.token, context.link),
            html: String::new(),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applications_write_their_own_mails() {
    let Some(sink) = SmtpSink::start().await else {
        return;
    };
    let smtp = sink.url();
    let Some(app) = TestApp::start_customized(
        Backend::Sqlite,
        |config| {
            config.mail.smtp_url = Some(fullauth::SmtpUrl(smtp));
            config.mail.frontend_url = Some("https://example.de/app".into());
            config.mail.verify_email_path = "/konto/bestaetigen".into();
            config.mail.email_verify_expire_minutes = 90;
        },
        Box::new(|builder| builder.mail_templates(PlainTemplates)),
    )
    .await
    else {
        return;
    };
    let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
    request_verification(&app, &access).await;
    let mail = sink.next_to("ada@example.com").await;
    assert_eq!(mail.subject, "Bitte bestätigen");
    assert!(
        mail.text
            .starts_with("Hallo! https://example.de/app/konto/bestaetigen?token="),
        "{}",
        mail.text
    );
    assert!(mail.text.ends_with("(90 Minuten)"), "{}", mail.text);
    assert!(mail.html.contains("Bestätigen"));
    assert_eq!(confirm_verification(&app, &mail.token()).await.status, 200);

    request_reset(&app, "ada@example.com").await;
    let mail = sink.next_to("ada@example.com").await;
    assert_eq!(mail.subject, "Neues Passwort");
    assert_eq!(
        mail.content_type, "text/plain",
        "no HTML part when the template leaves it empty"
    );
    assert_eq!(
        confirm_reset(&app, &mail.token(), NEW_PASSWORD)
            .await
            .status,
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_travel_over_tls_to_a_server_the_ca_file_vouches_for() {
    for (mode, url) in [
        ("--starttls", "smtp://127.0.0.1:PORT?tls=required"),
        ("--smtps", "smtps://127.0.0.1:PORT"),
        ("--starttls", "smtp://localhost:PORT?tls=required"),
    ] {
        let Some(sink) = SmtpSink::start_with_tls(mode).await else {
            return;
        };
        let url = url.replace("PORT", &sink.port().to_string());
        let ca_file = sink.ca_file();
        let Some(app) = TestApp::start(Backend::Sqlite, |config| {
            config.mail.smtp_url = Some(fullauth::SmtpUrl(url.clone()));
            config.mail.smtp_ca_file = Some(ca_file);
            config.mail.frontend_url = Some(FRONTEND_URL.into());
            config.mail.from = MAIL_FROM.into();
        })
        .await
        else {
            return;
        };
        app.signed_up("ada@example.com", PASSWORD).await;
        request_reset(&app, "ada@example.com").await;
        let mail = sink.next_to("ada@example.com").await;
        assert!(mail.tls, "{url}: the mail came over TLS");
        assert_eq!(mail.envelope_from, "no-reply@example.com");
        let token = mail.token();
        assert_eq!(
            confirm_reset(&app, &token, NEW_PASSWORD).await.status,
            200,
            "{url}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_certificate_nobody_vouches_for_gets_no_mail() {
    for (mode, url) in [
        ("--starttls", "smtp://127.0.0.1:PORT?tls=required"),
        ("--smtps", "smtps://127.0.0.1:PORT"),
    ] {
        let Some(sink) = SmtpSink::start_with_tls(mode).await else {
            return;
        };
        let url = url.replace("PORT", &sink.port().to_string());
        let Some(app) = TestApp::start(Backend::Sqlite, |config| {
            config.mail.smtp_url = Some(fullauth::SmtpUrl(url.clone()));
            config.mail.frontend_url = Some(FRONTEND_URL.into());
        })
        .await
        else {
            return;
        };
        app.signed_up("ada@example.com", PASSWORD).await;
        request_reset(&app, "ada@example.com").await;
        sink.expect_none_to("ada@example.com", QUIET).await;
        assert_eq!(sink.received(), 0, "{url}");
    }
}
