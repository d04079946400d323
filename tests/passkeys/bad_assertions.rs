//! Sign-ins that must fail: every one answers the same 401 and records nothing (422 for a body that is not the
//! expected JSON, 413 for one over the size limit).

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fullauth_tests::{Backend, TestApp};
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    Device, assert_sign_in_failed, registered, sign_in, sign_in_begin, sign_in_complete, user,
    with_passkeys,
};

on_databases!(
    an_assertion_from_another_origin_is_refused,
    challenge_keys_that_name_no_open_sign_in_are_refused,
    an_expired_sign_in_is_refused,
    a_user_handle_that_is_not_the_owners_is_refused,
    a_passkey_the_emails_options_did_not_list_is_refused,
    missing_verification_is_refused_when_required,
    tampered_assertions_are_refused,
    bodies_that_are_not_the_expected_json_are_422,
);

/// Ada with one passkey on the returned device; her access token.
async fn ada_with_a_passkey(app: &TestApp) -> (String, Device, String) {
    let token = user(app, "ada@example.com").await;
    let mut device = Device::verifying();
    let registered = registered(app, &token, &mut device, "").await;
    (token, device, registered.credential_id)
}

/// Asserts that no sign-in was recorded on the user's passkeys.
async fn assert_never_used(app: &TestApp, token: &str) {
    for passkey in super::passkeys(app, token).await {
        assert_eq!(passkey["last_used_at"], json!(null), "{passkey}");
    }
}

/// `assertion` with its client data changed by `change`.
fn with_client_data(assertion: &Value, change: impl FnOnce(&mut Value)) -> Value {
    let encoded = assertion["response"]["clientDataJSON"].as_str().unwrap();
    let mut client_data: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(encoded).unwrap()).unwrap();
    change(&mut client_data);
    let mut changed = assertion.clone();
    changed["response"]["clientDataJSON"] = URL_SAFE_NO_PAD.encode(client_data.to_string()).into();
    changed
}

async fn an_assertion_from_another_origin_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, mut device, _) = ada_with_a_passkey(&app).await;
            for origin in [
                "http://localhost:9000",
                "https://localhost:8000",
                "https://app.localhost",
            ] {
                device.moved_to(origin);
                assert_sign_in_failed(&sign_in(&app, &mut device, "ada@example.com").await);
            }
            assert_never_used(&app, &token).await;
        },
    )
    .await;
}

async fn challenge_keys_that_name_no_open_sign_in_are_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, mut device, _) = ada_with_a_passkey(&app).await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let assertion = device.get(&begin.json, None);
            let registration = super::register_begin(&app, &token).await;
            for foreign in [
                "passkey:auth:00000000000000000000000000000000".to_owned(),
                registration.str("challenge_key"),
                begin.str("challenge_key").replace("auth", "reg"),
                String::new(),
                "x".repeat(10_000),
            ] {
                assert_sign_in_failed(&sign_in_complete(&app, &foreign, assertion.clone()).await);
            }
            assert_never_used(&app, &token).await;
            let key = begin.str("challenge_key");
            let first = sign_in_complete(&app, &key, assertion.clone()).await;
            assert_eq!(first.status, 200, "{}", first.text);
            assert_sign_in_failed(&sign_in_complete(&app, &key, assertion).await);
        },
    )
    .await;
}

async fn an_expired_sign_in_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.passkey.challenge_ttl_seconds = 1,
        |app| async move {
            let (token, mut device, _) = ada_with_a_passkey(&app).await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let assertion = device.get(&begin.json, None);
            tokio::time::sleep(Duration::from_millis(1_500)).await;
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
            );
            assert_never_used(&app, &token).await;
        },
    )
    .await;
}

async fn a_user_handle_that_is_not_the_owners_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, mut device, credential_id) = ada_with_a_passkey(&app).await;
            let grace = user(&app, "grace@example.com").await;
            let grace_id = app.user_id(&grace).await;
            for handle in [grace_id.as_str().unwrap(), "admin", ""] {
                let begin = sign_in_begin(&app, None).await;
                let assertion = device.get(&begin.json, Some((&credential_id, handle)));
                assert_sign_in_failed(
                    &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
                );
            }
            assert_never_used(&app, &token).await;
        },
    )
    .await;
}

