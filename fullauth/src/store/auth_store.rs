//! [`AuthStore`]: a whole store, gathering the capability traits.

use super::future::StoreFuture;
use super::mfa::MfaStore;
use super::oauth_accounts::OAuthAccountStore;
use super::passkeys::PasskeyStore;
use super::roles::RoleStore;
use super::sessions::SessionStore;
use super::users::UserStore;
use crate::model::FullAuthUser;

/// A whole store: users and sessions, the optional capabilities it has, and its migrations.
///
/// An optional capability is a method returning the trait object of that capability, `None` when the store (or
/// the user model) lacks it; a router or guard that needs it refuses to start without it.
pub trait AuthStore<U: FullAuthUser>: UserStore<U> + SessionStore<U> {
    /// Creates missing tables (and applies pending migrations).
    fn migrate(&self) -> StoreFuture<'_, ()> {
        Box::pin(async { Ok(()) })
    }

    /// The roles and permissions, when the user model declares its role models and this store keeps them.
    fn role_store(&self) -> Option<&dyn RoleStore<U>> {
        None
    }

    /// The OAuth accounts, when the user model declares an OAuth-account model and this store keeps them.
    fn oauth_account_store(&self) -> Option<&dyn OAuthAccountStore<U>> {
        None
    }

    /// The passkeys, when the user model declares a passkey model and this store keeps them.
    fn passkey_store(&self) -> Option<&dyn PasskeyStore<U>> {
        None
    }

    /// The second factors, when the user model declares an MFA model and this store keeps them.
    fn mfa_store(&self) -> Option<&dyn MfaStore<U>> {
        None
    }
}
