//! OAuth accounts: an identity belongs to one user, a user links each provider once, a first sign-in creates its
//! user and link together (one of each, however many race), and nobody unlinks their last way to sign in.

use fullauth::store::{Link, NewOAuthUser, OAuthAccountOf, OAuthAccountStore, Removal, Unlink};
use fullauth::{FullAuthUser, OAuthAccountMixin};
use fullauth_tests::models::User;

use super::{Store, in_parallel, inserted, now, user};

fn accounts<S: Store>(store: &S) -> &dyn OAuthAccountStore<User> {
    store
        .oauth_account_store()
        .expect("the test user declares an OAuth-account model, so the store keeps OAuth accounts")
}

fn account(user_id: uuid::Uuid, provider: &str, subject: &str) -> OAuthAccountOf<User> {
    let now = now();
    OAuthAccountMixin {
        id: uuid::Uuid::now_v7(),
        user_id,
        provider: provider.to_owned(),
        provider_user_id: subject.to_owned(),
        provider_email: Some(format!("{subject}@{provider}.example")),
        access_token: None,
        refresh_token: None,
        expires_at: None,
        created_at: now,
        updated_at: now,
    }
}

/// A user without a password, as an OAuth sign-in creates one.
async fn passwordless<S: Store>(store: &S, email: &str) -> User {
    let user = user(email);
    let NewOAuthUser::Created { id } = accounts(store)
        .create_user_with_oauth_account(&user, &account(*user.id(), "google", email))
        .await
        .unwrap()
    else {
        panic!("{email} was taken");
    };
    store.user_by_id(&id).await.unwrap().unwrap()
}

pub async fn identities_are_linked_found_and_listed<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let mut github = account(*ada.id(), "github", "583231");
    github.access_token = Some("sealed-access".into());
    github.refresh_token = Some("sealed-refresh".into());
    github.expires_at = Some(now() + time::Duration::hours(1));
    let google = account(*ada.id(), "google", "10769150350006150715113082367");
    assert_eq!(
        accounts(&store).link_oauth_account(&github).await.unwrap(),
        Link::Linked
    );
    assert_eq!(
        accounts(&store).link_oauth_account(&google).await.unwrap(),
        Link::Linked
    );
    let found = accounts(&store)
        .oauth_account("github", "583231")
        .await
        .unwrap()
        .expect("linked");
    assert_eq!(found, github, "every column round-trips");
    assert_eq!(
        accounts(&store)
            .oauth_account("github", "583232")
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        accounts(&store)
            .oauth_account("gitlab", "583231")
            .await
            .unwrap(),
        None,
        "an identity is the provider and the id together"
    );
    let listed = accounts(&store).oauth_accounts_of(ada.id()).await.unwrap();
    assert_eq!(listed, vec![github, google], "sorted by provider");
    let nobody = uuid::Uuid::now_v7();
    assert_eq!(
        accounts(&store)
            .link_oauth_account(&account(nobody, "gitlab", "1"))
            .await
            .unwrap(),
        Link::UserNotFound
    );
    assert!(
        accounts(&store)
            .oauth_accounts_of(&nobody)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn an_identity_has_one_user_and_a_user_one_link_per_provider<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let bob = inserted(&store, "bob@example.com").await;
    let linked = account(*ada.id(), "google", "ada-sub");
    assert_eq!(
        accounts(&store).link_oauth_account(&linked).await.unwrap(),
        Link::Linked
    );
    assert_eq!(
        accounts(&store)
            .link_oauth_account(&account(*bob.id(), "google", "ada-sub"))
            .await
            .unwrap(),
        Link::IdentityTaken
    );
    assert_eq!(
        accounts(&store).link_oauth_account(&linked).await.unwrap(),
        Link::IdentityTaken,
        "linking again is refused too"
    );
    assert_eq!(
        accounts(&store)
            .link_oauth_account(&account(*ada.id(), "google", "another-sub"))
            .await
            .unwrap(),
        Link::ProviderAlreadyLinked
    );
    assert!(
        accounts(&store)
            .oauth_accounts_of(bob.id())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        accounts(&store).oauth_accounts_of(ada.id()).await.unwrap(),
        vec![linked]
    );
}

pub async fn a_first_sign_in_creates_the_user_and_the_link_together<S: Store>(store: S) {
    let new = user("grace@example.com");
    let link = account(*new.id(), "google", "grace-sub");
    let NewOAuthUser::Created { id } = accounts(&store)
        .create_user_with_oauth_account(&new, &link)
        .await
        .unwrap()
    else {
        panic!("created");
    };
    let stored = store.user_by_id(&id).await.unwrap().unwrap();
    assert_eq!(stored.email(), "grace@example.com");
    assert_eq!(stored.auth.hashed_password, None);
    let found = accounts(&store)
        .oauth_account("google", "grace-sub")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.user_id, id);
    // An email someone has, or an identity someone has: nothing is created.
    let taken_email = user("grace@example.com");
    assert_eq!(
        accounts(&store)
            .create_user_with_oauth_account(
                &taken_email,
                &account(*taken_email.id(), "github", "other")
            )
            .await
            .unwrap(),
        NewOAuthUser::EmailTaken
    );
    assert_eq!(
        accounts(&store)
            .oauth_account("github", "other")
            .await
            .unwrap(),
        None
    );
    let other = user("other@example.com");
    assert_eq!(
        accounts(&store)
            .create_user_with_oauth_account(&other, &account(*other.id(), "google", "grace-sub"))
            .await
            .unwrap(),
        NewOAuthUser::IdentityTaken
    );
    assert_eq!(
        store.user_by_email("other@example.com").await.unwrap(),
        None
    );
}

