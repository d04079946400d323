//! OAuth accounts: [`OAuthAccountStore`] and the values of its operations.

use super::future::StoreFuture;
use crate::model::{FullAuthUser, OAuthAccountMixin};

/// The OAuth account of a user model `U`.
pub type OAuthAccountOf<U> = OAuthAccountMixin<<U as FullAuthUser>::Id>;

/// Persistence of the links between users and their identities at OAuth providers, for a user model that
/// declares an OAuth-account model.
///
/// An identity (`provider`, `provider_user_id`) belongs to one user at most, and a user links each provider at
/// most once; both hold under concurrency, because the database's unique indexes decide.
pub trait OAuthAccountStore<U: FullAuthUser>: Send + Sync + 'static {
    /// The link of an identity, if some user has it.
    fn oauth_account<'a>(
        &'a self,
        provider: &'a str,
        provider_user_id: &'a str,
    ) -> StoreFuture<'a, Option<OAuthAccountOf<U>>>;

    /// The links of a user, sorted by provider.
    fn oauth_accounts_of<'a>(
        &'a self,
        user_id: &'a U::Id,
    ) -> StoreFuture<'a, Vec<OAuthAccountOf<U>>>;

    /// Links an identity to the existing user `account.user_id`, in one transaction with the user's row
    /// locked.
    fn link_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, Link>;

    /// Creates a user and links an identity to it, in one transaction: both or neither. `account.user_id` is
    /// replaced by the new user's id (which the database may assign).
    fn create_user_with_oauth_account<'a>(
        &'a self,
        user: &'a U,
        account: &'a OAuthAccountOf<U>,
    ) -> StoreFuture<'a, NewOAuthUser<U::Id>>;

    /// Replaces what the provider reported at a sign-in (its email, tokens and their expiry, `updated_at`) on
    /// the link of `account`'s identity. Returns whether the link still exists.
    fn update_oauth_account<'a>(&'a self, account: &'a OAuthAccountOf<U>) -> StoreFuture<'a, bool>;

    /// Removes the user's link to `provider`, unless it is their only way to sign in (no password and no
    /// other link), in one transaction with the user's row locked: of two concurrent removals of a user's last
    /// two links, one is refused.
    fn unlink_oauth_account<'a>(
        &'a self,
        user_id: &'a U::Id,
        provider: &'a str,
    ) -> StoreFuture<'a, Unlink>;
}

/// What linking an identity to an existing user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Link {
    /// Linked.
    Linked,
    /// No such user; nothing changed.
    UserNotFound,
    /// The identity is linked already (to this user or another); nothing changed.
    IdentityTaken,
    /// The user has linked another identity of this provider; nothing changed.
    ProviderAlreadyLinked,
}

/// What creating a user with a linked identity did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NewOAuthUser<Id> {
    /// The user and the link exist now.
    Created {
        /// The new user's id.
        id: Id,
    },
    /// Another user has the email; nothing changed.
    EmailTaken,
    /// Another user has the identity (a concurrent first sign-in won); nothing changed.
    IdentityTaken,
}

/// What removing a link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unlink {
    /// Removed.
    Done,
    /// The user has no link to this provider.
    NotFound,
    /// Refused: it is the user's only way to sign in.
    OnlySignInMethod,
}
