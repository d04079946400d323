//! The statements of the role models, written by hand because they span tables whose Diesel modules the derives
//! cannot name from one another (each only knows the other models' types and table names).
//!
//! Each statement's SQL depends only on its type parameters (the models, whose table names are constants), so its
//! query id is its type: Diesel prepares it once per connection and caches it, as for its own DSL.

#[macro_use]
mod fragments;
pub(crate) mod dialect;
mod reads;
mod row_roles;
mod writes;

pub(crate) use fragments::declared_defaults;
pub use reads::{
    PermissionNamesOfRole, PermissionNamesOfUser, RoleNamesOfUser, RoleNamesOfUsers,
    RolesWithPermissions,
};
pub use row_roles::{RoleNamesOfRow, write_role_names};
pub use writes::{
    DeleteRolePermission, DeleteUserRole, IdByName, InsertNamed, InsertRolePermission,
    InsertUserRole, NamedTable, Permissions, Roles,
};
