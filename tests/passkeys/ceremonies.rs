//! The two ceremonies as a browser runs them: the options' wire shape, a passkey registered and signing in with
//! and without an email, user verification required or only preferred.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fullauth_tests::Backend;
use serde_json::json;

use super::{
    Device, register_begin, registered, sign_in, sign_in_begin, sign_in_complete, user,
    with_passkeys,
};

on_databases!(
    a_registered_passkey_signs_in_and_the_token_works,
    the_options_are_flat_webauthn_json,
    a_discoverable_passkey_signs_in_without_an_email,
    the_email_lists_only_that_accounts_passkeys,
    presence_alone_passes_when_verification_is_not_required,
);

async fn a_registered_passkey_signs_in_and_the_token_works(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let mut device = Device::verifying();
            let registered = registered(&app, &token, &mut device, "Ada's laptop").await;
            let passkey = &registered.passkey;
            assert_eq!(passkey["device_name"], "Ada's laptop");
            assert_eq!(passkey["transports"], json!([]));
            assert_eq!(passkey["backed_up"], false);
            assert_eq!(passkey["last_used_at"], json!(null));
            assert!(passkey["created_at"].is_string());
            assert!(uuid::Uuid::parse_str(passkey["id"].as_str().unwrap()).is_ok());
            let listed = super::passkeys(&app, &token).await;
            assert_eq!(listed, vec![passkey.clone()]);

            let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
            assert_eq!(signed_in.json["token_type"], "bearer");
            assert_eq!(signed_in.json["user"]["email"], "ada@example.com");
            assert!(signed_in.json["refresh_token"].is_string());
            assert_eq!(
                signed_in.headers["cache-control"], "no-store",
                "a response with tokens is never cached"
            );
            let access = signed_in.str("access_token");
            let me = app.get("/me", &access).await;
            assert_eq!(me.status, 200, "{}", me.text);
            assert_eq!(me.json["email"], "ada@example.com");
            // The session is a real one: it refreshes.
            let refreshed = app
                .post(
                    "/refresh",
                    json!({ "refresh_token": signed_in.str("refresh_token") }),
                )
                .await;
            assert_eq!(refreshed.status, 200, "{}", refreshed.text);

            let used = super::passkeys(&app, &token).await;
            assert!(used[0]["last_used_at"].is_string(), "{used:?}");
            // A second sign-in moves the authenticator's counter on and is accepted too.
            let again = sign_in(&app, &mut device, "ada@example.com").await;
            assert_eq!(again.status, 200, "{}", again.text);
        },
    )
    .await;
}

async fn the_options_are_flat_webauthn_json(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let id = app.user_id(&token).await;
            let begin = register_begin(&app, &token).await;
            assert_eq!(begin.status, 200, "{}", begin.text);
            let options = &begin.json;
            assert!(options.get("publicKey").is_none(), "{options}");
            assert_eq!(
                options["rp"],
                json!({ "name": "Fullauth Tests", "id": "localhost" })
            );
            assert_eq!(
                options["user"]["id"],
                URL_SAFE_NO_PAD.encode(id.as_str().unwrap()),
                "the user handle is the user id's text, as the Python library sends it"
            );
            assert_eq!(options["user"]["name"], "ada@example.com");
            assert_eq!(options["user"]["displayName"], "ada@example.com");
            assert_eq!(
                options["authenticatorSelection"]["userVerification"],
                "required"
            );
            assert_eq!(
                options["authenticatorSelection"]["residentKey"],
                "preferred"
            );
            assert_eq!(
                options["authenticatorSelection"]["requireResidentKey"],
                false
            );
            assert_eq!(options["excludeCredentials"], json!([]));
            assert_eq!(options["attestation"], "none");
            assert_eq!(options["timeout"], 60_000);
            let challenge = URL_SAFE_NO_PAD
                .decode(options["challenge"].as_str().unwrap())
                .unwrap();
            assert!(challenge.len() >= 16, "{challenge:?}");
            assert!(begin.str("challenge_key").starts_with("passkey:reg:"));
            assert_eq!(begin.headers["cache-control"], "no-store");

            let mut device = Device::verifying();
            let registered = registered(&app, &token, &mut device, "").await;
            let again = register_begin(&app, &token).await;
            assert_eq!(
                again.json["excludeCredentials"],
                json!([{ "type": "public-key", "id": registered.credential_id }]),
                "the authenticator is asked not to make a second passkey for this user"
            );

            for email in [None, Some("ada@example.com"), Some("nobody@example.com")] {
                let begin = sign_in_begin(&app, email).await;
                assert_eq!(begin.status, 200, "{}", begin.text);
                let options = &begin.json;
                assert!(options.get("publicKey").is_none(), "{options}");
                assert_eq!(options["rpId"], "localhost");
                assert_eq!(options["userVerification"], "required");
                assert!(options["allowCredentials"].is_array(), "{options}");
                assert!(begin.str("challenge_key").starts_with("passkey:auth:"));
            }
        },
    )
    .await;
}

async fn a_discoverable_passkey_signs_in_without_an_email(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let id = app.user_id(&token).await;
            let mut device = Device::verifying();
            let registered = registered(&app, &token, &mut device, "phone").await;
            let begin = sign_in_begin(&app, None).await;
            assert_eq!(begin.json["allowCredentials"], json!([]));
            let handle = id.as_str().unwrap();
            let assertion = device.get(&begin.json, Some((&registered.credential_id, handle)));
            let signed_in = sign_in_complete(&app, &begin.str("challenge_key"), assertion).await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
            assert_eq!(signed_in.json["user"]["email"], "ada@example.com");
        },
    )
    .await;
}

async fn the_email_lists_only_that_accounts_passkeys(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let ada = user(&app, "ada@example.com").await;
            let grace = user(&app, "grace@example.com").await;
            let mut ada_device = Device::verifying();
            let ada_key = registered(&app, &ada, &mut ada_device, "").await;
            registered(&app, &grace, &mut Device::verifying(), "").await;
            // Emails are normalized, as everywhere.
            let begin = sign_in_begin(&app, Some("  ADA@example.com ")).await;
            assert_eq!(
                begin.json["allowCredentials"],
                json!([{ "type": "public-key", "id": ada_key.credential_id }])
            );
            for unknown in [
                "nobody@example.com",
                "not an email",
                "",
                "ada@example.com\u{0}",
                &"a".repeat(5_000),
            ] {
                let begin = sign_in_begin(&app, Some(unknown)).await;
                assert_eq!(begin.status, 200, "{}", begin.text);
                assert_eq!(begin.json["allowCredentials"], json!([]), "{unknown}");
            }
            let without_passkeys = user(&app, "alan@example.com").await;
            assert!(!without_passkeys.is_empty());
            let begin = sign_in_begin(&app, Some("alan@example.com")).await;
            assert_eq!(begin.json["allowCredentials"], json!([]));
        },
    )
    .await;
}

async fn presence_alone_passes_when_verification_is_not_required(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.passkey.require_user_verification = false,
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let begin = register_begin(&app, &token).await;
            assert_eq!(
                begin.json["authenticatorSelection"]["userVerification"],
                "preferred"
            );
            let mut device = Device::presence_only();
            registered(&app, &token, &mut device, "security key").await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            assert_eq!(begin.json["userVerification"], "preferred");
            let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        },
    )
    .await;
}
