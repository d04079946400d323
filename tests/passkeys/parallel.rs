//! Races and clones: a ceremony completes once however many try at the same time, and a signature counter that
//! goes backwards refuses the sign-in, is logged and is announced.

use fullauth_tests::inspect::Connection;
use fullauth_tests::{Backend, TestApp};
use futures::future::join_all;

use super::forge::Forged;
use super::{
    Device, assert_sign_in_failed, passkeys_on, register_begin, register_complete, registered,
    sign_in, sign_in_begin, sign_in_complete, user, with_passkeys,
};

on_databases!(
    a_ceremony_begun_on_one_instance_completes_once_on_any_instance_sharing_redis,
    parallel_completions_of_one_sign_in_succeed_once,
    parallel_completions_of_one_registration_store_one_passkey,
    a_counter_that_goes_backwards_refuses_the_sign_in,
);

async fn a_ceremony_begun_on_one_instance_completes_once_on_any_instance_sharing_redis(
    backend: Backend,
) {
    let Some(state) = fullauth_tests::redis::shared_state().await else {
        return;
    };
    let handle = state.clone();
    let Some(first) = TestApp::start_customized(
        backend,
        passkeys_on,
        Box::new(move |builder| builder.shared_state(handle)),
    )
    .await
    else {
        return;
    };
    let handle = state.clone();
    let second = first
        .another_instance_with(Box::new(move |builder| builder.shared_state(handle)))
        .await;
    let token = user(&first, "ada@example.com").await;
    // Registration begun on one instance, completed on the other.
    let begin = register_begin(&first, &token).await;
    let mut device = Device::verifying();
    let credential = device.create(&begin.json);
    let complete =
        register_complete(&second, &token, &begin.str("challenge_key"), credential, "").await;
    assert_eq!(complete.status, 201, "{}", complete.text);
    // One sign-in's assertion, sent to both instances at once: one session.
    let begin = sign_in_begin(&second, Some("ada@example.com")).await;
    let assertion = device.get(&begin.json, None);
    let key = begin.str("challenge_key");
    let (one, other) = tokio::join!(
        sign_in_complete(&first, &key, assertion.clone()),
        sign_in_complete(&second, &key, assertion.clone()),
    );
    let mut statuses = [one.status, other.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 401], "{} / {}", one.text, other.text);
    // An instance with a state of its own knows nothing of the other's ceremonies.
    let alone = first.another_instance().await;
    let begin = sign_in_begin(&first, Some("ada@example.com")).await;
    let assertion = device.get(&begin.json, None);
    assert_sign_in_failed(&sign_in_complete(&alone, &begin.str("challenge_key"), assertion).await);
}

async fn parallel_completions_of_one_sign_in_succeed_once(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let mut device = Device::verifying();
            registered(&app, &token, &mut device, "").await;
            let begin = sign_in_begin(&app, Some("ada@example.com")).await;
            let assertion = device.get(&begin.json, None);
            let key = begin.str("challenge_key");
            let answers =
                join_all((0..8).map(|_| sign_in_complete(&app, &key, assertion.clone()))).await;
            let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
            assert_eq!(
                statuses.iter().filter(|status| **status == 200).count(),
                1,
                "{statuses:?}"
            );
            assert_eq!(
                statuses.iter().filter(|status| **status == 401).count(),
                7,
                "{statuses:?}"
            );
        },
    )
    .await;
}

async fn parallel_completions_of_one_registration_store_one_passkey(backend: Backend) {
    with_passkeys(
        backend,
        |_| {},
        |app| async move {
            let token = user(&app, "ada@example.com").await;
            let begin = register_begin(&app, &token).await;
            let key = begin.str("challenge_key");
            let answers = join_all((0..8).map(|_| {
                let credential = Forged::new().credential(&begin.json);
                register_complete(&app, &token, &key, credential, "")
            }))
            .await;
            let statuses: Vec<u16> = answers.iter().map(|answer| answer.status).collect();
            assert_eq!(
                statuses.iter().filter(|status| **status == 201).count(),
                1,
                "{statuses:?}"
            );
            assert_eq!(
                statuses.iter().filter(|status| **status == 400).count(),
                7,
                "{statuses:?}"
            );
            assert_eq!(super::passkeys(&app, &token).await.len(), 1);
        },
    )
    .await;
}

async fn a_counter_that_goes_backwards_refuses_the_sign_in(backend: Backend) {
    let Some((app, events)) = super::with_event_log(backend).await else {
        return;
    };
    let token = user(&app, "ada@example.com").await;
    let mut device = Device::verifying();
    registered(&app, &token, &mut device, "").await;
    let signed_in = sign_in(&app, &mut device, "ada@example.com").await;
    assert_eq!(signed_in.status, 200, "{}", signed_in.text);
    // Another copy of the authenticator signed 100 times meanwhile: this one's counter is now behind.
    let mut db = Connection::open(&app.db).await;
    db.set_passkey_counters("ada@example.com", 100).await;
    let before = super::passkeys(&app, &token).await;
    assert_sign_in_failed(&sign_in(&app, &mut device, "ada@example.com").await);
    assert_eq!(
        super::passkeys(&app, &token).await,
        before,
        "nothing recorded"
    );
    assert_eq!(
        events.named("passkey_counter_regressed", 1).await,
        ["ada@example.com"]
    );
}
