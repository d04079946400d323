//! [`Probe`]: how the user's derive asks, in its own concrete code, whether role models (or an OAuth-account,
//! passkey or MFA model) were declared for it.

use std::marker::PhantomData;

use super::declared::RoleModels;
use super::mfa::{FullAuthMfa, HasMfa};
use super::oauth_account::{FullAuthOAuthAccount, HasOAuthAccounts};
use super::passkey::{FullAuthPasskey, HasPasskeys};
use super::roles::{HasRoles, role_tables};
use super::user::FullAuthUser;
use crate::schema::TableSchema;

/// Asks whether `U` has role models; see `declared.rs` for how.
#[doc(hidden)]
pub struct Probe<U>(PhantomData<fn() -> U>);

impl<U> Probe<U> {
    /// A probe for `U`.
    pub const fn new() -> Self {
        Self(PhantomData)
    }
}

impl<U> Default for Probe<U> {
    fn default() -> Self {
        Self::new()
    }
}

/// Chosen when `U` has role models.
#[doc(hidden)]
pub trait ProbeRoles<U: FullAuthUser> {
    /// The role models.
    fn roles(&self) -> Option<RoleModels>;
}

impl<U: HasRoles> ProbeRoles<U> for Probe<U> {
    fn roles(&self) -> Option<RoleModels> {
        Some(RoleModels {
            tables: role_tables::<U>,
        })
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoRoles<U: FullAuthUser> {
    /// No role models.
    fn roles(&self) -> Option<RoleModels>;
}

impl<U: FullAuthUser> ProbeNoRoles<U> for &Probe<U> {
    fn roles(&self) -> Option<RoleModels> {
        None
    }
}

/// Chosen when `U` has an OAuth-account model.
#[doc(hidden)]
pub trait ProbeOAuthAccounts<U: FullAuthUser> {
    /// The OAuth-account table.
    fn oauth_accounts(&self) -> Option<fn() -> TableSchema>;
}

impl<U: HasOAuthAccounts> ProbeOAuthAccounts<U> for Probe<U> {
    fn oauth_accounts(&self) -> Option<fn() -> TableSchema> {
        Some(<U::OAuthAccount as FullAuthOAuthAccount>::table_schema)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoOAuthAccounts<U: FullAuthUser> {
    /// No OAuth-account table.
    fn oauth_accounts(&self) -> Option<fn() -> TableSchema>;
}

impl<U: FullAuthUser> ProbeNoOAuthAccounts<U> for &Probe<U> {
    fn oauth_accounts(&self) -> Option<fn() -> TableSchema> {
        None
    }
}

/// Chosen when `U` has a passkey model.
#[doc(hidden)]
pub trait ProbePasskeys<U: FullAuthUser> {
    /// The passkey table.
    fn passkeys(&self) -> Option<fn() -> TableSchema>;
}

impl<U: HasPasskeys> ProbePasskeys<U> for Probe<U> {
    fn passkeys(&self) -> Option<fn() -> TableSchema> {
        Some(<U::Passkey as FullAuthPasskey>::table_schema)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoPasskeys<U: FullAuthUser> {
    /// No passkey table.
    fn passkeys(&self) -> Option<fn() -> TableSchema>;
}

impl<U: FullAuthUser> ProbeNoPasskeys<U> for &Probe<U> {
    fn passkeys(&self) -> Option<fn() -> TableSchema> {
        None
    }
}

/// Chosen when `U` has an MFA model.
#[doc(hidden)]
pub trait ProbeMfa<U: FullAuthUser> {
    /// The MFA table.
    fn mfa(&self) -> Option<fn() -> TableSchema>;
}

impl<U: HasMfa> ProbeMfa<U> for Probe<U> {
    fn mfa(&self) -> Option<fn() -> TableSchema> {
        Some(<U::Mfa as FullAuthMfa>::table_schema)
    }
}

/// Chosen otherwise.
#[doc(hidden)]
pub trait ProbeNoMfa<U: FullAuthUser> {
    /// No MFA table.
    fn mfa(&self) -> Option<fn() -> TableSchema>;
}

impl<U: FullAuthUser> ProbeNoMfa<U> for &Probe<U> {
    fn mfa(&self) -> Option<fn() -> TableSchema> {
        None
    }
}
