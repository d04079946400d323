//! [`MemoryStore`]: every capability of a store, in process memory.

mod mfa;
mod oauth_accounts;
mod passkeys;
mod roles;
mod sessions;
mod users;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use super::{
    AuthStore, MfaStore, OAuthAccountStore, PasskeyStore, RoleStore, StoreError, StoreFuture,
};
use crate::model::{
    FullAuthUser, MfaMixin, OAuthAccountMixin, PasskeyMixin, RefreshTokenMixin, UserId,
};

/// An [`AuthStore`] in process memory: for tests and prototypes, lost when the process ends.
///
/// It keeps the same promises as the Diesel adapter, because every operation runs under one lock: one account
/// per email, atomic rotation with replay detection, sessions that end with their user. Database-assigned ids
/// (`i64`) are counted from 1. Clones share the same data.
///
/// ```
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// use fullauth::store::{InsertUser, MemoryStore, UserStore};
/// use fullauth::UserMixin;
///
/// # tokio_test();
/// # fn tokio_test() { tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::<User>::new();
/// let user = User { auth: UserMixin::new("ada@example.com") };
/// assert!(matches!(store.insert_user(&user).await.unwrap(), InsertUser::Inserted { .. }));
/// assert_eq!(store.insert_user(&user).await.unwrap(), InsertUser::EmailTaken);
/// # }) }
/// ```
pub struct MemoryStore<U: FullAuthUser> {
    data: Arc<Mutex<Data<U>>>,
}

struct Data<U: FullAuthUser> {
    users: HashMap<U::Id, U>,
    by_email: HashMap<String, U::Id>,
    tokens: HashMap<String, RefreshTokenMixin<U::Id>>,
    last_generated_id: i64,
    /// Each role and its permissions.
    roles: BTreeMap<String, BTreeSet<String>>,
    /// Each user's roles.
    user_roles: HashMap<U::Id, BTreeSet<String>>,
    /// The OAuth accounts, by (provider, provider user id).
    oauth_accounts: BTreeMap<(String, String), OAuthAccountMixin<U::Id>>,
    /// The passkeys, by credential digest.
    passkeys: BTreeMap<String, PasskeyMixin<U::Id>>,
    /// The second factors, by user.
    mfa: HashMap<U::Id, MfaMixin<U::Id>>,
}

impl<U: FullAuthUser> Clone for MemoryStore<U> {
    fn clone(&self) -> Self {
        Self {
            data: Arc::clone(&self.data),
        }
    }
}

impl<U: FullAuthUser> Default for MemoryStore<U> {
    fn default() -> Self {
        Self::new()
    }
}

impl<U: FullAuthUser> std::fmt::Debug for MemoryStore<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = self.lock();
        f.debug_struct("MemoryStore")
            .field("users", &data.users.len())
            .field("refresh_tokens", &data.tokens.len())
            .finish()
    }
}

