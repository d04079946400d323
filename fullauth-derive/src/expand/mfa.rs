//! `#[derive(FullAuthMfa)]`: the table of the users' second factors (TOTP secrets and recovery codes).
//!
//! Besides the table and the model trait, it implements `HasMfa` on the user model it names (see
//! `owned_table.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::{id_sql_type, private};
use super::owned_table::{self, OwnedTable};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthMfa`.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::Mfa, expand)
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
        secret -> #types::Text,
        confirmed_at -> #types::Nullable<#timestamp>,
        last_counter -> #types::BigInt,
        recovery_codes -> #types::Text,
        created_at -> #timestamp,
    };
    let owned = OwnedTable {
        model_trait: "FullAuthMfa",
        accessor: "mfa",
        mixin: "MfaMixin",
        has_trait: "HasMfa",
        associated_type: "Mfa",
    };
    owned_table::expand(model, &owned, columns)
}
