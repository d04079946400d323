//! Roles and permissions in the store contract: [`fullauth::store::RoleStore`].

use fullauth::FullAuthUser;
use fullauth::store::RoleSummary;

use super::{Store, in_parallel, inserted, now, roles, token};

const DAY: std::time::Duration = std::time::Duration::from_secs(86_400);

pub async fn roles_are_assigned_idempotently_and_removed<S: Store>(store: S) {
    assert!(store.role_store().is_some());
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    assert!(
        roles(&store)
            .assign_role(ada.id(), "editor", now())
            .await
            .unwrap()
    );
    assert!(
        roles(&store)
            .assign_role(ada.id(), "editor", now())
            .await
            .unwrap()
    );
    assert!(
        roles(&store)
            .assign_role(ada.id(), "admin", now())
            .await
            .unwrap()
    );
    assert!(
        roles(&store)
            .assign_role(bob.id(), "editor", now())
            .await
            .unwrap()
    );
    assert_eq!(
        roles(&store).user_roles(ada.id()).await.unwrap(),
        vec!["admin", "editor"]
    );

    assert!(roles(&store).remove_role(ada.id(), "editor").await.unwrap());
    assert!(
        roles(&store)
            .remove_role(ada.id(), "never-assigned")
            .await
            .unwrap()
    );
    assert_eq!(
        roles(&store).user_roles(ada.id()).await.unwrap(),
        vec!["admin"]
    );
    assert_eq!(
        roles(&store).user_roles(bob.id()).await.unwrap(),
        vec!["editor"]
    );
    // Removing a role from a user keeps the role itself.
    let names: Vec<String> = roles(&store)
        .list_roles()
        .await
        .unwrap()
        .into_iter()
        .map(|role| role.name)
        .collect();
    assert_eq!(names, vec!["admin", "editor"]);
}

pub async fn an_unknown_user_gets_no_role<S: Store>(store: S) {
    let nobody = uuid::Uuid::now_v7();
    assert!(
        !roles(&store)
            .assign_role(&nobody, "admin", now())
            .await
            .unwrap()
    );
    assert!(!roles(&store).remove_role(&nobody, "admin").await.unwrap());
    assert!(roles(&store).list_roles().await.unwrap().is_empty());
    assert!(roles(&store).user_roles(&nobody).await.unwrap().is_empty());
}

pub async fn parallel_assignments_keep_one_role_and_one_link<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let id = *ada.id();
    let outcomes = in_parallel(20, |_| {
        let store = store.clone();
        async move { roles(&store).assign_role(&id, "admin", now()).await }
    })
    .await;
    assert!(
        outcomes.iter().all(|outcome| matches!(outcome, Ok(true))),
        "{outcomes:?}"
    );
    assert_eq!(roles(&store).user_roles(&id).await.unwrap(), vec!["admin"]);

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
        async move {
            roles(&store)
                .assign_role(&users[index], "reviewer", now())
                .await
        }
    })
    .await;
    assert!(
        outcomes.iter().all(|outcome| matches!(outcome, Ok(true))),
        "{outcomes:?}"
    );
    for user in users.iter() {
        assert_eq!(
            roles(&store).user_roles(user).await.unwrap(),
            vec!["reviewer"]
        );
    }
    assert_eq!(roles(&store).list_roles().await.unwrap().len(), 2);
}

pub async fn permissions_resolve_through_roles<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    roles(&store)
        .assign_permission("editor", "posts:edit", now())
        .await
        .unwrap();
    roles(&store)
        .assign_permission("editor", "posts:edit", now())
        .await
        .unwrap();
    roles(&store)
        .assign_permission("editor", "posts:publish", now())
        .await
        .unwrap();
    roles(&store)
        .assign_permission("moderator", "posts:edit", now())
        .await
        .unwrap();
    assert!(
        roles(&store)
            .user_permissions(ada.id())
            .await
            .unwrap()
            .is_empty()
    );

    roles(&store)
        .assign_role(ada.id(), "editor", now())
        .await
        .unwrap();
    roles(&store)
        .assign_role(ada.id(), "moderator", now())
        .await
        .unwrap();
    assert_eq!(
        roles(&store).user_permissions(ada.id()).await.unwrap(),
        vec!["posts:edit", "posts:publish"]
    );
    assert_eq!(
        roles(&store).role_permissions("editor").await.unwrap(),
        vec!["posts:edit", "posts:publish"]
    );
    assert!(
        roles(&store)
            .role_permissions("unknown")
            .await
            .unwrap()
            .is_empty()
    );

    roles(&store)
        .remove_permission("editor", "posts:publish")
        .await
        .unwrap();
    roles(&store)
        .remove_permission("editor", "never-given")
        .await
        .unwrap();
    roles(&store)
        .remove_permission("unknown", "posts:edit")
        .await
        .unwrap();
    assert_eq!(
        roles(&store).user_permissions(ada.id()).await.unwrap(),
        vec!["posts:edit"]
    );
    roles(&store).remove_role(ada.id(), "editor").await.unwrap();
    roles(&store)
        .remove_role(ada.id(), "moderator")
        .await
        .unwrap();
    assert!(
        roles(&store)
            .user_permissions(ada.id())
            .await
            .unwrap()
            .is_empty()
    );

    assert_eq!(
        roles(&store).list_roles().await.unwrap(),
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
        roles(&store)
            .assign_role(ada.id(), role, now())
            .await
            .unwrap();
    }
    let mut expected = vec![
        "Admin",
        "admin",
        "ädmin ✓",
        "team: the \"best\"; DROP TABLE roles;--",
    ];
    expected.sort_unstable();
    assert_eq!(roles(&store).user_roles(ada.id()).await.unwrap(), expected);
    let long = "r".repeat(100);
    roles(&store)
        .assign_role(ada.id(), &long, now())
        .await
        .unwrap();
    assert!(
        roles(&store)
            .user_roles(ada.id())
            .await
            .unwrap()
            .contains(&long)
    );
}