impl<U: FullAuthUser> MemoryStore<U> {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            data: Arc::new(Mutex::new(Data {
                users: HashMap::new(),
                by_email: HashMap::new(),
                tokens: HashMap::new(),
                last_generated_id: 0,
                roles: BTreeMap::new(),
                user_roles: HashMap::new(),
                oauth_accounts: BTreeMap::new(),
                passkeys: BTreeMap::new(),
                mfa: HashMap::new(),
            })),
        }
    }

    /// Every user, in no particular order (for assertions in tests).
    pub fn users(&self) -> Vec<U> {
        self.lock().users.values().cloned().collect()
    }

    /// Every refresh-token row, in no particular order (for assertions in tests).
    pub fn refresh_tokens(&self) -> Vec<RefreshTokenMixin<U::Id>> {
        self.lock().tokens.values().cloned().collect()
    }

    /// Changes every refresh token in place (to age the tokens of a session in a test).
    pub fn modify_refresh_tokens(&self, change: impl FnMut(&mut RefreshTokenMixin<U::Id>)) {
        self.lock().tokens.values_mut().for_each(change);
    }

    /// Changes the user with this normalized email in place (to deactivate, verify or promote one in a test);
    /// returns whether there was such a user.
    pub fn modify_user(&self, email: &str, change: impl FnOnce(&mut U)) -> bool {
        let mut data = self.lock();
        let Some(id) = data.by_email.get(email).cloned() else {
            return false;
        };
        let Some(user) = data.users.get_mut(&id) else {
            return false;
        };
        change(user);
        let changed_email = user.email() != email;
        if changed_email {
            // Keep the index consistent rather than half-applying the change.
            let new_email = user.email().to_owned();
            data.by_email.remove(email);
            data.by_email.insert(new_email, id);
        }
        true
    }

    fn lock(&self) -> MutexGuard<'_, Data<U>> {
        // Every operation leaves the maps consistent before it can panic, so a poisoned lock is safe to reuse.
        self.data.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<U: FullAuthUser> Data<U> {
    fn revoke_where(
        &mut self,
        now: OffsetDateTime,
        matches: impl Fn(&RefreshTokenMixin<U::Id>) -> bool,
    ) -> u64 {
        let mut revoked = 0;
        for token in self
            .tokens
            .values_mut()
            .filter(|token| token.revoked_at.is_none() && matches(token))
        {
            token.revoked_at = Some(now);
            revoked += 1;
        }
        revoked
    }

    /// Whether `id` is an active superuser and no other user is one.
    fn is_last_active_superuser(&self, id: &U::Id) -> bool {
        let active_superuser = |user: &U| user.is_active() && user.is_superuser();
        self.users.get(id).is_some_and(active_superuser)
            && self
                .users
                .values()
                .filter(|user| active_superuser(user))
                .count()
                <= 1
    }

    /// How many ways the user has to sign in: a password, OAuth links, passkeys.
    fn sign_in_methods(&self, user_id: &U::Id) -> usize {
        let password = self
            .users
            .get(user_id)
            .is_some_and(|user| user.auth().hashed_password.is_some());
        let links = self
            .oauth_accounts
            .values()
            .filter(|account| &account.user_id == user_id)
            .count();
        let passkeys = self
            .passkeys
            .values()
            .filter(|passkey| &passkey.user_id == user_id)
            .count();
        usize::from(password) + links + passkeys
    }

    fn live_families(&self, user_id: &U::Id, now: OffsetDateTime) -> Vec<uuid::Uuid> {
        let mut families: Vec<uuid::Uuid> = self
            .tokens
            .values()
            .filter(|token| &token.user_id == user_id && token.expires_at > now)
            .map(|token| token.family_id)
            .collect();
        families.sort_unstable();
        families.dedup();
        families
    }
}

/// A user-id type whose values this store must assign: the database's job elsewhere.
fn assign_id<Id: UserId>(placeholder: &Id, last: &mut i64) -> Id {
    if !Id::DATABASE_GENERATED {
        return placeholder.clone();
    }
    *last += 1;
    Id::parse_subject(&last.to_string()).unwrap_or_else(|| placeholder.clone())
}

impl<U: FullAuthUser> AuthStore<U> for MemoryStore<U> {
    /// Roles are kept when the user model declares its role models, as the database would have their tables.
    fn role_store(&self) -> Option<&dyn RoleStore<U>> {
        U::declared_models()
            .roles
            .is_some()
            .then_some(self as &dyn RoleStore<U>)
    }

    /// OAuth accounts are kept when the user model declares an OAuth-account model.
    fn oauth_account_store(&self) -> Option<&dyn OAuthAccountStore<U>> {
        U::declared_models()
            .oauth_accounts
            .is_some()
            .then_some(self as &dyn OAuthAccountStore<U>)
    }

    /// Passkeys are kept when the user model declares a passkey model.
    fn passkey_store(&self) -> Option<&dyn PasskeyStore<U>> {
        U::declared_models()
            .passkeys
            .is_some()
            .then_some(self as &dyn PasskeyStore<U>)
    }

    /// Second factors are kept when the user model declares an MFA model.
    fn mfa_store(&self) -> Option<&dyn MfaStore<U>> {
        U::declared_models()
            .mfa
            .is_some()
            .then_some(self as &dyn MfaStore<U>)
    }
}

/// The answer of an operation that ran at once, under the lock.
fn answer<'a, T: Send + 'a>(outcome: Result<T, StoreError>) -> StoreFuture<'a, T> {
    Box::pin(std::future::ready(outcome))
}

/// What the memory store refuses, as a database's unique indexes would.
#[derive(Debug)]
enum Conflict {
    /// Another user has this id.
    UserId(String),
    /// Another refresh token has this digest.
    TokenDigest,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conflict::UserId(id) => write!(f, "a user with id {id} already exists"),
            Conflict::TokenDigest => f.write_str("a refresh token with this digest already exists"),
        }
    }
}

impl std::error::Error for Conflict {}

impl From<Conflict> for StoreError {
    fn from(conflict: Conflict) -> Self {
        StoreError::database(conflict)
    }
}
