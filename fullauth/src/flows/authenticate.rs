//! Checking access tokens: the claims alone, or the user behind them in one store call.

use super::FullAuth;
use crate::error::Error;
use crate::model::UserJson;
use crate::model::{FullAuthUser, UserId, now};
use crate::shared_state::{revoked_family_key, revoked_token_key};
use crate::store::SessionUser;
use crate::tokens::{Claims, TokenType};

impl<U: FullAuthUser> FullAuth<U> {
    /// Checks an access token without touching the database: signature, expiry, type, and that neither the
    /// token nor its session was revoked. Every failure is [`Error::InvalidCredentials`]; an unreachable shared
    /// state is [`Error::SharedState`] (revocation checks fail closed).
    pub async fn verify_access_token(&self, token: &str) -> Result<Claims, Error> {
        let claims = self
            .inner
            .tokens
            .decode(token, TokenType::Access)
            .map_err(|_| Error::InvalidCredentials)?;
        let mut keys = vec![revoked_token_key(&claims.jti)];
        if let Some(family) = claims.family() {
            keys.push(revoked_family_key(&family));
        }
        if self.inner.state.contains_any(&keys).await? {
            return Err(Error::InvalidCredentials);
        }
        Ok(claims)
    }

    /// Checks an access token and loads its user in one database query: the user must exist and be active,
    /// and the token's session must still be live in the database (not signed out, not ended by a password
    /// change or a replay), so revocations hold across restarts and instances.
    pub async fn authenticate(&self, token: &str) -> Result<(U, Claims), Error> {
        let (signed_in, claims) = self.session_user(token, false).await?;
        Ok((signed_in.user, claims))
    }

    /// [`Self::authenticate`], with the user's public JSON, roles included, from the same store call.
    pub async fn authenticate_json(&self, token: &str) -> Result<(UserJson<U>, Claims), Error> {
        let (signed_in, claims) = self.session_user(token, true).await?;
        let roles = self
            .roles_enabled()
            .then(|| signed_in.roles.unwrap_or_default());
        let json = UserJson {
            user: signed_in.user,
            roles,
        };
        Ok((json, claims))
    }

    async fn session_user(
        &self,
        token: &str,
        with_roles: bool,
    ) -> Result<(SessionUser<U>, Claims), Error> {
        let claims = self.verify_access_token(token).await?;
        let id = U::Id::parse_subject(&claims.sub).ok_or(Error::InvalidCredentials)?;
        let family_id = claims.family().ok_or(Error::InvalidCredentials)?;
        match self
            .inner
            .store
            .user_for_session(&id, family_id, now(), with_roles)
            .await?
        {
            Some(signed_in) if signed_in.user.is_active() => Ok((signed_in, claims)),
            _ => Err(Error::InvalidCredentials),
        }
    }
}