pub async fn deleting_a_user_deletes_its_role_links<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    roles(&store)
        .assign_role(ada.id(), "admin", now())
        .await
        .unwrap();
    roles(&store)
        .assign_role(bob.id(), "admin", now())
        .await
        .unwrap();
    store.delete_user(ada.id(), now()).await.unwrap();
    assert!(roles(&store).user_roles(ada.id()).await.unwrap().is_empty());
    assert_eq!(
        roles(&store).user_roles(bob.id()).await.unwrap(),
        vec!["admin"]
    );
    // The same id (or email) coming back starts without roles.
    assert!(
        !roles(&store)
            .assign_role(ada.id(), "admin", now())
            .await
            .unwrap()
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
                0 => {
                    roles(&store)
                        .assign_permission("editor", "posts:edit", now())
                        .await
                }
                1 => {
                    roles(&store)
                        .remove_permission("editor", "posts:edit")
                        .await
                }
                2 => roles(&store)
                    .assign_role(user, "editor", now())
                    .await
                    .map(drop),
                3 => roles(&store).remove_role(user, "editor").await.map(drop),
                _ => {
                    roles(&store)
                        .assign_permission("admin", "posts:edit", now())
                        .await
                }
            };
            outcome.map_err(|error| error.to_string())
        }
    })
    .await;
    for outcome in &outcomes {
        assert_eq!(outcome, &Ok(()), "{outcomes:?}");
    }
    let names: Vec<String> = roles(&store)
        .list_roles()
        .await
        .unwrap()
        .into_iter()
        .map(|role| role.name)
        .collect();
    assert_eq!(names, vec!["admin", "editor"]);
    let pairs = roles(&store).roles_of_users(&users).await.unwrap();
    assert!(pairs.iter().all(|(_, role)| role == "editor"), "{pairs:?}");
    assert_eq!(roles(&store).roles_of_users(&[]).await.unwrap(), Vec::new());
}

pub async fn the_session_user_comes_with_roles_when_asked<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let session = token(&ada, "s1", None, DAY);
    assert!(store.open_session(&session, None).await.unwrap());
    roles(&store)
        .assign_role(ada.id(), "editor", now())
        .await
        .unwrap();
    roles(&store)
        .assign_role(ada.id(), "admin", now())
        .await
        .unwrap();
    let found = store
        .user_for_session(ada.id(), session.family_id, now(), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user, ada);
    assert_eq!(
        found.roles,
        Some(vec!["admin".to_owned(), "editor".to_owned()])
    );
    let without = store
        .user_for_session(ada.id(), session.family_id, now(), false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(without.roles, None);
    // Names that JSON must escape, and non-ASCII ones, come back as they were stored; another user's roles and
    // a removed role do not appear; a user without roles has an empty list.
    let odd = r#"quoted "role" with \ and ünïcødé ✓"#;
    roles(&store)
        .assign_role(ada.id(), odd, now())
        .await
        .unwrap();
    roles(&store).remove_role(ada.id(), "admin").await.unwrap();
    let bob = inserted(&store, "bob@example.com").await;
    roles(&store)
        .assign_role(bob.id(), "auditor", now())
        .await
        .unwrap();
    let found = store
        .user_for_session(ada.id(), session.family_id, now(), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.roles, Some(vec!["editor".to_owned(), odd.to_owned()]));
    let bob_session = token(&bob, "s2", None, DAY);
    assert!(store.open_session(&bob_session, None).await.unwrap());
    roles(&store)
        .remove_role(bob.id(), "auditor")
        .await
        .unwrap();
    let found = store
        .user_for_session(bob.id(), bob_session.family_id, now(), true)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.roles, Some(Vec::new()));
    store.revoke_family(session.family_id, now()).await.unwrap();
    assert!(
        store
            .user_for_session(ada.id(), session.family_id, now(), true)
            .await
            .unwrap()
            .is_none()
    );
}