async fn a_passkey_the_emails_options_did_not_list_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (ada, _, _) = ada_with_a_passkey(&app).await;
            let grace = user(&app, "grace@example.com").await;
            let grace_id = app.user_id(&grace).await;
            let mut grace_device = Device::verifying();
            let grace_key = registered(&app, &grace, &mut grace_device, "").await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let assertion = grace_device.get(
                &begin.json,
                Some((&grace_key.credential_id, grace_id.as_str().unwrap())),
            );
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
            );
            assert_never_used(&app, &ada).await;
            assert_never_used(&app, &grace).await;
            // A credential nobody registered.
            let mut stranger = Device::verifying();
            let begin = super::register_begin(&app, &grace).await;
            let unregistered = stranger.create(&begin.json)["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let begin = sign_in_begin(&app, None).await;
            let assertion = stranger.get(
                &begin.json,
                Some((&unregistered, grace_id.as_str().unwrap())),
            );
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
            );
        },
    )
    .await;
}

async fn missing_verification_is_refused_when_required(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, mut device, _) = ada_with_a_passkey(&app).await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let mut relaxed = begin.json.clone();
            relaxed["userVerification"] = "discouraged".into();
            let assertion = device.get(&relaxed, None);
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
            );
            assert_never_used(&app, &token).await;
        },
    )
    .await;
}

async fn tampered_assertions_are_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, mut device, _) = ada_with_a_passkey(&app).await;
            let tamperings: Vec<super::Tampering> = vec![
                Box::new(|assertion| {
                    let mut signature = URL_SAFE_NO_PAD
                        .decode(assertion["response"]["signature"].as_str().unwrap())
                        .unwrap();
                    let last = signature.len() - 2;
                    signature[last] ^= 0x01;
                    let mut changed = assertion.clone();
                    changed["response"]["signature"] = URL_SAFE_NO_PAD.encode(signature).into();
                    changed
                }),
                Box::new(|assertion| {
                    let mut changed = assertion.clone();
                    changed["response"]["signature"] = URL_SAFE_NO_PAD.encode(b"not DER").into();
                    changed
                }),
                Box::new(|assertion| {
                    let mut changed = assertion.clone();
                    changed["response"]["authenticatorData"] =
                        URL_SAFE_NO_PAD.encode([0x49; 12]).into();
                    changed
                }),
                Box::new(|assertion| {
                    let mut changed = assertion.clone();
                    changed["response"]["clientDataJSON"] = URL_SAFE_NO_PAD.encode(b"{{{").into();
                    changed
                }),
                Box::new(|assertion| {
                    with_client_data(assertion, |data| data["type"] = "webauthn.create".into())
                }),
                Box::new(|assertion| {
                    with_client_data(assertion, |data| data["challenge"] = "AAAA".into())
                }),
                Box::new(|assertion| {
                    let mut changed = assertion.clone();
                    changed["rawId"] = URL_SAFE_NO_PAD.encode([7_u8; 16]).into();
                    changed
                }),
                Box::new(|assertion| {
                    let mut changed = assertion.clone();
                    changed["response"]
                        .as_object_mut()
                        .unwrap()
                        .remove("signature");
                    changed
                }),
                Box::new(|_| json!({ "id": "x" })),
            ];
            for tamper in &tamperings {
                let begin = sign_in_begin(&app, Some("ada@example.com")).await;
                let assertion = tamper(&device.get(&begin.json, None));
                assert_sign_in_failed(
                    &sign_in_complete(&app, &begin.str("challenge_key"), assertion).await,
                );
            }
            assert_never_used(&app, &token).await;
        },
    )
    .await;
}

async fn bodies_that_are_not_the_expected_json_are_422(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let begin = sign_in_begin(&app, None).await;
            let key = begin.str("challenge_key");
            for (body, kind) in [
                (json!({ "credential": {} }), "missing"),
                (json!({ "challenge_key": key }), "missing"),
                (
                    json!({ "challenge_key": key, "credential": [1] }),
                    "dict_type",
                ),
                (json!("text"), "model_attributes_type"),
            ] {
                let response = app
                    .post("/passkeys/authenticate/complete", body.clone())
                    .await;
                assert_eq!(response.status, 422, "{body}: {}", response.text);
                assert_eq!(response.json["detail"][0]["type"], kind, "{body}");
            }
            for body in [json!({ "email": 5 }), json!([])] {
                let response = app.post("/passkeys/authenticate/begin", body.clone()).await;
                assert_eq!(response.status, 422, "{body}: {}", response.text);
            }
            // No body at all, `{}` and a null email all begin a sign-in.
            for body in [None, Some(json!({})), Some(json!({ "email": null }))] {
                let response = app
                    .call(
                        Method::POST,
                        "/passkeys/authenticate/begin",
                        None,
                        body.clone(),
                    )
                    .await;
                assert_eq!(response.status, 200, "{body:?}: {}", response.text);
            }
            let (status, _) = app
                .send_oversized("POST", "/passkeys/authenticate/complete", None, 2 << 20)
                .await;
            assert_eq!(status, 413);
        },
    )
    .await;
}
