//! Passkeys in the database: the [`PasskeyStore`] of a [`super::DieselAdapter`], for a user model that declares a
//! passkey model.
//!
//! As for OAuth accounts (see `oauth_accounts.rs`), the adapter is generic over the user model alone: the user's
//! derive asks, in its own concrete code, whether a passkey model names it, through [`Probe`], and the answer is
//! [`UserPasskeyQueries::passkey_store`].

use std::marker::PhantomData;

use super::backend::Pools;
use super::error::{lost_a_race, store_error};
use super::glue::UserQueriesOnEveryBackend;
use super::passkey_sql::{
    DeletePasskeys, Filter, InsertPasskey, PasskeyRow, RecordUse, SelectPasskeys,
};
use super::retrying::retrying;
use super::sign_in_methods::{CountOwnedRows, sign_in_tables};
use crate::model::{FullAuthPasskey, FullAuthUser, HasPasskeys, PasskeyMixin, Probe, UserId};
use crate::store::{
    AddPasskey, PasskeyOf, PasskeyStore, PasskeyUse, RemovePasskey, StoreError, StoreFuture,
};

type PasskeyModelOf<U> = <U as HasPasskeys>::Passkey;

/// The passkey operations of the adapter for the user model `U`, on the adapter's pools. It exists for every
/// adapter; it is a [`PasskeyStore`] only when `U` declares a passkey model.
pub struct DieselPasskeyStore<U> {
    pools: Pools,
    user: PhantomData<fn() -> U>,
}

impl<U> DieselPasskeyStore<U> {
    pub(super) fn new(pools: Pools) -> Self {
        Self {
            pools,
            user: PhantomData,
        }
    }
}

impl<U> Clone for DieselPasskeyStore<U> {
    fn clone(&self) -> Self {
        Self::new(self.pools.clone())
    }
}

/// The passkey store of a user model, if a passkey model names it; written by `#[derive(FullAuthUser)]`, which
/// can tell (see the module documentation).
pub trait UserPasskeyQueries: FullAuthUser {
    /// `store` as a [`PasskeyStore`] when the user model has a passkey model.
    fn passkey_store(store: &DieselPasskeyStore<Self>) -> Option<&dyn PasskeyStore<Self>>;
}

/// Chosen when `U` has a passkey model.
#[doc(hidden)]
pub trait ProbeDieselPasskeys<U: FullAuthUser> {
    /// The store as a [`PasskeyStore`].
    fn diesel_passkeys<'a>(
        &self,
        store: &'a DieselPasskeyStore<U>,
    ) -> Option<&'a dyn PasskeyStore<U>>;
}

impl<U: HasPasskeys + UserQueriesOnEveryBackend> ProbeDieselPasskeys<U> for Probe<U> {
    fn diesel_passkeys<'a>(
        &self,
        store: &'a DieselPasskeyStore<U>,
    ) -> Option<&'a dyn PasskeyStore<U>> {
        Some(store)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoDieselPasskeys<U: FullAuthUser> {
    /// No passkey store.
    fn diesel_passkeys<'a>(
        &self,
        store: &'a DieselPasskeyStore<U>,
    ) -> Option<&'a dyn PasskeyStore<U>>;
}

impl<U: FullAuthUser> ProbeNoDieselPasskeys<U> for &Probe<U> {
    fn diesel_passkeys<'a>(
        &self,
        _store: &'a DieselPasskeyStore<U>,
    ) -> Option<&'a dyn PasskeyStore<U>> {
        None
    }
}

/// A row read back as the mixin; `None` when its user id does not parse (it always does: it was written from one).
fn from_row<Id: UserId>(row: PasskeyRow) -> Option<PasskeyMixin<Id>> {
    let (
        id,
        user_id,
        credential_id,
        credential_digest,
        credential,
        sign_count,
        device_name,
        transports,
        backed_up,
        created_at,
        last_used_at,
    ) = row;
    Some(PasskeyMixin {
        id,
        user_id: Id::parse_subject(&user_id)?,
        credential_id,
        credential_digest,
        credential,
        sign_count,
        device_name,
        transports,
        backed_up,
        created_at,
        last_used_at,
    })
}

impl<U: HasPasskeys + UserQueriesOnEveryBackend> DieselPasskeyStore<U> {
    async fn passkeys(&self, filter: Filter<'_, U::Id>) -> Result<Vec<PasskeyOf<U>>, StoreError> {
        let rows = with_connection!(&self.pools, |conn| {
            use diesel_async::RunQueryDsl as _;
            SelectPasskeys::<PasskeyModelOf<U>> { filter }
                .load::<PasskeyRow>(conn)
                .await
        })
        .map_err(store_error)?;
        Ok(rows.into_iter().filter_map(from_row).collect())
    }
}

