//! [`CustomClaims`]: the application's own claims of the current access token.

use std::marker::PhantomData;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::flows::FullAuth;
use crate::http::ApiError;
use crate::model::FullAuthUser;

/// The application's own claims of the access token (what the builder's
/// [`custom_claims`](crate::FullAuthBuilder::custom_claims) hook gave when the token was issued), typed as `C`,
/// without touching the database. Dereferences to `C`.
///
/// The token is checked as for [`crate::AccessClaims`]: signature, expiry, type and the revocations recorded in
/// the shared state. A token whose `extra` claim does not read as `C` (one issued before the claims changed, say)
/// is refused with 401, so that the client signs in again and gets claims of the current shape.
///
/// ```no_run
/// use fullauth::CustomClaims;
/// # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct TenantClaims {
///     tenant: String,
/// }
///
/// async fn invoices(claims: CustomClaims<TenantClaims, User>) -> String {
///     format!("the invoices of {}", claims.tenant)
/// }
/// ```
pub struct CustomClaims<C, U> {
    /// The claims.
    pub claims: C,
    user: PhantomData<fn() -> U>,
}

impl<C, U> std::ops::Deref for CustomClaims<C, U> {
    type Target = C;

    fn deref(&self) -> &C {
        &self.claims
    }
}

impl<C: std::fmt::Debug, U> std::fmt::Debug for CustomClaims<C, U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("CustomClaims").field(&self.claims).finish()
    }
}

impl<C, U, S> FromRequestParts<S> for CustomClaims<C, U>
where
    C: DeserializeOwned,
    U: FullAuthUser,
    S: Send + Sync,
    FullAuth<U>: FromRef<S>,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = FullAuth::<U>::from_ref(state);
        let token = auth.required_access_token(&parts.headers)?;
        let claims = auth.verify_access_token(&token).await?;
        let extra = Value::Object(claims.extra.unwrap_or_default());
        match serde_json::from_value(extra) {
            Ok(claims) => Ok(CustomClaims {
                claims,
                user: PhantomData,
            }),
            Err(error) => {
                tracing::debug!(%error, "the access token's extra claim does not have the expected shape");
                Err(ApiError::Unauthorized)
            }
        }
    }
}
