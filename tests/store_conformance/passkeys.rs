//! Passkeys: a credential id belongs to one user, a sign-in is recorded only while the signature counter moves
//! forward (one compare-and-set, however many race), and nobody deletes their last way to sign in.

use fullauth::store::{
    AddPasskey, NewOAuthUser, OAuthAccountStore, PasskeyOf, PasskeyStore, PasskeyUse, Removal,
    RemovePasskey, Unlink,
};
use fullauth::{FullAuthUser, OAuthAccountMixin, PasskeyMixin};
use fullauth_tests::models::User;

use super::{Store, in_parallel, inserted, now, user};

fn passkeys<S: Store>(store: &S) -> &dyn PasskeyStore<User> {
    store
        .passkey_store()
        .expect("the test user declares a passkey model, so the store keeps passkeys")
}

fn oauth<S: Store>(store: &S) -> &dyn OAuthAccountStore<User> {
    store
        .oauth_account_store()
        .expect("the test user declares an OAuth-account model")
}

fn passkey(user_id: uuid::Uuid, credential: &str) -> PasskeyOf<User> {
    PasskeyMixin {
        id: uuid::Uuid::now_v7(),
        user_id,
        credential_id: credential.to_owned(),
        credential_digest: format!("{credential:0>64}"),
        credential: format!("{{\"cred\":\"{credential}\",\"counter\":0}}"),
        sign_count: 0,
        device_name: format!("key {credential}"),
        transports: "internal,hybrid".to_owned(),
        backed_up: false,
        created_at: now(),
        last_used_at: None,
    }
}

fn used(
    passkey: &PasskeyOf<User>,
    sign_count: i64,
    credential: &'static str,
) -> PasskeyUse<'static> {
    PasskeyUse {
        id: passkey.id,
        credential,
        sign_count,
        backed_up: true,
        used_at: now(),
    }
}

/// A user without a password, signed up through Google.
async fn passwordless<S: Store>(store: &S, email: &str) -> User {
    let user = user(email);
    let link = OAuthAccountMixin {
        id: uuid::Uuid::now_v7(),
        user_id: *user.id(),
        provider: "google".into(),
        provider_user_id: email.into(),
        provider_email: Some(email.into()),
        access_token: None,
        refresh_token: None,
        expires_at: None,
        created_at: now(),
        updated_at: now(),
    };
    let NewOAuthUser::Created { id } = oauth(store)
        .create_user_with_oauth_account(&user, &link)
        .await
        .unwrap()
    else {
        panic!("{email} was taken");
    };
    store.user_by_id(&id).await.unwrap().unwrap()
}

pub async fn passkeys_are_added_found_and_listed<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let first = passkey(*ada.id(), "first");
    let mut second = passkey(*ada.id(), "second");
    second.created_at = first.created_at + time::Duration::seconds(1);
    second.device_name = String::new();
    second.backed_up = true;
    second.sign_count = 12;
    for added in [&second, &first] {
        assert_eq!(
            passkeys(&store).add_passkey(added, 20).await.unwrap(),
            AddPasskey::Added
        );
    }
    assert_eq!(
        passkeys(&store).passkeys_of(ada.id()).await.unwrap(),
        vec![first.clone(), second.clone()],
        "oldest first, every column as written"
    );
    assert_eq!(
        passkeys(&store)
            .passkey_by_digest(&second.credential_digest)
            .await
            .unwrap(),
        Some(second)
    );
    assert_eq!(
        passkeys(&store)
            .passkey_by_digest(&"0".repeat(64))
            .await
            .unwrap(),
        None
    );
    let nobody = passkey(uuid::Uuid::now_v7(), "orphan");
    assert_eq!(
        passkeys(&store).add_passkey(&nobody, 20).await.unwrap(),
        AddPasskey::UserNotFound
    );
    let grace = inserted(&store, "grace@example.com").await;
    assert!(
        passkeys(&store)
            .passkeys_of(grace.id())
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn a_credential_belongs_to_one_user<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let grace = inserted(&store, "grace@example.com").await;
    let original = passkey(*ada.id(), "shared");
    passkeys(&store).add_passkey(&original, 20).await.unwrap();
    for owner in [*grace.id(), *ada.id()] {
        let again = passkey(owner, "shared");
        assert_eq!(
            passkeys(&store).add_passkey(&again, 20).await.unwrap(),
            AddPasskey::CredentialTaken
        );
    }
    assert!(
        passkeys(&store)
            .passkeys_of(grace.id())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        passkeys(&store).passkeys_of(ada.id()).await.unwrap(),
        vec![original]
    );
}

