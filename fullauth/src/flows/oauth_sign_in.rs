//! Signing in through an OAuth provider, and the linking rules that decide which user that is.

use super::FullAuth;
use super::oauth_state::ProvenIdentity;
use super::sessions::ClientInfo;
use super::sign_in_gate::{Passed, Proof, SignIn};
use crate::error::{Error, OAuthFailure};
use crate::events::AuthEvent;
use crate::json::{Issues, JsonObject};
use crate::model::{FullAuthUser, UserMixin, now};
use crate::store::{Link, NewOAuthUser, OAuthAccountOf, OAuthAccountStore};
use crate::tokens::OAuthPurpose;

impl<U: FullAuthUser> FullAuth<U> {
    /// The OAuth-account store; refused when the user model declares no OAuth-account model.
    pub(crate) fn oauth_account_store(&self) -> Result<&dyn OAuthAccountStore<U>, Error> {
        self.inner
            .store
            .oauth_account_store()
            .ok_or(Error::OAuth(OAuthFailure::NotEnabled))
    }

    /// Completes a sign-in at `provider` and opens a session, or, for a user with MFA on, hands out the
    /// `mfa_token` that [`Self::mfa_verify`] exchanges with a code for the session.
    ///
    /// A known identity signs in its user. Otherwise an account with the provider's email is linked only when
    /// the provider vouches for the email and the account's own email is verified too; an email no account has
    /// creates a password-less user. Every refusal is [`OAuthFailure::Failed`].
    pub async fn oauth_sign_in(
        &self,
        provider: &str,
        code: String,
        state: &str,
        binding: &str,
        client: &ClientInfo,
    ) -> Result<(U, SignIn), Error> {
        let (user, passed) = self
            .oauth_sign_in_granting(provider, code, state, binding, client)
            .await?;
        Ok((user, passed.into()))
    }

    pub(crate) async fn oauth_sign_in_granting(
        &self,
        provider: &str,
        code: String,
        state: &str,
        binding: &str,
        client: &ClientInfo,
    ) -> Result<(U, Passed), Error> {
        let proven = self
            .oauth_prove(provider, code, state, binding, OAuthPurpose::SignIn)
            .await?;
        let user = self.oauth_user(&proven).await?;
        if !user.is_active() {
            return Err(Error::oauth_failed("inactive account"));
        }
        let passed = self
            .pass_sign_in_gate(&user, client, Proof::Provider)
            .await
            .map_err(|error| match error {
                Error::InvalidCredentials => {
                    Error::oauth_failed("the account changed during sign-in")
                }
                other => other,
            })?;
        tracing::info!(target: "fullauth::audit", user_id = %user.id(), provider, "identity proven through OAuth");
        Ok((user, passed))
    }

