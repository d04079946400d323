//! Turning MFA on and off: the secret and its URI, the first code that confirms it, the recovery codes, what the
//! database keeps, proof of presence, and the sessions that exist.

use fullauth_tests::Backend;
use fullauth_tests::inspect::Connection;
use reqwest::Method;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::{Authenticator, PASSWORD, confirm, enroll, enrolled, status, verify, with_mfa};

on_sqlite_and_postgres!(
    enrolment_gives_a_secret_that_the_first_code_turns_on,
    the_database_keeps_neither_the_secret_nor_the_recovery_codes,
    a_second_enrolment_replaces_one_that_waits,
    enrolling_and_disabling_need_proof_of_presence,
    disabling_deletes_the_secret_and_the_codes,
    turning_mfa_on_keeps_the_open_sessions,
);

async fn enrolment_gives_a_secret_that_the_first_code_turns_on(backend: Backend) {
    with_mfa(backend, |_| {}, |app| async move {
        let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
        assert_eq!(
            status(&app, &access).await,
            json!({ "enabled": false, "recovery_codes_remaining": 0 })
        );
        let started = enroll(&app, &access, Some(json!({ "current_password": PASSWORD }))).await;
        assert_eq!(started.status, 200, "{}", started.text);
        assert_eq!(started.header("cache-control").as_deref(), Some("no-store"));
        let secret = started.str("secret");
        // Base32 of at least 160 bits, as RFC 4226 recommends.
        assert!(secret.len() >= 32, "{secret}");
        assert!(secret.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        assert_eq!(
            started.str("provisioning_uri"),
            format!(
                "otpauth://totp/Fullauth%20Tests:ada%40example.com?secret={secret}&issuer=Fullauth%20Tests"
            )
        );
        // Pending: nothing changes until a code confirms it.
        assert_eq!(status(&app, &access).await["enabled"], false);
        let login = app
            .post("/login", json!({ "email": "ada@example.com", "password": PASSWORD }))
            .await;
        assert_eq!(login.status, 200, "a pending enrolment asks for no code: {}", login.text);

        let mut authenticator = Authenticator::new(&secret);
        let code = authenticator.next_code().await;
        let confirmed = confirm(&app, &access, &code).await;
        assert_eq!(confirmed.status, 200, "{}", confirmed.text);
        let codes = confirmed.json["recovery_codes"].as_array().unwrap();
        assert_eq!(codes.len(), 10);
        for code in codes {
            let code = code.as_str().unwrap();
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 3, "{code}");
            assert!(groups.iter().all(|group| group.len() == 4
                && group.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())));
        }
        let mut distinct: Vec<&str> = codes.iter().map(|code| code.as_str().unwrap()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 10);
        assert_eq!(
            status(&app, &access).await,
            json!({ "enabled": true, "recovery_codes_remaining": 10 })
        );

        // On already: a new enrolment is a conflict, a second confirmation a bad request.
        enroll(&app, &access, Some(json!({ "current_password": PASSWORD })))
            .await
            .assert_detail(409, "Two-factor authentication is already enabled");
        confirm(&app, &access, &authenticator.next_code().await)
            .await
            .assert_detail(400, "Two-factor authentication is already enabled");
    })
    .await;
}

async fn the_database_keeps_neither_the_secret_nor_the_recovery_codes(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let started = enroll(&app, &access, None).await;
            assert_eq!(started.status, 200, "{}", started.text);
            let secret = started.str("secret");
            let mut db = Connection::open(&app.db).await;
            let (sealed, confirmed, _, codes) = db.mfa_row("ada@example.com").await.unwrap();
            assert!(!confirmed);
            assert!(codes.is_empty());
            assert!(
                !sealed.contains(&secret),
                "the secret is sealed at rest: {sealed}"
            );
            assert!(sealed.len() > secret.len());

            let mut authenticator = Authenticator::new(&secret);
            let confirmed = confirm(&app, &access, &authenticator.next_code().await).await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text);
            let (after, confirmed_now, last_counter, digests) =
                db.mfa_row("ada@example.com").await.unwrap();
            assert!(confirmed_now);
            assert_eq!(after, sealed, "confirming does not touch the secret");
            assert!(last_counter > 0, "the confirming code's step is recorded");
            let codes: Vec<&str> = confirmed.json["recovery_codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|code| code.as_str().unwrap())
                .collect();
            let kept: Vec<&str> = digests.split(',').collect();
            assert_eq!(kept.len(), 10);
            for digest in &kept {
                assert_eq!(digest.len(), 64, "{digest}");
                assert!(
                    digest
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                );
            }
            // Keyed digests: neither the codes nor their plain SHA-256, which a sweep of the 48-bit codes would find.
            for code in codes {
                assert!(!digests.contains(code), "{code}");
                let plain = hex(&Sha256::digest(code.as_bytes()));
                assert!(!kept.contains(&plain.as_str()), "{code}");
            }
        },
    )
    .await;
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

