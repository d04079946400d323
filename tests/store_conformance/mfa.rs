//! Second factors: one per user, an enrolment that waits for its first code (replaced meanwhile, never once on),
//! a time step accepted once and a recovery code used once, however many race.

use fullauth::store::{Confirmation, Enrolment, MfaOf, MfaStore, Removal};
use fullauth::{FullAuthUser, MfaMixin};
use fullauth_tests::models::User;

use super::{Store, in_parallel, inserted, now};

fn mfa<S: Store>(store: &S) -> &dyn MfaStore<User> {
    store
        .mfa_store()
        .expect("the test user declares an MFA model, so the store keeps second factors")
}

fn enrolment(user_id: uuid::Uuid, secret: &str) -> MfaOf<User> {
    MfaMixin {
        id: uuid::Uuid::now_v7(),
        user_id,
        secret: secret.to_owned(),
        confirmed_at: None,
        last_counter: 0,
        recovery_codes: String::new(),
        created_at: now(),
    }
}

const CODES: &str = "d1,d2,d3";

pub async fn an_enrolment_waits_for_its_first_code_and_is_replaced_meanwhile<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    assert_eq!(mfa(&store).mfa_of(&id).await.unwrap(), None);
    assert_eq!(
        mfa(&store)
            .confirm_mfa(&id, "sealed-1", 10, CODES, now())
            .await
            .unwrap(),
        Confirmation::NotEnrolled
    );
    let first = enrolment(id, "sealed-1");
    assert_eq!(
        mfa(&store).start_mfa_enrolment(&first).await.unwrap(),
        Enrolment::Started
    );
    assert_eq!(mfa(&store).mfa_of(&id).await.unwrap(), Some(first));
    let second = enrolment(id, "sealed-2");
    assert_eq!(
        mfa(&store).start_mfa_enrolment(&second).await.unwrap(),
        Enrolment::Started
    );
    assert_eq!(mfa(&store).mfa_of(&id).await.unwrap(), Some(second.clone()));
    // Nothing counts before the confirmation, and a code checked against the replaced secret confirms nothing.
    assert!(!mfa(&store).accept_mfa_step(&id, 5).await.unwrap());
    assert!(!mfa(&store).use_recovery_code(&id, "d1").await.unwrap());
    assert_eq!(
        mfa(&store)
            .confirm_mfa(&id, "sealed-1", 10, CODES, now())
            .await
            .unwrap(),
        Confirmation::NotEnrolled
    );
    assert!(!mfa(&store).mfa_of(&id).await.unwrap().unwrap().is_enabled());

    let confirmed_at = now();
    assert_eq!(
        mfa(&store)
            .confirm_mfa(&id, "sealed-2", 10, CODES, confirmed_at)
            .await
            .unwrap(),
        Confirmation::Confirmed
    );
    let on = mfa(&store).mfa_of(&id).await.unwrap().unwrap();
    assert!(on.is_enabled());
    assert_eq!(on.confirmed_at, Some(confirmed_at));
    assert_eq!(on.last_counter, 10);
    assert_eq!(on.recovery_codes_remaining(), 3);
    assert_eq!(on.secret, "sealed-2");
    assert_eq!(
        mfa(&store)
            .confirm_mfa(&id, "sealed-2", 11, CODES, now())
            .await
            .unwrap(),
        Confirmation::AlreadyEnabled
    );
    assert_eq!(
        mfa(&store)
            .start_mfa_enrolment(&enrolment(id, "sealed-3"))
            .await
            .unwrap(),
        Enrolment::AlreadyEnabled
    );
    assert_eq!(mfa(&store).mfa_of(&id).await.unwrap(), Some(on));
    assert_eq!(
        mfa(&store)
            .start_mfa_enrolment(&enrolment(uuid::Uuid::now_v7(), "x"))
            .await
            .unwrap(),
        Enrolment::UserNotFound
    );
}

