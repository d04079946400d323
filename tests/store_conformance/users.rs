//! The accounts in the store contract: [`fullauth::store::UserStore`].

use std::time::Duration;

use fullauth::store::{ExpectedHash, InsertUser, Removal, UserQuery};
use fullauth::{FullAuth, FullAuthUser, UserId};
use fullauth_tests::models::UserPatch;
use time::macros::datetime;

use super::{Store, in_parallel, inserted, next, now, token, user};

const DAY: Duration = Duration::from_secs(86_400);

pub async fn users_round_trip_with_every_field_type<S: Store>(store: S) {
    let mut ada = user("ada@example.com");
    ada.auth.hashed_password = Some("$argon2id$v=19$stored".into());
    ada.auth.is_verified = true;
    ada.display_name = "Ada Lovelace — ∑ 🧮".into();
    ada.age = -36;
    ada.nickname = Some("countess".into());
    ada.newsletter = true;
    ada.internal_note = "it's \"quoted\"".into();
    ada.last_seen_at = Some(datetime!(2026-01-02 03:04:05.123456 UTC));
    ada.points = i64::MAX;
    ada.rating = Some(4.25);
    ada.referrer = Some(uuid::Uuid::now_v7());
    let InsertUser::Inserted { id } = store.insert_user(&ada).await.unwrap() else {
        panic!("taken")
    };
    assert_eq!(&id, ada.id());
    assert_eq!(store.user_by_id(&id).await.unwrap(), Some(ada.clone()));
    assert_eq!(
        store.user_by_email("ada@example.com").await.unwrap(),
        Some(ada.clone())
    );

    let bob = inserted(&store, "bob@example.com").await;
    let stored = store.user_by_id(bob.id()).await.unwrap().unwrap();
    assert_eq!(
        (
            stored.nickname,
            stored.last_seen_at,
            stored.rating,
            stored.referrer
        ),
        (None, None, None, None)
    );
    assert_eq!(store.user_by_id(&uuid::Uuid::now_v7()).await.unwrap(), None);
    assert_eq!(
        store.user_by_email("nobody@example.com").await.unwrap(),
        None
    );
}

pub async fn emails_are_stored_normalized<S: Store>(store: S) {
    let auth = FullAuth::builder()
        .adapter(store.clone())
        .config(fullauth_tests::app::test_config())
        .build()
        .unwrap();
    let mut ada = user("placeholder@example.com");
    ada.auth.email = "  Ada.Lovelace@Example.COM ".into();
    let fullauth::Registration::Created(created) = auth
        .register(ada, "a long enough password".into())
        .await
        .unwrap()
    else {
        panic!("taken")
    };
    assert_eq!(created.email(), "ada.lovelace@example.com");
    let stored = store
        .user_by_email("ada.lovelace@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.id(), created.id());
    let mut again = user("placeholder@example.com");
    again.auth.email = "ADA.LOVELACE@example.com".into();
    let taken = auth
        .register(again, "another long password".into())
        .await
        .unwrap();
    assert!(matches!(taken, fullauth::Registration::EmailTaken));
}

pub async fn parallel_inserts_of_one_email_keep_one<S: Store>(store: S) {
    let outcomes = in_parallel(20, |_| {
        let store = store.clone();
        async move { store.insert_user(&user("race@example.com")).await.unwrap() }
    })
    .await;
    let inserted = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, InsertUser::Inserted { .. }))
        .count();
    assert_eq!(inserted, 1, "{outcomes:?}");
    assert_eq!(
        outcomes
            .iter()
            .filter(|outcome| **outcome == InsertUser::EmailTaken)
            .count(),
        19
    );
    assert!(
        store
            .user_by_email("race@example.com")
            .await
            .unwrap()
            .is_some()
    );
}

pub async fn updates_write_only_the_fields_set<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let patch = UserPatch {
        display_name: Some("Ada".into()),
        nickname: Some(Some("countess".into())),
        points: Some(7),
        ..UserPatch::default()
    };
    let updated = store.update_user(ada.id(), &patch).await.unwrap().unwrap();
    assert_eq!(
        (
            updated.display_name.as_str(),
            updated.nickname.as_deref(),
            updated.points
        ),
        ("Ada", Some("countess"), 7)
    );
    assert_eq!(
        (updated.age, &updated.auth),
        (ada.age, &ada.auth),
        "the rest is untouched"
    );
    let cleared = store
        .update_user(
            ada.id(),
            &UserPatch {
                nickname: Some(None),
                ..UserPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.unwrap().nickname, None);
    assert_eq!(
        store
            .update_user(&uuid::Uuid::now_v7(), &patch)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .user_by_id(ada.id())
            .await
            .unwrap()
            .unwrap()
            .display_name,
        "Ada"
    );
}

