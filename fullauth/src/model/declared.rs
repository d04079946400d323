//! The models declared around a user model, found at compile time by the user's derive.
//!
//! A derive sees one struct, yet declaring the role models must turn roles on for the user model they name. The
//! role derives implement [`HasRoles`] for the user; the user's derive then asks, in its own (concrete) code,
//! whether that impl exists, through [`Probe`]: method resolution picks [`ProbeRoles`] when it does and falls
//! back to [`ProbeNoRoles`] when it does not. The answer is [`FullAuthUser::declared_models`]. A store that
//! needs more than the tables asks its own question through the same [`Probe`] (the Diesel adapter does, for
//! its role queries).

use std::marker::PhantomData;

use super::{FullAuthUser, HasRoles, role_tables};
use crate::schema::TableSchema;

/// What the application declared around a user model.
#[doc(hidden)]
pub struct DeclaredModels {
    /// The role models, when declared.
    pub roles: Option<RoleModels>,
}

impl DeclaredModels {
    /// Nothing beyond the user (and its refresh tokens).
    pub fn none() -> Self {
        Self { roles: None }
    }
}

/// The role models of a user model.
#[doc(hidden)]
pub struct RoleModels {
    /// The four tables, in creation order.
    pub tables: fn() -> [TableSchema; 4],
}

/// Asks whether `U` has role models; see the module documentation.
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
