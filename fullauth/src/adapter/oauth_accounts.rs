//! OAuth accounts in the database: the [`OAuthAccountStore`] of a [`super::DieselAdapter`], for a user model that
//! declares an OAuth-account model.
//!
//! As for roles (see `roles.rs`), the adapter is generic over the user model alone: the user's derive asks, in
//! its own concrete code, whether an OAuth-account model names it, through [`Probe`], and the answer is
//! [`UserOAuthAccountQueries::oauth_account_store`].

use std::marker::PhantomData;

use super::backend::Pools;
use super::error::{lost_a_race, store_error};
use super::glue::UserQueriesOnEveryBackend;
use super::oauth_sql::{
    AccountRow, DeleteAccount, Filter, InsertAccount, SelectAccounts, UpdateAccount,
};
use super::retrying::retrying;
use super::sign_in_methods::sign_in_tables;
use crate::model::{FullAuthUser, HasOAuthAccounts, OAuthAccountMixin, Probe};
use crate::store::{
    Link, NewOAuthUser, OAuthAccountOf, OAuthAccountStore, StoreError, StoreFuture, Unlink,
};

type AccountModelOf<U> = <U as HasOAuthAccounts>::OAuthAccount;

/// The OAuth-account operations of the adapter for the user model `U`, on the adapter's pools. It exists for
/// every adapter; it is an [`OAuthAccountStore`] only when `U` declares an OAuth-account model.
pub struct DieselOAuthAccountStore<U> {
    pools: Pools,
    user: PhantomData<fn() -> U>,
}

impl<U> DieselOAuthAccountStore<U> {
    pub(super) fn new(pools: Pools) -> Self {
        Self {
            pools,
            user: PhantomData,
        }
    }
}

impl<U> Clone for DieselOAuthAccountStore<U> {
    fn clone(&self) -> Self {
        Self::new(self.pools.clone())
    }
}

/// The OAuth-account store of a user model, if an OAuth-account model names it; written by
/// `#[derive(FullAuthUser)]`, which can tell (see the module documentation).
pub trait UserOAuthAccountQueries: FullAuthUser {
    /// `store` as an [`OAuthAccountStore`] when the user model has an OAuth-account model.
    fn oauth_account_store(
        store: &DieselOAuthAccountStore<Self>,
    ) -> Option<&dyn OAuthAccountStore<Self>>;
}

/// Chosen when `U` has an OAuth-account model.
#[doc(hidden)]
pub trait ProbeDieselOAuthAccounts<U: FullAuthUser> {
    /// The store as an [`OAuthAccountStore`].
    fn diesel_oauth_accounts<'a>(
        &self,
        store: &'a DieselOAuthAccountStore<U>,
    ) -> Option<&'a dyn OAuthAccountStore<U>>;
}

impl<U: HasOAuthAccounts + UserQueriesOnEveryBackend> ProbeDieselOAuthAccounts<U> for Probe<U> {
    fn diesel_oauth_accounts<'a>(
        &self,
        store: &'a DieselOAuthAccountStore<U>,
    ) -> Option<&'a dyn OAuthAccountStore<U>> {
        Some(store)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoDieselOAuthAccounts<U: FullAuthUser> {
    /// No OAuth-account store.
    fn diesel_oauth_accounts<'a>(
        &self,
        store: &'a DieselOAuthAccountStore<U>,
    ) -> Option<&'a dyn OAuthAccountStore<U>>;
}

impl<U: FullAuthUser> ProbeNoDieselOAuthAccounts<U> for &Probe<U> {
    fn diesel_oauth_accounts<'a>(
        &self,
        _store: &'a DieselOAuthAccountStore<U>,
    ) -> Option<&'a dyn OAuthAccountStore<U>> {
        None
    }
}

/// A row read back as the mixin; `None` when its user id does not parse (it always does: it was written from one).
fn from_row<Id: crate::model::UserId>(row: AccountRow) -> Option<OAuthAccountMixin<Id>> {
    let (
        id,
        user_id,
        provider,
        provider_user_id,
        provider_email,
        access_token,
        refresh_token,
        expires_at,
        created_at,
        updated_at,
    ) = row;
    Some(OAuthAccountMixin {
        id,
        user_id: Id::parse_subject(&user_id)?,
        provider,
        provider_user_id,
        provider_email,
        access_token,
        refresh_token,
        expires_at,
        created_at,
        updated_at,
    })
}

impl<U: HasOAuthAccounts + UserQueriesOnEveryBackend> DieselOAuthAccountStore<U> {
    async fn accounts(
        &self,
        filter: Filter<'_, U::Id>,
    ) -> Result<Vec<OAuthAccountOf<U>>, StoreError> {
        let rows = with_connection!(&self.pools, |conn| {
            use diesel_async::RunQueryDsl as _;
            SelectAccounts::<AccountModelOf<U>> { filter }
                .load::<AccountRow>(conn)
                .await
        })
        .map_err(store_error)?;
        Ok(rows.into_iter().filter_map(from_row).collect())
    }
}

