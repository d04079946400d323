//! The store contract, written once and run on every store: in memory, SQLite, PostgreSQL and MySQL. Each test
//! talks to the store directly; what the HTTP suite shows through the routes, this shows underneath. One module
//! per capability trait: `users.rs` ([`fullauth::store::UserStore`]), `sessions.rs`
//! ([`fullauth::store::SessionStore`]), `roles.rs` ([`fullauth::store::RoleStore`]), `oauth_accounts.rs`
//! ([`fullauth::store::OAuthAccountStore`]) `passkeys.rs` ([`fullauth::store::PasskeyStore`]) and `mfa.rs` ([`fullauth::store::MfaStore`]).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use fullauth::store::{AuthStore, InsertUser, NextRefreshToken, RoleStore};
use fullauth::{FullAuthUser, RefreshTokenMixin, UserMixin};
use fullauth_tests::models::User;
use futures::future::join_all;
use time::OffsetDateTime;

mod mfa;
mod oauth_accounts;
mod passkeys;
mod roles;
mod sessions;
mod superusers;
mod users;

/// A store under test: cheap to clone, shareable between tasks.
pub trait Store: AuthStore<User> + Clone {}
impl<S: AuthStore<User> + Clone> Store for S {}

/// Stamps out each listed test once per store.
macro_rules! on_every_store {
    ($($test:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    super::suite::$test(fullauth::store::MemoryStore::<fullauth_tests::models::User>::new()).await;
                }
            )*
        }
        on_every_store!(@diesel sqlite Sqlite $($test),*);
        on_every_store!(@diesel postgres Postgres $($test),*);
        on_every_store!(@diesel mysql Mysql $($test),*);
    };
    (@diesel $module:ident $backend:ident $($test:ident),*) => {
        mod $module {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    if let Some((store, _db)) = crate::diesel_store(fullauth_tests::Backend::$backend).await {
                        super::suite::$test(store).await;
                    }
                }
            )*
        }
    };
}

mod user_suite {
    use super::users as suite;
    on_every_store!(
        users_round_trip_with_every_field_type,
        emails_are_stored_normalized,
        parallel_inserts_of_one_email_keep_one,
        updates_write_only_the_fields_set,
        password_hash_replacement_is_conditional,
        deleting_a_user_deletes_its_sessions,
        a_password_change_revokes_every_session,
        password_changes_only_over_the_expected_hash,
        an_email_is_verified_once_and_only_as_sent,
        users_are_listed_in_pages_with_a_filter,
        deactivation_ends_every_session,
    );
}

mod superuser_suite {
    use super::superusers as suite;
    on_every_store!(
        the_last_active_superuser_cannot_be_removed,
        parallel_removals_of_the_last_two_superusers_keep_one,
    );
}

mod session_suite {
    use super::sessions as suite;
    on_every_store!(
        sessions_open_only_for_an_active_user_with_the_verified_password,
        parallel_rotations_consume_a_token_once,
        a_replay_revokes_the_family,
        revoked_and_expired_tokens_are_invalid_not_replays,
        a_user_is_found_for_a_session_only_while_it_is_live,
        a_failed_rotation_changes_nothing,
        sessions_list_the_live_families_most_recent_first,
        a_session_is_ended_only_by_its_owner,
        ending_the_other_sessions_keeps_one,
    );
}

mod oauth_account_suite {
    use super::oauth_accounts as suite;
    on_every_store!(
        identities_are_linked_found_and_listed,
        an_identity_has_one_user_and_a_user_one_link_per_provider,
        a_first_sign_in_creates_the_user_and_the_link_together,
        parallel_first_sign_ins_create_one_user_and_one_link,
        a_sign_in_refreshes_what_the_provider_reported,
        the_last_way_to_sign_in_cannot_be_unlinked,
        parallel_unlinks_of_the_last_two_links_keep_one,
        deleting_a_user_deletes_its_links,
    );
}

mod mfa_suite {
    use super::mfa as suite;
    on_every_store!(
        an_enrolment_waits_for_its_first_code_and_is_replaced_meanwhile,
        a_confirmation_needs_a_step_not_used_yet,
        a_step_is_accepted_once_and_only_forward,
        a_recovery_code_is_used_once,
        turning_mfa_off_or_deleting_the_user_deletes_it,
    );
}

