//! The queries a model's derive writes for each enabled backend, and the bounds that gather them.
//!
//! The derive expands the same query code once per backend connection type (see
//! [`crate::__for_each_backend`]); the adapter requires every enabled backend through [`DieselUser`] and
//! [`DieselRefreshToken`], so one application binary can serve whichever database the URL names.

use std::future::Future;

use diesel::QueryResult;
use time::OffsetDateTime;

#[cfg(feature = "mysql")]
use super::backend::MysqlConnection;
#[cfg(feature = "postgres")]
use super::backend::PgConnection;
#[cfg(feature = "sqlite")]
use super::backend::SqliteConnection;
use crate::model::{FullAuthRefreshToken, FullAuthUser, FullAuthUserRole};
use crate::store::ExpectedHash;

/// User queries on one connection type; written by `#[derive(FullAuthUser)]`.
pub trait UserQueries<C>: FullAuthUser {
    /// Inserts the user (a taken email is a unique violation) and returns its id: the one in `user`, or the
    /// one the database assigned.
    fn insert(conn: &mut C, user: &Self) -> impl Future<Output = QueryResult<Self::Id>> + Send;
    /// Loads by id.
    fn find_by_id(
        conn: &mut C,
        id: &Self::Id,
    ) -> impl Future<Output = QueryResult<Option<Self>>> + Send;
    /// Loads by normalized email.
    fn find_by_email(
        conn: &mut C,
        email: &str,
    ) -> impl Future<Output = QueryResult<Option<Self>>> + Send;
    /// Writes the fields a patch sets.
    fn update_fields(
        conn: &mut C,
        id: &Self::Id,
        patch: &Self::Patch,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Sets the password hash, only where the current one is as `expected`.
    fn update_password(
        conn: &mut C,
        id: &Self::Id,
        expected: ExpectedHash<'_>,
        new_hash: &str,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Marks the email verified, only if it is still `email` and not verified yet.
    fn set_verified(
        conn: &mut C,
        id: &Self::Id,
        email: &str,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Deletes the user.
    fn delete(conn: &mut C, id: &Self::Id) -> impl Future<Output = QueryResult<usize>> + Send;
    /// A page of the users whose email is `LIKE pattern` (escape character `!`), oldest first.
    fn list(
        conn: &mut C,
        pattern: &str,
        limit: i64,
        offset: i64,
    ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send;
    /// How many users have an email `LIKE pattern` (escape character `!`).
    fn count(conn: &mut C, pattern: &str) -> impl Future<Output = QueryResult<i64>> + Send;
    /// Sets `is_active`.
    fn set_active(
        conn: &mut C,
        id: &Self::Id,
        active: bool,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Locks the user's row until the end of the transaction (a write that changes nothing); returns 0 when
    /// the user does not exist. Every operation on a user's sessions takes this lock first, so they serialize.
    fn lock(conn: &mut C, id: &Self::Id) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Locks the rows of every active superuser until the end of the transaction (a write that changes nothing)
    /// and returns how many there are. Taken before removing a superuser, it makes the "not the last one" check
    /// atomic: a concurrent removal waits, then counts what the first one left.
    fn lock_active_superusers(conn: &mut C) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Loads the user behind an access token in one query: only if the token's session still has a live row
    /// in the refresh-token table of `R` (see [`SessionStatement`](super::session_statement::SessionStatement)).
    fn find_for_session<R: FullAuthRefreshToken>(
        conn: &mut C,
        id: &Self::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<Option<Self>>> + Send;
    /// [`Self::find_for_session`] with the user's sorted role names, through the link model `L`, read by the same
    /// statement (see [`write_role_names`](super::role_sql::write_role_names)).
    fn find_for_session_with_roles<R: FullAuthRefreshToken, L: FullAuthUserRole<User = Self>>(
        conn: &mut C,
        id: &Self::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<Option<(Self, Vec<String>)>>> + Send;
}

type UserIdOf<R> = <<R as FullAuthRefreshToken>::User as FullAuthUser>::Id;

/// Refresh-token queries on one connection type, for tokens of users with ids of type `Id`; written by
/// `#[derive(FullAuthRefreshToken)]`. The id type is a parameter (not read through the user model) so that the
/// generated queries never name the user type: a wrong `user = X` is then reported once, on `X`.
pub trait RefreshTokenQueries<C, Id>: Sized {
    /// Inserts a row.
    fn insert(conn: &mut C, row: &Self) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Loads by digest.
    fn find_by_digest(
        conn: &mut C,
        digest: &str,
    ) -> impl Future<Output = QueryResult<Option<Self>>> + Send;
    /// Marks the row used if it is live (unused, unrevoked, unexpired) at `now`; returns the rows changed (0 or 1).
    fn consume(
        conn: &mut C,
        digest: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// The owner of a family, if it has any row.
    fn family_owner(
        conn: &mut C,
        family_id: uuid::Uuid,
    ) -> impl Future<Output = QueryResult<Option<Id>>> + Send;
    /// Deletes a user's rows that expired before `before`; returns how many.
    fn delete_expired(
        conn: &mut C,
        user_id: &Id,
        before: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Revokes the live rows of a family.
    fn revoke_family(
        conn: &mut C,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// Revokes the live rows of a user.
    fn revoke_user(
        conn: &mut C,
        user_id: &Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
    /// The families of a user that still have an unexpired row.
    fn live_families(
        conn: &mut C,
        user_id: &Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<Vec<uuid::Uuid>>> + Send;
    /// The live rows (unused, unrevoked, unexpired) of a user: one per signed-in session.
    fn live_rows(
        conn: &mut C,
        user_id: &Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<Vec<Self>>> + Send;
    /// For each family of a user with a live row, the creation time of its first row (the sign-in).
    fn session_starts(
        conn: &mut C,
        user_id: &Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<Vec<(uuid::Uuid, Option<OffsetDateTime>)>>> + Send;
    /// Revokes the live rows of a user outside one family.
    fn revoke_user_except(
        conn: &mut C,
        user_id: &Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = QueryResult<usize>> + Send;
}

macro_rules! backend_bound {
    ($feature:literal, $user:ident, $token:ident, $conn:ident) => {
        /// The user queries of one backend, when its feature is enabled.
        #[cfg(feature = $feature)]
        pub trait $user: UserQueries<$conn> {}
        #[cfg(feature = $feature)]
        impl<T: UserQueries<$conn>> $user for T {}
        /// The user queries of one backend, when its feature is enabled.
        #[cfg(not(feature = $feature))]
        pub trait $user {}
        #[cfg(not(feature = $feature))]
        impl<T> $user for T {}

        /// The refresh-token queries of one backend, when its feature is enabled.
        #[cfg(feature = $feature)]
        pub trait $token<Id>: RefreshTokenQueries<$conn, Id> {}
        #[cfg(feature = $feature)]
        impl<T: RefreshTokenQueries<$conn, Id>, Id> $token<Id> for T {}
        /// The refresh-token queries of one backend, when its feature is enabled.
        #[cfg(not(feature = $feature))]
        pub trait $token<Id> {}
        #[cfg(not(feature = $feature))]
        impl<T, Id> $token<Id> for T {}
    };
}

backend_bound!("sqlite", SqliteUser, SqliteRefreshToken, SqliteConnection);
backend_bound!("postgres", PostgresUser, PostgresRefreshToken, PgConnection);
backend_bound!("mysql", MysqlUser, MysqlRefreshToken, MysqlConnection);

/// A user model with its queries for every enabled backend.
pub trait UserQueriesOnEveryBackend: FullAuthUser + SqliteUser + PostgresUser + MysqlUser {}
impl<T: FullAuthUser + SqliteUser + PostgresUser + MysqlUser> UserQueriesOnEveryBackend for T {}

/// A refresh-token model with queries for every enabled backend.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no Diesel queries for every enabled database backend",
    note = "derive it with `#[derive(FullAuthRefreshToken)]` from the same fullauth version that provides the adapter"
)]
pub trait DieselRefreshToken:
    FullAuthRefreshToken
    + SqliteRefreshToken<UserIdOf<Self>>
    + PostgresRefreshToken<UserIdOf<Self>>
    + MysqlRefreshToken<UserIdOf<Self>>
{
}
impl<T> DieselRefreshToken for T where
    T: FullAuthRefreshToken
        + SqliteRefreshToken<UserIdOf<T>>
        + PostgresRefreshToken<UserIdOf<T>>
        + MysqlRefreshToken<UserIdOf<T>>
{
}
