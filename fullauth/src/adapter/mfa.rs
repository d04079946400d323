//! Second factors in the database: the [`MfaStore`] of a [`super::DieselAdapter`], for a user model that declares
//! an MFA model.
//!
//! As for passkeys (see `passkeys.rs`), the adapter is generic over the user model alone: the user's derive asks,
//! in its own concrete code, whether an MFA model names it, through [`Probe`], and the answer is
//! [`UserMfaQueries::mfa_store`].

use std::marker::PhantomData;

use time::OffsetDateTime;

use super::backend::Pools;
use super::error::store_error;
use super::glue::UserQueriesOnEveryBackend;
use super::mfa_sql::{Change, DeleteMfa, InsertMfa, MfaRow, SelectMfa, UpdateMfa};
use super::retrying::retrying;
use crate::model::{FullAuthUser, HasMfa, MfaMixin, Probe, UserId};
use crate::store::{Confirmation, Enrolment, MfaOf, MfaStore, StoreError, StoreFuture};

type MfaModelOf<U> = <U as HasMfa>::Mfa;

/// How often a recovery code is tried against a list that other uses keep changing.
const RECOVERY_CODE_ATTEMPTS: usize = 16;

/// The MFA operations of the adapter for the user model `U`, on the adapter's pools. It exists for every adapter;
/// it is an [`MfaStore`] only when `U` declares an MFA model.
pub struct DieselMfaStore<U> {
    pools: Pools,
    user: PhantomData<fn() -> U>,
}

impl<U> DieselMfaStore<U> {
    pub(super) fn new(pools: Pools) -> Self {
        Self {
            pools,
            user: PhantomData,
        }
    }
}

impl<U> Clone for DieselMfaStore<U> {
    fn clone(&self) -> Self {
        Self::new(self.pools.clone())
    }
}

/// The MFA store of a user model, if an MFA model names it; written by `#[derive(FullAuthUser)]`, which can tell
/// (see the module documentation).
pub trait UserMfaQueries: FullAuthUser {
    /// `store` as an [`MfaStore`] when the user model has an MFA model.
    fn mfa_store(store: &DieselMfaStore<Self>) -> Option<&dyn MfaStore<Self>>;
}

/// Chosen when `U` has an MFA model.
#[doc(hidden)]
pub trait ProbeDieselMfa<U: FullAuthUser> {
    /// The store as an [`MfaStore`].
    fn diesel_mfa<'a>(&self, store: &'a DieselMfaStore<U>) -> Option<&'a dyn MfaStore<U>>;
}

impl<U: HasMfa + UserQueriesOnEveryBackend> ProbeDieselMfa<U> for Probe<U> {
    fn diesel_mfa<'a>(&self, store: &'a DieselMfaStore<U>) -> Option<&'a dyn MfaStore<U>> {
        Some(store)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoDieselMfa<U: FullAuthUser> {
    /// No MFA store.
    fn diesel_mfa<'a>(&self, store: &'a DieselMfaStore<U>) -> Option<&'a dyn MfaStore<U>>;
}

impl<U: FullAuthUser> ProbeNoDieselMfa<U> for &Probe<U> {
    fn diesel_mfa<'a>(&self, _store: &'a DieselMfaStore<U>) -> Option<&'a dyn MfaStore<U>> {
        None
    }
}

/// A row read back as the mixin; `None` when its user id does not parse (it always does: it was written from one).
fn from_row<Id: UserId>(row: MfaRow) -> Option<MfaMixin<Id>> {
    let (id, user_id, secret, confirmed_at, last_counter, recovery_codes, created_at) = row;
    Some(MfaMixin {
        id,
        user_id: Id::parse_subject(&user_id)?,
        secret,
        confirmed_at,
        last_counter,
        recovery_codes,
        created_at,
    })
}

impl<U: HasMfa + UserQueriesOnEveryBackend> DieselMfaStore<U> {
    async fn update(&self, user_id: &U::Id, change: Change<'_>) -> Result<bool, StoreError> {
        let updated = with_connection!(&self.pools, |conn| {
            use diesel_async::RunQueryDsl as _;
            UpdateMfa::<MfaModelOf<U>> { user_id, change }
                .execute(conn)
                .await
        })
        .map_err(store_error)?;
        Ok(updated > 0)
    }

