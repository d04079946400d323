//! What fullauth needs from a database, as one trait: [`AuthStore`].
//!
//! [`crate::DieselAdapter`] implements it for SQLite, PostgreSQL and MySQL, [`MemoryStore`] in process memory;
//! the routers and extractors only ever talk to this trait.

mod dynamic;
mod error;
mod memory;
mod roles;

pub(crate) use dynamic::DynStore;
pub use error::StoreError;
pub use memory::MemoryStore;
pub use roles::{RoleSummary, RolesOfUsers, UserPage, UserQuery};

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

/// Which stored password hash a password change may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedHash<'a> {
    /// Whatever it is.
    Any,
    /// Only this one (`None`: only when there is no password): a change racing another one, or a reset link
    /// used after the password changed, then changes nothing.
    Exactly(Option<&'a str>),
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

/// A signed-in session: a refresh-token family that still has a live token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The family, which names the session.
    pub family_id: uuid::Uuid,
    /// When the session began: the sign-in.
    pub created_at: OffsetDateTime,
    /// When it was last used: the sign-in, or the latest refresh (with refresh-token rotation off, a refresh
    /// writes nothing, so this stays the sign-in).
    pub last_used_at: OffsetDateTime,
    /// When its refresh token expires.
    pub expires_at: OffsetDateTime,
    /// The `User-Agent` of the client that signed in.
    pub user_agent: Option<String>,
    /// The address of the client that signed in.
    pub ip_address: Option<String>,
}

impl Session {
    /// The session of a live refresh-token row that began at `created_at`.
    pub fn from_live_row<Id>(row: &RefreshTokenMixin<Id>, created_at: OffsetDateTime) -> Self {
        Session {
            family_id: row.family_id,
            created_at: created_at.min(row.created_at),
            last_used_at: row.created_at,
            expires_at: row.expires_at,
            user_agent: row.user_agent.clone(),
            ip_address: row.ip_address.clone(),
        }
    }
}

/// The sessions of live refresh-token rows, most recently used first (ties by family, for a stable order).
/// `started` gives the time of a family's first row; a family it does not know began with its live row.
pub(crate) fn sessions_of<'a, Id: 'a>(
    live_rows: impl IntoIterator<Item = &'a RefreshTokenMixin<Id>>,
    started: impl Fn(uuid::Uuid) -> Option<OffsetDateTime>,
) -> Vec<Session> {
    let mut sessions: Vec<Session> = live_rows
        .into_iter()
        .map(|row| Session::from_live_row(row, started(row.family_id).unwrap_or(row.created_at)))
        .collect();
    sessions.sort_by(|a, b| {
        b.last_used_at
            .cmp(&a.last_used_at)
            .then(b.family_id.cmp(&a.family_id))
    });
    sessions
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

    /// Sets a new password hash (if the current one is as `expected`) and revokes every refresh token of the
    /// user, in one transaction. Returns the families that were live, so their access tokens can be revoked too;
    /// `None` when the user does not exist or the hash was not as expected (then nothing changed).
    fn change_password(
        &self,
        id: &U::Id,
        expected: ExpectedHash<'_>,
        new_hash: &str,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<Vec<uuid::Uuid>>, StoreError>> + Send;

    /// Marks the user's email verified, if it is still `email` and not verified yet. Returns whether it did:
    /// of concurrent confirmations, one does.
    fn mark_email_verified(
        &self,
        id: &U::Id,
        email: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

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

    /// The signed-in sessions of a user, most recently used first.
    fn sessions(
        &self,
        user_id: &U::Id,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Vec<Session>, StoreError>> + Send;

    /// Ends one session of a user. Returns whether the family belongs to the user (whether or not it was still
    /// live); another user's family is left alone.
    fn revoke_session(
        &self,
        user_id: &U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Ends every session of a user but `keep`, with the user's row locked. Returns the sessions that were
    /// live and are now ended.
    fn revoke_other_sessions(
        &self,
        user_id: &U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Vec<uuid::Uuid>, StoreError>> + Send;

    /// Revokes every token of a family (a sign-out). Returns how many rows changed.
    fn revoke_family(
        &self,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// A page of users, oldest first (ties by id), with the number of users matching the filter.
    fn list_users(
        &self,
        query: &UserQuery,
    ) -> impl Future<Output = Result<UserPage<U>, StoreError>> + Send;

    /// Activates or deactivates a user, in one transaction with the user's row locked; deactivating revokes every
    /// refresh token of the user. Returns the sessions that were live (empty when activating); `None` when the
    /// user does not exist.
    fn set_active(
        &self,
        user_id: &U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> impl Future<Output = Result<Option<Vec<uuid::Uuid>>, StoreError>> + Send;

    /// Whether this store keeps roles and permissions (the user model declares its role models). The role methods
    /// below are only called when it does.
    fn supports_roles(&self) -> bool {
        false
    }

    /// Gives a role to a user, creating the role when it does not exist yet; nothing changes when the user
    /// already has it. One transaction with the user's row locked. Returns `false` (and changes nothing) when the
    /// user does not exist.
    fn assign_role(
        &self,
        _user_id: &U::Id,
        _role: &str,
        _now: OffsetDateTime,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// Takes a role from a user (nothing changes when they do not have it). Returns `false` when the user does
    /// not exist.
    fn remove_role(
        &self,
        _user_id: &U::Id,
        _role: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// Gives a permission to a role, creating either when missing; nothing changes when the role has it already.
    fn assign_permission(
        &self,
        _role: &str,
        _permission: &str,
        _now: OffsetDateTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// Takes a permission from a role (nothing changes when it does not have it).
    fn remove_permission(
        &self,
        _role: &str,
        _permission: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// The permission names of a role, sorted; empty for an unknown role.
    fn role_permissions(
        &self,
        _role: &str,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// Every role with its permissions, sorted by name.
    fn roles(&self) -> impl Future<Output = Result<Vec<RoleSummary>, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// The role names of a user, sorted.
    fn user_roles(
        &self,
        _user_id: &U::Id,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }

    /// The role names of several users, as `(user, role)` pairs in no particular order; a store answers in one
    /// query where it can.
    fn roles_of_users(
        &self,
        user_ids: &[U::Id],
    ) -> impl Future<Output = Result<RolesOfUsers<U::Id>, StoreError>> + Send {
        async move {
            let mut pairs = Vec::new();
            for id in user_ids {
                for role in self.user_roles(id).await? {
                    pairs.push((id.clone(), role));
                }
            }
            Ok(pairs)
        }
    }

    /// The permission names a user holds through their roles, sorted and without repeats.
    fn user_permissions(
        &self,
        _user_id: &U::Id,
    ) -> impl Future<Output = Result<Vec<String>, StoreError>> + Send {
        async { Err(StoreError::roles_unsupported()) }
    }
}
