//! Extractors for your own handlers: who is calling, and may they.
//!
//! Each finds the [`FullAuth`] through [`FromRef`] on your router state, reads the `Authorization: Bearer`
//! header (or, with `cookies.transport`, the access cookie when that header is absent), and rejects with the fastapi-fullauth answer: 401 `Could not validate credentials` (with
//! `WWW-Authenticate: Bearer`) or 403 `Not enough permissions`.

mod custom_claims;
mod guards;

pub use custom_claims::CustomClaims;
pub use guards::{PermissionRequirement, RequirePermission, RequireRole, RoleRequirement};

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use std::marker::PhantomData;

use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;
use crate::tokens::Claims;

/// The signed-in, active user. One database query per request.
///
/// ```no_run
/// use axum::Json;
/// use fullauth::{CurrentUser, PublicUser};
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
///
/// async fn profile(CurrentUser(user): CurrentUser<User>) -> Json<PublicUser<User>> {
///     Json(PublicUser(user))
/// }
/// ```
///
/// As `Option<CurrentUser<U>>` it yields `None` for a request without a valid token instead of rejecting;
/// a database outage still answers 503.
#[derive(Debug, Clone)]
pub struct CurrentUser<U>(pub U);

/// The signed-in user, who must have verified their email address (403 otherwise).
#[derive(Debug, Clone)]
pub struct VerifiedUser<U>(pub U);

/// The signed-in user, who must be a superuser (403 otherwise).
#[derive(Debug, Clone)]
pub struct SuperUser<U>(pub U);

/// The verified claims of the access token, without touching the database. Dereferences to [`Claims`].
///
/// Signature, expiry, type and the revocations recorded in the shared state (sign-outs, password changes,
/// replays through fullauth) are checked. What only the database knows is not: a user deactivated or deleted
/// there directly, or, with the in-memory shared state, a revocation from before a restart. Use
/// [`CurrentUser`] where that matters; it costs one query.
///
/// ```no_run
/// use fullauth::AccessClaims;
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
///
/// async fn whoami(claims: AccessClaims<User>) -> String {
///     claims.sub.clone()
/// }
/// ```
pub struct AccessClaims<U> {
    /// The verified claims.
    pub claims: Claims,
    user: PhantomData<fn() -> U>,
}

impl<U> std::ops::Deref for AccessClaims<U> {
    type Target = Claims;

    fn deref(&self) -> &Claims {
        &self.claims
    }
}

impl<U> std::fmt::Debug for AccessClaims<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("AccessClaims").field(&self.claims).finish()
    }
}

async fn current<U: FullAuthUser, S: Send + Sync>(parts: &Parts, state: &S) -> Result<U, ApiError>
where
    FullAuth<U>: FromRef<S>,
{
    let auth = FullAuth::<U>::from_ref(state);
    let token = auth.required_access_token(&parts.headers)?;
    let (user, _) = auth.authenticate(&token).await?;
    Ok(user)
}

impl<U: FullAuthUser, S: Send + Sync> FromRequestParts<S> for CurrentUser<U>
where
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        current(parts, state).await.map(CurrentUser)
    }
}

impl<U: FullAuthUser, S: Send + Sync> OptionalFromRequestParts<S> for CurrentUser<U>
where
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        match current(parts, state).await {
            Ok(user) => Ok(Some(CurrentUser(user))),
            Err(ApiError::Unauthorized) => Ok(None),
            Err(other) => Err(other),
        }
    }
}

impl<U: FullAuthUser, S: Send + Sync> FromRequestParts<S> for VerifiedUser<U>
where
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user: U = current(parts, state).await?;
        if user.is_verified() {
            Ok(VerifiedUser(user))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl<U: FullAuthUser, S: Send + Sync> FromRequestParts<S> for SuperUser<U>
where
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let user: U = current(parts, state).await?;
        if user.is_superuser() {
            Ok(SuperUser(user))
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

impl<U: FullAuthUser, S: Send + Sync> FromRequestParts<S> for AccessClaims<U>
where
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = FullAuth::<U>::from_ref(state);
        let token = auth.required_access_token(&parts.headers)?;
        let claims = auth.verify_access_token(&token).await?;
        Ok(AccessClaims {
            claims,
            user: PhantomData,
        })
    }
}