pub async fn a_confirmation_needs_a_step_not_used_yet<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    let mut waiting = enrolment(id, "sealed");
    waiting.last_counter = 100;
    mfa(&store).start_mfa_enrolment(&waiting).await.unwrap();
    for step in [99, 100] {
        assert_eq!(
            mfa(&store)
                .confirm_mfa(&id, "sealed", step, CODES, now())
                .await
                .unwrap(),
            Confirmation::StepUsed
        );
    }
    assert!(!mfa(&store).mfa_of(&id).await.unwrap().unwrap().is_enabled());
    assert_eq!(
        mfa(&store)
            .confirm_mfa(&id, "sealed", 101, CODES, now())
            .await
            .unwrap(),
        Confirmation::Confirmed
    );
}

pub async fn a_step_is_accepted_once_and_only_forward<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    mfa(&store)
        .start_mfa_enrolment(&enrolment(id, "s"))
        .await
        .unwrap();
    mfa(&store)
        .confirm_mfa(&id, "s", 10, CODES, now())
        .await
        .unwrap();
    assert!(
        !mfa(&store).accept_mfa_step(&id, 10).await.unwrap(),
        "confirmation used it"
    );
    let accepted = in_parallel(8, |_| {
        let store = store.clone();
        async move { mfa(&store).accept_mfa_step(&id, 11).await.unwrap() }
    })
    .await;
    assert_eq!(accepted.iter().filter(|accepted| **accepted).count(), 1);
    assert!(
        !mfa(&store).accept_mfa_step(&id, 9).await.unwrap(),
        "backwards"
    );
    assert!(mfa(&store).accept_mfa_step(&id, 12).await.unwrap());
    assert_eq!(
        mfa(&store).mfa_of(&id).await.unwrap().unwrap().last_counter,
        12
    );
}

pub async fn a_recovery_code_is_used_once<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    mfa(&store)
        .start_mfa_enrolment(&enrolment(id, "s"))
        .await
        .unwrap();
    mfa(&store)
        .confirm_mfa(&id, "s", 1, "d0,d1,d2,d3,d4,d5,d6,d7,d8,d9", now())
        .await
        .unwrap();
    // One code, eight requests: one uses it.
    let used = in_parallel(8, |_| {
        let store = store.clone();
        async move { mfa(&store).use_recovery_code(&id, "d0").await.unwrap() }
    })
    .await;
    assert_eq!(used.iter().filter(|used| **used).count(), 1);
    // Eight codes at once: every one is used, none lost.
    let used = in_parallel(8, |index| {
        let store = store.clone();
        async move {
            let digest = format!("d{}", index + 1);
            mfa(&store).use_recovery_code(&id, &digest).await.unwrap()
        }
    })
    .await;
    assert!(used.iter().all(|used| *used), "{used:?}");
    let left = mfa(&store).mfa_of(&id).await.unwrap().unwrap();
    assert_eq!(left.recovery_codes, "d9");
    assert!(!mfa(&store).use_recovery_code(&id, "d1").await.unwrap());
    assert!(!mfa(&store).use_recovery_code(&id, "").await.unwrap());
    assert!(!mfa(&store).use_recovery_code(&id, "d9,d8").await.unwrap());
    assert!(mfa(&store).use_recovery_code(&id, "d9").await.unwrap());
    assert_eq!(
        mfa(&store)
            .mfa_of(&id)
            .await
            .unwrap()
            .unwrap()
            .recovery_codes_remaining(),
        0
    );
}

pub async fn turning_mfa_off_or_deleting_the_user_deletes_it<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let grace = inserted(&store, "grace@example.com").await;
    for user in [&ada, &grace] {
        mfa(&store)
            .start_mfa_enrolment(&enrolment(*user.id(), "s"))
            .await
            .unwrap();
        mfa(&store)
            .confirm_mfa(user.id(), "s", 1, CODES, now())
            .await
            .unwrap();
    }
    assert!(mfa(&store).disable_mfa(ada.id()).await.unwrap());
    assert!(!mfa(&store).disable_mfa(ada.id()).await.unwrap());
    assert_eq!(mfa(&store).mfa_of(ada.id()).await.unwrap(), None);
    assert_eq!(
        mfa(&store)
            .start_mfa_enrolment(&enrolment(*ada.id(), "again"))
            .await
            .unwrap(),
        Enrolment::Started
    );
    assert!(matches!(
        store.delete_user(grace.id(), now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert_eq!(mfa(&store).mfa_of(grace.id()).await.unwrap(), None);
}
