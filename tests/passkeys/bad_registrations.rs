//! Registrations that must fail: every one answers 400 (or 422 for a body that is not the expected JSON, 413 for
//! one over the size limit) and stores nothing.

use std::time::Duration;

use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

use super::forge::{AT, Forged, UP, UV, credential_json};
use super::{
    Device, assert_challenge_invalid, assert_registration_failed, register_begin,
    register_complete, user, with_passkeys,
};

on_databases!(
    a_forged_but_honest_registration_is_accepted,
    a_credential_from_another_origin_is_refused,
    a_credential_for_another_rp_id_is_refused,
    missing_presence_or_verification_is_refused,
    malformed_credentials_are_refused,
    challenge_keys_that_name_no_open_registration_are_refused,
    an_expired_registration_is_refused,
    an_account_has_at_most_the_configured_number_of_passkeys,
    a_registration_is_completed_only_by_the_user_who_began_it,
    a_credential_id_is_registered_once,
    bodies_that_are_not_the_expected_json_are_422,
);

/// Begins a registration for `token` and completes it with what `credential` makes of the options.
async fn complete_with(
    app: &TestApp,
    token: &str,
    credential: impl FnOnce(&Value) -> Value,
) -> fullauth_tests::TestResponse {
    let begin = register_begin(app, token).await;
    assert_eq!(begin.status, 200, "{}", begin.text);
    let credential = credential(&begin.json);
    register_complete(app, token, &begin.str("challenge_key"), credential, "").await
}

async fn assert_nothing_stored(app: &TestApp, token: &str) {
    assert_eq!(super::passkeys(app, token).await, Vec::<Value>::new());
}

async fn a_forged_but_honest_registration_is_accepted(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let forged = Forged::new();
            let response = complete_with(&app, &token, |options| forged.credential(options)).await;
            assert_eq!(response.status, 201, "{}", response.text);
            assert_eq!(response.json["transports"], json!(["internal"]));
        },
    )
    .await;
}

async fn a_credential_from_another_origin_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            for origin in [
                "http://localhost:9000",
                "https://localhost:8000",
                "https://app.localhost",
            ] {
                let mut device = Device::new(true, origin);
                let response = complete_with(&app, &token, |options| device.create(options)).await;
                assert_registration_failed(&response);
                let mut forged = Forged::new();
                forged.origin = origin.into();
                let response =
                    complete_with(&app, &token, |options| forged.credential(options)).await;
                assert_registration_failed(&response);
            }
            assert_nothing_stored(&app, &token).await;
        },
    )
    .await;
}

async fn a_credential_for_another_rp_id_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let mut forged = Forged::new();
            forged.rp_id = "example.com".into();
            let response = complete_with(&app, &token, |options| forged.credential(options)).await;
            assert_registration_failed(&response);
            assert_nothing_stored(&app, &token).await;
        },
    )
    .await;
}

async fn missing_presence_or_verification_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            for flags in [UV | AT, UP | AT, AT] {
                let mut forged = Forged::new();
                forged.flags = flags;
                let response =
                    complete_with(&app, &token, |options| forged.credential(options)).await;
                assert_registration_failed(&response);
            }
            // A real authenticator that cannot verify its user, under options edited to ask for less.
            let mut device = Device::presence_only();
            let response = complete_with(&app, &token, |options| {
                let mut relaxed = options.clone();
                relaxed["authenticatorSelection"]["userVerification"] = "discouraged".into();
                device.create(&relaxed)
            })
            .await;
            assert_registration_failed(&response);
            assert_nothing_stored(&app, &token).await;
        },
    )
    .await;
}

