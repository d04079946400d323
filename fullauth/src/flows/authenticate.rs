use crate::error::ApiError;
use crate::fullauth::FullAuth;
use crate::model::{FullAuthUser, UserId};
use crate::state::{revoked_family_key, revoked_token_key};
use crate::tokens::{Claims, TokenType};

impl<U: FullAuthUser> FullAuth<U> {
    /// Checks an access token without touching the database: signature, expiry, type, and that neither the
    /// token nor its session was revoked. Every failure is [`ApiError::Unauthorized`]; an unreachable shared
    /// state is [`ApiError::Unavailable`] (revocation checks fail closed).
    pub async fn verify_access_token(&self, token: &str) -> Result<Claims, ApiError> {
        let claims = self
            .inner
            .tokens
            .decode(token, TokenType::Access)
            .map_err(|_| ApiError::Unauthorized)?;
        let mut keys = vec![revoked_token_key(&claims.jti)];
        if let Some(family) = claims.family() {
            keys.push(revoked_family_key(&family));
        }
        if self.inner.state.contains_any(&keys).await? {
            return Err(ApiError::Unauthorized);
        }
        Ok(claims)
    }

    /// Checks an access token and loads its user, who must exist and be active: one database query.
    pub async fn authenticate(&self, token: &str) -> Result<(U, Claims), ApiError> {
        let claims = self.verify_access_token(token).await?;
        let id = U::Id::parse_subject(&claims.sub).ok_or(ApiError::Unauthorized)?;
        match self.inner.store.user_by_id(&id).await? {
            Some(user) if user.is_active() => Ok((user, claims)),
            _ => Err(ApiError::Unauthorized),
        }
    }
}