impl<U: HasOAuthAccounts + UserQueriesOnEveryBackend> OAuthAccountStore<U>
    for DieselOAuthAccountStore<U>
{
    fn oauth_account<'a>(
        &'a self,
        provider: &'a str,
        provider_user_id: &'a str,
    ) -> StoreFuture<'a, Option<OAuthAccountOf<U>>> {
        Box::pin(async move {
            let filter = Filter::Identity {
                provider,
                provider_user_id,
            };
            Ok(self.accounts(filter).await?.into_iter().next())
        })
    }

    fn oauth_accounts_of<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> StoreFuture<'a, Vec<OAuthAccountOf<U>>> {
        Box::pin(self.accounts(Filter::User(user_id)))
    }

    fn link_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, Link> {
        Box::pin(async move {
            let outcome = retrying(move || async move {
                in_transaction!(&self.pools, |conn| {
                    use diesel_async::RunQueryDsl as _;
                    // The user's row lock serializes the links of one user, so "one link per provider" is
                    // decided here; the identity's unique index decides between users.
                    if U::lock(conn, &account.user_id).await? == 0 {
                        return Ok(Link::UserNotFound);
                    }
                    let identity = SelectAccounts::<AccountModelOf<U>> {
                        filter: Filter::Identity {
                            provider: &account.provider,
                            provider_user_id: &account.provider_user_id,
                        },
                    };
                    if !identity.load::<AccountRow>(conn).await?.is_empty() {
                        return Ok(Link::IdentityTaken);
                    }
                    let linked = SelectAccounts::<AccountModelOf<U>> {
                        filter: Filter::User(&account.user_id),
                    }
                    .load::<AccountRow>(conn)
                    .await?;
                    if linked.iter().any(|row| row.2 == account.provider) {
                        return Ok(Link::ProviderAlreadyLinked);
                    }
                    InsertAccount::<AccountModelOf<U>> {
                        account,
                        model: PhantomData,
                    }
                    .execute(conn)
                    .await?;
                    Ok(Link::Linked)
                })
            })
            .await;
            match outcome {
                Err(error) if lost_a_race(&error) => Ok(Link::IdentityTaken),
                outcome => outcome,
            }
        })
    }

    fn create_user_with_oauth_account<'a>(
        &'a self,
        user: &'a U,
        account: &'a OAuthAccountOf<U>,
    ) -> StoreFuture<'a, NewOAuthUser<U::Id>> {
        Box::pin(async move {
            // MySQL may pick one of two racing inserts into the same unique index as a deadlock victim: the
            // transaction runs again and then sees what the winner wrote.
            let outcome: Result<Result<U::Id, NewOAuthUser<U::Id>>, StoreError> =
                retrying(move || async move {
                    in_transaction!(&self.pools, |conn| {
                        use diesel_async::RunQueryDsl as _;
                        let identity = SelectAccounts::<AccountModelOf<U>> {
                            filter: Filter::Identity {
                                provider: &account.provider,
                                provider_user_id: &account.provider_user_id,
                            },
                        };
                        if !identity.load::<AccountRow>(conn).await?.is_empty() {
                            return Ok(Err(NewOAuthUser::IdentityTaken));
                        }
                        if U::find_by_email(conn, user.email()).await?.is_some() {
                            return Ok(Err(NewOAuthUser::EmailTaken));
                        }
                        let id = U::insert(conn, user).await?;
                        let mut linked = account.clone();
                        linked.user_id = id.clone();
                        InsertAccount::<AccountModelOf<U>> {
                            account: &linked,
                            model: PhantomData,
                        }
                        .execute(conn)
                        .await?;
                        Ok(Ok(id))
                    })
                })
                .await;
            match outcome {
                Ok(Ok(id)) => Ok(NewOAuthUser::Created { id }),
                Ok(Err(refused)) => Ok(refused),
                // A concurrent first sign-in inserted the identity or the email first; say which.
                Err(error) if lost_a_race(&error) => {
                    let filter = Filter::Identity {
                        provider: &account.provider,
                        provider_user_id: &account.provider_user_id,
                    };
                    if self.accounts(filter).await?.is_empty() {
                        Ok(NewOAuthUser::EmailTaken)
                    } else {
                        Ok(NewOAuthUser::IdentityTaken)
                    }
                }
                Err(error) => Err(error),
            }
        })
    }

    fn update_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let updated = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                UpdateAccount::<AccountModelOf<U>> {
                    account,
                    model: PhantomData,
                }
                .execute(conn)
                .await
            })
            .map_err(store_error)?;
            Ok(updated > 0)
        })
    }

    fn unlink_oauth_account<'a>(
        &'a self,
        user_id: &'a U::Id,
        provider: &'a str,
    ) -> StoreFuture<'a, Unlink> {
        let tables = sign_in_tables::<U>();
        Box::pin(async move {
            let tables = &tables;
            retrying(move || async move {
                in_transaction!(&self.pools, |conn| {
                    use diesel_async::RunQueryDsl as _;
                    // Locked, the user's sign-in methods cannot change under this check.
                    if U::lock(conn, user_id).await? == 0 {
                        return Ok(Unlink::NotFound);
                    }
                    let linked = SelectAccounts::<AccountModelOf<U>> {
                        filter: Filter::User(user_id),
                    }
                    .load::<AccountRow>(conn)
                    .await?;
                    if !linked.iter().any(|row| row.2 == provider) {
                        return Ok(Unlink::NotFound);
                    }
                    if count_sign_in_methods!(U, conn, user_id, tables) <= 1 {
                        return Ok(Unlink::OnlySignInMethod);
                    }
                    DeleteAccount::<AccountModelOf<U>> { user_id, provider }
                        .execute(conn)
                        .await?;
                    Ok(Unlink::Done)
                })
            })
            .await
        })
    }
}
