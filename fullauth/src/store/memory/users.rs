use time::OffsetDateTime;

use super::{Conflict, Data, MemoryStore, answer, assign_id};
use crate::model::FullAuthUser;
use crate::store::{
    ExpectedHash, InsertUser, Removal, StoreError, StoreFuture, UserPage, UserQuery, UserStore,
};

impl<U: FullAuthUser> UserStore<U> for MemoryStore<U> {
    fn insert_user<'a>(&'a self, user: &'a U) -> StoreFuture<'a, InsertUser<U::Id>> {
        answer(self.lock().insert_user(user).map_err(StoreError::from))
    }

    fn user_by_id<'a>(&'a self, id: &'a U::Id) -> StoreFuture<'a, Option<U>> {
        answer(Ok(self.lock().users.get(id).cloned()))
    }

    fn user_by_email<'a>(&'a self, email: &'a str) -> StoreFuture<'a, Option<U>> {
        let data = self.lock();
        let user = data.by_email.get(email).and_then(|id| data.users.get(id));
        answer(Ok(user.cloned()))
    }

    fn update_user<'a>(&'a self, id: &'a U::Id, patch: &'a U::Patch) -> StoreFuture<'a, Option<U>> {
        let mut data = self.lock();
        answer(Ok(data.users.get_mut(id).map(|user| {
            user.apply_patch(patch);
            user.clone()
        })))
    }

    fn replace_password_hash<'a>(
        &'a self,
        id: &'a U::Id,
        current: &'a str,
        new: &'a str,
    ) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        answer(Ok(match data.users.get_mut(id) {
            Some(user) if user.auth().hashed_password.as_deref() == Some(current) => {
                user.auth_mut().hashed_password = Some(new.to_owned());
                true
            }
            _ => false,
        }))
    }

    fn change_password<'a>(
        &'a self,
        id: &'a U::Id,
        expected: ExpectedHash<'a>,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Option<Vec<uuid::Uuid>>> {
        let mut data = self.lock();
        let Some(user) = data.users.get_mut(id) else {
            return answer(Ok(None));
        };
        if let ExpectedHash::Exactly(expected) = expected
            && user.auth().hashed_password.as_deref() != expected
        {
            return answer(Ok(None));
        }
        user.auth_mut().hashed_password = Some(new_hash.to_owned());
        let families = data.live_families(id, now);
        data.revoke_where(now, |token| &token.user_id == id);
        answer(Ok(Some(families)))
    }

    fn mark_email_verified<'a>(&'a self, id: &'a U::Id, email: &'a str) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        answer(Ok(match data.users.get_mut(id) {
            Some(user) if user.email() == email && !user.is_verified() => {
                user.auth_mut().is_verified = true;
                true
            }
            _ => false,
        }))
    }

    fn delete_user<'a>(&'a self, id: &'a U::Id, now: OffsetDateTime) -> StoreFuture<'a, Removal> {
        let mut data = self.lock();
        if data.is_last_active_superuser(id) {
            return answer(Ok(Removal::LastSuperuser));
        }
        let Some(user) = data.users.remove(id) else {
            return answer(Ok(Removal::NotFound));
        };
        data.by_email.remove(user.email());
        data.user_roles.remove(id);
        data.oauth_accounts
            .retain(|_, account| &account.user_id != id);
        data.passkeys.retain(|_, passkey| &passkey.user_id != id);
        data.mfa.remove(id);
        let families = data.live_families(id, now);
        data.tokens.retain(|_, token| &token.user_id != id);
        answer(Ok(Removal::Done(families)))
    }

    fn list_users<'a>(&'a self, query: &'a UserQuery) -> StoreFuture<'a, UserPage<U>> {
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
        answer(Ok(UserPage { users, total }))
    }

    fn set_active<'a>(
        &'a self,
        id: &'a U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Removal> {
        let mut data = self.lock();
        if !active && data.is_last_active_superuser(id) {
            return answer(Ok(Removal::LastSuperuser));
        }
        let Some(user) = data.users.get_mut(id) else {
            return answer(Ok(Removal::NotFound));
        };
        user.auth_mut().is_active = active;
        if active {
            return answer(Ok(Removal::Done(Vec::new())));
        }
        let families = data.live_families(id, now);
        data.revoke_where(now, |token| &token.user_id == id);
        answer(Ok(Removal::Done(families)))
    }
}

impl<U: FullAuthUser> Data<U> {
    /// Inserts a user unless the email is taken, assigning its id when the database would.
    pub(super) fn insert_user(&mut self, user: &U) -> Result<InsertUser<U::Id>, Conflict> {
        if self.by_email.contains_key(user.email()) {
            return Ok(InsertUser::EmailTaken);
        }
        let id = assign_id(user.id(), &mut self.last_generated_id);
        if self.users.contains_key(&id) {
            return Err(Conflict::UserId(id.to_string()));
        }
        let mut stored = user.clone();
        stored.auth_mut().id = id.clone();
        self.by_email.insert(user.email().to_owned(), id.clone());
        self.users.insert(id.clone(), stored);
        Ok(InsertUser::Inserted { id })
    }
}
