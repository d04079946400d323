//! `#[derive(FullAuthRole)]` and `#[derive(FullAuthPermission)]`: tables of uniquely named rows.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::columns::{private, schema_column, table_macro};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthRole`.
pub fn derive_role(input: TokenStream) -> TokenStream {
    super::run(input, Kind::Role, expand_role)
}

/// Entry point of `FullAuthPermission`.
pub fn derive_permission(input: TokenStream) -> TokenStream {
    super::run(input, Kind::Permission, expand_permission)
}

fn expand_role(model: &Model) -> TokenStream {
    expand(model, "FullAuthRole", "role", "RoleMixin")
}

fn expand_permission(model: &Model) -> TokenStream {
    expand(model, "FullAuthPermission", "permission", "PermissionMixin")
}

fn expand(model: &Model, trait_name: &str, accessor: &str, mixin_type: &str) -> TokenStream {
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let trait_ident = format_ident!("{trait_name}");
    let accessor = format_ident!("{accessor}");
    let mixin_type = format_ident!("{mixin_type}");
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    let table = table_macro(
        model,
        quote! {
            id -> #krate::sql_types::Uuid,
            name -> #private::diesel::sql_types::Text,
            created_at -> #krate::sql_types::UtcTimestamp,
        },
    );
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            impl #krate::#trait_ident for #ident {
                const TABLE_NAME: &'static str = #table_name;

                fn #accessor(&self) -> &#private::#mixin_type {
                    &self.#mixin
                }

                fn table_schema() -> #private::TableSchema {
                    #private::TableSchema::new(#table_name, "id")
                        .with_columns(#private::#mixin_type::columns())
                        #(.column(#schema_columns))*
                        .index(&["name"], true)
                }
            }
        };
    }
}
