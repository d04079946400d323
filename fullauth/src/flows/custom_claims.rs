//! The application's own claims in access tokens: a hook registered on the builder
//! ([`super::FullAuthBuilder::custom_claims`]) gives them for a user, and they land under the `extra` claim of
//! every access token issued for that user (sign-in by any way, refresh).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use crate::shared_state::BoxFuture;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::model::FullAuthUser;

/// The names fastapi-fullauth refuses inside `extra`: a verifier reading both may take them for the token's own.
pub const RESERVED_CLAIM_NAMES: [&str; 9] = [
    "sub",
    "exp",
    "iat",
    "jti",
    "type",
    "roles",
    "extra",
    "family_id",
    "purpose",
];

/// Why the claims hook gave no claims.
///
/// `?` turns any error into [`ClaimsError::Failed`]; return [`ClaimsError::Refused`] to refuse the sign-in (or
/// the refresh) of a user the application no longer lets in.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The application refuses to issue a token for this user: the sign-in or refresh fails as wrong
    /// credentials do (401), and the reason is logged.
    Refused(String),
    /// Something the hook needed failed (a database, a service): the request fails with 500, and the error is
    /// logged.
    Failed(String),
}

impl fmt::Display for ClaimsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClaimsError::Refused(reason) => write!(f, "refused: {reason}"),
            ClaimsError::Failed(error) => write!(f, "failed: {error}"),
        }
    }
}

impl<E: std::error::Error> From<E> for ClaimsError {
    fn from(error: E) -> Self {
        ClaimsError::Failed(error.to_string())
    }
}

/// The registered hook, with its claims already turned into JSON and checked.
pub(crate) type ClaimsHook<U> =
    Arc<dyn Fn(U) -> BoxFuture<'static, Result<Map<String, Value>, Error>> + Send + Sync>;

/// Wraps the application's hook: its value must serialize to a JSON object without reserved names.
pub(crate) fn claims_hook<U, F, Fut, C>(hook: F) -> ClaimsHook<U>
where
    U: FullAuthUser,
    F: Fn(U) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<C, ClaimsError>> + Send + 'static,
    C: Serialize,
{
    let hook = Arc::new(hook);
    Arc::new(move |user: U| {
        let hook = Arc::clone(&hook);
        Box::pin(async move {
            let id = user.id().to_string();
            let claims = hook(user).await.map_err(|error| match error {
                ClaimsError::Refused(reason) => {
                    tracing::info!(target: "fullauth::audit", user_id = %id, %reason, "token refused by the claims hook");
                    Error::InvalidCredentials
                }
                ClaimsError::Failed(error) => Error::CustomClaims(format!("the claims hook failed: {error}")),
            })?;
            as_extra(&claims)
        })
    })
}

/// The `extra` claim of `claims`: a JSON object whose names are not reserved.
fn as_extra<C: Serialize>(claims: &C) -> Result<Map<String, Value>, Error> {
    let value = serde_json::to_value(claims).map_err(|error| {
        Error::CustomClaims(format!("the custom claims do not serialize: {error}"))
    })?;
    let Value::Object(extra) = value else {
        return Err(Error::CustomClaims(
            "the custom claims must serialize to a JSON object (a struct or a map), not a single value".into(),
        ));
    };
    if let Some(name) = RESERVED_CLAIM_NAMES
        .iter()
        .find(|name| extra.contains_key(**name))
    {
        return Err(Error::CustomClaims(format!(
            "the custom claims use the reserved name `{name}`: rename it (reserved: {})",
            RESERVED_CLAIM_NAMES.join(", ")
        )));
    }
    Ok(extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn claims_are_an_object_without_reserved_names() {
        assert_eq!(
            as_extra(&json!({ "tenant": "acme", "plan": 3 })).unwrap(),
            json!({ "tenant": "acme", "plan": 3 })
                .as_object()
                .unwrap()
                .clone()
        );
        for bad in [json!(3), json!("tenant"), json!([1]), json!(null)] {
            assert!(
                matches!(as_extra(&bad), Err(Error::CustomClaims(_))),
                "{bad}"
            );
        }
        for name in RESERVED_CLAIM_NAMES {
            let error = as_extra(&json!({ name: 1 })).unwrap_err();
            assert!(error.to_string().contains(&format!("`{name}`")), "{error}");
        }
    }
}
