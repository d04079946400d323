//! Authorization: what a signed-in user may do. Role and permission checks for the guards, what access tokens
//! grant, and the user JSON with roles.

use super::FullAuth;
use crate::config::RoleCheck;
use crate::error::Error;
use crate::model::{FullAuthUser, UserJson, check_name};
use crate::store::RoleStore;
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

impl<U: FullAuthUser> FullAuth<U> {
    /// Whether the user model declares its role models (and the store keeps them): then the admin router is
    /// mounted, the user JSON and access tokens carry `roles`, and the role guards work.
    pub fn roles_enabled(&self) -> bool {
        self.inner.store.role_store().is_some()
    }

    /// Stops at start-up, naming the missing models, when something that needs roles is mounted without them.
    pub(crate) fn assert_roles_enabled(&self, what: &str) {
        assert!(
            self.roles_enabled(),
            "{what} needs roles, but `{}` declares no role models: derive FullAuthRole, FullAuthPermission, \
             FullAuthUserRole (user = {}) and FullAuthRolePermission",
            std::any::type_name::<U>(),
            std::any::type_name::<U>()
        );
    }

    pub(crate) fn role_store(&self) -> Result<&dyn RoleStore<U>, Error> {
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
        if self.inner.config.roles.check != RoleCheck::Token {
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

    /// Checks an access token against a requirement, reading roles where the configuration says
    /// ([`RoleCheck`]). Returns the token's claims; [`Error::InvalidCredentials`] for a bad token, [`Error::Forbidden`] when the
    /// requirement is not met.
    pub async fn authorize(&self, token: &str, requirement: &Requirement) -> Result<Claims, Error> {
        if self.inner.config.roles.check == RoleCheck::Token {
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
