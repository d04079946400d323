use std::collections::BTreeSet;

use time::OffsetDateTime;

use super::{Data, MemoryStore, answer};
use crate::model::FullAuthUser;
use crate::store::{RoleStore, RoleSummary, RolesOfUsers, StoreFuture};

impl<U: FullAuthUser> Data<U> {
    /// The sorted role names of a user.
    pub(super) fn roles_of(&self, user_id: &U::Id) -> Vec<String> {
        self.user_roles
            .get(user_id)
            .map(|roles| roles.iter().cloned().collect())
            .unwrap_or_default()
    }
}

/// Kept for any user model; fullauth reaches it only through [`crate::store::AuthStore::role_store`], which
/// offers it for a user model with role models, as a database would have their tables.
impl<U: FullAuthUser> RoleStore<U> for MemoryStore<U> {
    fn assign_role<'a>(
        &'a self,
        user_id: &'a U::Id,
        role: &'a str,
        _now: OffsetDateTime,
    ) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        if !data.users.contains_key(user_id) {
            return answer(Ok(false));
        }
        data.roles.entry(role.to_owned()).or_default();
        data.user_roles
            .entry(user_id.clone())
            .or_default()
            .insert(role.to_owned());
        answer(Ok(true))
    }

    fn remove_role<'a>(&'a self, user_id: &'a U::Id, role: &'a str) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        if !data.users.contains_key(user_id) {
            return answer(Ok(false));
        }
        if let Some(roles) = data.user_roles.get_mut(user_id) {
            roles.remove(role);
        }
        answer(Ok(true))
    }

    fn assign_permission<'a>(
        &'a self,
        role: &'a str,
        permission: &'a str,
        _now: OffsetDateTime,
    ) -> StoreFuture<'a, ()> {
        self.lock()
            .roles
            .entry(role.to_owned())
            .or_default()
            .insert(permission.to_owned());
        answer(Ok(()))
    }

    fn remove_permission<'a>(&'a self, role: &'a str, permission: &'a str) -> StoreFuture<'a, ()> {
        if let Some(permissions) = self.lock().roles.get_mut(role) {
            permissions.remove(permission);
        }
        answer(Ok(()))
    }

    fn role_permissions<'a>(&'a self, role: &'a str) -> StoreFuture<'a, Vec<String>> {
        let data = self.lock();
        answer(Ok(data
            .roles
            .get(role)
            .map(|permissions| permissions.iter().cloned().collect())
            .unwrap_or_default()))
    }

    fn list_roles(&self) -> StoreFuture<'_, Vec<RoleSummary>> {
        let data = self.lock();
        answer(Ok(data
            .roles
            .iter()
            .map(|(name, permissions)| RoleSummary {
                name: name.clone(),
                permissions: permissions.iter().cloned().collect(),
            })
            .collect()))
    }

    fn user_roles<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>> {
        answer(Ok(self.lock().roles_of(user_id)))
    }

    fn roles_of_users<'a>(&'a self, user_ids: &'a [U::Id]) -> StoreFuture<'a, RolesOfUsers<U::Id>> {
        let data = self.lock();
        let pairs = user_ids
            .iter()
            .flat_map(|id| data.roles_of(id).into_iter().map(|role| (id.clone(), role)))
            .collect();
        answer(Ok(pairs))
    }

    fn user_permissions<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<String>> {
        let data = self.lock();
        let permissions: BTreeSet<&String> = data
            .user_roles
            .get(user_id)
            .into_iter()
            .flatten()
            .filter_map(|role| data.roles.get(role))
            .flatten()
            .collect();
        answer(Ok(permissions.into_iter().cloned().collect()))
    }
}
