//! Derive macros of [fullauth](https://docs.rs/fullauth). Use them through the `fullauth` crate, which
//! re-exports them; the generated code reaches fullauth's runtime through `fullauth::__private`.

#![warn(missing_docs)]

mod check;
mod ctxt;
mod expand;
mod guards;
mod kind;
mod model;
mod parse;

use proc_macro::TokenStream;

/// Derives a fullauth user model. See `fullauth::FullAuthUser` for the attributes.
///
/// # Attributes
///
/// Container (on the struct):
/// - `#[fullauth(table = "users")]`: the table name (default: the struct name in snake case, plus `s`).
/// - `#[fullauth(crate = "path::to::fullauth")]`: where the runtime crate is, if it is renamed.
///
/// Fields:
/// - `#[fullauth(mixin)]`: exactly one field of type `UserMixin`, holding fullauth's own columns.
/// - `#[fullauth(max_length = 100)]`: longest accepted string, in characters; `VARCHAR(100)` in the table.
/// - `#[fullauth(default = "")]`: value when a register body leaves the field out; the column's `DEFAULT`.
/// - `#[fullauth(readonly)]`: clients cannot set it (register and `PATCH /me` ignore it); needs a default.
/// - `#[fullauth(hidden)]`: not in the public JSON and not settable by clients; needs a default.
/// - `#[fullauth(column = "name")]`: the column name, when it differs from the field name.
#[proc_macro_derive(FullAuthUser, attributes(fullauth))]
pub fn derive_full_auth_user(input: TokenStream) -> TokenStream {
    expand::user::derive(input.into()).into()
}

/// Derives a fullauth refresh-token model. See `fullauth::FullAuthRefreshToken` for the attributes.
///
/// # Attributes
///
/// Container (on the struct):
/// - `#[fullauth(user = User)]` (required): the user model the tokens belong to.
/// - `#[fullauth(table = "refresh_tokens")]`: the table name (default: the struct name in snake case, plus `s`).
/// - `#[fullauth(crate = "path::to::fullauth")]`: where the runtime crate is, if it is renamed.
///
/// Fields:
/// - `#[fullauth(mixin)]`: exactly one field of type `RefreshTokenMixin`.
/// - Extra fields take `default = ...` (or are `Option`), and `column = "name"`.
#[proc_macro_derive(FullAuthRefreshToken, attributes(fullauth))]
pub fn derive_full_auth_refresh_token(input: TokenStream) -> TokenStream {
    expand::refresh_token::derive(input.into()).into()
}

/// Derives a fullauth role model (the `roles` table). See `fullauth::FullAuthRole`.
///
/// # Attributes
///
/// Container: `table = "roles"` (default: the struct name in snake case, plus `s`), `crate = "..."`.
/// Fields: exactly one `#[fullauth(mixin)]` of type `RoleMixin`; extra fields take `default = ...` (or are
/// `Option`), `max_length` and `column`.
#[proc_macro_derive(FullAuthRole, attributes(fullauth))]
pub fn derive_full_auth_role(input: TokenStream) -> TokenStream {
    expand::named::derive_role(input.into()).into()
}

/// Derives a fullauth permission model (the `permissions` table). See `fullauth::FullAuthPermission`.
///
/// # Attributes
///
/// As [`macro@FullAuthRole`], with a mixin of type `PermissionMixin`.
#[proc_macro_derive(FullAuthPermission, attributes(fullauth))]
pub fn derive_full_auth_permission(input: TokenStream) -> TokenStream {
    expand::named::derive_permission(input.into()).into()
}

/// Derives the link between users and roles. See `fullauth::FullAuthUserRole`.
///
/// # Attributes
///
/// Container: `user = User` and `role = Role` (required), `table = "user_roles"`, `crate = "..."`.
/// Fields: exactly one `#[fullauth(mixin)]` of type `UserRoleMixin` (`UserRoleMixin<i64>` for integer user ids);
/// extra fields take `default = ...` (or are `Option`).
#[proc_macro_derive(FullAuthUserRole, attributes(fullauth))]
pub fn derive_full_auth_user_role(input: TokenStream) -> TokenStream {
    expand::link::derive_user_role(input.into()).into()
}