impl<U: HasPasskeys + UserQueriesOnEveryBackend> PasskeyStore<U> for DieselPasskeyStore<U> {
    fn passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<PasskeyOf<U>>> {
        Box::pin(self.passkeys(Filter::User(user_id)))
    }

    fn passkey_by_digest<'a>(
        &'a self,
        credential_digest: &'a str,
    ) -> StoreFuture<'a, Option<PasskeyOf<U>>> {
        Box::pin(async move {
            let found = self.passkeys(Filter::Digest(credential_digest)).await?;
            Ok(found.into_iter().next())
        })
    }

    fn add_passkey<'a>(
        &'a self,
        passkey: &'a PasskeyOf<U>,
        max_per_user: usize,
    ) -> StoreFuture<'a, AddPasskey> {
        Box::pin(async move {
            let table = PasskeyModelOf::<U>::TABLE_NAME;
            let limit = i64::try_from(max_per_user).unwrap_or(i64::MAX);
            let outcome = retrying(move || async move {
                in_transaction!(&self.pools, |conn| {
                    use diesel_async::RunQueryDsl as _;
                    if U::lock(conn, &passkey.user_id).await? == 0 {
                        return Ok(AddPasskey::UserNotFound);
                    }
                    let known = SelectPasskeys::<PasskeyModelOf<U>> {
                        filter: Filter::Digest(&passkey.credential_digest),
                    };
                    if !known.load::<PasskeyRow>(conn).await?.is_empty() {
                        return Ok(AddPasskey::CredentialTaken);
                    }
                    let owned = CountOwnedRows {
                        table,
                        user_id: &passkey.user_id,
                    }
                    .get_result::<i64>(conn)
                    .await?;
                    if owned >= limit {
                        return Ok(AddPasskey::LimitReached);
                    }
                    InsertPasskey::<PasskeyModelOf<U>> {
                        passkey,
                        model: PhantomData,
                    }
                    .execute(conn)
                    .await?;
                    Ok(AddPasskey::Added)
                })
            })
            .await;
            match outcome {
                // A concurrent registration of the same credential id inserted it first.
                Err(error) if lost_a_race(&error) => Ok(AddPasskey::CredentialTaken),
                outcome => outcome,
            }
        })
    }

    fn record_passkey_use<'a>(&'a self, used: &'a PasskeyUse<'a>) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let updated = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                RecordUse::<PasskeyModelOf<U>> {
                    used,
                    model: PhantomData,
                }
                .execute(conn)
                .await
            })
            .map_err(store_error)?;
            Ok(updated > 0)
        })
    }

    fn delete_passkey<'a>(
        &'a self,
        user_id: &'a U::Id,
        passkey_id: &'a uuid::Uuid,
    ) -> StoreFuture<'a, RemovePasskey> {
        Box::pin(async move {
            let tables = sign_in_tables::<U>();
            let tables = &tables;
            retrying(move || async move {
                in_transaction!(&self.pools, |conn| {
                    use diesel_async::RunQueryDsl as _;
                    // Locked, the user's sign-in methods cannot change under this check.
                    if U::lock(conn, user_id).await? == 0 {
                        return Ok(RemovePasskey::NotFound);
                    }
                    let owned = SelectPasskeys::<PasskeyModelOf<U>> {
                        filter: Filter::User(user_id),
                    }
                    .load::<PasskeyRow>(conn)
                    .await?;
                    if !owned.iter().any(|row| &row.0 == passkey_id) {
                        return Ok(RemovePasskey::NotFound);
                    }
                    if count_sign_in_methods!(U, conn, user_id, tables) <= 1 {
                        return Ok(RemovePasskey::OnlySignInMethod);
                    }
                    DeletePasskeys::<PasskeyModelOf<U>> {
                        user_id,
                        passkey_id: Some(passkey_id),
                    }
                    .execute(conn)
                    .await?;
                    Ok(RemovePasskey::Done)
                })
            })
            .await
        })
    }

    fn delete_passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            let deleted = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                DeletePasskeys::<PasskeyModelOf<U>> {
                    user_id,
                    passkey_id: None,
                }
                .execute(conn)
                .await
            })
            .map_err(store_error)?;
            Ok(deleted as u64)
        })
    }
}
