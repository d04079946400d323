//! A signed-in user's links to providers: listing, adding, removing; and the provider tokens kept with them.

use super::FullAuth;
use super::oauth_sign_in::sealing_context;
use crate::error::{Error, OAuthFailure};
use crate::model::FullAuthUser;
use crate::store::{Link, OAuthAccountOf, Unlink};
use crate::tokens::OAuthPurpose;

impl<U: FullAuthUser> FullAuth<U> {
    /// The user's links, sorted by provider.
    pub async fn oauth_accounts(&self, user: &U) -> Result<Vec<OAuthAccountOf<U>>, Error> {
        Ok(self
            .oauth_account_store()?
            .oauth_accounts_of(user.id())
            .await?)
    }

    /// Completes a link flow started by `user`: the identity proven at `provider` becomes one of theirs.
    /// Refused with [`OAuthFailure::IdentityOwned`] when another user has it, and with
    /// [`OAuthFailure::ProviderAlreadyLinked`] when `user` already has an identity of this provider.
    pub async fn oauth_link(
        &self,
        user: &U,
        provider: &str,
        code: String,
        state: &str,
        binding: &str,
    ) -> Result<OAuthAccountOf<U>, Error> {
        let subject = user.id().to_string();
        let proven = self
            .oauth_prove(provider, code, state, binding, OAuthPurpose::Link(&subject))
            .await?;
        let store = self.oauth_account_store()?;
        let account = self.oauth_account_for(user.id().clone(), &proven);
        match store.link_oauth_account(&account).await? {
            Link::Linked => {
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), provider, "OAuth identity linked");
                Ok(account)
            }
            Link::IdentityTaken => {
                let owner = store
                    .oauth_account(provider, &account.provider_user_id)
                    .await?;
                Err(Error::OAuth(match owner {
                    Some(link) if link.user_id == *user.id() => OAuthFailure::ProviderAlreadyLinked,
                    _ => OAuthFailure::IdentityOwned,
                }))
            }
            Link::ProviderAlreadyLinked => Err(Error::OAuth(OAuthFailure::ProviderAlreadyLinked)),
            Link::UserNotFound => Err(Error::InvalidCredentials),
        }
    }

    /// Whether users can add a passkey: passkeys are configured and the user model declares their model.
    fn passkeys_available(&self) -> bool {
        #[cfg(feature = "passkey")]
        {
            self.inner.passkeys.is_some()
        }
        #[cfg(not(feature = "passkey"))]
        {
            false
        }
    }

    /// Removes the user's link to `provider`, unless it is their only way to sign in.
    pub async fn oauth_unlink(&self, user: &U, provider: &str) -> Result<(), Error> {
        match self
            .oauth_account_store()?
            .unlink_oauth_account(user.id(), provider)
            .await?
        {
            Unlink::Done => {
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), provider, "OAuth identity unlinked");
                Ok(())
            }
            Unlink::NotFound => Err(Error::OAuth(OAuthFailure::AccountNotFound)),
            Unlink::OnlySignInMethod => Err(Error::OAuth(OAuthFailure::OnlySignInMethod {
                passkeys_available: self.passkeys_available(),
            })),
        }
    }

    /// The provider's access token kept with `account`, decrypted; `None` when tokens are not kept, or the
    /// value cannot be opened with the current secret key.
    pub fn oauth_access_token(&self, account: &OAuthAccountOf<U>) -> Option<String> {
        let sealer = self.inner.oauth.as_ref()?.sealer();
        sealer.open(
            account.access_token.as_deref()?,
            &sealing_context(&account.provider, &account.provider_user_id),
        )
    }

    /// The provider's refresh token kept with `account`, decrypted, like [`Self::oauth_access_token`].
    pub fn oauth_refresh_token(&self, account: &OAuthAccountOf<U>) -> Option<String> {
        let sealer = self.inner.oauth.as_ref()?.sealer();
        sealer.open(
            account.refresh_token.as_deref()?,
            &sealing_context(&account.provider, &account.provider_user_id),
        )
    }
}
