use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use super::{
    AuthStore, ExpectedHash, InsertUser, NextRefreshToken, RoleSummary, Rotation, Session,
    StoreError, UserPage, UserQuery, sessions_of,
};
use crate::model::{FullAuthUser, RefreshTokenMixin, UserId};

/// An [`AuthStore`] in process memory: for tests and prototypes, lost when the process ends.
///
/// It keeps the same promises as the Diesel adapter, because every operation runs under one lock: one account
/// per email, atomic rotation with replay detection, sessions that end with their user. Database-assigned ids
/// (`i64`) are counted from 1. Clones share the same data.
///
/// ```
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// use fullauth::store::{AuthStore, InsertUser, MemoryStore};
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
    async fn insert_user(&self, user: &U) -> Result<InsertUser<U::Id>, StoreError> {
        let mut data = self.lock();
        if data.by_email.contains_key(user.email()) {
            return Ok(InsertUser::EmailTaken);
        }
        let mut stored = user.clone();
        let Data {
            last_generated_id, ..
        } = &mut *data;
        let id = assign_id(user.id(), last_generated_id);
        if data.users.contains_key(&id) {
            return Err(StoreError::Database(format!(
                "a user with id {id} already exists"
            )));
        }
        stored.auth_mut().id = id.clone();
        data.by_email.insert(user.email().to_owned(), id.clone());
        data.users.insert(id.clone(), stored);
        Ok(InsertUser::Inserted { id })
    }

    async fn user_by_id(&self, id: &U::Id) -> Result<Option<U>, StoreError> {
        Ok(self.lock().users.get(id).cloned())
    }

    async fn user_for_session(
        &self,
        id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<Option<U>, StoreError> {
        let data = self.lock();
        let live = data
            .tokens
            .values()
            .any(|token| token.family_id == family_id && token.is_live(now));
        Ok(if live {
            data.users.get(id).cloned()
        } else {
            None
        })
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<U>, StoreError> {
        let data = self.lock();
        Ok(data
            .by_email
            .get(email)
            .and_then(|id| data.users.get(id))
            .cloned())
    }

    async fn update_user(&self, id: &U::Id, patch: &U::Patch) -> Result<Option<U>, StoreError> {
        let mut data = self.lock();
        Ok(data.users.get_mut(id).map(|user| {
            user.apply_patch(patch);
            user.clone()
        }))
    }

    async fn replace_password_hash(
        &self,
        id: &U::Id,
        current: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let mut data = self.lock();
        match data.users.get_mut(id) {
            Some(user) if user.auth().hashed_password.as_deref() == Some(current) => {
                user.auth_mut().hashed_password = Some(new.to_owned());
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn change_password(
        &self,
        id: &U::Id,
        expected: ExpectedHash<'_>,
        new_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        let mut data = self.lock();
        let Some(user) = data.users.get_mut(id) else {
            return Ok(None);
        };
        if let ExpectedHash::Exactly(expected) = expected
            && user.auth().hashed_password.as_deref() != expected
        {
            return Ok(None);
        }
        user.auth_mut().hashed_password = Some(new_hash.to_owned());
        let families = data.live_families(id, now);
        data.revoke_where(now, |token| &token.user_id == id);
        Ok(Some(families))
    }

    async fn mark_email_verified(&self, id: &U::Id, email: &str) -> Result<bool, StoreError> {
        let mut data = self.lock();
        match data.users.get_mut(id) {
            Some(user) if user.email() == email && !user.is_verified() => {
                user.auth_mut().is_verified = true;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn delete_user(
        &self,
        id: &U::Id,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        let mut data = self.lock();
        let Some(user) = data.users.remove(id) else {
            return Ok(None);
        };
        data.by_email.remove(user.email());
        data.user_roles.remove(id);
        let families = data.live_families(id, now);
        data.tokens.retain(|_, token| &token.user_id != id);
        Ok(Some(families))
    }

    async fn open_session(
        &self,
        token: &RefreshTokenMixin<U::Id>,
        verified_hash: Option<&str>,
    ) -> Result<bool, StoreError> {
        let mut data = self.lock();
        let Some(user) = data.users.get(&token.user_id) else {
            return Ok(false);
        };
        let same_password =
            verified_hash.is_none_or(|hash| user.auth().hashed_password.as_deref() == Some(hash));
        if !user.is_active() || !same_password {
            return Ok(false);
        }
        if data.tokens.contains_key(&token.token_digest) {
            return Err(StoreError::Database(
                "a refresh token with this digest already exists".into(),
            ));
        }
        data.tokens
            .insert(token.token_digest.clone(), token.clone());
        Ok(true)
    }

    async fn refresh_token(
        &self,
        token_digest: &str,
    ) -> Result<Option<RefreshTokenMixin<U::Id>>, StoreError> {
        Ok(self.lock().tokens.get(token_digest).cloned())
    }

    async fn rotate_refresh_token(
        &self,
        token_digest: &str,
        next: &NextRefreshToken,
        now: OffsetDateTime,
    ) -> Result<Rotation<U::Id>, StoreError> {
        let mut data = self.lock();
        let Some(current) = data.tokens.get(token_digest).cloned() else {
            return Ok(Rotation::Invalid);
        };
        if current.is_live(now) {
            if data.tokens.contains_key(&next.token_digest) {
                // Checked before anything changes, so the failure leaves the previous state, as a rolled-back
                // transaction would.
                return Err(StoreError::Database(
                    "a refresh token with this digest already exists".into(),
                ));
            }
            if let Some(used) = data.tokens.get_mut(token_digest) {
                used.used_at = Some(now);
            }
            let replacement = RefreshTokenMixin {
                id: uuid::Uuid::now_v7(),
                token_digest: next.token_digest.clone(),
                expires_at: next.expires_at,
                created_at: next.created_at,
                used_at: None,
                revoked_at: None,
                ..current.clone()
            };
            data.tokens.insert(next.token_digest.clone(), replacement);
            return Ok(Rotation::Rotated { previous: current });
        }
        if current.used_at.is_some() {
            data.revoke_where(now, |token| token.family_id == current.family_id);
            return Ok(Rotation::Reused {
                family_id: current.family_id,
                user_id: current.user_id,
            });
        }
        Ok(Rotation::Invalid)
    }

    async fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        Ok(self
            .lock()
            .revoke_where(now, |token| token.family_id == family_id))
    }

    async fn sessions(
        &self,
        user_id: &U::Id,
        now: OffsetDateTime,
    ) -> Result<Vec<Session>, StoreError> {
        let data = self.lock();
        let live = data
            .tokens
            .values()
            .filter(|token| &token.user_id == user_id && token.is_live(now));
        Ok(sessions_of(live, |family_id| {
            data.tokens
                .values()
                .filter(|token| token.family_id == family_id)
                .map(|token| token.created_at)
                .min()
        }))
    }

    async fn revoke_session(
        &self,
        user_id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut data = self.lock();
        let owned = data
            .tokens
            .values()
            .any(|token| token.family_id == family_id && &token.user_id == user_id);
        if owned {
            data.revoke_where(now, |token| token.family_id == family_id);
        }
        Ok(owned)
    }

    async fn revoke_other_sessions(
        &self,
        user_id: &U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> Result<Vec<uuid::Uuid>, StoreError> {
        let mut data = self.lock();
        let mut ended: Vec<uuid::Uuid> = data
            .tokens
            .values()
            .filter(|token| {
                &token.user_id == user_id && token.family_id != keep && token.is_live(now)
            })
            .map(|token| token.family_id)
            .collect();
        ended.sort_unstable();
        ended.dedup();
        data.revoke_where(now, |token| {
            &token.user_id == user_id && token.family_id != keep
        });
        Ok(ended)
    }

    async fn list_users(&self, query: &UserQuery) -> Result<UserPage<U>, StoreError> {
        let data = self.lock();
        let mut matching: Vec<&U> = data
            .users
            .values()
            .filter(|user| query.matches(user.email()))
            .collect();
        matching.sort_by(|a, b| (a.auth().created_at, a.id()).cmp(&(b.auth().created_at, b.id())));
        let total = matching.len() as u64;
        let users = matching
            .into_iter()
            .skip(usize::try_from(query.offset).unwrap_or(usize::MAX))
            .take(query.limit as usize)
            .cloned()
            .collect();
        Ok(UserPage { users, total })
    }

    async fn set_active(
        &self,
        user_id: &U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> Result<Option<Vec<uuid::Uuid>>, StoreError> {
        let mut data = self.lock();
        let Some(user) = data.users.get_mut(user_id) else {
            return Ok(None);
        };
        user.auth_mut().is_active = active;
        if active {
            return Ok(Some(Vec::new()));
        }
        let families = data.live_families(user_id, now);
        data.revoke_where(now, |token| &token.user_id == user_id);
        Ok(Some(families))
    }

    fn supports_roles(&self) -> bool {
        U::declared_models().roles.is_some()
    }

    async fn assign_role(
        &self,
        user_id: &U::Id,
        role: &str,
        _now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        self.require_roles()?;
        let mut data = self.lock();
        if !data.users.contains_key(user_id) {
            return Ok(false);
        }
        data.roles.entry(role.to_owned()).or_default();
        data.user_roles
            .entry(user_id.clone())
            .or_default()
            .insert(role.to_owned());
        Ok(true)
    }

    async fn remove_role(&self, user_id: &U::Id, role: &str) -> Result<bool, StoreError> {
        self.require_roles()?;
        let mut data = self.lock();
        if !data.users.contains_key(user_id) {
            return Ok(false);
        }
        if let Some(roles) = data.user_roles.get_mut(user_id) {
            roles.remove(role);
        }
        Ok(true)
    }

    async fn assign_permission(
        &self,
        role: &str,
        permission: &str,
        _now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.require_roles()?;
        self.lock()
            .roles
            .entry(role.to_owned())
            .or_default()
            .insert(permission.to_owned());
        Ok(())
    }

    async fn remove_permission(&self, role: &str, permission: &str) -> Result<(), StoreError> {
        self.require_roles()?;
        if let Some(permissions) = self.lock().roles.get_mut(role) {
            permissions.remove(permission);
        }
        Ok(())
    }

    async fn role_permissions(&self, role: &str) -> Result<Vec<String>, StoreError> {
        self.require_roles()?;
        let data = self.lock();
        Ok(data
            .roles
            .get(role)
            .map(|permissions| permissions.iter().cloned().collect())
            .unwrap_or_default())
    }

    async fn roles(&self) -> Result<Vec<RoleSummary>, StoreError> {
        self.require_roles()?;
        let data = self.lock();
        Ok(data
            .roles
            .iter()
            .map(|(name, permissions)| RoleSummary {
                name: name.clone(),
                permissions: permissions.iter().cloned().collect(),
            })
            .collect())
    }

    async fn user_roles(&self, user_id: &U::Id) -> Result<Vec<String>, StoreError> {
        self.require_roles()?;
        let data = self.lock();
        Ok(data
            .user_roles
            .get(user_id)
            .map(|roles| roles.iter().cloned().collect())
            .unwrap_or_default())
    }

    async fn user_permissions(&self, user_id: &U::Id) -> Result<Vec<String>, StoreError> {
        self.require_roles()?;
        let data = self.lock();
        let permissions: BTreeSet<&String> = data
            .user_roles
            .get(user_id)
            .into_iter()
            .flatten()
            .filter_map(|role| data.roles.get(role))
            .flatten()
            .collect();
        Ok(permissions.into_iter().cloned().collect())
    }
}

impl<U: FullAuthUser> MemoryStore<U> {
    /// Refuses role operations for a user model without role models, as the database would lack the tables.
    fn require_roles(&self) -> Result<(), StoreError> {
        if AuthStore::<U>::supports_roles(self) {
            Ok(())
        } else {
            Err(StoreError::roles_unsupported())
        }
    }
}
