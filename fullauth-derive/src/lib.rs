//! Derive macros of [fullauth](https://docs.rs/fullauth). Use them through the `fullauth` crate, which
//! re-exports them; the generated code reaches fullauth's runtime through `fullauth::__private`.

#![warn(missing_docs)]

mod attr;
mod ctxt;
mod expand;
mod model;
mod types;

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