    /// The user `proven` signs in, linking or creating one by the rules above.
    async fn oauth_user(&self, proven: &ProvenIdentity) -> Result<U, Error> {
        let store = self.oauth_account_store()?;
        let identity = &proven.identity;
        if let Some(link) = store
            .oauth_account(&proven.provider, &identity.user_id)
            .await?
        {
            let mut refreshed = self.oauth_account_for(link.user_id.clone(), proven);
            refreshed.id = link.id;
            refreshed.created_at = link.created_at;
            store.update_oauth_account(&refreshed).await?;
            return self.linked_user(&link.user_id).await;
        }
        let typed = identity.email.as_deref().ok_or_else(|| {
            Error::oauth_failed("the provider shared no email for a new identity")
        })?;
        let email = crate::email_address::normalize(typed);
        if !crate::email_address::is_storable(&email) {
            return Err(Error::oauth_failed("the provider's email cannot be stored"));
        }
        if let Some(existing) = self.user_by_email_in_any_form(typed, &email).await? {
            if !self.inner.config.oauth.auto_link_by_email {
                return Err(Error::oauth_failed(
                    "an account has the provider's email, and linking by email is off: its owner links the \
                     provider from the account",
                ));
            }
            if !existing.is_active() {
                return Err(Error::oauth_failed("inactive account"));
            }
            if !(identity.email_verified && existing.is_verified()) {
                return Err(Error::oauth_failed(
                    "the email matches an account, and the provider or the account has not verified it",
                ));
            }
            let account = self.oauth_account_for(existing.id().clone(), proven);
            return match store.link_oauth_account(&account).await? {
                Link::Linked => {
                    tracing::info!(target: "fullauth::audit", user_id = %existing.id(), provider = %proven.provider, "OAuth identity linked at sign-in");
                    Ok(existing)
                }
                Link::IdentityTaken => self.winner_of_race(proven).await,
                Link::ProviderAlreadyLinked => Err(Error::oauth_failed(
                    "the account with this email has another identity of this provider",
                )),
                Link::UserNotFound => Err(Error::oauth_failed(
                    "the account was deleted during sign-in",
                )),
            };
        }
        let mut mixin = UserMixin::new(&email);
        mixin.is_verified = identity.email_verified;
        let mut issues = Issues::new();
        let Some(mut user) = U::from_input(mixin, &JsonObject::new(), &mut issues) else {
            return Err(Error::oauth_failed(
                "the user model has required fields a provider cannot fill",
            ));
        };
        let account = self.oauth_account_for(user.id().clone(), proven);
        match store
            .create_user_with_oauth_account(&user, &account)
            .await?
        {
            NewOAuthUser::Created { id } => {
                user.auth_mut().id = id;
                tracing::info!(target: "fullauth::audit", user_id = %user.id(), provider = %proven.provider, "account created through OAuth");
                self.inner
                    .events
                    .emit(AuthEvent::AfterRegister { user: user.clone() });
                Ok(user)
            }
            NewOAuthUser::IdentityTaken => self.winner_of_race(proven).await,
            NewOAuthUser::EmailTaken => Err(Error::oauth_failed(
                "an account with this email was created during sign-in",
            )),
        }
    }

    /// The user a concurrent first sign-in of the same identity created or linked.
    async fn winner_of_race(&self, proven: &ProvenIdentity) -> Result<U, Error> {
        let store = self.oauth_account_store()?;
        match store
            .oauth_account(&proven.provider, &proven.identity.user_id)
            .await?
        {
            Some(link) => self.linked_user(&link.user_id).await,
            None => Err(Error::oauth_failed(
                "a concurrent sign-in of this identity failed",
            )),
        }
    }

    async fn linked_user(&self, id: &U::Id) -> Result<U, Error> {
        self.inner
            .store
            .user_by_id(id)
            .await?
            .ok_or_else(|| Error::oauth_failed("the linked user no longer exists"))
    }

    /// The link row for `proven` and `user_id`, with the provider's tokens sealed when the application keeps
    /// them.
    pub(crate) fn oauth_account_for(
        &self,
        user_id: U::Id,
        proven: &ProvenIdentity,
    ) -> OAuthAccountOf<U> {
        let now = now();
        let keep = self.inner.config.oauth.keep_provider_tokens;
        let sealer = self
            .inner
            .oauth
            .as_ref()
            .map(|providers| providers.sealer());
        let context = sealing_context(&proven.provider, &proven.identity.user_id);
        let seal = |token: Option<&str>| match (keep, sealer, token) {
            (true, Some(sealer), Some(token)) => Some(sealer.seal(token, &context)),
            _ => None,
        };
        OAuthAccountOf::<U> {
            id: uuid::Uuid::now_v7(),
            user_id,
            provider: proven.provider.clone(),
            provider_user_id: proven.identity.user_id.clone(),
            provider_email: proven.identity.email.clone(),
            access_token: seal(Some(&proven.tokens.access_token)),
            refresh_token: seal(proven.tokens.refresh_token.as_deref()),
            expires_at: match (keep, proven.tokens.expires_in) {
                (true, Some(lifetime)) => Some(super::token_pair::add(now, lifetime)),
                _ => None,
            },
            created_at: now,
            updated_at: now,
        }
    }
}

/// What a provider token kept with a link is bound to: the link's identity, so that a sealed token copied to
/// another row does not open there.
pub(crate) fn sealing_context(provider: &str, provider_user_id: &str) -> Vec<u8> {
    let mut context = provider.as_bytes().to_vec();
    context.push(0);
    context.extend_from_slice(provider_user_id.as_bytes());
    context
}
