//! A passkey sign-in of a user with MFA on stops at the second factor, unless the authenticator verified the
//! user and the configuration counts that as both factors (the default).

use fullauth_tests::Backend;
use fullauth_tests::mfa::{assert_mfa_required, assert_signed_in, mfa_on, turned_on, verify};
use serde_json::json;

use super::{Device, registered, sign_in, user, with_passkeys};

on_databases!(
    a_passkey_with_presence_only_asks_for_the_code,
    a_verified_passkey_counts_as_both_factors_unless_configured_otherwise,
);

async fn a_passkey_with_presence_only_asks_for_the_code(backend: Backend) {
    with_passkeys(
        backend,
        |config| {
            mfa_on(config);
            config.passkey.require_user_verification = false;
        },
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let mut device = Device::presence_only();
            registered(&app, &token, &mut device, "").await;
            let mut ada = turned_on(
                &app,
                token,
                Some(json!({ "current_password": super::PASSWORD })),
            )
            .await;
            let mfa_token =
                assert_mfa_required(&sign_in(&app, &mut device, "ada@example.com").await);
            let code = ada.app.next_code().await;
            assert_signed_in(&verify(&app, &mfa_token, &code).await, "ada@example.com");
        },
    )
    .await;
}

async fn a_verified_passkey_counts_as_both_factors_unless_configured_otherwise(backend: Backend) {
    with_passkeys(backend, mfa_on, |app| async move {
        let token = user(&app, "ada@example.com").await;
        let mut device = Device::verifying();
        registered(&app, &token, &mut device, "").await;
        let ada = turned_on(&app, token, None).await;
        assert_signed_in(
            &sign_in(&app, &mut device, "ada@example.com").await,
            "ada@example.com",
        );
        // The same user and passkey on an instance that wants a code after every passkey.
        let mut config = app.auth.config().clone();
        config.mfa.verified_passkey_is_two_factors = false;
        let strict = app.another_instance_configured(config).await;
        let mfa_token =
            assert_mfa_required(&sign_in(&strict, &mut device, "ada@example.com").await);
        verify(&strict, &mfa_token, "0000-0000-0000")
            .await
            .assert_unauthorized();
        let signed_in = verify(&strict, &mfa_token, &ada.recovery_codes[0]).await;
        assert_signed_in(&signed_in, "ada@example.com");
    })
    .await;
}