    async fn read(&self, user_id: &U::Id) -> Result<Option<MfaOf<U>>, StoreError> {
        let rows = with_connection!(&self.pools, |conn| {
            use diesel_async::RunQueryDsl as _;
            SelectMfa::<MfaModelOf<U>> { user_id }
                .load::<MfaRow>(conn)
                .await
        })
        .map_err(store_error)?;
        Ok(rows.into_iter().find_map(from_row))
    }
}

impl<U: HasMfa + UserQueriesOnEveryBackend> MfaStore<U> for DieselMfaStore<U> {
    fn mfa_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Option<MfaOf<U>>> {
        Box::pin(self.read(user_id))
    }

    fn start_mfa_enrolment<'a>(&'a self, enrolment: &'a MfaOf<U>) -> StoreFuture<'a, Enrolment> {
        Box::pin(retrying(move || async move {
            in_transaction!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                // Locked, two enrolments of one user cannot interleave.
                if U::lock(conn, &enrolment.user_id).await? == 0 {
                    return Ok(Enrolment::UserNotFound);
                }
                let current = SelectMfa::<MfaModelOf<U>> {
                    user_id: &enrolment.user_id,
                }
                .load::<MfaRow>(conn)
                .await?;
                if current.iter().any(|row| row.3.is_some()) {
                    return Ok(Enrolment::AlreadyEnabled);
                }
                DeleteMfa::<MfaModelOf<U>> {
                    user_id: &enrolment.user_id,
                }
                .execute(conn)
                .await?;
                InsertMfa::<MfaModelOf<U>> {
                    mfa: enrolment,
                    model: PhantomData,
                }
                .execute(conn)
                .await?;
                Ok(Enrolment::Started)
            })
        }))
    }

    fn confirm_mfa<'a>(
        &'a self,
        user_id: &'a U::Id,
        secret: &'a str,
        step: i64,
        recovery_codes: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Confirmation> {
        Box::pin(async move {
            let change = Change::Confirm {
                secret,
                step: &step,
                recovery_codes,
                now: &now,
            };
            if self.update(user_id, change).await? {
                return Ok(Confirmation::Confirmed);
            }
            // Nothing changed: say why, from the row as it is now.
            Ok(match self.read(user_id).await? {
                None => Confirmation::NotEnrolled,
                Some(mfa) if mfa.is_enabled() => Confirmation::AlreadyEnabled,
                Some(mfa) if mfa.secret != secret => Confirmation::NotEnrolled,
                Some(_) => Confirmation::StepUsed,
            })
        })
    }

    fn accept_mfa_step<'a>(&'a self, user_id: &'a U::Id, step: i64) -> StoreFuture<'a, bool> {
        Box::pin(async move { self.update(user_id, Change::Accept { step: &step }).await })
    }

    fn use_recovery_code<'a>(
        &'a self,
        user_id: &'a U::Id,
        digest: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            // Compare-and-set on the whole list: a concurrent use of another code changes it, and the
            // attempt is made again on what that use left.
            for _ in 0..RECOVERY_CODE_ATTEMPTS {
                let Some(mfa) = self.read(user_id).await? else {
                    return Ok(false);
                };
                if !mfa.is_enabled() {
                    return Ok(false);
                }
                let Some(rest) = mfa.recovery_codes_without(digest) else {
                    return Ok(false);
                };
                let change = Change::RecoveryCodes {
                    codes: &rest,
                    expected: &mfa.recovery_codes,
                };
                if self.update(user_id, change).await? {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

    fn disable_mfa<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let deleted = with_connection!(&self.pools, |conn| {
                use diesel_async::RunQueryDsl as _;
                DeleteMfa::<MfaModelOf<U>> { user_id }.execute(conn).await
            })
            .map_err(store_error)?;
            Ok(deleted > 0)
        })
    }
}
