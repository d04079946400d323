//! Sign-ins with assertions built byte by byte (see `forge.rs`), where a test needs a counter or a flag no software
//! authenticator gives: counters of 0, counters that stand still or go back, presence missing, another RP id,
//! and user verification under each policy.

use fullauth_tests::{Backend, TestApp};
use futures::future::join_all;
use serde_json::Value;

use super::forge::{AT, Forged, ForgedAssertion, UP, UV};
use super::{
    assert_sign_in_failed, passkeys_on, register_begin, register_complete, sign_in_begin,
    sign_in_complete, user, with_passkeys,
};

on_databases!(
    counters_of_zero_sign_in_every_time,
    a_counter_signs_in_only_moving_forward,
    a_lost_counter_race_is_announced_as_a_regression,
    presence_missing_or_another_rp_id_or_origin_is_refused,
    a_discoverable_sign_in_needs_the_user_handle,
    parallel_completions_with_counters_of_zero_succeed_once,
    without_required_verification_a_verified_passkey_signs_in_unverified,
    required_verification_holds_for_every_passkey,
);

/// Ada with a forged passkey registered with `flags`; her access token.
async fn ada_with_forged_passkey(app: &TestApp, flags: u8) -> (String, Forged) {
    let token = user(app, "ada@example.com").await;
    let mut forged = Forged::new();
    forged.flags = flags;
    let begin = register_begin(app, &token).await;
    let complete = register_complete(
        app,
        &token,
        &begin.str("challenge_key"),
        forged.credential(&begin.json),
        "",
    )
    .await;
    assert_eq!(complete.status, 201, "{}", complete.text);
    (token, forged)
}

/// A sign-in naming Ada, completed with `assertion`.
async fn sign_in_with(
    app: &TestApp,
    forged: &Forged,
    assertion: &ForgedAssertion,
) -> fullauth_tests::TestResponse {
    let begin = sign_in_begin(app, Some("ada@example.com")).await;
    let credential = assertion.credential(forged, &begin.json, None);
    sign_in_complete(app, &begin.str("challenge_key"), credential).await
}

async fn counters_of_zero_sign_in_every_time(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            for _ in 0..3 {
                let signed_in = sign_in_with(&app, &forged, &ForgedAssertion::counting(0)).await;
                assert_eq!(signed_in.status, 200, "{}", signed_in.text);
            }
            let listed = super::passkeys(&app, &token).await;
            assert!(listed[0]["last_used_at"].is_string(), "{listed:?}");
        },
    )
    .await;
}

async fn a_counter_signs_in_only_moving_forward(backend: Backend) {
    let Some((app, events)) = super::with_event_log(backend).await else {
        return;
    };
    let (_, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
    let expect = |counter: u32, status: u16| {
        let app = &app;
        let forged = &forged;
        async move {
            let answer = sign_in_with(app, forged, &ForgedAssertion::counting(counter)).await;
            assert_eq!(answer.status, status, "counter {counter}: {}", answer.text);
        }
    };
    expect(5, 200).await;
    expect(5, 401).await;
    expect(3, 401).await;
    expect(0, 401).await;
    expect(6, 200).await;
    assert_eq!(
        events.named("passkey_counter_regressed", 3).await,
        ["ada@example.com"; 3]
    );
}

async fn a_lost_counter_race_is_announced_as_a_regression(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (_, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            // Two copies of one authenticator sign with the same counter at once, each in a sign-in of its own.
            let first = sign_in_begin(&app, Some("ada@example.com")).await;
            let second = sign_in_begin(&app, Some("ada@example.com")).await;
            let (first_key, second_key) = (first.str("challenge_key"), second.str("challenge_key"));
            let assertion = ForgedAssertion::counting(9);
            let (one, other) = tokio::join!(
                sign_in_complete(
                    &app,
                    &first_key,
                    assertion.credential(&forged, &first.json, None)
                ),
                sign_in_complete(
                    &app,
                    &second_key,
                    assertion.credential(&forged, &second.json, None)
                ),
            );
            let mut statuses = [one.status, other.status];
            statuses.sort_unstable();
            assert_eq!(statuses, [200, 401], "{} / {}", one.text, other.text);
        },
    )
    .await;
}

