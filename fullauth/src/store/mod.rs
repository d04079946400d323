//! What fullauth needs from a database: one small trait per capability, gathered by [`AuthStore`].
//!
//! | trait | what it keeps |
//! |---|---|
//! | [`UserStore`] | accounts: insert, look up, update, password changes, deletion, the user list |
//! | [`SessionStore`] | sessions: refresh-token families, rotation with replay detection, the user behind a token |
//! | [`RoleStore`] | roles and permissions, when the user model declares its role models |
//! | [`OAuthAccountStore`] | identities at OAuth providers, when the user model declares an OAuth-account model |
//! | [`PasskeyStore`] | WebAuthn credentials, when the user model declares a passkey model |
//! | [`MfaStore`] | TOTP secrets and recovery codes, when the user model declares an MFA model |
//!
//! [`crate::DieselAdapter`] implements them for SQLite, PostgreSQL and MySQL, [`MemoryStore`] in process memory;
//! the routers and extractors only ever talk to these traits.
//!
//! Every method returns a [`StoreFuture`]: fullauth holds its store behind `dyn AuthStore<U>` (a
//! [`crate::FullAuth`] does not carry the store's type), and boxed futures make the traits usable that way as they
//! are, with no second, object-safe copy of each method. Every method that writes is one atomic unit: it either
//! happens completely or not at all, also under concurrency. Emails passed in are already normalized.

mod auth_store;
mod error;
mod future;
mod memory;
mod mfa;
mod oauth_accounts;
mod passkeys;
mod roles;
mod sessions;
mod users;

pub use auth_store::AuthStore;
pub use future::StoreFuture;

pub use error::{StoreError, StoreErrorSource};
pub use memory::MemoryStore;
pub use mfa::{Confirmation, Enrolment, MfaOf, MfaStore};
pub use oauth_accounts::{Link, NewOAuthUser, OAuthAccountOf, OAuthAccountStore, Unlink};
pub use passkeys::{AddPasskey, PasskeyOf, PasskeyStore, PasskeyUse, RemovePasskey};
pub use roles::{RoleStore, RoleSummary, RolesOfUsers};
pub(crate) use sessions::sessions_of;
pub use sessions::{NextRefreshToken, Rotation, Session, SessionStore, SessionUser};
pub use users::{ExpectedHash, InsertUser, Removal, UserPage, UserQuery, UserStore};
