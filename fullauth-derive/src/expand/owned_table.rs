//! The expansion shared by the derives of tables owned by a user (OAuth accounts, passkeys): the Diesel table,
//! the model trait, and the user's `Has...` trait, through which the stores learn that they keep the table.
//! fullauth writes these tables' statements itself, from their names and the mixin's columns, so no queries are
//! generated.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::columns::{id_rust_type, private, schema_column, table_macro};
use crate::model::Model;

/// What differs between the derives of user-owned tables.
pub struct OwnedTable {
    /// The model trait, e.g. `FullAuthPasskey`.
    pub model_trait: &'static str,
    /// Its method returning the mixin, e.g. `passkey`.
    pub accessor: &'static str,
    /// The mixin type, e.g. `PasskeyMixin`.
    pub mixin: &'static str,
    /// The user's trait, e.g. `HasPasskeys`.
    pub has_trait: &'static str,
    /// Its associated type naming the model, e.g. `Passkey`.
    pub associated_type: &'static str,
}

/// The expansion of `model` as the table `owned` describes, with the mixin's Diesel `columns`.
pub fn expand(model: &Model, owned: &OwnedTable, columns: TokenStream) -> TokenStream {
    let Some(user) = &model.user else {
        return TokenStream::new();
    };
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let table = table_macro(model, columns);
    let user_check = quote_spanned!(user.span()=> #private::assert_user_model::<#user>());
    let user_id = quote!(<#user as #krate::FullAuthUser>::Id);
    let mixin_id = id_rust_type(model);
    let mixin_ty = &model.mixin.ty;
    let id_check =
        quote_spanned!(mixin_ty.span()=> #private::assert_same_user_id::<#mixin_id, #user_id>());
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    let model_trait = name(owned.model_trait);
    let accessor = name(owned.accessor);
    let mixin_type = name(owned.mixin);
    let has_trait = name(owned.has_trait);
    let associated_type = name(owned.associated_type);
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            const _: () = #user_check;
            const _: () = #id_check;

            impl #krate::#model_trait for #ident {
                type User = #user;

                const TABLE_NAME: &'static str = #table_name;

                fn #accessor(&self) -> &#private::#mixin_type<#user_id> {
                    &self.#mixin
                }

                fn table_schema() -> #private::TableSchema {
                    let table = #private::TableSchema::new(#table_name, "id")
                        .with_columns(#private::#mixin_type::<#user_id>::columns())
                        #(.column(#schema_columns))*;
                    #private::#mixin_type::<#user_id>::constraints(
                        table,
                        <#user as #krate::FullAuthUser>::TABLE_NAME,
                    )
                }
            }

            impl #krate::#has_trait for #user {
                type #associated_type = #ident;
            }
        };
    }
}

fn name(text: &str) -> Ident {
    format_ident!("{text}")
}
