//! What fullauth needs from a database, as one trait: [`AuthStore`].
//!
//! [`crate::DieselAdapter`] implements it for SQLite, PostgreSQL and MySQL, [`MemoryStore`] in process memory;
//! the routers and extractors only ever talk to this trait.

mod dynamic;
mod error;
mod memory;

pub(crate) use dynamic::DynStore;
pub use error::StoreError;
pub use memory::MemoryStore;

use std::future::Future;

use time::OffsetDateTime;

use crate::model::{FullAuthUser, RefreshTokenMixin};

/// Result of inserting a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertUser<Id> {
    /// The row was written, with this id (assigned by the database for database-generated ids).
    Inserted {
        /// The new user's id.
        id: Id,
    },
    /// Another user already has this (normalized) email; nothing was written.
    EmailTaken,
}

/// Result of exchanging a refresh token.
#[derive(Debug, Clone, PartialEq)]
pub enum Rotation<Id> {
    /// The token was live: it is now used up, and the new token was stored in the same family.
    Rotated {
        /// The row of the token that was exchanged.
        previous: RefreshTokenMixin<Id>,
    },
    /// The token had already been used: a replay. Every token of its family is now revoked.
    Reused {
        /// The revoked family.
        family_id: uuid::Uuid,
        /// Its owner.
        user_id: Id,
    },
    /// No such live token (unknown, expired or revoked); nothing changed.
    Invalid,
}

/// The refresh token that replaces another in a rotation. Owner, family, user agent and address are taken from
/// the row it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct NextRefreshToken {
    /// Digest of the new token.
    pub token_digest: String,
    /// Issue time.
    pub created_at: OffsetDateTime,
    /// Expiry.
    pub expires_at: OffsetDateTime,
}

/// Persistence for users and refresh tokens.
///
/// Every method is one atomic unit: it either happens completely or not at all, also under concurrency.
/// Emails passed in are already normalized.
pub trait AuthStore<U: FullAuthUser>: Send + Sync + 'static {
    /// Creates missing tables (and applies pending migrations).
    fn migrate(&self) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Ok(()) }
    }

    /// Inserts a user unless the email is taken.
    fn insert_user(
        &self,
        user: &U,
    ) -> impl Future<Output = Result<InsertUser<U::Id>, StoreError>> + Send;

    /// The user with this id.
    fn user_by_id(&self, id: &U::Id) -> impl Future<Output = Result<Option<U>, StoreError>> + Send;

    /// The user behind an access token, in one query: only if the token's session still has a live refresh
    /// token. This is what makes sign-outs, password changes and replay revocations hold for access tokens
    /// across restarts and instances.
    fn user_for_session(
        &self,
        id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<U>, StoreError>> + Send;

    /// The user with this normalized email.
    fn user_by_email(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Option<U>, StoreError>> + Send;

    /// Applies a profile patch and returns the updated user (`None` when the user does not exist).
    fn update_user(
        &self,
        id: &U::Id,
        patch: &U::Patch,
    ) -> impl Future<Output = Result<Option<U>, StoreError>> + Send;

    /// Replaces the password hash only if it still is `current` (a transparent rehash must never undo a
    /// concurrent password change). Returns whether it was replaced.
    fn replace_password_hash(
        &self,
        id: &U::Id,
        current: &str,
        new: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Sets a new password hash and revokes every refresh token of the user, in one transaction. Returns the
    /// families that were live, so their access tokens can be revoked too; `None` when the user does not exist.
    fn change_password(
        &self,
        id: &U::Id,
        new_hash: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<Vec<uuid::Uuid>>, StoreError>> + Send;

    /// Deletes the user and everything that hangs off it, in one transaction. Returns the families that were
    /// live; `None` when the user did not exist.
    fn delete_user(
        &self,
        id: &U::Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<Vec<uuid::Uuid>>, StoreError>> + Send;

    /// Stores the first refresh token of a new session, in one transaction with the user's row locked, and
    /// only if the user still exists, is active and (when `verified_hash` is given) still has the password hash
    /// the sign-in was checked against. Returns whether the session was opened: a password change or an account
    /// deletion racing the sign-in wins.
    fn open_session(
        &self,
        token: &RefreshTokenMixin<U::Id>,
        verified_hash: Option<&str>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The refresh token with this digest.
    fn refresh_token(
        &self,
        token_digest: &str,
    ) -> impl Future<Output = Result<Option<RefreshTokenMixin<U::Id>>, StoreError>> + Send;

    /// Exchanges a live refresh token for `next`, atomically: of many concurrent calls with one digest, exactly
    /// one sees [`Rotation::Rotated`]. Presenting a used token again revokes its whole family.
    fn rotate_refresh_token(
        &self,
        token_digest: &str,
        next: &NextRefreshToken,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Rotation<U::Id>, StoreError>> + Send;

    /// Revokes every token of a family (a sign-out). Returns how many rows changed.
    fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
