//! The accounts of a [`DieselAdapter`]: its [`UserStore`].

use time::OffsetDateTime;

use super::DieselAdapter;
use super::DieselUser;
use super::error::{is_unique_violation, store_error};
use super::glue::DieselRefreshToken;
use super::glue::UserQueries;
use crate::store::{
    ExpectedHash, InsertUser, Removal, StoreFuture, UserPage, UserQuery, UserStore,
};

impl<U, R> UserStore<U> for DieselAdapter<U, R>
where
    U: DieselUser,
    R: DieselRefreshToken<User = U>,
{
    fn insert_user<'a>(&'a self, user: &'a U) -> StoreFuture<'a, InsertUser<U::Id>> {
        Box::pin(async move {
            let inserted = with_connection!(&self.pools, |conn| U::insert(conn, user).await);
            match inserted {
                Ok(id) => Ok(InsertUser::Inserted { id }),
                Err(error) if is_unique_violation(&error) => Ok(InsertUser::EmailTaken),
                Err(error) => Err(store_error(error)),
            }
        })
    }

    fn user_by_id<'a>(&'a self, id: &'a U::Id) -> StoreFuture<'a, Option<U>> {
        Box::pin(async move {
            with_connection!(&self.pools, |conn| U::find_by_id(conn, id).await).map_err(store_error)
        })
    }

    fn user_by_email<'a>(&'a self, email: &'a str) -> StoreFuture<'a, Option<U>> {
        Box::pin(async move {
            with_connection!(&self.pools, |conn| U::find_by_email(conn, email).await)
                .map_err(store_error)
        })
    }

    fn update_user<'a>(&'a self, id: &'a U::Id, patch: &'a U::Patch) -> StoreFuture<'a, Option<U>> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                if U::patch_is_empty(patch) || U::update_fields(conn, id, patch).await? > 0 {
                    U::find_by_id(conn, id).await
                } else {
                    Ok(None)
                }
            })
        })
    }

    fn replace_password_hash<'a>(
        &'a self,
        id: &'a U::Id,
        current: &'a str,
        new: &'a str,
    ) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| U::update_password(
                conn,
                id,
                ExpectedHash::Exactly(Some(current)),
                new
            )
            .await
            .map(|rows| rows > 0))
        })
    }

    fn change_password<'a>(
        &'a self,
        id: &'a U::Id,
        expected: ExpectedHash<'a>,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Option<Vec<uuid::Uuid>>> {
        Box::pin(async move {
            // The UPDATE takes the user's row lock first, so a sign-in or a rotation in flight either finishes
            // before (and its token is revoked here) or sees the new hash and gives up.
            in_transaction!(&self.pools, |conn| {
                if U::update_password(conn, id, expected, new_hash).await? == 0 {
                    return Ok(None);
                }
                let families = R::live_families(conn, id, now).await?;
                R::revoke_user(conn, id, now).await?;
                Ok(Some(families))
            })
        })
    }

    fn mark_email_verified<'a>(&'a self, id: &'a U::Id, email: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| U::set_verified(conn, id, email)
                .await
                .map(|rows| rows > 0))
        })
    }

    fn delete_user<'a>(&'a self, id: &'a U::Id, now: OffsetDateTime) -> StoreFuture<'a, Removal> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                if last_active_superuser::<U, _>(conn, id).await? {
                    return Ok(Removal::LastSuperuser);
                }
                if U::lock(conn, id).await? == 0 {
                    return Ok(Removal::NotFound);
                }
                let families = R::live_families(conn, id, now).await?;
                U::delete(conn, id).await?;
                Ok(Removal::Done(families))
            })
        })
    }

    fn list_users<'a>(&'a self, query: &'a UserQuery) -> StoreFuture<'a, UserPage<U>> {
        Box::pin(async move {
            let pattern = query.like_pattern();
            let limit = i64::from(query.limit);
            let offset = i64::try_from(query.offset).unwrap_or(i64::MAX);
            let (users, total) = with_connection!(&self.pools, |conn| {
                let read = async {
                    let users = U::list(conn, &pattern, limit, offset).await?;
                    let total = U::count(conn, &pattern).await?;
                    Ok::<_, diesel::result::Error>((users, total))
                };
                read.await
            })
            .map_err(store_error)?;
            Ok(UserPage {
                users,
                total: u64::try_from(total).unwrap_or(0),
            })
        })
    }

    fn set_active<'a>(
        &'a self,
        user_id: &'a U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Removal> {
        Box::pin(async move {
            in_transaction!(&self.pools, |conn| {
                if !active && last_active_superuser::<U, _>(conn, user_id).await? {
                    return Ok(Removal::LastSuperuser);
                }
                if U::lock(conn, user_id).await? == 0 {
                    return Ok(Removal::NotFound);
                }
                U::set_active(conn, user_id, active).await?;
                if active {
                    return Ok(Removal::Done(Vec::new()));
                }
                let families = R::live_families(conn, user_id, now).await?;
                R::revoke_user(conn, user_id, now).await?;
                Ok(Removal::Done(families))
            })
        })
    }
}

/// Whether `id` is an active superuser and the only one, with every active superuser's row locked until the end of
/// the transaction: the check holds against concurrent removals. Superusers are locked before the user's own row
/// (as every removal does), so two removals cannot wait on each other. Users who are not superusers take no
/// lock here.
async fn last_active_superuser<U, C>(conn: &mut C, id: &U::Id) -> diesel::QueryResult<bool>
where
    U: UserQueries<C>,
    C: Send,
{
    let is_active_superuser =
        |user: Option<U>| user.is_some_and(|user| user.is_active() && user.is_superuser());
    if !is_active_superuser(U::find_by_id(conn, id).await?) {
        return Ok(false);
    }
    let superusers = U::lock_active_superusers(conn).await?;
    // Read again under the lock: a concurrent change may have committed in between.
    Ok(is_active_superuser(U::find_by_id(conn, id).await?) && superusers <= 1)
}