pub async fn parallel_first_sign_ins_create_one_user_and_one_link<S: Store>(store: S) {
    // The same identity signing in ten times at once, half with the same email and half with their own.
    let outcomes = in_parallel(10, |index| {
        let store = store.clone();
        async move {
            let email = if index % 2 == 0 {
                "ada@example.com".to_owned()
            } else {
                format!("ada{index}@example.com")
            };
            let new = user(&email);
            accounts(&store)
                .create_user_with_oauth_account(&new, &account(*new.id(), "google", "ada-sub"))
                .await
                .unwrap()
        }
    })
    .await;
    let created: Vec<_> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            NewOAuthUser::Created { id } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(created.len(), 1, "{outcomes:?}");
    let link = accounts(&store)
        .oauth_account("google", "ada-sub")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(link.user_id, created[0]);
    let page = store
        .list_users(&fullauth::store::UserQuery::default())
        .await
        .unwrap();
    assert_eq!(page.total, 1, "one user: {:?}", page.users);
}

pub async fn a_sign_in_refreshes_what_the_provider_reported<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    let linked = account(*ada.id(), "github", "583231");
    accounts(&store).link_oauth_account(&linked).await.unwrap();
    let mut refreshed = linked.clone();
    refreshed.provider_email = Some("ada@new.example".into());
    refreshed.access_token = Some("sealed".into());
    refreshed.expires_at = Some(now() + time::Duration::minutes(5));
    refreshed.updated_at = now() + time::Duration::seconds(1);
    // The id, owner and creation time of the link are not the caller's to change.
    refreshed.id = uuid::Uuid::now_v7();
    refreshed.created_at = now() - time::Duration::days(1);
    assert!(
        accounts(&store)
            .update_oauth_account(&refreshed)
            .await
            .unwrap()
    );
    let found = accounts(&store)
        .oauth_account("github", "583231")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.provider_email.as_deref(), Some("ada@new.example"));
    assert_eq!(found.access_token.as_deref(), Some("sealed"));
    assert_eq!(found.expires_at, refreshed.expires_at);
    assert_eq!(found.updated_at, refreshed.updated_at);
    assert_eq!((found.id, found.created_at), (linked.id, linked.created_at));
    assert!(
        !accounts(&store)
            .update_oauth_account(&account(*ada.id(), "github", "unknown"))
            .await
            .unwrap()
    );
}

pub async fn the_last_way_to_sign_in_cannot_be_unlinked<S: Store>(store: S) {
    let grace = passwordless(&store, "grace@example.com").await;
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(grace.id(), "google")
            .await
            .unwrap(),
        Unlink::OnlySignInMethod
    );
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(grace.id(), "github")
            .await
            .unwrap(),
        Unlink::NotFound
    );
    accounts(&store)
        .link_oauth_account(&account(*grace.id(), "github", "grace-gh"))
        .await
        .unwrap();
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(grace.id(), "google")
            .await
            .unwrap(),
        Unlink::Done
    );
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(grace.id(), "github")
            .await
            .unwrap(),
        Unlink::OnlySignInMethod
    );
    // With a password, every link may go.
    let ada = inserted(&store, "ada@example.com").await;
    accounts(&store)
        .link_oauth_account(&account(*ada.id(), "google", "ada-sub"))
        .await
        .unwrap();
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(ada.id(), "google")
            .await
            .unwrap(),
        Unlink::Done
    );
    assert!(
        accounts(&store)
            .oauth_accounts_of(ada.id())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        accounts(&store)
            .unlink_oauth_account(&uuid::Uuid::now_v7(), "google")
            .await
            .unwrap(),
        Unlink::NotFound
    );
}

pub async fn parallel_unlinks_of_the_last_two_links_keep_one<S: Store>(store: S) {
    let grace = passwordless(&store, "grace@example.com").await;
    accounts(&store)
        .link_oauth_account(&account(*grace.id(), "github", "grace-gh"))
        .await
        .unwrap();
    let id = *grace.id();
    let outcomes = in_parallel(2, |index| {
        let store = store.clone();
        async move {
            let provider = ["google", "github"][index];
            accounts(&store)
                .unlink_oauth_account(&id, provider)
                .await
                .unwrap()
        }
    })
    .await;
    let mut sorted = outcomes.clone();
    sorted.sort_by_key(|outcome| format!("{outcome:?}"));
    assert_eq!(sorted, vec![Unlink::Done, Unlink::OnlySignInMethod]);
    assert_eq!(
        accounts(&store).oauth_accounts_of(&id).await.unwrap().len(),
        1
    );
}

pub async fn deleting_a_user_deletes_its_links<S: Store>(store: S) {
    let ada = inserted(&store, "ada@example.com").await;
    accounts(&store)
        .link_oauth_account(&account(*ada.id(), "google", "ada-sub"))
        .await
        .unwrap();
    assert!(matches!(
        store.delete_user(ada.id(), now()).await.unwrap(),
        Removal::Done(_)
    ));
    assert_eq!(
        accounts(&store)
            .oauth_account("google", "ada-sub")
            .await
            .unwrap(),
        None
    );
    // The identity is free for a new account.
    let bob = inserted(&store, "bob@example.com").await;
    assert_eq!(
        accounts(&store)
            .link_oauth_account(&account(*bob.id(), "google", "ada-sub"))
            .await
            .unwrap(),
        Link::Linked
    );
}
