//! `#[derive(FullAuthOAuthAccount)]`: the table of the identities users sign in with at OAuth providers.
//!
//! Besides the table and the model trait, it implements `HasOAuthAccounts` on the user model it names (see
//! `owned_table.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::{id_sql_type, private};
use super::owned_table::{self, OwnedTable};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthOAuthAccount`.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::OAuthAccount, expand)
}

fn expand(model: &Model) -> TokenStream {
    let krate = &model.krate;
    let private = private(model);
    let types = quote!(#private::diesel::sql_types);
    let timestamp = quote!(#krate::sql_types::UtcTimestamp);
    let user_id_sql = id_sql_type(model);
    let columns = quote! {
        id -> #krate::sql_types::Uuid,
        user_id -> #user_id_sql,
        provider -> #types::Text,
        provider_user_id -> #types::Text,
        provider_email -> #types::Nullable<#types::Text>,
        access_token -> #types::Nullable<#types::Text>,
        refresh_token -> #types::Nullable<#types::Text>,
        expires_at -> #types::Nullable<#timestamp>,
        created_at -> #timestamp,
        updated_at -> #timestamp,
    };
    let owned = OwnedTable {
        model_trait: "FullAuthOAuthAccount",
        accessor: "account",
        mixin: "OAuthAccountMixin",
        has_trait: "HasOAuthAccounts",
        associated_type: "OAuthAccount",
    };
    owned_table::expand(model, &owned, columns)
}
