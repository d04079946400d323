//! The user behind an access token, and their roles, in one statement.
//!
//! `GET /me` and every database-checked guard need the user of a live session and, when the user model has role
//! models, their role names. Read one after the other, that is two statements, two pool checkouts and (on
//! SQLite) two hops to a blocking thread per request. Here the role names are one more column of the user's row
//! ([`SessionStatement`](super::session_statement::SessionStatement)). Whether the user model has role models is asked in the
//! derive's own code through [`Probe`], as for the role store (see `roles.rs`).

use time::OffsetDateTime;

use super::backend::Pools;
use super::error::store_error;
use super::glue::{DieselRefreshToken, UserQueriesOnEveryBackend};
use crate::model::{FullAuthUser, HasRoles, Probe};
use crate::store::{SessionUser, StoreFuture};

/// Chosen when `U` has role models: the roles are read with the user when asked for.
#[doc(hidden)]
pub trait ProbeSessionWithRoles<U: FullAuthUser> {
    /// The user of a live session, with their roles when `with_roles`.
    fn diesel_session_user<'a, R: DieselRefreshToken<User = U>>(
        &self,
        pools: &'a Pools,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>>;
}

impl<U: HasRoles + UserQueriesOnEveryBackend> ProbeSessionWithRoles<U> for Probe<U> {
    fn diesel_session_user<'a, R: DieselRefreshToken<User = U>>(
        &self,
        pools: &'a Pools,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>> {
        if !with_roles {
            return user_alone::<U, R>(pools, id, family_id, now);
        }
        Box::pin(async move {
            let found = with_connection!(pools, |conn| {
                U::find_for_session_with_roles::<R, U::UserRole>(conn, id, family_id, now).await
            })
            .map_err(store_error)?;
            Ok(found.map(|(user, roles)| SessionUser {
                user,
                roles: Some(roles),
            }))
        })
    }
}

/// Chosen otherwise: the user alone.
#[doc(hidden)]
pub trait ProbeSessionWithoutRoles<U: FullAuthUser> {
    /// The user of a live session; never roles.
    fn diesel_session_user<'a, R: DieselRefreshToken<User = U>>(
        &self,
        pools: &'a Pools,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>>;
}

impl<U: UserQueriesOnEveryBackend> ProbeSessionWithoutRoles<U> for &Probe<U> {
    fn diesel_session_user<'a, R: DieselRefreshToken<User = U>>(
        &self,
        pools: &'a Pools,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        _with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>> {
        user_alone::<U, R>(pools, id, family_id, now)
    }
}

fn user_alone<'a, U, R>(
    pools: &'a Pools,
    id: &'a U::Id,
    family_id: uuid::Uuid,
    now: OffsetDateTime,
) -> StoreFuture<'a, Option<SessionUser<U>>>
where
    U: UserQueriesOnEveryBackend,
    R: DieselRefreshToken<User = U>,
{
    Box::pin(async move {
        let user = with_connection!(pools, |conn| U::find_for_session::<R>(
            conn, id, family_id, now
        )
        .await)
        .map_err(store_error)?;
        Ok(user.map(|user| SessionUser { user, roles: None }))
    })
}