async fn malformed_credentials_are_refused(backend: Backend) {
    with_passkeys(backend, |_| {}, |app| async move {
        let token = user(&app, "ada@example.com").await;
        let forged = Forged::new();
        let client_data = |options: &Value| {
            json!({ "type": "webauthn.create", "challenge": options["challenge"], "origin": super::ORIGIN })
                .to_string()
                .into_bytes()
        };
        let id = forged.credential_id.clone();
        let mut truncated = forged.authenticator_data();
        truncated.truncate(40);
        let cases: Vec<super::Tampering> = vec![
            // Attestation object that is not CBOR, or CBOR of the wrong shape.
            Box::new(|options| credential_json(&id, &client_data(options), b"\xa3garbage")),
            Box::new(|options| credential_json(&id, &client_data(options), b"\x82\x01\x02")),
            // Authenticator data cut short inside the attested credential.
            Box::new(|options| {
                let mut object = vec![0xa3, 0x63];
                object.extend_from_slice(b"fmt");
                object.extend_from_slice(&[0x64]);
                object.extend_from_slice(b"none");
                object.extend_from_slice(&[0x67]);
                object.extend_from_slice(b"attStmt");
                object.extend_from_slice(&[0xa0, 0x68]);
                object.extend_from_slice(b"authData");
                object.extend_from_slice(&[0x58, u8::try_from(truncated.len()).unwrap()]);
                object.extend_from_slice(&truncated);
                credential_json(&id, &client_data(options), &object)
            }),
            // Client data that is not JSON, or of the other ceremony.
            Box::new(|_| credential_json(&id, b"not json", &forged.attestation_object())),
            Box::new(|options| {
                let mut other = Forged::new();
                other.kind = "webauthn.get".into();
                other.credential(options)
            }),
            // Not base64url where base64url belongs, and members missing.
            Box::new(|options| {
                let mut credential = forged.credential(options);
                credential["response"]["attestationObject"] = "+/+/".into();
                credential
            }),
            Box::new(|options| {
                let mut credential = forged.credential(options);
                credential["response"].as_object_mut().unwrap().remove("clientDataJSON");
                credential
            }),
            Box::new(|_| json!({})),
            Box::new(|_| json!({ "id": 7, "rawId": [1, 2], "response": "none" })),
        ];
        for case in &cases {
            let response = complete_with(&app, &token, |options| case(options)).await;
            assert_registration_failed(&response);
        }
        assert_nothing_stored(&app, &token).await;
    })
    .await;
}

async fn challenge_keys_that_name_no_open_registration_are_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let credential = |options: &Value| Forged::new().credential(options);
            let begin = register_begin(&app, &token).await;
            for foreign in [
                "passkey:reg:00000000000000000000000000000000".to_owned(),
                begin.str("challenge_key").replace("reg", "auth"),
                "fullauth:revoked:jti:x".to_owned(),
                String::new(),
                "x".repeat(10_000),
            ] {
                let response =
                    register_complete(&app, &token, &foreign, credential(&begin.json), "").await;
                assert_challenge_invalid(&response);
            }
            // A sign-in's key does not open a registration.
            let sign_in = super::sign_in_begin(&app, None).await;
            let response = register_complete(
                &app,
                &token,
                &sign_in.str("challenge_key"),
                credential(&begin.json),
                "",
            )
            .await;
            assert_challenge_invalid(&response);
            // Used once.
            let key = begin.str("challenge_key");
            let first = register_complete(&app, &token, &key, credential(&begin.json), "").await;
            assert_eq!(first.status, 201, "{}", first.text);
            let replayed = register_complete(&app, &token, &key, credential(&begin.json), "").await;
            assert_challenge_invalid(&replayed);
            assert_eq!(super::passkeys(&app, &token).await.len(), 1);
        },
    )
    .await;
}

async fn an_expired_registration_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.passkey.challenge_ttl_seconds = 1,
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let begin = register_begin(&app, &token).await;
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            let credential = Forged::new().credential(&begin.json);
            let response =
                register_complete(&app, &token, &begin.str("challenge_key"), credential, "").await;
            assert_challenge_invalid(&response);
            assert_nothing_stored(&app, &token).await;
        },
    )
    .await;
}