pub async fn parallel_registrations_of_one_credential_keep_one<S: Store>(store: S) {
    let mut owners = Vec::new();
    for index in 0..4 {
        owners.push(
            *inserted(&store, &format!("user{index}@example.com"))
                .await
                .id(),
        );
    }
    let outcomes = in_parallel(8, |index| {
        let store = store.clone();
        let owner = owners[index % owners.len()];
        async move {
            passkeys(&store)
                .add_passkey(&passkey(owner, "raced"), 20)
                .await
                .unwrap()
        }
    })
    .await;
    let added = outcomes
        .iter()
        .filter(|outcome| **outcome == AddPasskey::Added)
        .count();
    assert_eq!(added, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .all(|outcome| matches!(outcome, AddPasskey::Added | AddPasskey::CredentialTaken)),
        "{outcomes:?}"
    );
    let mut stored = 0;
    for owner in &owners {
        stored += passkeys(&store).passkeys_of(owner).await.unwrap().len();
    }
    assert_eq!(stored, 1);
}

pub async fn a_use_is_recorded_only_while_the_counter_advances<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let counting = passkey(*ada.id(), "counting");
    let uncounted = passkey(*ada.id(), "uncounted");
    passkeys(&store).add_passkey(&counting, 20).await.unwrap();
    passkeys(&store).add_passkey(&uncounted, 20).await.unwrap();
    let record = async |passkey: &PasskeyOf<User>, count: i64, credential: &'static str| {
        passkeys(&store)
            .record_passkey_use(&used(passkey, count, credential))
            .await
            .unwrap()
    };
    assert!(record(&counting, 5, "{\"counter\":5}").await);
    assert!(record(&counting, 7, "{\"counter\":7}").await);
    assert!(
        !record(&counting, 7, "{\"counter\":7,\"again\":1}").await,
        "no move"
    );
    assert!(!record(&counting, 6, "{\"counter\":6}").await, "backwards");
    assert!(
        !record(&counting, 0, "{\"counter\":0}").await,
        "back to zero"
    );
    // An authenticator that keeps no counter reports 0 every time.
    assert!(record(&uncounted, 0, "{\"counter\":0,\"used\":1}").await);
    assert!(record(&uncounted, 0, "{\"counter\":0,\"used\":2}").await);
    let stored = passkeys(&store)
        .passkey_by_digest(&counting.credential_digest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.sign_count, 7);
    assert_eq!(stored.credential, "{\"counter\":7}");
    assert!(stored.backed_up);
    assert!(stored.last_used_at.is_some());
    let stored = passkeys(&store)
        .passkey_by_digest(&uncounted.credential_digest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.credential, "{\"counter\":0,\"used\":2}");
    let unknown = passkey(*ada.id(), "unknown");
    assert!(!record(&unknown, 1, "{}").await);
}

pub async fn parallel_uses_record_the_highest_counter<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let key = passkey(*ada.id(), "counting");
    passkeys(&store).add_passkey(&key, 20).await.unwrap();
    let outcomes = in_parallel(8, |index| {
        let store = store.clone();
        let key = key.clone();
        async move {
            let count = i64::try_from(index).unwrap() + 1;
            let credential: &'static str = Box::leak(format!("{{\"counter\":{count}}}").into());
            passkeys(&store)
                .record_passkey_use(&used(&key, count, credential))
                .await
                .unwrap()
        }
    })
    .await;
    assert!(outcomes.iter().any(|recorded| *recorded), "{outcomes:?}");
    let stored = passkeys(&store)
        .passkey_by_digest(&key.credential_digest)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.sign_count, 8, "the counter never moves back");
    assert_eq!(
        stored.credential, "{\"counter\":8}",
        "credential and counter together"
    );
}

