//! Sessions: [`SessionStore`], refresh-token families and the values of its operations.

use time::OffsetDateTime;

use super::future::StoreFuture;
use crate::model::{FullAuthUser, RefreshTokenMixin};

/// Persistence of sessions: each sign-in opens a family of refresh tokens, one live at a time.
pub trait SessionStore<U: FullAuthUser>: Send + Sync + 'static {
    /// The user behind an access token, only if the token's session still has a live refresh token, and with
    /// the user's sorted role names when `with_roles` is set and the store keeps roles. This is what every
    /// authenticated request asks, so a store answers it in one round trip where it can; it is what makes
    /// sign-outs, password changes and replay revocations hold for access tokens across restarts and instances.
    fn user_for_session<'a>(
        &'a self,
        id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
        with_roles: bool,
    ) -> StoreFuture<'a, Option<SessionUser<U>>>;

    /// Stores the first refresh token of a new session, in one transaction with the user's row locked, and
    /// only if the user still exists, is active and (when `verified_hash` is given) still has the password hash
    /// the sign-in was checked against. Returns whether the session was opened: a password change or an account
    /// deletion racing the sign-in wins.
    fn open_session<'a>(
        &'a self,
        token: &'a RefreshTokenMixin<U::Id>,
        verified_hash: Option<&'a str>,
    ) -> StoreFuture<'a, bool>;

    /// The refresh token with this digest.
    fn refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
    ) -> StoreFuture<'a, Option<RefreshTokenMixin<U::Id>>>;

    /// Exchanges a live refresh token for `next`, atomically: of many concurrent calls with one digest, exactly
    /// one sees [`Rotation::Rotated`]. Presenting a used token again revokes its whole family.
    fn rotate_refresh_token<'a>(
        &'a self,
        token_digest: &'a str,
        next: &'a NextRefreshToken,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Rotation<U::Id>>;

    /// The signed-in sessions of a user, most recently used first.
    fn sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<Session>>;

    /// Ends one session of a user. Returns whether the family belongs to the user (whether or not it was still
    /// live); another user's family is left alone.
    fn revoke_session<'a>(
        &'a self,
        user_id: &'a U::Id,
        family_id: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, bool>;

    /// Ends every session of a user but `keep`, with the user's row locked. Returns the sessions that were
    /// live and are now ended.
    fn revoke_other_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        keep: uuid::Uuid,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Vec<uuid::Uuid>>;

    /// Deletes the refresh tokens of a user that expired before `ended_before`, a time by which every session
    /// they belong to has ended (fullauth passes the sign-in's time less the longest a session or a token lives),
    /// so that the table holds what can still be used or recognized as replayed, not every token ever issued.
    /// Returns how many rows went. The default keeps every row.
    fn forget_ended_sessions<'a>(
        &'a self,
        user_id: &'a U::Id,
        ended_before: OffsetDateTime,
    ) -> StoreFuture<'a, u64> {
        let _ = (user_id, ended_before);
        Box::pin(async { Ok(0) })
    }

    /// Revokes every token of a family (a sign-out). Returns how many rows changed.
    fn revoke_family(&self, family_id: uuid::Uuid, now: OffsetDateTime) -> StoreFuture<'_, u64>;
}

/// The user behind a live session, as [`SessionStore::user_for_session`] finds them.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionUser<U> {
    /// The user.
    pub user: U,
    /// Their sorted role names, when they were asked for and the store keeps roles.
    pub roles: Option<Vec<String>>,
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
