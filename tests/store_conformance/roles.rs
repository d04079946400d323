//! Roles, permissions and user administration in the store contract.

use fullauth::store::{RoleSummary, UserQuery};
use fullauth::{FullAuthUser, UserId};

use super::{Store, in_parallel, inserted, now, token};

const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);

pub async fn roles_are_assigned_idempotently_and_removed<S: Store>(store: S) {
    assert!(store.supports_roles());
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    assert!(store.assign_role(ada.id(), "editor", now()).await.unwrap());
    assert!(store.assign_role(ada.id(), "editor", now()).await.unwrap());
    assert!(store.assign_role(ada.id(), "admin", now()).await.unwrap());
    assert!(store.assign_role(bob.id(), "editor", now()).await.unwrap());
    assert_eq!(
        store.user_roles(ada.id()).await.unwrap(),
        vec!["admin", "editor"]
    );

    assert!(store.remove_role(ada.id(), "editor").await.unwrap());
    assert!(store.remove_role(ada.id(), "never-assigned").await.unwrap());
    assert_eq!(store.user_roles(ada.id()).await.unwrap(), vec!["admin"]);
    assert_eq!(store.user_roles(bob.id()).await.unwrap(), vec!["editor"]);
    // Removing a role from a user keeps the role itself.
    let names: Vec<String> = store
        .roles()
        .await
        .unwrap()
        .into_iter()
        .map(|role| role.name)
        .collect();
    assert_eq!(names, vec!["admin", "editor"]);
}

pub async fn an_unknown_user_gets_no_role<S: Store>(store: S) {
    let nobody = uuid::Uuid::now_v7();
    assert!(!store.assign_role(&nobody, "admin", now()).await.unwrap());
    assert!(!store.remove_role(&nobody, "admin").await.unwrap());
    assert!(store.roles().await.unwrap().is_empty());
    assert!(store.user_roles(&nobody).await.unwrap().is_empty());
}

pub async fn parallel_assignments_keep_one_role_and_one_link<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    let outcomes = in_parallel(20, |_| {
        let store = store.clone();
        async move { store.assign_role(&id, "admin", now()).await }
    })
    .await;
    assert!(
        outcomes.iter().all(|outcome| outcome == &Ok(true)),
        "{outcomes:?}"
    );
    assert_eq!(store.user_roles(&id).await.unwrap(), vec!["admin"]);

    // A new role given to many users at once is created once.
    let mut users = Vec::new();
    for index in 0..10 {
        users.push(
            *inserted(&store, &format!("user{index}@example.com"))
                .await
                .id(),
        );
    }
    let users = std::sync::Arc::new(users);
    let outcomes = in_parallel(10, |index| {
        let store = store.clone();
        let users = users.clone();
        async move { store.assign_role(&users[index], "reviewer", now()).await }
    })
    .await;
    assert!(
        outcomes.iter().all(|outcome| outcome == &Ok(true)),
        "{outcomes:?}"
    );
    for user in users.iter() {
        assert_eq!(store.user_roles(user).await.unwrap(), vec!["reviewer"]);
    }
    assert_eq!(store.roles().await.unwrap().len(), 2);
}