/// Derives the link between roles and permissions. See `fullauth::FullAuthRolePermission`.
///
/// # Attributes
///
/// Container: `role = Role` and `permission = Permission` (required), `table = "role_permissions"`,
/// `crate = "..."`. Fields: exactly one `#[fullauth(mixin)]` of type `RolePermissionMixin`; extra fields take
/// `default = ...` (or are `Option`).
#[proc_macro_derive(FullAuthRolePermission, attributes(fullauth))]
pub fn derive_full_auth_role_permission(input: TokenStream) -> TokenStream {
    expand::link::derive_role_permission(input.into()).into()
}

/// Derives a fullauth OAuth-account model: the identities users sign in with at OAuth and OpenID Connect
/// providers. See `fullauth::FullAuthOAuthAccount`.
///
/// # Attributes
///
/// Container: `user = User` (required), `table = "oauth_accounts"` (default: the struct name in snake case, plus
/// `s`), `crate = "..."`. Fields: exactly one `#[fullauth(mixin)]` of type `OAuthAccountMixin`
/// (`OAuthAccountMixin<i64>` for integer user ids); extra fields take `default = ...` (or are `Option`),
/// `max_length` and `column`.
#[proc_macro_derive(FullAuthOAuthAccount, attributes(fullauth))]
pub fn derive_full_auth_oauth_account(input: TokenStream) -> TokenStream {
    expand::oauth_account::derive(input.into()).into()
}

/// Derives a fullauth passkey model: the WebAuthn credentials users sign in with. See
/// `fullauth::FullAuthPasskey`.
///
/// # Attributes
///
/// Container: `user = User` (required), `table = "passkeys"` (default: the struct name in snake case, plus `s`),
/// `crate = "..."`. Fields: exactly one `#[fullauth(mixin)]` of type `PasskeyMixin` (`PasskeyMixin<i64>` for
/// integer user ids); extra fields take `default = ...` (or are `Option`), `max_length` and `column`.
#[proc_macro_derive(FullAuthPasskey, attributes(fullauth))]
pub fn derive_full_auth_passkey(input: TokenStream) -> TokenStream {
    expand::passkey::derive(input.into()).into()
}

/// Derives a fullauth MFA model: each user's TOTP secret and recovery codes. See `fullauth::FullAuthMfa`.
///
/// # Attributes
///
/// Container: `user = User` (required), `table = "mfa"` (default: the struct name in snake case, plus `s`),
/// `crate = "..."`. Fields: exactly one `#[fullauth(mixin)]` of type `MfaMixin` (`MfaMixin<i64>` for integer
/// user ids); extra fields take `default = ...` (or are `Option`), `max_length` and `column`.
#[proc_macro_derive(FullAuthMfa, attributes(fullauth))]
pub fn derive_full_auth_mfa(input: TokenStream) -> TokenStream {
    expand::mfa::derive(input.into()).into()
}

/// Declares the roles a guard accepts: one unit struct per line, for `fullauth::RequireRole<...>`.
///
/// ```text
/// fullauth::roles! {
///     for User;                          // the user model whose roles are checked
///     /// Runs the site.
///     pub Admin = "admin";
///     pub Staff = "admin" | "editor";    // any one of them passes
/// }
/// ```
///
/// Names are checked at compile time (1 to 100 characters, no surrounding whitespace, no repeats), and the user
/// model must declare its role models. A crate that reaches fullauth through a re-export starts with where it is:
/// `crate = my_app::fullauth;` before `for User;`.
#[proc_macro]
pub fn roles(input: TokenStream) -> TokenStream {
    guards::expand(input.into(), guards::GuardKind::Role).into()
}

/// Declares the permissions a guard accepts, for `fullauth::RequirePermission<...>`; written like
/// [`roles!`](macro@roles): `pub EditPosts = "posts:edit";`.
#[proc_macro]
pub fn permissions(input: TokenStream) -> TokenStream {
    guards::expand(input.into(), guards::GuardKind::Permission).into()
}
