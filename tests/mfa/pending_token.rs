//! The `mfa_token` of a sign-in that waits for its code: single-use, short-lived, bound to the account as it was,
//! never another token, and not used up by a wrong code.

use fullauth_tests::Backend;
use fullauth_tests::app::SECRET;
use fullauth_tests::inspect::Connection;
use fullauth_tests::tokens::{header, payload, sign};
use reqwest::Method;
use serde_json::json;

use super::{PASSWORD, assert_signed_in, enrolled, pending, verify, with_mfa};

on_sqlite_and_postgres!(
    a_wrong_code_leaves_the_token_usable,
    a_used_token_spends_no_code_and_counts_no_failure,
    an_expired_token_opens_nothing,
    no_other_token_passes_for_it_and_it_passes_for_no_other,
    a_password_changed_meanwhile_or_an_inactive_account_ends_it,
);

async fn a_wrong_code_leaves_the_token_usable(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let right = ada.app.next_code().await;
            let wrong = if right == "000000" {
                "111111"
            } else {
                "000000"
            };
            verify(&app, &mfa_token, wrong).await.assert_unauthorized();
            verify(&app, &mfa_token, "0000-0000-0000")
                .await
                .assert_unauthorized();
            assert_signed_in(&verify(&app, &mfa_token, &right).await, "ada@example.com");
        },
    )
    .await;
}

async fn a_used_token_spends_no_code_and_counts_no_failure(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let code = ada.app.next_code().await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
            for recovery in &ada.recovery_codes[..6] {
                verify(&app, &mfa_token, recovery)
                    .await
                    .assert_unauthorized();
            }
            let status = app.get("/mfa", &ada.access).await;
            assert_eq!(
                status.json["recovery_codes_remaining"], 10,
                "{}",
                status.text
            );
            // Six refusals of a used token locked nothing: a fresh sign-in finishes with a recovery code.
            let fresh = pending(&app, "ada@example.com").await;
            assert_signed_in(
                &verify(&app, &fresh, &ada.recovery_codes[0]).await,
                "ada@example.com",
            );
        },
    )
    .await;
}

async fn an_expired_token_opens_nothing(backend: Backend) {
    with_mfa(
        backend,
        |config| {
            config.mfa.pending_expire_seconds = 1;
            config.tokens.jwt_leeway_seconds = 0;
        },
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let claims = payload(&mfa_token);
            assert_eq!(claims["type"], "mfa_pending");
            assert_eq!(
                claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
                1
            );
            tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
            let code = ada.app.next_code().await;
            verify(&app, &mfa_token, &code).await.assert_unauthorized();
            // The code was not used by the refusal.
            let fresh = pending(&app, "ada@example.com").await;
            assert_signed_in(&verify(&app, &fresh, &code).await, "ada@example.com");
        },
    )
    .await;
}

async fn no_other_token_passes_for_it_and_it_passes_for_no_other(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let (access, refresh) = (ada.access.clone(), {
                // A refresh token of a session opened through the second factor.
                let mfa_token = pending(&app, "ada@example.com").await;
                let code = ada.app.next_code().await;
                verify(&app, &mfa_token, &code).await.str("refresh_token")
            });
            let mfa_token = pending(&app, "ada@example.com").await;
            let code = ada.app.next_code().await;

            // The access key signs a token that says it is a pending one: refused, as are the real other tokens
            // and a pending token with one byte changed.
            let mut claims = payload(&access);
            claims["type"] = json!("mfa_pending");
            let forged = sign(&header(&access), &claims, SECRET.as_bytes());
            let mut tampered = mfa_token.clone().into_bytes();
            let last = tampered.len() - 2;
            tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(tampered).unwrap();
            let mut other_payload = payload(&mfa_token);
            other_payload["sub"] = json!("00000000-0000-7000-8000-000000000000");
            let swapped = format!(
                "{}.{}.{}",
                mfa_token.split('.').next().unwrap(),
                base64_json(&other_payload),
                mfa_token.split('.').nth(2).unwrap()
            );
            for token in [
                &access,
                &refresh,
                &forged,
                &tampered,
                &swapped,
                &String::new(),
            ] {
                verify(&app, token, &code).await.assert_unauthorized();
            }
            // The pending token is no access token, and no refresh token.
            app.get("/me", &mfa_token).await.assert_unauthorized();
            app.get("/sessions", &mfa_token).await.assert_unauthorized();
            app.post("/refresh", json!({ "refresh_token": &mfa_token }))
                .await
                .assert_unauthorized();
            // None of that used up the code or the token.
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
}

fn base64_json(value: &serde_json::Value) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap())
}

async fn a_password_changed_meanwhile_or_an_inactive_account_ends_it(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let changed = app
                .call(
                    Method::POST,
                    "/change-password",
                    Some(&ada.access),
                    Some(json!({
                        "current_password": PASSWORD,
                        "new_password": "a brand new passphrase",
                    })),
                )
                .await;
            assert_eq!(changed.status, 200, "{}", changed.text);
            let code = ada.app.next_code().await;
            verify(&app, &mfa_token, &code).await.assert_unauthorized();

            let mfa_token = app
                .post(
                    "/login",
                    json!({ "email": "ada@example.com", "password": "a brand new passphrase" }),
                )
                .await
                .str("mfa_token");
            let mut db = Connection::open(&app.db).await;
            db.set_active("ada@example.com", false).await;
            verify(&app, &mfa_token, &code).await.assert_unauthorized();
            db.set_active("ada@example.com", true).await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
}