pub async fn password_hash_replacement_is_conditional<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let current = ada.auth.hashed_password.clone().unwrap();
    assert!(
        !store
            .replace_password_hash(ada.id(), "not the current hash", "new")
            .await
            .unwrap()
    );
    assert!(
        store
            .replace_password_hash(ada.id(), &current, "upgraded")
            .await
            .unwrap()
    );
    assert!(
        !store
            .replace_password_hash(ada.id(), &current, "again")
            .await
            .unwrap(),
        "it changed meanwhile"
    );
    let stored = store.user_by_id(ada.id()).await.unwrap().unwrap();
    assert_eq!(stored.auth.hashed_password.as_deref(), Some("upgraded"));
}

pub async fn deleting_a_user_deletes_its_sessions<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let first = token(&ada, "a1", None, DAY);
    let second = token(&ada, "a2", None, DAY);
    assert!(store.open_session(&first, None).await.unwrap());
    assert!(store.open_session(&second, None).await.unwrap());
    assert!(
        store
            .open_session(&token(&bob, "b1", None, DAY), None)
            .await
            .unwrap()
    );
    let Removal::Done(mut families) = store.delete_user(ada.id(), now()).await.unwrap() else {
        panic!("ada was deleted");
    };
    families.sort();
    let mut expected = vec![first.family_id, second.family_id];
    expected.sort();
    assert_eq!(families, expected);
    assert_eq!(store.user_by_id(ada.id()).await.unwrap(), None);
    assert_eq!(store.user_by_email("ada@example.com").await.unwrap(), None);
    assert_eq!(store.refresh_token("a1").await.unwrap(), None);
    assert!(store.refresh_token("b1").await.unwrap().is_some());
    assert_eq!(
        store.delete_user(ada.id(), now()).await.unwrap(),
        Removal::NotFound
    );
    let again = store.insert_user(&user("ada@example.com")).await.unwrap();
    assert!(
        matches!(again, InsertUser::Inserted { .. }),
        "the email is free again"
    );
}

pub async fn a_password_change_revokes_every_session<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let first = token(&ada, "a1", None, DAY);
    let second = token(&ada, "a2", None, DAY);
    for row in [&first, &second, &token(&bob, "b1", None, DAY)] {
        assert!(store.open_session(row, None).await.unwrap());
    }
    store
        .rotate_refresh_token("a1", &next("a1-next"), now())
        .await
        .unwrap();
    let mut families = store
        .change_password(ada.id(), ExpectedHash::Any, "new hash", now())
        .await
        .unwrap()
        .unwrap();
    families.sort();
    let mut expected = vec![first.family_id, second.family_id];
    expected.sort();
    assert_eq!(families, expected);
    for digest in ["a1-next", "a2"] {
        assert!(
            !store
                .refresh_token(digest)
                .await
                .unwrap()
                .unwrap()
                .is_live(now()),
            "{digest}"
        );
    }
    assert!(
        store
            .refresh_token("b1")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
    let stored = store.user_by_id(ada.id()).await.unwrap().unwrap();
    assert_eq!(stored.auth.hashed_password.as_deref(), Some("new hash"));
    assert_eq!(
        store
            .change_password(&uuid::Uuid::now_v7(), ExpectedHash::Any, "x", now())
            .await
            .unwrap(),
        None
    );
}

