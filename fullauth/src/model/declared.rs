//! The models declared around a user model (roles, OAuth accounts, passkeys, MFA), found at compile time by the user's derive.
//!
//! A derive sees one struct, yet declaring the role models must turn roles on for the user model they name. The
//! role derives implement [`super::HasRoles`] for the user; the user's derive then asks, in its own (concrete)
//! code, whether that impl exists, through [`super::Probe`]: method resolution picks [`super::ProbeRoles`] when
//! it does and falls back to [`super::ProbeNoRoles`] when it does not. The answer is
//! [`super::FullAuthUser::declared_models`]. A store that needs more than the tables asks its own question
//! through the same probe (the Diesel adapter does, for its role queries).

use crate::schema::TableSchema;

/// What the application declared around a user model.
#[doc(hidden)]
pub struct DeclaredModels {
    /// The role models, when declared.
    pub roles: Option<RoleModels>,
    /// The OAuth-account model's table, when declared.
    pub oauth_accounts: Option<fn() -> TableSchema>,
    /// The passkey model's table, when declared.
    pub passkeys: Option<fn() -> TableSchema>,
    /// The MFA model's table, when declared.
    pub mfa: Option<fn() -> TableSchema>,
}

impl DeclaredModels {
    /// Nothing beyond the user (and its refresh tokens).
    pub fn none() -> Self {
        Self {
            roles: None,
            oauth_accounts: None,
            passkeys: None,
            mfa: None,
        }
    }
}

/// The role models of a user model.
#[doc(hidden)]
pub struct RoleModels {
    /// The four tables, in creation order.
    pub tables: fn() -> [TableSchema; 4],
}
