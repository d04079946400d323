//! Role and permission guards as extractors: `RequireRole<Admin>`, `RequirePermission<EditPosts>`.

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::flows::FullAuth;
use crate::flows::Requirement;
use crate::http::ApiError;
use crate::model::HasRoles;
use crate::tokens::Claims;

/// A set of roles a guard accepts (any one of them), declared with [`roles!`](crate::roles).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a role requirement",
    label = "not declared with `fullauth::roles!`",
    note = "declare it with `fullauth::roles! {{ for User; pub {Self} = \"admin\"; }}`; a permission goes in `RequirePermission<...>`"
)]
pub trait RoleRequirement: Send + Sync + 'static {
    /// The user model whose roles are checked.
    type User: HasRoles;
    /// The role names, any one of which passes.
    const ROLES: &'static [&'static str];
}

/// A set of permissions a guard accepts (any one of them, held through a role), declared with
/// [`permissions!`](crate::permissions).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permission requirement",
    label = "not declared with `fullauth::permissions!`",
    note = "declare it with `fullauth::permissions! {{ for User; pub {Self} = \"posts:edit\"; }}`; a role goes in `RequireRole<...>`"
)]
pub trait PermissionRequirement: Send + Sync + 'static {
    /// The user model whose permissions are checked.
    type User: HasRoles;
    /// The permission names, any one of which passes.
    const PERMISSIONS: &'static [&'static str];
}

/// Admits callers that have any of the roles of `R`, and superusers; 401 without a valid token, 403 otherwise.
///
/// ```no_run
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] pub struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
/// # #[derive(Debug, fullauth::FullAuthRole)] pub struct Role { #[fullauth(mixin)] role: fullauth::RoleMixin }
/// # #[derive(Debug, fullauth::FullAuthPermission)] pub struct Permission { #[fullauth(mixin)] permission: fullauth::PermissionMixin }
/// # #[derive(Debug, fullauth::FullAuthUserRole)] #[fullauth(user = User, role = Role)]
/// # pub struct UserRole { #[fullauth(mixin)] link: fullauth::UserRoleMixin }
/// # #[derive(Debug, fullauth::FullAuthRolePermission)] #[fullauth(role = Role, permission = Permission)]
/// # pub struct RolePermission { #[fullauth(mixin)] link: fullauth::RolePermissionMixin }
/// use fullauth::RequireRole;
///
/// fullauth::roles! {
///     for User;
///     /// Runs the site.
///     pub Admin = "admin";
///     /// Anyone who edits content.
///     pub Staff = "admin" | "editor";
/// }
///
/// async fn publish(guard: RequireRole<Staff>) -> String {
///     format!("published by {}", guard.sub)
/// }
/// ```
///
/// Where roles are read depends on [`RoleConfig::check`](crate::config::RoleConfig::check).
pub struct RequireRole<R: RoleRequirement> {
    /// The verified claims of the caller's access token.
    pub claims: Claims,
    requirement: PhantomData<fn() -> R>,
}

/// Admits callers that hold any of the permissions of `P` through their roles, and superusers; 401 without a
/// valid token, 403 otherwise. See [`RequireRole`].
pub struct RequirePermission<P: PermissionRequirement> {
    /// The verified claims of the caller's access token.
    pub claims: Claims,
    requirement: PhantomData<fn() -> P>,
}

macro_rules! guard_impls {
    ($guard:ident, $requirement:ident, $names:ident, $variant:ident) => {
        impl<R: $requirement> std::ops::Deref for $guard<R> {
            type Target = Claims;

            fn deref(&self) -> &Claims {
                &self.claims
            }
        }

        impl<R: $requirement> std::fmt::Debug for $guard<R> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($guard))
                    .field("requirement", &R::$names)
                    .field("claims", &self.claims)
                    .finish()
            }
        }

        impl<R: $requirement, S: Send + Sync> FromRequestParts<S> for $guard<R>
        where
            FullAuth<R::User>: FromRef<S>,
        {
            type Rejection = ApiError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
                let auth = FullAuth::<R::User>::from_ref(state);
                let token = auth.required_access_token(&parts.headers)?;
                let requirement = Requirement::$variant(
                    R::$names.iter().map(|name| (*name).to_owned()).collect(),
                );
                let claims = auth.authorize(&token, &requirement).await?;
                Ok(Self {
                    claims,
                    requirement: PhantomData,
                })
            }
        }
    };
}

guard_impls!(RequireRole, RoleRequirement, ROLES, AnyRole);
guard_impls!(
    RequirePermission,
    PermissionRequirement,
    PERMISSIONS,
    AnyPermission
);