pub async fn password_changes_only_over_the_expected_hash<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let current = ada.auth.hashed_password.clone().unwrap();
    assert!(
        store
            .open_session(&token(&ada, "s", None, DAY), None)
            .await
            .unwrap()
    );
    let stale = store
        .change_password(ada.id(), ExpectedHash::Exactly(Some("stale")), "x", now())
        .await
        .unwrap();
    assert_eq!(stale, None, "nothing changes over another hash");
    assert!(
        store
            .refresh_token("s")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );
    let none = store
        .change_password(ada.id(), ExpectedHash::Exactly(None), "x", now())
        .await
        .unwrap();
    assert_eq!(none, None, "the user has a password");
    let outcomes = in_parallel(10, |index| {
        let (store, current, id) = (store.clone(), current.clone(), *ada.id());
        async move {
            let new = format!("new-{index}");
            store
                .change_password(&id, ExpectedHash::Exactly(Some(&current)), &new, now())
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(
        outcomes.iter().filter(|outcome| outcome.is_some()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        !store
            .refresh_token("s")
            .await
            .unwrap()
            .unwrap()
            .is_live(now())
    );

    let mut oauth_only = user("oauth@example.com");
    oauth_only.auth.hashed_password = None;
    let InsertUser::Inserted { id } = store.insert_user(&oauth_only).await.unwrap() else {
        panic!("taken")
    };
    let set = store
        .change_password(&id, ExpectedHash::Exactly(None), "first", now())
        .await
        .unwrap();
    assert_eq!(set, Some(Vec::new()));
}

pub async fn an_email_is_verified_once_and_only_as_sent<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    assert!(
        !store
            .mark_email_verified(ada.id(), "old@example.com")
            .await
            .unwrap(),
        "another address"
    );
    let outcomes = in_parallel(10, |_| {
        let (store, id) = (store.clone(), *ada.id());
        async move {
            store
                .mark_email_verified(&id, "ada@example.com")
                .await
                .unwrap()
        }
    })
    .await;
    assert_eq!(outcomes.iter().filter(|verified| **verified).count(), 1);
    assert!(
        store
            .user_by_id(ada.id())
            .await
            .unwrap()
            .unwrap()
            .is_verified()
    );
    assert!(
        !store
            .mark_email_verified(&uuid::Uuid::now_v7(), "ada@example.com")
            .await
            .unwrap()
    );
}

pub async fn users_are_listed_in_pages_with_a_filter<S: Store>(store: S) {
    let mut ids = Vec::new();
    for name in ["carol", "ada", "bob_1", "bob%2", "dave"] {
        ids.push(
            inserted(&store, &format!("{name}@example.com"))
                .await
                .id()
                .to_string(),
        );
    }
    let page = |filter: Option<&str>, limit: u32, offset: u64| UserQuery {
        email_contains: filter.map(str::to_owned),
        limit,
        offset,
    };
    let emails = |users: Vec<fullauth_tests::models::User>| -> Vec<String> {
        users.into_iter().map(|user| user.auth.email).collect()
    };

    let all = store.list_users(&page(None, 10, 0)).await.unwrap();
    assert_eq!(all.total, 5);
    // Oldest first: the insertion order.
    let listed: Vec<String> = all.users.iter().map(|user| user.id().to_string()).collect();
    assert_eq!(listed, ids);

    let second = store.list_users(&page(None, 2, 2)).await.unwrap();
    assert_eq!(second.total, 5);
    assert_eq!(
        emails(second.users),
        vec!["bob_1@example.com", "bob%2@example.com"]
    );
    let beyond = store.list_users(&page(None, 2, 10)).await.unwrap();
    assert_eq!((beyond.users.len(), beyond.total), (0, 5));

    let bobs = store.list_users(&page(Some("bob"), 10, 0)).await.unwrap();
    assert_eq!(bobs.total, 2);
    // `%` and `_` match themselves only.
    let percent = store.list_users(&page(Some("b%"), 10, 0)).await.unwrap();
    assert_eq!(emails(percent.users), vec!["bob%2@example.com"]);
    let underscore = store.list_users(&page(Some("b_1"), 10, 0)).await.unwrap();
    assert_eq!(emails(underscore.users), vec!["bob_1@example.com"]);
    let none = store.list_users(&page(Some("o_b"), 10, 0)).await.unwrap();
    assert_eq!((none.users.len(), none.total), (0, 0));
}

pub async fn deactivation_ends_every_session<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let first = token(&ada, "first", None, DAY);
    let second = token(&ada, "second", None, DAY);
    assert!(store.open_session(&first, None).await.unwrap());
    assert!(store.open_session(&second, None).await.unwrap());

    let Removal::Done(mut ended) = store.set_active(ada.id(), false, now()).await.unwrap() else {
        panic!("ada was deactivated");
    };
    ended.sort_unstable();
    let mut expected = vec![first.family_id, second.family_id];
    expected.sort_unstable();
    assert_eq!(ended, expected);
    let stored = store.user_by_id(ada.id()).await.unwrap().unwrap();
    assert!(!stored.is_active());
    assert!(store.sessions(ada.id(), now()).await.unwrap().is_empty());
    // An inactive user cannot sign in.
    assert!(
        !store
            .open_session(&token(&ada, "third", None, DAY), None)
            .await
            .unwrap()
    );

    assert_eq!(
        store.set_active(ada.id(), true, now()).await.unwrap(),
        Removal::Done(Vec::new())
    );
    assert!(
        store
            .user_by_id(ada.id())
            .await
            .unwrap()
            .unwrap()
            .is_active()
    );
    assert!(
        store
            .open_session(&token(&ada, "fourth", None, DAY), None)
            .await
            .unwrap()
    );
    assert_eq!(
        store
            .set_active(
                &uuid::Uuid::parse_subject("0190a8c2-0000-7000-8000-000000000000").unwrap(),
                false,
                now()
            )
            .await
            .unwrap(),
        Removal::NotFound
    );
}
