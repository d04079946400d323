//! Deleting or deactivating users never leaves the system without an active superuser, even when two removals
//! race: of the last two superusers removed at once, one stays.

use fullauth::FullAuthUser;
use fullauth::store::{InsertUser, Removal};
use fullauth_tests::models::User;

use super::{Store, now, user};

async fn superuser<S: Store>(store: &S, email: &str) -> User {
    let mut user = user(email);
    user.auth.is_superuser = true;
    let InsertUser::Inserted { id } = store.insert_user(&user).await.unwrap() else {
        panic!("{email} was taken");
    };
    user.auth.id = id;
    user
}

pub async fn the_last_active_superuser_cannot_be_removed<S: Store>(store: S) {
    let ada = superuser(&store, "ada@example.com").await;
    let bob = superuser(&store, "bob@example.com").await;
    let carol = super::inserted(&store, "carol@example.com").await;
    // Removing one of two is fine; then the other is the last.
    assert!(matches!(
        store.set_active(bob.id(), false, now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert_eq!(
        store.set_active(ada.id(), false, now()).await.unwrap(),
        Removal::LastSuperuser
    );
    assert_eq!(
        store.delete_user(ada.id(), now()).await.unwrap(),
        Removal::LastSuperuser
    );
    let kept = store.user_by_id(ada.id()).await.unwrap().unwrap();
    assert!(kept.is_active() && kept.is_superuser());
    // An inactive superuser does not count, and may go; users who are not superusers are never held.
    assert!(matches!(
        store.delete_user(bob.id(), now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert!(matches!(
        store.set_active(carol.id(), false, now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert!(matches!(
        store.delete_user(carol.id(), now()).await.unwrap(),
        Removal::Done(_)
    ));
    // Activating is never refused.
    assert!(matches!(
        store.set_active(ada.id(), true, now()).await.unwrap(),
        Removal::Done(_)
    ));
}

pub async fn parallel_removals_of_the_last_two_superusers_keep_one<S: Store>(store: S) {
    let mut survivor: Option<User> = None;
    for round in 0..6 {
        let ada = superuser(&store, &format!("ada{round}@example.com")).await;
        let bob = superuser(&store, &format!("bob{round}@example.com")).await;
        // The last round's survivor goes, so that ada and bob are the only active superusers.
        if let Some(previous) = survivor.take() {
            assert!(matches!(
                store.delete_user(previous.id(), now()).await.unwrap(),
                Removal::Done(_)
            ));
        }
        // Removing each other at once: exactly one of the two is refused.
        let (first, second) = if round % 2 == 1 {
            tokio::join!(
                store.delete_user(ada.id(), now()),
                store.delete_user(bob.id(), now())
            )
        } else {
            tokio::join!(
                store.set_active(ada.id(), false, now()),
                store.set_active(bob.id(), false, now())
            )
        };
        let outcomes = [first.unwrap(), second.unwrap()];
        let refused: Vec<bool> = outcomes
            .iter()
            .map(|outcome| *outcome == Removal::LastSuperuser)
            .collect();
        assert_eq!(
            refused.iter().filter(|refused| **refused).count(),
            1,
            "round {round}: {outcomes:?}"
        );
        let kept = if refused[0] { ada } else { bob };
        let stored = store.user_by_id(kept.id()).await.unwrap().unwrap();
        assert!(stored.is_active() && stored.is_superuser(), "round {round}");
        survivor = Some(kept);
    }
}