async fn presence_missing_or_another_rp_id_or_origin_is_refused(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            let mut without_presence = ForgedAssertion::counting(1);
            without_presence.flags = UV;
            let mut other_rp = ForgedAssertion::counting(2);
            other_rp.rp_id = "example.com".into();
            let mut other_origin = ForgedAssertion::counting(3);
            other_origin.origin = "http://localhost:8001".into();
            for assertion in [without_presence, other_rp, other_origin] {
                assert_sign_in_failed(&sign_in_with(&app, &forged, &assertion).await);
            }
            let listed = super::passkeys(&app, &token).await;
            assert_eq!(listed[0]["last_used_at"], Value::Null);
            let signed_in = sign_in_with(&app, &forged, &ForgedAssertion::counting(1)).await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        },
    )
    .await;
}

async fn a_discoverable_sign_in_needs_the_user_handle(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (token, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            let id = app.user_id(&token).await;
            let begin = sign_in_begin(&app, None).await;
            let credential = ForgedAssertion::counting(0).credential(&forged, &begin.json, None);
            assert_sign_in_failed(
                &sign_in_complete(&app, &begin.str("challenge_key"), credential).await,
            );
            let begin = sign_in_begin(&app, None).await;
            let credential =
                ForgedAssertion::counting(0).credential(&forged, &begin.json, id.as_str());
            let signed_in = sign_in_complete(&app, &begin.str("challenge_key"), credential).await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
        },
    )
    .await;
}

async fn parallel_completions_with_counters_of_zero_succeed_once(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let (_, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            // Counters of 0 never conflict: only the ceremony's single use stops the copies.
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let credential = ForgedAssertion::counting(0).credential(&forged, &begin.json, None);
            let key = begin.str("challenge_key");
            let answers =
                join_all((0..8).map(|_| sign_in_complete(&app, &key, credential.clone()))).await;
            let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
            assert_eq!(
                statuses.iter().filter(|status| **status == 200).count(),
                1,
                "{statuses:?}"
            );
        },
    )
    .await;
}

async fn without_required_verification_a_verified_passkey_signs_in_unverified(backend: Backend) {
    with_passkeys(
        backend,
        |config| config.passkey.require_user_verification = false,
        |app| async move {
            // Registered by an authenticator that verified its user...
            let (_, forged) = ada_with_forged_passkey(&app, UP | UV | AT).await;
            // ...then used where it only tests presence.
            let mut presence = ForgedAssertion::counting(0);
            presence.flags = UP;
            let signed_in = sign_in_with(&app, &forged, &presence).await;
            assert_eq!(signed_in.status, 200, "{}", signed_in.text);
            let mut none = ForgedAssertion::counting(0);
            none.flags = 0;
            assert_sign_in_failed(&sign_in_with(&app, &forged, &none).await);
        },
    )
    .await;
}

async fn required_verification_holds_for_every_passkey(backend: Backend) {
    // Registered while verification was optional, without it...
    let Some(relaxed) = TestApp::start(backend, |config| {
        passkeys_on(config);
        config.passkey.require_user_verification = false;
    })
    .await
    else {
        return;
    };
    let (_, forged) = ada_with_forged_passkey(&relaxed, UP | AT).await;
    // ...the passkey must verify its user once the application requires it.
    let mut strict_config = relaxed.auth.config().clone();
    strict_config.passkey.require_user_verification = true;
    let strict = relaxed.another_instance_configured(strict_config).await;
    let mut presence = ForgedAssertion::counting(0);
    presence.flags = UP;
    assert_sign_in_failed(&sign_in_with(&strict, &forged, &presence).await);
    let signed_in = sign_in_with(&strict, &forged, &ForgedAssertion::counting(0)).await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
}