pub async fn permissions_resolve_through_roles<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    store
        .assign_permission("editor", "posts:edit", now())
        .await
        .unwrap();
    store
        .assign_permission("editor", "posts:edit", now())
        .await
        .unwrap();
    store
        .assign_permission("editor", "posts:publish", now())
        .await
        .unwrap();
    store
        .assign_permission("moderator", "posts:edit", now())
        .await
        .unwrap();
    assert!(store.user_permissions(ada.id()).await.unwrap().is_empty());

    store.assign_role(ada.id(), "editor", now()).await.unwrap();
    store
        .assign_role(ada.id(), "moderator", now())
        .await
        .unwrap();
    assert_eq!(
        store.user_permissions(ada.id()).await.unwrap(),
        vec!["posts:edit", "posts:publish"]
    );
    assert_eq!(
        store.role_permissions("editor").await.unwrap(),
        vec!["posts:edit", "posts:publish"]
    );
    assert!(store.role_permissions("unknown").await.unwrap().is_empty());

    store
        .remove_permission("editor", "posts:publish")
        .await
        .unwrap();
    store
        .remove_permission("editor", "never-given")
        .await
        .unwrap();
    store
        .remove_permission("unknown", "posts:edit")
        .await
        .unwrap();
    assert_eq!(
        store.user_permissions(ada.id()).await.unwrap(),
        vec!["posts:edit"]
    );
    store.remove_role(ada.id(), "editor").await.unwrap();
    store.remove_role(ada.id(), "moderator").await.unwrap();
    assert!(store.user_permissions(ada.id()).await.unwrap().is_empty());

    assert_eq!(
        store.roles().await.unwrap(),
        vec![
            RoleSummary {
                name: "editor".into(),
                permissions: vec!["posts:edit".into()],
            },
            RoleSummary {
                name: "moderator".into(),
                permissions: vec!["posts:edit".into()],
            },
        ]
    );
}

pub async fn names_are_exact_and_stored_as_given<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    for role in [
        "Admin",
        "admin",
        "ädmin ✓",
        "team: the \"best\"; DROP TABLE roles;--",
    ] {
        store.assign_role(ada.id(), role, now()).await.unwrap();
    }
    let mut expected = vec![
        "Admin",
        "admin",
        "ädmin ✓",
        "team: the \"best\"; DROP TABLE roles;--",
    ];
    expected.sort_unstable();
    assert_eq!(store.user_roles(ada.id()).await.unwrap(), expected);
    let long = "r".repeat(100);
    store.assign_role(ada.id(), &long, now()).await.unwrap();
    assert!(store.user_roles(ada.id()).await.unwrap().contains(&long));
}

pub async fn deleting_a_user_deletes_its_role_links<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    store.assign_role(ada.id(), "admin", now()).await.unwrap();
    store.assign_role(bob.id(), "admin", now()).await.unwrap();
    store.delete_user(ada.id(), now()).await.unwrap();
    assert!(store.user_roles(ada.id()).await.unwrap().is_empty());
    assert_eq!(store.user_roles(bob.id()).await.unwrap(), vec!["admin"]);
    // The same id (or email) coming back starts without roles.
    assert!(!store.assign_role(ada.id(), "admin", now()).await.unwrap());
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

    let mut ended = store
        .set_active(ada.id(), false, now())
        .await
        .unwrap()
        .unwrap();
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
        Some(Vec::new())
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
        None
    );
}

pub async fn concurrent_role_and_permission_changes_all_succeed<S: Store>(store: S) {
    let mut users = Vec::new();
    for index in 0..4 {
        users.push(
            *inserted(&store, &format!("user{index}@example.com"))
                .await
                .id(),
        );
    }
    let users = std::sync::Arc::new(users);
    // Every kind of change at once, on the same few rows: none may fail, deadlocks included.
    let outcomes = in_parallel(40, |index| {
        let store = store.clone();
        let users = users.clone();
        async move {
            let user = &users[index % users.len()];
            let outcome = match index % 5 {
                0 => store.assign_permission("editor", "posts:edit", now()).await,
                1 => store.remove_permission("editor", "posts:edit").await,
                2 => store.assign_role(user, "editor", now()).await.map(drop),
                3 => store.remove_role(user, "editor").await.map(drop),
                _ => store.assign_permission("admin", "posts:edit", now()).await,
            };
            outcome.map_err(|error| error.to_string())
        }
    })
    .await;
    for outcome in &outcomes {
        assert_eq!(outcome, &Ok(()), "{outcomes:?}");
    }
    let names: Vec<String> = store
        .roles()
        .await
        .unwrap()
        .into_iter()
        .map(|role| role.name)
        .collect();
    assert_eq!(names, vec!["admin", "editor"]);
    let pairs = store.roles_of_users(&users).await.unwrap();
    assert!(pairs.iter().all(|(_, role)| role == "editor"), "{pairs:?}");
    assert_eq!(store.roles_of_users(&[]).await.unwrap(), Vec::new());
}
