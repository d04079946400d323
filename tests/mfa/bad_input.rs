//! Every bad input at confirm and verify gets API.md's answer and changes nothing: malformed bodies 422, wrong,
//! replayed, stale, non-numeric and overlong codes 400 at confirm and 401 at verify; never a 5xx (the test client
//! fails on one).

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    Authenticator, PASSWORD, assert_signed_in, confirm, enroll, enrolled, pending, verify, with_mfa,
};

on_sqlite_and_postgres!(
    routes_need_a_signed_in_user,
    malformed_bodies_are_422,
    confirm_refuses_every_code_that_is_not_the_current_one,
    verify_refuses_every_code_that_is_not_a_fresh_one,
);

/// The codes no authenticator shows now, besides the given right one's neighbours.
fn wrong_codes(app: &Authenticator, right: &str) -> Vec<String> {
    let mut codes: Vec<String> = [
        "abcdef",
        "12345",
        "1234567",
        "123456789012",
        "１２３４５６",
        "12345\u{0}",
        "-",
        "0000-0000-0000",
        " ",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    codes.push(app.code_at(-3));
    codes.push(app.code_at(3));
    codes.push(
        if right == "999999" {
            "999998"
        } else {
            "999999"
        }
        .to_owned(),
    );
    codes.retain(|code| code != right);
    codes
}

async fn routes_need_a_signed_in_user(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            for token in [None, Some("not a token")] {
                for (method, path, body) in [
                    (Method::GET, "/mfa", None),
                    (Method::POST, "/mfa/enroll", None),
                    (
                        Method::POST,
                        "/mfa/confirm",
                        Some(json!({ "code": "123456" })),
                    ),
                    (Method::DELETE, "/mfa", None),
                ] {
                    app.call(method, path, token, body)
                        .await
                        .assert_unauthorized();
                }
            }
        },
    )
    .await;
}

async fn malformed_bodies_are_422(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let long = "1".repeat(65);
            for (body, kind) in [
                (json!({}), "missing"),
                (json!({ "code": "" }), "string_too_short"),
                (json!({ "code": long }), "string_too_long"),
                (json!({ "code": 123_456 }), "string_type"),
                (json!({ "code": null }), "string_type"),
                (json!(["123456"]), "model_attributes_type"),
            ] {
                let answer = app
                    .call(
                        Method::POST,
                        "/mfa/confirm",
                        Some(&ada.access),
                        Some(body.clone()),
                    )
                    .await;
                assert_422(&answer.json, answer.status, kind, &body);
            }
            for (body, kind) in [
                (json!({}), "missing"),
                (json!({ "mfa_token": mfa_token }), "missing"),
                (json!({ "code": "123456" }), "missing"),
                (
                    json!({ "mfa_token": mfa_token, "code": "" }),
                    "string_too_short",
                ),
                (
                    json!({ "mfa_token": mfa_token, "code": long }),
                    "string_too_long",
                ),
                (
                    json!({ "mfa_token": mfa_token, "code": 123_456 }),
                    "string_type",
                ),
                (json!({ "mfa_token": 1, "code": "123456" }), "string_type"),
                (json!("123456"), "model_attributes_type"),
            ] {
                let answer = app.post("/mfa/verify", body.clone()).await;
                assert_422(&answer.json, answer.status, kind, &body);
            }
            let not_json = app
                .post_raw(
                    "/mfa/verify",
                    Some("application/json"),
                    b"{\"mfa_token\":".to_vec(),
                )
                .await;
            assert_eq!(not_json.status, 422, "{}", not_json.text);
            let enroll_body =
                enroll(&app, &ada.access, Some(json!({ "current_password": 5 }))).await;
            assert_eq!(enroll_body.status, 422, "{}", enroll_body.text);
            // Nothing of that reached the second factor: the token still opens the session.
            let mut authenticator = ada.app;
            let code = authenticator.next_code().await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
}

fn assert_422(json: &Value, status: u16, kind: &str, body: &Value) {
    assert_eq!(status, 422, "{body}: {json}");
    let kinds: Vec<&str> = json["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| issue["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&kind), "{body}: {json}");
}

async fn confirm_refuses_every_code_that_is_not_the_current_one(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            confirm(&app, &access, "123456")
                .await
                .assert_detail(400, "Start enrolment before confirming it");
            let started = enroll(&app, &access, None).await;
            let mut authenticator = Authenticator::new(&started.str("secret"));
            let right = authenticator.code_at(0);
            for code in wrong_codes(&authenticator, &right) {
                let answer = confirm(&app, &access, &code).await;
                assert_eq!(answer.status, 400, "{code:?}: {}", answer.text);
                assert_eq!(answer.json, json!({ "detail": "Invalid code" }), "{code:?}");
            }
            let mut db = Connection::open(&app.db).await;
            let (_, confirmed, last_counter, codes) = db.mfa_row("ada@example.com").await.unwrap();
            assert!(!confirmed);
            assert_eq!(last_counter, 0);
            assert!(codes.is_empty());
            let confirmed = confirm(&app, &access, &authenticator.next_code().await).await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text);
        },
    )
    .await;
}

async fn verify_refuses_every_code_that_is_not_a_fresh_one(backend: Backend) {
    // Without the lockout, so that every wrong code is checked.
    with_mfa(
        backend,
        |config| config.lockout.enabled = false,
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            // The code that confirmed the enrolment was used for its step.
            let confirming = ada.app.last_code();
            verify(&app, &mfa_token, &confirming)
                .await
                .assert_unauthorized();
            let right = ada.app.next_code().await;
            for code in wrong_codes(&ada.app, &right) {
                verify(&app, &mfa_token, &code).await.assert_unauthorized();
            }
            assert_signed_in(&verify(&app, &mfa_token, &right).await, "ada@example.com");
            // Used now: the same code again, with a new token, is refused.
            let again = pending(&app, "ada@example.com").await;
            verify(&app, &again, &right).await.assert_unauthorized();
        },
    )
    .await;
}