pub async fn the_last_way_to_sign_in_cannot_be_deleted<S: Store>(store: S) {
    let grace = passwordless(&store, "grace@example.com").await;
    let first = passkey(*grace.id(), "first");
    passkeys(&store).add_passkey(&first, 20).await.unwrap();
    // The passkey keeps her signed in without the Google link...
    assert_eq!(
        oauth(&store)
            .unlink_oauth_account(grace.id(), "google")
            .await
            .unwrap(),
        Unlink::Done
    );
    // ...and is now her only way in.
    assert_eq!(
        passkeys(&store)
            .delete_passkey(grace.id(), &first.id)
            .await
            .unwrap(),
        RemovePasskey::OnlySignInMethod
    );
    let second = passkey(*grace.id(), "second");
    passkeys(&store).add_passkey(&second, 20).await.unwrap();
    assert_eq!(
        passkeys(&store)
            .delete_passkey(grace.id(), &first.id)
            .await
            .unwrap(),
        RemovePasskey::Done
    );
    assert_eq!(
        passkeys(&store)
            .delete_passkey(grace.id(), &first.id)
            .await
            .unwrap(),
        RemovePasskey::NotFound
    );
    // Someone else's passkey is not found, whoever asks.
    let ada = inserted(&store, "ada@example.com").await;
    assert_eq!(
        passkeys(&store)
            .delete_passkey(ada.id(), &second.id)
            .await
            .unwrap(),
        RemovePasskey::NotFound
    );
    // With a password, every passkey may go.
    let key = passkey(*ada.id(), "ada");
    passkeys(&store).add_passkey(&key, 20).await.unwrap();
    assert_eq!(
        passkeys(&store)
            .delete_passkey(ada.id(), &key.id)
            .await
            .unwrap(),
        RemovePasskey::Done
    );
    assert_eq!(
        passkeys(&store).passkeys_of(grace.id()).await.unwrap(),
        vec![second]
    );
}

pub async fn parallel_deletions_of_the_last_two_passkeys_keep_one<S: Store>(store: S) {
    let grace = passwordless(&store, "grace@example.com").await;
    let keys = [passkey(*grace.id(), "one"), passkey(*grace.id(), "two")];
    for key in &keys {
        passkeys(&store).add_passkey(key, 20).await.unwrap();
    }
    oauth(&store)
        .unlink_oauth_account(grace.id(), "google")
        .await
        .unwrap();
    let id = *grace.id();
    let ids = [keys[0].id, keys[1].id];
    let outcomes = in_parallel(2, |index| {
        let store = store.clone();
        async move {
            passkeys(&store)
                .delete_passkey(&id, &ids[index])
                .await
                .unwrap()
        }
    })
    .await;
    let mut sorted = outcomes.clone();
    sorted.sort_by_key(|outcome| format!("{outcome:?}"));
    assert_eq!(
        sorted,
        vec![RemovePasskey::Done, RemovePasskey::OnlySignInMethod]
    );
    assert_eq!(passkeys(&store).passkeys_of(&id).await.unwrap().len(), 1);
}

pub async fn deleting_a_user_deletes_its_passkeys<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let grace = inserted(&store, "grace@example.com").await;
    for (owner, name) in [(&ada, "a1"), (&ada, "a2"), (&grace, "g1")] {
        passkeys(&store)
            .add_passkey(&passkey(*owner.id(), name), 20)
            .await
            .unwrap();
    }
    assert_eq!(
        passkeys(&store)
            .delete_passkeys_of(grace.id())
            .await
            .unwrap(),
        1
    );
    assert!(
        passkeys(&store)
            .passkeys_of(grace.id())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(matches!(
        store.delete_user(ada.id(), now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert_eq!(
        passkeys(&store)
            .passkey_by_digest(&format!("{:0>64}", "a1"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        passkeys(&store).delete_passkeys_of(ada.id()).await.unwrap(),
        0
    );
}

pub async fn a_user_has_at_most_the_limit_of_passkeys<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let grace = inserted(&store, "grace@example.com").await;
    let id = *ada.id();
    let outcomes = in_parallel(6, |index| {
        let store = store.clone();
        async move {
            passkeys(&store)
                .add_passkey(&passkey(id, &format!("key{index}")), 3)
                .await
                .unwrap()
        }
    })
    .await;
    let added = outcomes
        .iter()
        .filter(|outcome| **outcome == AddPasskey::Added)
        .count();
    assert_eq!(added, 3, "{outcomes:?}");
    assert!(outcomes.contains(&AddPasskey::LimitReached), "{outcomes:?}");
    assert_eq!(
        passkeys(&store).passkeys_of(ada.id()).await.unwrap().len(),
        3
    );
    assert_eq!(
        passkeys(&store)
            .add_passkey(&passkey(*grace.id(), "grace"), 3)
            .await
            .unwrap(),
        AddPasskey::Added,
        "the limit is per user"
    );
}
