//! Codes sent twice at once: a TOTP code, a recovery code, a pending token and a confirming code each open one
//! thing, however many requests carry them at the same moment; different recovery codes at once all work.

use fullauth_tests::{Backend, TestResponse};
use serde_json::json;

use super::{
    Authenticator, PASSWORD, assert_signed_in, confirm, enroll, enrolled, pending, status, verify,
    with_mfa,
};

on_databases!(
    one_code_sent_twice_at_once_opens_one_session,
    one_recovery_code_sent_twice_at_once_opens_one_session,
    different_recovery_codes_at_once_all_work,
    one_pending_token_with_two_right_codes_at_once_opens_one_session,
    one_enrolment_confirmed_twice_at_once_gives_one_set_of_codes,
);

/// How many of the answers are 200; every other one must be the plain 401.
fn successes(answers: &[TestResponse]) -> usize {
    let mut ok = 0;
    for answer in answers {
        if answer.status == 200 {
            ok += 1;
        } else {
            answer.assert_unauthorized();
        }
    }
    ok
}

async fn one_code_sent_twice_at_once_opens_one_session(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            for _ in 0..2 {
                let first = pending(&app, "ada@example.com").await;
                let second = pending(&app, "ada@example.com").await;
                let code = ada.app.next_code().await;
                let (a, b) =
                    tokio::join!(verify(&app, &first, &code), verify(&app, &second, &code));
                assert_eq!(successes(&[a, b]), 1);
            }
        },
    )
    .await;
}

async fn one_recovery_code_sent_twice_at_once_opens_one_session(backend: Backend) {
    // The refused copies are wrong codes: without the lockout, so that three rounds of them lock nothing.
    with_mfa(
        backend,
        |config| config.lockout.enabled = false,
        |app| async move {
            let ada = enrolled(&app, "ada@example.com").await;
            for code in &ada.recovery_codes[..3] {
                let tokens = [
                    pending(&app, "ada@example.com").await,
                    pending(&app, "ada@example.com").await,
                    pending(&app, "ada@example.com").await,
                ];
                let (a, b, c) = tokio::join!(
                    verify(&app, &tokens[0], code),
                    verify(&app, &tokens[1], code),
                    verify(&app, &tokens[2], code)
                );
                assert_eq!(successes(&[a, b, c]), 1);
            }
            assert_eq!(
                status(&app, &ada.access).await["recovery_codes_remaining"],
                7
            );
        },
    )
    .await;
}

async fn different_recovery_codes_at_once_all_work(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let ada = enrolled(&app, "ada@example.com").await;
            let tokens = [
                pending(&app, "ada@example.com").await,
                pending(&app, "ada@example.com").await,
                pending(&app, "ada@example.com").await,
            ];
            let codes = &ada.recovery_codes;
            let (a, b, c) = tokio::join!(
                verify(&app, &tokens[0], &codes[0]),
                verify(&app, &tokens[1], &codes[1]),
                verify(&app, &tokens[2], &codes[2])
            );
            for answer in [a, b, c] {
                assert_signed_in(&answer, "ada@example.com");
            }
            assert_eq!(
                status(&app, &ada.access).await["recovery_codes_remaining"],
                7
            );
        },
    )
    .await;
}

async fn one_pending_token_with_two_right_codes_at_once_opens_one_session(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let mut db = fullauth_tests::inspect::Connection::open(&app.db).await;
            let before = db.refresh_token_count().await;
            let mfa_token = pending(&app, "ada@example.com").await;
            let code = ada.app.next_code().await;
            let (a, b) = tokio::join!(
                verify(&app, &mfa_token, &code),
                verify(&app, &mfa_token, &ada.recovery_codes[0])
            );
            assert_eq!(successes(&[a, b]), 1);
            assert_eq!(db.refresh_token_count().await, before + 1);
        },
    )
    .await;
}

async fn one_enrolment_confirmed_twice_at_once_gives_one_set_of_codes(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let started = enroll(&app, &access, None).await;
            let mut authenticator = Authenticator::new(&started.str("secret"));
            let code = authenticator.next_code().await;
            let (a, b) = tokio::join!(confirm(&app, &access, &code), confirm(&app, &access, &code));
            let (winner, loser) = if a.status == 200 { (a, b) } else { (b, a) };
            assert_eq!(winner.status, 200, "{}", winner.text);
            assert_eq!(loser.status, 400, "{}", loser.text);
            let codes = winner.json["recovery_codes"].as_array().unwrap();
            // The winner's codes are the ones kept.
            let first = codes[0].as_str().unwrap();
            let signed_in = verify(&app, &pending(&app, "ada@example.com").await, first).await;
            assert_signed_in(&signed_in, "ada@example.com");
            assert_eq!(
                app.get("/mfa", &access).await.json,
                json!({ "enabled": true, "recovery_codes_remaining": 9 })
            );
        },
    )
    .await;
}
