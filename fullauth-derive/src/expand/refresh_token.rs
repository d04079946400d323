//! `#[derive(FullAuthRefreshToken)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::columns::{
    default_expr, id_rust_type, id_sql_type, private, schema_column, table_macro,
};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point: parse, check, expand.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::RefreshToken, expand)
}

fn expand(model: &Model) -> TokenStream {
    let Some(user) = &model.user else {
        return TokenStream::new();
    };
    let table = table_module(model);
    let checks = checks(model, user);
    let token_impl = token_impl(model, user);
    let queries = queries(model);
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            #checks
            #token_impl
            #queries
        };
    }
}

fn user_id_type(model: &Model, user: &syn::Type) -> TokenStream {
    let krate = &model.krate;
    quote!(<#user as #krate::FullAuthUser>::Id)
}

/// `user = X` must be a user model: checked first, with the error on `X`. Then the mixin must carry the same id
/// type as the user's, with the error on the mixin's type.
fn checks(model: &Model, user: &syn::Type) -> TokenStream {
    let private = private(model);
    let user_check = quote_spanned!(user.span()=> #private::assert_user_model::<#user>());
    let user_id = user_id_type(model, user);
    let mixin_id = id_rust_type(model);
    let mixin_ty = &model.mixin.ty;
    let id_check =
        quote_spanned!(mixin_ty.span()=> #private::assert_same_user_id::<#mixin_id, #user_id>());
    quote! {
        const _: () = #user_check;
        const _: () = #id_check;
    }
}

fn table_module(model: &Model) -> TokenStream {
    let private = private(model);
    let krate = &model.krate;
    let types = quote!(#private::diesel::sql_types);
    let timestamp = quote!(#krate::sql_types::UtcTimestamp);
    let user_id_sql = id_sql_type(model);
    table_macro(
        model,
        quote! {
            id -> #krate::sql_types::Uuid,
            user_id -> #user_id_sql,
            token_digest -> #types::Text,
            family_id -> #krate::sql_types::Uuid,
            expires_at -> #timestamp,
            created_at -> #timestamp,
            used_at -> #types::Nullable<#timestamp>,
            revoked_at -> #types::Nullable<#timestamp>,
            user_agent -> #types::Nullable<#types::Text>,
            ip_address -> #types::Nullable<#types::Text>,
        },
    )
}

fn token_impl(model: &Model, user: &syn::Type) -> TokenStream {
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let user_id = user_id_type(model, user);
    let defaults = model.fields.iter().map(|field| {
        let field_ident = &field.ident;
        let value =
            default_expr(field).unwrap_or_else(|| quote!(::core::default::Default::default()));
        quote!(#field_ident: #value,)
    });
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    quote! {
        impl #krate::FullAuthRefreshToken for #ident {
            type User = #user;

            const TABLE_NAME: &'static str = #table_name;

            fn token(&self) -> &#private::RefreshTokenMixin<#user_id> {
                &self.#mixin
            }

            fn from_mixin(token: #private::RefreshTokenMixin<#user_id>) -> Self {
                Self { #mixin: token, #(#defaults)* }
            }

            fn table_schema() -> #private::TableSchema {
                let table = #private::TableSchema::new(#table_name, "id")
                    .with_columns(#private::RefreshTokenMixin::<#user_id>::columns())
                    #(.column(#schema_columns))*;
                #private::RefreshTokenMixin::<#user_id>::constraints(
                    table,
                    <#user as #krate::FullAuthUser>::TABLE_NAME,
                )
            }
        }
    }
}

/// The queries, per backend. They name the user's id type as the mixin declares it, never the user type, so
/// that a wrong `user = X` is one error on `X` rather than one per backend.
fn queries(model: &Model) -> TokenStream {
    let private = private(model);
    let ident = &model.ident;
    let table = &model.table;
    let mixin = &model.mixin.ident;
    let user_id = id_rust_type(model);
    let custom_idents: Vec<_> = model.fields.iter().map(|field| &field.ident).collect();
    let custom_types = model.fields.iter().map(|field| &field.ty);
    let timestamp = quote!(#private::time::OffsetDateTime);
    let text = quote!(::std::string::String);

    quote! {
        type __FullAuthRow = (
            #private::uuid::Uuid,
            #user_id,
            #text,
            #private::uuid::Uuid,
            #timestamp,
            #timestamp,
            ::core::option::Option<#timestamp>,
            ::core::option::Option<#timestamp>,
            ::core::option::Option<#text>,
            ::core::option::Option<#text>,
            #(#custom_types,)*
        );

        fn __fullauth_columns() -> (
            #table::id, #table::user_id, #table::token_digest, #table::family_id, #table::expires_at,
            #table::created_at, #table::used_at, #table::revoked_at, #table::user_agent, #table::ip_address,
            #(#table::#custom_idents,)*
        ) {
            (
                #table::id, #table::user_id, #table::token_digest, #table::family_id, #table::expires_at,
                #table::created_at, #table::used_at, #table::revoked_at, #table::user_agent, #table::ip_address,
                #(#table::#custom_idents,)*
            )
        }

        fn __fullauth_from_row(row: __FullAuthRow) -> #ident {
            let (
                id, user_id, token_digest, family_id, expires_at, created_at, used_at, revoked_at, user_agent,
                ip_address, #(#custom_idents,)*
            ) = row;
            #ident {
                #mixin: #private::RefreshTokenMixin {
                    id, user_id, token_digest, family_id, expires_at, created_at, used_at, revoked_at,
                    user_agent, ip_address,
                },
                #(#custom_idents,)*
            }
        }

        macro_rules! __fullauth_refresh_token_queries {
            ($connection:ty, $backend:ident) => {
                impl #private::RefreshTokenQueries<$connection, #user_id> for #ident {
                    async fn insert(conn: &mut $connection, row: &Self) -> #private::QueryResult<usize> {
                        use #private::diesel::ExpressionMethods as _;
                        let token = &row.#mixin;
                        let values = (
                            #table::id.eq(#private::Db(&token.id)),
                            #table::user_id.eq(#private::Db(&token.user_id)),
                            #table::token_digest.eq(#private::Db(&token.token_digest)),
                            #table::family_id.eq(#private::Db(&token.family_id)),
                            #table::expires_at.eq(#private::Db(&token.expires_at)),
                            #table::created_at.eq(#private::Db(&token.created_at)),
                            #table::used_at.eq(#private::Db(&token.used_at)),
                            #table::revoked_at.eq(#private::Db(&token.revoked_at)),
                            #table::user_agent.eq(#private::Db(&token.user_agent)),
                            #table::ip_address.eq(#private::Db(&token.ip_address)),
                            #(#table::#custom_idents.eq(#private::Db(&row.#custom_idents)),)*
                        );
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::insert_into(#table::table).values(values),
                            conn,
                        )
                        .await
                    }

                    async fn find_by_digest(
                        conn: &mut $connection,
                        digest: &str,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, OptionalExtension as _, QueryDsl as _};
                        let query = #table::table.select(__fullauth_columns()).filter(#table::token_digest.eq(#private::Db(digest)));
                        let row = #private::diesel_async::RunQueryDsl::get_result::<__FullAuthRow>(query, conn).await.optional()?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn consume(
                        conn: &mut $connection,
                        digest: &str,
                        now: #timestamp,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::token_digest.eq(#private::Db(digest)))
                            .filter(#table::used_at.is_null())
                            .filter(#table::revoked_at.is_null())
                            .filter(#table::expires_at.gt(#private::Db(&now)));
                        let used = #table::used_at.eq(#private::Db(::core::option::Option::Some(now)));
                        #private::diesel_async::RunQueryDsl::execute(#private::diesel::update(target).set(used), conn).await
                    }

                    async fn family_owner(
                        conn: &mut $connection,
                        family_id: #private::uuid::Uuid,
                    ) -> #private::QueryResult<::core::option::Option<#user_id>> {
                        use #private::diesel::{ExpressionMethods as _, OptionalExtension as _, QueryDsl as _};
                        let query = #table::table
                            .select(#table::user_id)
                            .filter(#table::family_id.eq(#private::Db(&family_id)));
                        #private::diesel_async::RunQueryDsl::first::<#user_id>(query, conn).await.optional()
                    }

                    async fn delete_expired(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        before: #timestamp,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::expires_at.lt(#private::Db(&before)));
                        #private::diesel_async::RunQueryDsl::execute(#private::diesel::delete(target), conn).await
                    }

                    async fn revoke_family(
                        conn: &mut $connection,
                        family_id: #private::uuid::Uuid,
                        now: #timestamp,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::family_id.eq(#private::Db(&family_id)))
                            .filter(#table::revoked_at.is_null());
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::revoked_at.eq(#private::Db(::core::option::Option::Some(now)))),
                            conn,
                        )
                        .await
                    }

                    async fn revoke_user(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        now: #timestamp,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::revoked_at.is_null());
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::revoked_at.eq(#private::Db(::core::option::Option::Some(now)))),
                            conn,
                        )
                        .await
                    }

                    async fn live_families(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        now: #timestamp,
                    ) -> #private::QueryResult<::std::vec::Vec<#private::uuid::Uuid>> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let query = #table::table
                            .select(#table::family_id)
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::expires_at.gt(#private::Db(&now)))
                            .distinct();
                        #private::diesel_async::RunQueryDsl::load::<#private::uuid::Uuid>(query, conn).await
                    }

                    async fn live_rows(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        now: #timestamp,
                    ) -> #private::QueryResult<::std::vec::Vec<Self>> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let query = #table::table
                            .select(__fullauth_columns())
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::used_at.is_null())
                            .filter(#table::revoked_at.is_null())
                            .filter(#table::expires_at.gt(#private::Db(&now)));
                        let rows = #private::diesel_async::RunQueryDsl::load::<__FullAuthRow>(query, conn).await?;
                        ::core::result::Result::Ok(rows.into_iter().map(__fullauth_from_row).collect())
                    }

                    async fn session_starts(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        now: #timestamp,
                    ) -> #private::QueryResult<::std::vec::Vec<(#private::uuid::Uuid, ::core::option::Option<#timestamp>)>> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        #private::diesel::alias!(#table as __fullauth_live_tokens: __FullAuthLiveTokens);
                        let live = __fullauth_live_tokens
                            .select(__fullauth_live_tokens.field(#table::family_id))
                            .filter(__fullauth_live_tokens.field(#table::user_id).eq(#private::Db(user_id)))
                            .filter(__fullauth_live_tokens.field(#table::used_at).is_null())
                            .filter(__fullauth_live_tokens.field(#table::revoked_at).is_null())
                            .filter(__fullauth_live_tokens.field(#table::expires_at).gt(#private::Db(&now)));
                        let query = #table::table
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::family_id.eq_any(live))
                            .group_by(#table::family_id)
                            .select((#table::family_id, #private::diesel::dsl::min(#table::created_at)));
                        #private::diesel_async::RunQueryDsl::load::<(#private::uuid::Uuid, ::core::option::Option<#timestamp>)>(query, conn).await
                    }

                    async fn revoke_user_except(
                        conn: &mut $connection,
                        user_id: &#user_id,
                        keep: #private::uuid::Uuid,
                        now: #timestamp,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::user_id.eq(#private::Db(user_id)))
                            .filter(#table::family_id.ne(#private::Db(&keep)))
                            .filter(#table::revoked_at.is_null());
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::revoked_at.eq(#private::Db(::core::option::Option::Some(now)))),
                            conn,
                        )
                        .await
                    }
                }
            };
        }

        #private::for_each_backend!(__fullauth_refresh_token_queries);
    }
}
