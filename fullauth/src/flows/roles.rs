//! Roles and permissions: giving them, taking them, listing them.

use super::FullAuth;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, check_name, now};
use crate::store::RoleSummary;

/// Refuses a role or permission name that cannot be stored, for callers of the methods below.
fn invalid_name(kind: &'static str, name: &str) -> Result<(), Error> {
    check_name(name).map_err(|reason| Error::InvalidName { kind, reason })
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Gives `role` to a user, creating the role if needed; idempotent. `false` when the user does not exist.
    pub async fn assign_role(&self, user_id: &U::Id, role: &str) -> Result<bool, Error> {
        let store = self.role_store()?;
        invalid_name("role", role)?;
        let assigned = store.assign_role(user_id, role, now()).await?;
        if assigned {
            tracing::info!(target: "fullauth::audit", user_id = %user_id, role, "role assigned");
            self.inner.events.emit(AuthEvent::AfterRoleAssigned {
                user_id: user_id.to_string(),
                role: role.to_owned(),
            });
        }
        Ok(assigned)
    }

    /// Takes `role` from a user; idempotent. `false` when the user does not exist.
    pub async fn remove_role(&self, user_id: &U::Id, role: &str) -> Result<bool, Error> {
        let store = self.role_store()?;
        invalid_name("role", role)?;
        let found = store.remove_role(user_id, role).await?;
        if found {
            tracing::info!(target: "fullauth::audit", user_id = %user_id, role, "role removed");
            self.inner.events.emit(AuthEvent::AfterRoleRemoved {
                user_id: user_id.to_string(),
                role: role.to_owned(),
            });
        }
        Ok(found)
    }

    /// Gives `permission` to `role`, creating either if needed; idempotent.
    pub async fn assign_permission(&self, role: &str, permission: &str) -> Result<(), Error> {
        let store = self.role_store()?;
        invalid_name("role", role)?;
        invalid_name("permission", permission)?;
        store.assign_permission(role, permission, now()).await?;
        tracing::info!(target: "fullauth::audit", role, permission, "permission assigned");
        self.inner.events.emit(AuthEvent::AfterPermissionAssigned {
            role: role.to_owned(),
            permission: permission.to_owned(),
        });
        Ok(())
    }

    /// Takes `permission` from `role`; idempotent.
    pub async fn remove_permission(&self, role: &str, permission: &str) -> Result<(), Error> {
        let store = self.role_store()?;
        invalid_name("role", role)?;
        invalid_name("permission", permission)?;
        store.remove_permission(role, permission).await?;
        tracing::info!(target: "fullauth::audit", role, permission, "permission removed");
        self.inner.events.emit(AuthEvent::AfterPermissionRemoved {
            role: role.to_owned(),
            permission: permission.to_owned(),
        });
        Ok(())
    }

    /// The permission names of `role`, sorted (empty for an unknown role, or a name no role can have).
    pub async fn role_permissions(&self, role: &str) -> Result<Vec<String>, Error> {
        let store = self.role_store()?;
        if check_name(role).is_err() {
            return Ok(Vec::new());
        }
        Ok(store.role_permissions(role).await?)
    }

    /// Every role with its permissions, sorted by name.
    pub async fn roles(&self) -> Result<Vec<RoleSummary>, Error> {
        Ok(self.role_store()?.list_roles().await?)
    }

    /// The role names of a user, sorted.
    pub async fn user_roles(&self, user_id: &U::Id) -> Result<Vec<String>, Error> {
        Ok(self.role_store()?.user_roles(user_id).await?)
    }

    /// The permission names a user holds through their roles, sorted.
    pub async fn user_permissions(&self, user_id: &U::Id) -> Result<Vec<String>, Error> {
        Ok(self.role_store()?.user_permissions(user_id).await?)
    }
}
