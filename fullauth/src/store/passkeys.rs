//! Passkeys: [`PasskeyStore`] and the values of its operations.

use time::OffsetDateTime;

use super::future::StoreFuture;
use crate::model::{FullAuthUser, PasskeyMixin};

/// The passkey of a user model `U`.
pub type PasskeyOf<U> = PasskeyMixin<<U as FullAuthUser>::Id>;

/// Persistence of the WebAuthn credentials users sign in with, for a user model that declares a passkey model.
///
/// A credential id belongs to one user at most, under concurrency too: the database's unique index on
/// `credential_digest` decides.
pub trait PasskeyStore<U: FullAuthUser>: Send + Sync + 'static {
    /// The passkeys of a user, oldest first.
    fn passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, Vec<PasskeyOf<U>>>;

    /// The passkey whose credential id has this digest, if some user has it.
    fn passkey_by_digest<'a>(
        &'a self,
        credential_digest: &'a str,
    ) -> StoreFuture<'a, Option<PasskeyOf<U>>>;

    /// Adds a passkey to the existing user `passkey.user_id`, unless they have `max_per_user` already, in one
    /// transaction with the user's row locked.
    fn add_passkey<'a>(
        &'a self,
        passkey: &'a PasskeyOf<U>,
        max_per_user: usize,
    ) -> StoreFuture<'a, AddPasskey>;

    /// Records a sign-in with a passkey: its credential, counter and backup state as the authenticator just
    /// reported them, and the time. Only while the stored counter is below the new one (or both are 0, for
    /// authenticators that keep no counter), as one compare-and-set: of two sign-ins that raced, the one that
    /// would move the counter back records nothing. Returns whether it recorded.
    fn record_passkey_use<'a>(&'a self, used: &'a PasskeyUse<'a>) -> StoreFuture<'a, bool>;

    /// Deletes a passkey of the user, unless it is their only way to sign in (no password, no OAuth link, no
    /// other passkey), in one transaction with the user's row locked.
    fn delete_passkey<'a>(
        &'a self,
        user_id: &'a U::Id,
        passkey_id: &'a uuid::Uuid,
    ) -> StoreFuture<'a, RemovePasskey>;

    /// Deletes every passkey of the user; returns how many there were.
    fn delete_passkeys_of<'a>(&'a self, user_id: &'a U::Id) -> StoreFuture<'a, u64>;
}

/// A sign-in with a passkey, for [`PasskeyStore::record_passkey_use`].
#[derive(Debug, Clone, Copy)]
pub struct PasskeyUse<'a> {
    /// The passkey's primary key.
    pub id: uuid::Uuid,
    /// The credential, updated with the new counter and flags.
    pub credential: &'a str,
    /// The counter the authenticator reported.
    pub sign_count: i64,
    /// Whether the credential is backed up now.
    pub backed_up: bool,
    /// When it signed in.
    pub used_at: OffsetDateTime,
}

/// What adding a passkey did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AddPasskey {
    /// Added.
    Added,
    /// No such user; nothing changed.
    UserNotFound,
    /// The credential id is registered already (to this user or another); nothing changed.
    CredentialTaken,
    /// The user has as many passkeys as allowed; nothing changed.
    LimitReached,
}

/// What deleting a passkey did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RemovePasskey {
    /// Deleted.
    Done,
    /// The user has no passkey with this id.
    NotFound,
    /// Refused: it is the user's only way to sign in.
    OnlySignInMethod,
}
