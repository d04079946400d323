//! `#[derive(FullAuthPasskey)]`: the table of the WebAuthn credentials users sign in with.
//!
//! Besides the table and the model trait, it implements `HasPasskeys` on the user model it names (see
//! `owned_table.rs`).

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::{id_sql_type, private};
use super::owned_table::{self, OwnedTable};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthPasskey`.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::Passkey, expand)
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
        credential_id -> #types::Text,
        credential_digest -> #types::Text,
        credential -> #types::Text,
        sign_count -> #types::BigInt,
        device_name -> #types::Text,
        transports -> #types::Text,
        backed_up -> #types::Bool,
        created_at -> #timestamp,
        last_used_at -> #types::Nullable<#timestamp>,
    };
    let owned = OwnedTable {
        model_trait: "FullAuthPasskey",
        accessor: "passkey",
        mixin: "PasskeyMixin",
        has_trait: "HasPasskeys",
        associated_type: "Passkey",
    };
    owned_table::expand(model, &owned, columns)
}
