//! `#[derive(FullAuthUser)]`.

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::{
    default_expr, id_sql_type, id_type, json_field, private, rules, schema_column, table_macro,
};
use crate::kind::Kind;
use crate::model::{Model, patch_ident};

/// Entry point: parse, check, expand.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::User, expand)
}

fn expand(model: &Model) -> TokenStream {
    let table = table_module(model);
    let patch = patch_struct(model);
    let user_impl = user_impl(model);
    let queries = super::user_queries::queries(model);
    quote! {
        #table
        #patch
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            #user_impl
            #queries
        };
    }
}

fn table_module(model: &Model) -> TokenStream {
    let private = private(model);
    let krate = &model.krate;
    let types = quote!(#private::diesel::sql_types);
    let id_sql = id_sql_type(model);
    table_macro(
        model,
        quote! {
            id -> #id_sql,
            email -> #types::Text,
            hashed_password -> #types::Nullable<#types::Text>,
            is_active -> #types::Bool,
            is_verified -> #types::Bool,
            is_superuser -> #types::Bool,
            created_at -> #krate::sql_types::UtcTimestamp,
        },
    )
}

fn patch_struct(model: &Model) -> TokenStream {
    let vis = &model.vis;
    let name = patch_ident(model);
    let fields = model
        .fields
        .iter()
        .filter(|field| field.client_writable())
        .map(|field| {
            let ident = &field.ident;
            let ty = &field.ty;
            quote!(pub #ident: ::core::option::Option<#ty>,)
        });
    let doc = format!(
        "A partial update of [`{}`]: each `Some` field is written, `None` fields are left alone. \
         `PATCH /me` builds one from the request body.",
        model.ident
    );
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default, ::core::cmp::PartialEq)]
        #[allow(missing_docs)]
        #vis struct #name {
            #(#fields)*
        }
    }
}

fn user_impl(model: &Model) -> TokenStream {
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let id_type = id_type(model);
    let patch = patch_ident(model);
    let writable: Vec<_> = model
        .fields
        .iter()
        .filter(|field| field.client_writable())
        .collect();
    let writable_names = writable.iter().map(|field| field.ident.to_string());
    let read_only_names = model
        .fields
        .iter()
        .filter(|field| field.readonly && !field.hidden)
        .map(|field| field.ident.to_string());
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    let json_fields = model.fields.iter().map(|field| json_field(model, field));

    let serialized = model
        .fields
        .iter()
        .filter(|field| !field.hidden)
        .map(|field| {
            let name = field.ident.to_string();
            let field_ident = &field.ident;
            quote!(map.serialize_entry(#name, &#private::AsJson(&self.#field_ident))?;)
        });

    let created = model.fields.iter().map(|field| {
        let field_ident = &field.ident;
        let ty = &field.ty;
        let name = field.ident.to_string();
        let default = default_expr(field);
        if field.client_writable() {
            let default = match default {
                Some(value) => quote!(::core::option::Option::Some(#value)),
                None => quote!(::core::option::Option::None),
            };
            let rules = rules(model, field);
            quote!(let #field_ident = #private::create_field::<#ty>(input, #name, #rules, #default, issues);)
        } else {
            quote!(let #field_ident: ::core::option::Option<#ty> = ::core::option::Option::Some(#default);)
        }
    });
    let field_idents: Vec<_> = model.fields.iter().map(|field| &field.ident).collect();

    let patch_reads = writable.iter().map(|field| {
        let field_ident = &field.ident;
        let ty = &field.ty;
        let name = field.ident.to_string();
        quote!(#field_ident: #private::patch_field::<#ty>(input, #name, issues),)
    });
    let patch_checks = writable.iter().map(|field| {
        let ty = &field.ty;
        let name = field.ident.to_string();
        let rules = rules(model, field);
        quote!(#private::check_patch_field::<#ty>(input, #name, #rules, issues);)
    });
    let writable_idents: Vec<_> = writable.iter().map(|field| &field.ident).collect();

    quote! {
        impl #krate::FullAuthUser for #ident {
            type Id = #id_type;
            type Patch = #patch;

            const TABLE_NAME: &'static str = #table_name;
            const UPDATABLE_FIELDS: &'static [&'static str] = &[#(#writable_names),*];
            const READ_ONLY_FIELDS: &'static [&'static str] = &[#(#read_only_names),*];

            fn auth(&self) -> &#private::UserMixin<Self::Id> {
                &self.#mixin
            }

            fn auth_mut(&mut self) -> &mut #private::UserMixin<Self::Id> {
                &mut self.#mixin
            }

            fn table_schema() -> #private::TableSchema {
                #private::TableSchema::new(#table_name, "id")
                    .with_columns(#private::UserMixin::<Self::Id>::columns())
                    #(.column(#schema_columns))*
                    .index(&["email"], true)
            }

            fn json_fields() -> ::std::vec::Vec<#private::JsonField> {
                ::std::vec![#(#json_fields),*]
            }

            fn serialize_custom_fields<M: #private::serde::ser::SerializeMap>(
                &self,
                map: &mut M,
            ) -> ::core::result::Result<(), M::Error> {
                #(#serialized)*
                ::core::result::Result::Ok(())
            }

            fn from_input(
                auth: #private::UserMixin<Self::Id>,
                input: &#private::JsonObject,
                issues: &mut #private::Issues,
            ) -> ::core::option::Option<Self> {
                #(#created)*
                ::core::option::Option::Some(Self { #mixin: auth, #(#field_idents: #field_idents?,)* })
            }

            fn patch_from_input(input: &#private::JsonObject, issues: &mut #private::Issues) -> Self::Patch {
                #patch { #(#patch_reads)* }
            }

            fn check_patch(input: &#private::JsonObject, issues: &mut #private::Issues) {
                #(#patch_checks)*
            }

            fn patch_is_empty(patch: &Self::Patch) -> bool {
                true #(&& patch.#writable_idents.is_none())*
            }

            fn apply_patch(&mut self, patch: &Self::Patch) {
                #(
                    if let ::core::option::Option::Some(value) = &patch.#writable_idents {
                        self.#writable_idents = ::core::clone::Clone::clone(value);
                    }
                )*
            }
            fn declared_models() -> #private::DeclaredModels {
                // Finds the models declared for this user, if any: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{
                    ProbeMfa as _, ProbeNoMfa as _, ProbeNoOAuthAccounts as _, ProbeNoPasskeys as _,
                    ProbeNoRoles as _, ProbeOAuthAccounts as _, ProbePasskeys as _, ProbeRoles as _,
                };
                #private::DeclaredModels {
                    roles: (&#private::Probe::<Self>::new()).roles(),
                    oauth_accounts: (&#private::Probe::<Self>::new()).oauth_accounts(),
                    passkeys: (&#private::Probe::<Self>::new()).passkeys(),
                    mfa: (&#private::Probe::<Self>::new()).mfa(),
                }
            }
        }
    }
}