mod passkey_suite {
    use super::passkeys as suite;
    on_every_store!(
        passkeys_are_added_found_and_listed,
        a_credential_belongs_to_one_user,
        parallel_registrations_of_one_credential_keep_one,
        a_use_is_recorded_only_while_the_counter_advances,
        parallel_uses_record_the_highest_counter,
        the_last_way_to_sign_in_cannot_be_deleted,
        parallel_deletions_of_the_last_two_passkeys_keep_one,
        deleting_a_user_deletes_its_passkeys,
        a_user_has_at_most_the_limit_of_passkeys,
    );
}

mod role_suite {
    use super::roles as suite;
    on_every_store!(
        roles_are_assigned_idempotently_and_removed,
        an_unknown_user_gets_no_role,
        parallel_assignments_keep_one_role_and_one_link,
        permissions_resolve_through_roles,
        names_are_exact_and_stored_as_given,
        deleting_a_user_deletes_its_role_links,
        concurrent_role_and_permission_changes_all_succeed,
        the_session_user_comes_with_roles_when_asked,
    );
}

/// The store's roles: the test user declares its role models, so every store keeps them.
pub fn roles<S: Store>(store: &S) -> &dyn RoleStore<User> {
    store
        .role_store()
        .expect("the test user declares role models, so the store keeps roles")
}

/// The user behind a session, without roles.
pub async fn user_for_session<S: Store>(
    store: &S,
    id: &uuid::Uuid,
    family_id: uuid::Uuid,
    now: OffsetDateTime,
) -> Option<User> {
    store
        .user_for_session(id, family_id, now, false)
        .await
        .unwrap()
        .map(|found| {
            assert_eq!(found.roles, None, "roles only when asked for");
            found.user
        })
}

/// A Diesel store on a fresh database, migrated; the database lives as long as the returned guard.
pub async fn diesel_store(
    backend: fullauth_tests::Backend,
) -> Option<(
    fullauth::DieselAdapter<User, fullauth_tests::models::RefreshToken>,
    fullauth_tests::TestDatabase,
)> {
    let db = fullauth_tests::TestDatabase::create(backend).await?;
    let store = fullauth::DieselAdapter::connect(&db.url)
        .await
        .unwrap()
        .user::<User>()
        .refresh_tokens::<fullauth_tests::models::RefreshToken>();
    store.migrate().await.unwrap();
    Some((store, db))
}

/// The current time at the databases' microsecond precision.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_microsecond(now.microsecond()).unwrap()
}

/// A user with every custom field at its default.
pub fn user(email: &str) -> User {
    User {
        auth: UserMixin::new(email),
        display_name: String::new(),
        phone: String::new(),
        age: 0,
        nickname: None,
        newsletter: false,
        plan: "free".into(),
        internal_note: String::new(),
        last_seen_at: None,
        points: 0,
        rating: None,
        referrer: None,
    }
}

/// Inserts a user with a password hash and returns it with its id.
pub async fn inserted<S: Store>(store: &S, email: &str) -> User {
    let mut user = user(email);
    user.auth.hashed_password = Some(format!("hash-of-{email}"));
    let InsertUser::Inserted { id } = store.insert_user(&user).await.unwrap() else {
        panic!("{email} was taken");
    };
    user.auth.id = id;
    user
}

/// A refresh-token row for `user`, in a new family unless one is given.
pub fn token(
    user: &User,
    digest: &str,
    family: Option<uuid::Uuid>,
    lifetime: Duration,
) -> RefreshTokenMixin {
    let now = now();
    RefreshTokenMixin {
        id: uuid::Uuid::now_v7(),
        user_id: *user.id(),
        token_digest: digest.to_owned(),
        family_id: family.unwrap_or_else(uuid::Uuid::now_v7),
        expires_at: now + time::Duration::try_from(lifetime).unwrap(),
        created_at: now,
        used_at: None,
        revoked_at: None,
        user_agent: Some("agent".into()),
        ip_address: Some("203.0.113.7".into()),
    }
}

/// The successor of a token in a rotation.
pub fn next(digest: &str) -> NextRefreshToken {
    NextRefreshToken {
        token_digest: digest.to_owned(),
        created_at: now(),
        expires_at: now() + time::Duration::days(1),
    }
}

/// Runs `count` copies of a future at once, on separate tasks.
pub async fn in_parallel<T, F>(count: usize, make: impl Fn(usize) -> F) -> Vec<T>
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    join_all((0..count).map(|index| tokio::spawn(make(index))))
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}
