//! Roles, permissions and user administration: what the admin router and the guards do, as methods.

use crate::config::RoleCheck;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::fullauth::FullAuth;
use crate::model::{FullAuthUser, check_name, now};
use crate::public::UserJson;
use crate::store::{RoleStore, RoleSummary, UserPage, UserQuery};
use crate::tokens::{AccessGrants, Claims};

/// What a guard asks of the caller: any one of some role names, or any one of some permission names.
/// Superusers pass either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Any of these roles.
    AnyRole(Vec<String>),
    /// Any of these permissions (held through a role).
    AnyPermission(Vec<String>),
}

impl Requirement {
    /// Checks the names; a guard built from bad names would refuse everyone, so this fails loudly instead.
    pub(crate) fn checked(self) -> Result<Self, String> {
        let (kind, names) = match &self {
            Requirement::AnyRole(names) => ("role", names),
            Requirement::AnyPermission(names) => ("permission", names),
        };
        if names.is_empty() {
            return Err(format!("a {kind} guard needs at least one {kind} name"));
        }
        for name in names {
            check_name(name).map_err(|reason| format!("the {kind} name {name:?} {reason}"))?;
        }
        Ok(self)
    }

    fn met_by(&self, roles: &[String], permissions: &[String]) -> bool {
        match self {
            Requirement::AnyRole(names) => names.iter().any(|name| roles.contains(name)),
            Requirement::AnyPermission(names) => {
                names.iter().any(|name| permissions.contains(name))
            }
        }
    }
}

/// Refuses a role or permission name that cannot be stored, for callers of the methods below.
fn invalid_name(kind: &'static str, name: &str) -> Result<(), Error> {
    check_name(name).map_err(|reason| Error::InvalidName { kind, reason })
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Whether the user model declares its role models (and the store keeps them): then the admin router is
    /// mounted, the user JSON and access tokens carry `roles`, and the role guards work.
    pub fn roles_enabled(&self) -> bool {
        self.inner.store.role_store().is_some()
    }

    fn role_store(&self) -> Result<&dyn RoleStore<U>, Error> {
        self.inner.store.role_store().ok_or(Error::RolesNotDeclared)
    }

    /// The user's public JSON with their roles (one query when roles are on).
    pub async fn user_json(&self, user: U) -> Result<UserJson<U>, Error> {
        let roles = match self.inner.store.role_store() {
            Some(store) => Some(store.user_roles(user.id()).await?),
            None => None,
        };
        Ok(UserJson { user, roles })
    }

    /// The public JSON of a user whose roles are already known (from the grants of a token just issued).
    pub(crate) fn user_json_granted(&self, user: U, grants: AccessGrants) -> UserJson<U> {
        let roles = self.roles_enabled().then_some(grants.roles);
        UserJson { user, roles }
    }

    /// What the access tokens of `user` carry: their roles, and their permissions and superuser flag when
    /// guards read the token.
    pub(crate) async fn grants(&self, user: &U) -> Result<AccessGrants, Error> {
        let Some(store) = self.inner.store.role_store() else {
            return Ok(AccessGrants::default());
        };
        let roles = store.user_roles(user.id()).await?;
        if self.inner.config.role_check != RoleCheck::Token {
            return Ok(AccessGrants {
                roles,
                ..AccessGrants::default()
            });
        }
        Ok(AccessGrants {
            roles,
            permissions: Some(store.user_permissions(user.id()).await?),
            is_superuser: Some(user.is_superuser()),
        })
    }

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

    /// The user with this id.
    pub async fn find_user(&self, user_id: &U::Id) -> Result<Option<U>, Error> {
        Ok(self.inner.store.user_by_id(user_id).await?)
    }

    /// A page of users, oldest first.
    pub async fn list_users(&self, query: &UserQuery) -> Result<UserPage<U>, Error> {
        Ok(self.inner.store.list_users(query).await?)
    }

    /// The JSON of several users with their roles, in one query for all of their roles.
    pub async fn users_json(&self, users: Vec<U>) -> Result<Vec<UserJson<U>>, Error> {
        let Some(store) = self.inner.store.role_store() else {
            return Ok(users
                .into_iter()
                .map(|user| UserJson { user, roles: None })
                .collect());
        };
        let ids: Vec<U::Id> = users.iter().map(|user| user.id().clone()).collect();
        let mut pairs = store.roles_of_users(&ids).await?;
        pairs.sort_unstable();
        Ok(users
            .into_iter()
            .map(|user| {
                let roles = pairs
                    .iter()
                    .filter(|(id, _)| id == user.id())
                    .map(|(_, role)| role.clone())
                    .collect();
                UserJson {
                    user,
                    roles: Some(roles),
                }
            })
            .collect())
    }

    /// Activates or deactivates a user. Deactivation ends every session at once (refresh tokens in the database,
    /// access tokens in the shared state). Returns the updated user, `None` when there is no such user.
    pub async fn set_user_active(&self, user_id: &U::Id, active: bool) -> Result<Option<U>, Error> {
        let Some(ended) = self.inner.store.set_active(user_id, active, now()).await? else {
            return Ok(None);
        };
        self.revoke_families_in_state(&ended).await?;
        tracing::info!(
            target: "fullauth::audit", user_id = %user_id, active, sessions_ended = ended.len(),
            "account {}", if active { "activated" } else { "deactivated" }
        );
        let user = self.inner.store.user_by_id(user_id).await?;
        if let Some(user) = &user {
            let user = user.clone();
            self.inner.events.emit(if active {
                AuthEvent::AfterUserActivated { user }
            } else {
                AuthEvent::AfterUserDeactivated { user }
            });
        }
        Ok(user)
    }

    /// Checks an access token against a requirement, reading roles where the configuration says
    /// ([`RoleCheck`]). Returns the token's claims; 401 for a bad token, 403 when the requirement is not met.
    pub async fn authorize(&self, token: &str, requirement: &Requirement) -> Result<Claims, Error> {
        if self.inner.config.role_check == RoleCheck::Token {
            let claims = self.verify_access_token(token).await?;
            let allowed = claims.is_superuser == Some(true)
                || requirement.met_by(
                    claims.roles.as_deref().unwrap_or_default(),
                    claims.permissions.as_deref().unwrap_or_default(),
                );
            return if allowed {
                Ok(claims)
            } else {
                Err(Error::Forbidden)
            };
        }
        let (user, claims) = self.authenticate(token).await?;
        if user.is_superuser() {
            return Ok(claims);
        }
        let store = self.role_store()?;
        let allowed = match requirement {
            Requirement::AnyRole(_) => {
                let roles = store.user_roles(user.id()).await?;
                requirement.met_by(&roles, &[])
            }
            Requirement::AnyPermission(_) => {
                let permissions = store.user_permissions(user.id()).await?;
                requirement.met_by(&[], &permissions)
            }
        };
        if allowed {
            Ok(claims)
        } else {
            Err(Error::Forbidden)
        }
    }
}
