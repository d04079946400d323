//! Guessing codes: wrong codes at verify lock the user's second factor (recovery codes included) as wrong
//! passwords lock an account, and confirm and verify share the `mfa` rate-limit bucket.

use fullauth_tests::Backend;
use serde_json::json;

use super::{PASSWORD, assert_signed_in, confirm, enrolled, pending, verify, with_mfa};

on_sqlite_and_postgres!(
    five_wrong_codes_lock_the_second_factor,
    the_lockout_follows_its_switch,
    confirm_and_verify_share_the_mfa_bucket,
);

async fn five_wrong_codes_lock_the_second_factor(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let bo = enrolled(&app, "bo@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            for _ in 0..5 {
                verify(&app, &mfa_token, "000000")
                    .await
                    .assert_unauthorized();
            }
            // Locked: neither a right code nor a recovery code is checked, on any token.
            let code = ada.app.next_code().await;
            verify(&app, &mfa_token, &code).await.assert_unauthorized();
            let fresh = pending(&app, "ada@example.com").await;
            verify(&app, &fresh, &ada.recovery_codes[0])
                .await
                .assert_unauthorized();
            let status = app.get("/mfa", &ada.access).await;
            assert_eq!(
                status.json["recovery_codes_remaining"], 10,
                "{}",
                status.text
            );
            // The password still passes its own step; another user is not locked.
            assert_eq!(
                app.post(
                    "/login",
                    json!({ "email": "ada@example.com", "password": PASSWORD })
                )
                .await
                .status,
                202
            );
            let bo_token = pending(&app, "bo@example.com").await;
            assert_signed_in(
                &verify(&app, &bo_token, &bo.recovery_codes[0]).await,
                "bo@example.com",
            );
        },
    )
    .await;
}

async fn the_lockout_follows_its_switch(backend: Backend) {
    with_mfa(
        backend,
        |config| config.lockout.enabled = false,
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            for _ in 0..8 {
                verify(&app, &mfa_token, "000000")
                    .await
                    .assert_unauthorized();
            }
            let code = ada.app.next_code().await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
    // With the lockout on, a right code before the limit clears the count.
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            for _ in 0..4 {
                verify(&app, &mfa_token, "000000")
                    .await
                    .assert_unauthorized();
            }
            let code = ada.app.next_code().await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
            let mfa_token = pending(&app, "ada@example.com").await;
            for _ in 0..4 {
                verify(&app, &mfa_token, "000000")
                    .await
                    .assert_unauthorized();
            }
            assert_signed_in(
                &verify(&app, &mfa_token, &ada.recovery_codes[0]).await,
                "ada@example.com",
            );
        },
    )
    .await;
}

async fn confirm_and_verify_share_the_mfa_bucket(backend: Backend) {
    with_mfa(
        backend,
        |config| {
            config.rate_limits.enabled = true;
            config.lockout.enabled = false;
        },
        |app| async move {
            // One confirm.
            let ada = enrolled(&app, "ada@example.com").await;
            let mfa_token = pending(&app, "ada@example.com").await;
            // Four verifies make five requests in the bucket.
            for _ in 0..4 {
                verify(&app, &mfa_token, "000000")
                    .await
                    .assert_unauthorized();
            }
            let limited = verify(&app, &mfa_token, &ada.recovery_codes[0]).await;
            assert_eq!(limited.status, 429, "{}", limited.text);
            assert_eq!(
                limited.json,
                json!({ "detail": "Too many requests. Try again later." })
            );
            assert_eq!(limited.header("x-ratelimit-limit").as_deref(), Some("5"));
            assert_eq!(
                limited.header("x-ratelimit-remaining").as_deref(),
                Some("0")
            );
            assert!(limited.header("retry-after").is_some());
            let confirmed = confirm(&app, &ada.access, "123456").await;
            assert_eq!(confirmed.status, 429, "{}", confirmed.text);
            // The refused requests used nothing: the recovery code is still there.
            let status = app.get("/mfa", &ada.access).await;
            assert_eq!(status.json["recovery_codes_remaining"], 10);
        },
    )
    .await;
}
