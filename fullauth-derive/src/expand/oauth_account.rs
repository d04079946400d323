//! `#[derive(FullAuthOAuthAccount)]`: the table of the identities users sign in with at OAuth providers.
//!
//! Besides the table and the model trait, it implements `HasOAuthAccounts` on the user model it names: that is
//! how the stores learn that they keep OAuth accounts for that user. fullauth writes this table's statements itself, from its name
//! and the mixin's columns, so no queries are generated here.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::columns::{id_rust_type, id_sql_type, private, schema_column, table_macro};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthOAuthAccount`.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::OAuthAccount, expand)
}

fn expand(model: &Model) -> TokenStream {
    let Some(user) = &model.user else {
        return TokenStream::new();
    };
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let types = quote!(#private::diesel::sql_types);
    let timestamp = quote!(#krate::sql_types::UtcTimestamp);
    let user_id_sql = id_sql_type(model);
    let table = table_macro(
        model,
        quote! {
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
        },
    );
    let user_check = quote_spanned!(user.span()=> #private::assert_user_model::<#user>());
    let user_id = quote!(<#user as #krate::FullAuthUser>::Id);
    let mixin_id = id_rust_type(model);
    let mixin_ty = &model.mixin.ty;
    let id_check =
        quote_spanned!(mixin_ty.span()=> #private::assert_same_user_id::<#mixin_id, #user_id>());
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            const _: () = #user_check;
            const _: () = #id_check;

            impl #krate::FullAuthOAuthAccount for #ident {
                type User = #user;

                const TABLE_NAME: &'static str = #table_name;

                fn account(&self) -> &#private::OAuthAccountMixin<#user_id> {
                    &self.#mixin
                }

                fn table_schema() -> #private::TableSchema {
                    let table = #private::TableSchema::new(#table_name, "id")
                        .with_columns(#private::OAuthAccountMixin::<#user_id>::columns())
                        #(.column(#schema_columns))*;
                    #private::OAuthAccountMixin::<#user_id>::constraints(
                        table,
                        <#user as #krate::FullAuthUser>::TABLE_NAME,
                    )
                }
            }

            impl #krate::HasOAuthAccounts for #user {
                type OAuthAccount = #ident;
            }
        };
    }
}