async fn an_account_has_at_most_the_configured_number_of_passkeys(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.passkey.max_per_user = 2,
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            for _ in 0..2 {
                let added =
                    complete_with(&app, &token, |options| Forged::new().credential(options)).await;
                assert_eq!(added.status, 201, "{}", added.text);
            }
            let refused =
                complete_with(&app, &token, |options| Forged::new().credential(options)).await;
            assert_registration_failed(&refused);
            assert_eq!(super::passkeys(&app, &token).await.len(), 2);
        },
    )
    .await;
}

async fn a_registration_is_completed_only_by_the_user_who_began_it(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let ada = user(&app, "ada@example.com").await;
            let mallory = user(&app, "mallory@example.com").await;
            let begin = register_begin(&app, &ada).await;
            let credential = Device::verifying().create(&begin.json);
            let response =
                register_complete(&app, &mallory, &begin.str("challenge_key"), credential, "")
                    .await;
            assert_challenge_invalid(&response);
            assert_nothing_stored(&app, &ada).await;
            assert_nothing_stored(&app, &mallory).await;
            // Without a token, nobody completes anything.
            let anonymous = app
                .post(
                    "/passkeys/register/complete",
                    json!({ "challenge_key": begin.str("challenge_key"), "credential": {} }),
                )
                .await;
            anonymous.assert_unauthorized();
            register_begin(&app, "not-a-token")
                .await
                .assert_unauthorized();
        },
    )
    .await;
}

async fn a_credential_id_is_registered_once(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let ada = user(&app, "ada@example.com").await;
            let grace = user(&app, "grace@example.com").await;
            let forged = Forged::new();
            let first = complete_with(&app, &ada, |options| forged.credential(options)).await;
            assert_eq!(first.status, 201, "{}", first.text);
            for token in [&grace, &ada] {
                let again = complete_with(&app, token, |options| forged.credential(options)).await;
                assert_registration_failed(&again);
            }
            assert_nothing_stored(&app, &grace).await;
            assert_eq!(super::passkeys(&app, &ada).await.len(), 1);
        },
    )
    .await;
}

async fn bodies_that_are_not_the_expected_json_are_422(backend: Backend) {
    with_passkeys(backend, |_| {}, |app| async move {
        let token = user(&app, "ada@example.com").await;
        let begin = register_begin(&app, &token).await;
        let key = begin.str("challenge_key");
        let call = |body: Value| {
            app.call(
                Method::POST,
                "/passkeys/register/complete",
                Some(&token),
                Some(body),
            )
        };
        for (body, kind) in [
            (json!({ "credential": {} }), "missing"),
            (json!({ "challenge_key": key }), "missing"),
            (json!({ "challenge_key": key, "credential": "x" }), "dict_type"),
            (json!({ "challenge_key": 5, "credential": {} }), "string_type"),
            (
                json!({ "challenge_key": key, "credential": {}, "device_name": null }),
                "string_type",
            ),
            (
                json!({ "challenge_key": key, "credential": {}, "device_name": "x".repeat(201) }),
                "string_too_long",
            ),
            (
                json!({ "challenge_key": key, "credential": {}, "device_name": "laptop\u{0}" }),
                "string_nul",
            ),
            (json!([1, 2]), "model_attributes_type"),
        ] {
            let response = call(body.clone()).await;
            assert_eq!(response.status, 422, "{body}: {}", response.text);
            assert_eq!(response.json["detail"][0]["type"], kind, "{body}");
        }
        let raw = app
            .client
            .post(app.auth_url("/passkeys/register/complete"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), 422);
        let (status, _) = app
            .send_oversized("POST", "/passkeys/register/complete", Some(&token), 2 << 20)
            .await;
        assert_eq!(status, 413);
        // The registration those bodies could not complete is still open.
        let response =
            register_complete(&app, &token, &key, Forged::new().credential(&begin.json), "").await;
        assert_eq!(response.status, 201, "{}", response.text);
    })
    .await;
}
