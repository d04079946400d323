use super::{Data, MemoryStore, answer};
use crate::model::FullAuthUser;
use crate::store::{
    InsertUser, Link, NewOAuthUser, OAuthAccountOf, OAuthAccountStore, StoreError, StoreFuture,
    Unlink,
};

impl<U: FullAuthUser> Data<U> {
    fn identity_taken(&self, account: &OAuthAccountOf<U>) -> bool {
        self.oauth_accounts.contains_key(&identity(account))
    }

    fn has_provider(&self, user_id: &U::Id, provider: &str) -> bool {
        self.oauth_accounts
            .values()
            .any(|linked| &linked.user_id == user_id && linked.provider == provider)
    }
}

fn identity<Id>(account: &crate::model::OAuthAccountMixin<Id>) -> (String, String) {
    (account.provider.clone(), account.provider_user_id.clone())
}

/// Kept for any user model; fullauth reaches it only through
/// [`crate::store::AuthStore::oauth_account_store`], which offers it for a user model with an OAuth-account model.
impl<U: FullAuthUser> OAuthAccountStore<U> for MemoryStore<U> {
    fn oauth_account<'a>(
        &'a self,
        provider: &'a str,
        provider_user_id: &'a str,
    ) -> StoreFuture<'a, Option<OAuthAccountOf<U>>> {
        let key = (provider.to_owned(), provider_user_id.to_owned());
        answer(Ok(self.lock().oauth_accounts.get(&key).cloned()))
    }

    fn oauth_accounts_of<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> StoreFuture<'a, Vec<OAuthAccountOf<U>>> {
        let data = self.lock();
        let mut accounts: Vec<_> = data
            .oauth_accounts
            .values()
            .filter(|account| &account.user_id == user_id)
            .cloned()
            .collect();
        accounts.sort_by(|a, b| a.provider.cmp(&b.provider));
        answer(Ok(accounts))
    }

    fn link_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, Link> {
        let mut data = self.lock();
        let outcome = if !data.users.contains_key(&account.user_id) {
            Link::UserNotFound
        } else if data.identity_taken(account) {
            Link::IdentityTaken
        } else if data.has_provider(&account.user_id, &account.provider) {
            Link::ProviderAlreadyLinked
        } else {
            data.oauth_accounts
                .insert(identity(account), account.clone());
            Link::Linked
        };
        answer(Ok(outcome))
    }

    fn create_user_with_oauth_account<'a>(
        &'a self,
        user: &'a U,
        account: &'a OAuthAccountOf<U>,
    ) -> StoreFuture<'a, NewOAuthUser<U::Id>> {
        let mut data = self.lock();
        if data.identity_taken(account) {
            return answer(Ok(NewOAuthUser::IdentityTaken));
        }
        let id = match data.insert_user(user) {
            Ok(InsertUser::Inserted { id }) => id,
            Ok(InsertUser::EmailTaken) => return answer(Ok(NewOAuthUser::EmailTaken)),
            Err(conflict) => return answer(Err(StoreError::from(conflict))),
        };
        let mut linked = account.clone();
        linked.user_id = id.clone();
        data.oauth_accounts.insert(identity(account), linked);
        answer(Ok(NewOAuthUser::Created { id }))
    }

    fn update_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, bool> {
        let mut data = self.lock();
        let Some(linked) = data.oauth_accounts.get_mut(&identity(account)) else {
            return answer(Ok(false));
        };
        linked.provider_email.clone_from(&account.provider_email);
        linked.access_token.clone_from(&account.access_token);
        linked.refresh_token.clone_from(&account.refresh_token);
        linked.expires_at = account.expires_at;
        linked.updated_at = account.updated_at;
        answer(Ok(true))
    }

    fn unlink_oauth_account<'a>(
        &'a self,
        user_id: &'a U::Id,
        provider: &'a str,
    ) -> StoreFuture<'a, Unlink> {
        let mut data = self.lock();
        let Some(key) = data
            .oauth_accounts
            .iter()
            .find(|(_, account)| &account.user_id == user_id && account.provider == provider)
            .map(|(key, _)| key.clone())
        else {
            return answer(Ok(Unlink::NotFound));
        };
        if data.sign_in_methods(user_id) <= 1 {
            return answer(Ok(Unlink::OnlySignInMethod));
        }
        data.oauth_accounts.remove(&key);
        answer(Ok(Unlink::Done))
    }
}