async fn a_second_enrolment_replaces_one_that_waits(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            let first = enroll(&app, &access, None).await.str("secret");
            let second = enroll(&app, &access, None).await.str("secret");
            assert_ne!(first, second);
            let old = Authenticator::new(&first);
            confirm(&app, &access, &old.code_at(0))
                .await
                .assert_detail(400, "Invalid code");
            assert_eq!(status(&app, &access).await["enabled"], false);
            let mut new = Authenticator::new(&second);
            let confirmed = confirm(&app, &access, &new.next_code().await).await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text);
        },
    )
    .await;
}

async fn enrolling_and_disabling_need_proof_of_presence(backend: Backend) {
    // No sign-in is recent enough: only the password proves presence.
    with_mfa(
        backend,
        |config| config.sign_in.reauth_max_age_seconds = 0,
        |app| async move {
            let (access, _) = app.signed_up("ada@example.com", PASSWORD).await;
            for body in [
                None,
                Some(json!({})),
                Some(json!({ "current_password": "" })),
            ] {
                enroll(&app, &access, body)
                    .await
                    .assert_detail(403, "Re-authentication required");
            }
            enroll(&app, &access, Some(json!({ "current_password": "not it" })))
                .await
                .assert_detail(403, "Current password is incorrect");
            let mut db = Connection::open(&app.db).await;
            assert!(db.mfa_row("ada@example.com").await.is_none());
            let started =
                enroll(&app, &access, Some(json!({ "current_password": PASSWORD }))).await;
            assert_eq!(started.status, 200, "{}", started.text);
            let mut authenticator = Authenticator::new(&started.str("secret"));
            let confirmed = confirm(&app, &access, &authenticator.next_code().await).await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.text);

            let disable = |body| app.call(Method::DELETE, "/mfa", Some(&access), body);
            disable(None)
                .await
                .assert_detail(403, "Re-authentication required");
            disable(Some(json!({ "current_password": "not it" })))
                .await
                .assert_detail(403, "Current password is incorrect");
            assert_eq!(status(&app, &access).await["enabled"], true);
        },
    )
    .await;
    // Right after signing in, the sign-in stands in for a password not sent, but never for a wrong one.
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (access, _) = app.signed_up("bo@example.com", PASSWORD).await;
            enroll(&app, &access, Some(json!({ "current_password": "not it" })))
                .await
                .assert_detail(403, "Current password is incorrect");
            let started = enroll(&app, &access, None).await;
            assert_eq!(started.status, 200, "{}", started.text);
        },
    )
    .await;
}

async fn disabling_deletes_the_secret_and_the_codes(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let mut ada = enrolled(&app, "ada@example.com").await;
            let waiting = super::pending(&app, "ada@example.com").await;
            let disabled = app
                .call(
                    Method::DELETE,
                    "/mfa",
                    Some(&ada.access),
                    Some(json!({ "current_password": PASSWORD })),
                )
                .await;
            assert_eq!(disabled.status, 204, "{}", disabled.text);
            assert!(disabled.text.is_empty());
            let mut db = Connection::open(&app.db).await;
            assert!(db.mfa_row("ada@example.com").await.is_none());
            assert_eq!(
                status(&app, &ada.access).await,
                json!({ "enabled": false, "recovery_codes_remaining": 0 })
            );
            // Signing in asks for nothing more, and a sign-in that waited for a code cannot finish with one.
            let login = app
                .post(
                    "/login",
                    json!({ "email": "ada@example.com", "password": PASSWORD }),
                )
                .await;
            assert_eq!(login.status, 200, "{}", login.text);
            let code = ada.app.next_code().await;
            verify(&app, &waiting, &code).await.assert_unauthorized();
            // Disabling again changes nothing and is still answered 204.
            let again = app
                .call(Method::DELETE, "/mfa", Some(&ada.access), None)
                .await;
            assert_eq!(again.status, 204, "{}", again.text);
        },
    )
    .await;
}

async fn turning_mfa_on_keeps_the_open_sessions(backend: Backend) {
    with_mfa(
        backend,
        |_| {},
        |app| async move {
            let (other_access, other_refresh) = {
                app.register("ada@example.com", PASSWORD).await;
                app.login("ada@example.com", PASSWORD).await
            };
            let ada = enrolled_after_sign_up(&app).await;
            for access in [&other_access, &ada] {
                let me = app.get("/me", access).await;
                assert_eq!(me.status, 200, "{}", me.text);
            }
            let refreshed = app
                .post("/refresh", json!({ "refresh_token": other_refresh }))
                .await;
            assert_eq!(refreshed.status, 200, "{}", refreshed.text);
            let sessions = app.get("/sessions", &ada).await;
            assert_eq!(
                sessions.json.as_array().unwrap().len(),
                2,
                "{}",
                sessions.text
            );
        },
    )
    .await;
}

/// Signs in the already registered ada and turns MFA on; returns the access token of that sign-in.
async fn enrolled_after_sign_up(app: &fullauth_tests::TestApp) -> String {
    let (access, _) = app.login("ada@example.com", PASSWORD).await;
    let started = enroll(app, &access, None).await;
    let mut authenticator = Authenticator::new(&started.str("secret"));
    let confirmed = confirm(app, &access, &authenticator.next_code().await).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.text);
    access
}
