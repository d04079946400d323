//! `#[derive(FullAuthUser)]`.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::columns::{default_expr, id_sql_type, private, rules, schema_column, table_macro};
use crate::model::{IdType, Kind, Model, patch_ident};

/// Entry point: parse, check, expand.
pub fn derive(input: TokenStream) -> TokenStream {
    super::run(input, Kind::User, expand)
}

fn expand(model: &Model) -> TokenStream {
    let table = table_module(model);
    let patch = patch_struct(model);
    let user_impl = user_impl(model);
    let queries = queries(model);
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

/// `<Mixin as UserMixinType>::Id`, spanned on the mixin's type so a wrong mixin type is reported there.
fn id_type(model: &Model) -> TokenStream {
    let private = private(model);
    let mixin_ty = &model.mixin.ty;
    quote_spanned!(mixin_ty.span()=> <#mixin_ty as #private::UserMixinType>::Id)
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
                // Finds the role models declared for this user, if any: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{ProbeNoRoles as _, ProbeRoles as _};
                #private::DeclaredModels {
                    roles: (&#private::Probe::<Self>::new()).roles(),
                }
            }
        }
    }
}

fn queries(model: &Model) -> TokenStream {
    let private = private(model);
    let krate = &model.krate;
    let ident = &model.ident;
    let table = &model.table;
    let mixin = &model.mixin.ident;
    let id_type = id_type(model);
    let custom_idents: Vec<_> = model.fields.iter().map(|field| &field.ident).collect();
    let custom_types = model.fields.iter().map(|field| &field.ty);
    let writable: Vec<_> = model
        .fields
        .iter()
        .filter(|field| field.client_writable())
        .map(|field| &field.ident)
        .collect();

    // The database assigns i64 ids: insert without one and read it back, which MySQL cannot do with RETURNING.
    let database_generated = model.mixin.id == IdType::I64;
    let id_value = (!database_generated).then(|| quote!(#table::id.eq(#private::Db(&auth.id)),));
    let insert_statement = if database_generated {
        quote!(__fullauth_insert_returning_id!($backend, conn, values))
    } else {
        quote! {
            #private::diesel_async::RunQueryDsl::execute(
                #private::diesel::insert_into(#table::table).values(values),
                conn,
            )
            .await?;
            ::core::result::Result::Ok(::core::clone::Clone::clone(&auth.id))
        }
    };
    let insert_returning_id = database_generated.then(|| {
        quote! {
            macro_rules! __fullauth_insert_returning_id {
                (mysql, $conn:ident, $values:ident) => {{
                    #private::diesel_async::RunQueryDsl::execute(
                        #private::diesel::insert_into(#table::table).values($values),
                        $conn,
                    )
                    .await?;
                    let last_id = #private::diesel::dsl::sql::<#private::diesel::sql_types::BigInt>(
                        "CAST(LAST_INSERT_ID() AS SIGNED)",
                    );
                    #private::diesel_async::RunQueryDsl::get_result::<i64>(#private::diesel::select(last_id), $conn).await
                }};
                ($backend:ident, $conn:ident, $values:ident) => {{
                    let statement = #private::diesel::insert_into(#table::table).values($values).returning(#table::id);
                    #private::diesel_async::RunQueryDsl::get_result::<i64>(statement, $conn).await
                }};
            }
        }
    });

    let update_body = if writable.is_empty() {
        quote! {
            let _ = (conn, id, patch);
            ::core::result::Result::Ok(0)
        }
    } else {
        quote! {
            use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
            if <Self as #private::FullAuthUser>::patch_is_empty(patch) {
                return ::core::result::Result::Ok(0);
            }
            let changes = (#(patch.#writable.as_ref().map(|value| #table::#writable.eq(#private::Db(value))),)*);
            #private::diesel_async::RunQueryDsl::execute(
                #private::diesel::update(#table::table.filter(#table::id.eq(#private::Db(id)))).set(changes),
                conn,
            )
            .await
        }
    };

    quote! {
        type __FullAuthRow = (
            #id_type,
            ::std::string::String,
            ::core::option::Option<::std::string::String>,
            bool,
            bool,
            bool,
            #private::time::OffsetDateTime,
            #(#custom_types,)*
        );

        fn __fullauth_columns() -> (
            #table::id, #table::email, #table::hashed_password, #table::is_active, #table::is_verified,
            #table::is_superuser, #table::created_at, #(#table::#custom_idents,)*
        ) {
            (
                #table::id, #table::email, #table::hashed_password, #table::is_active, #table::is_verified,
                #table::is_superuser, #table::created_at, #(#table::#custom_idents,)*
            )
        }

        fn __fullauth_from_row(row: __FullAuthRow) -> #ident {
            let (id, email, hashed_password, is_active, is_verified, is_superuser, created_at, #(#custom_idents,)*) = row;
            #ident {
                #mixin: #private::UserMixin { id, email, hashed_password, is_active, is_verified, is_superuser, created_at },
                #(#custom_idents,)*
            }
        }

        #insert_returning_id

        macro_rules! __fullauth_user_queries {
            ($connection:ty, $backend:ident) => {
                impl #private::UserQueries<$connection> for #ident {
                    async fn insert(conn: &mut $connection, user: &Self) -> #private::QueryResult<Self::Id> {
                        use #private::diesel::ExpressionMethods as _;
                        let auth = &user.#mixin;
                        let values = (
                            #id_value
                            #table::email.eq(#private::Db(&auth.email)),
                            #table::hashed_password.eq(#private::Db(&auth.hashed_password)),
                            #table::is_active.eq(#private::Db(&auth.is_active)),
                            #table::is_verified.eq(#private::Db(&auth.is_verified)),
                            #table::is_superuser.eq(#private::Db(&auth.is_superuser)),
                            #table::created_at.eq(#private::Db(&auth.created_at)),
                            #(#table::#custom_idents.eq(#private::Db(&user.#custom_idents)),)*
                        );
                        #insert_statement
                    }

                    async fn find_by_id(
                        conn: &mut $connection,
                        id: &Self::Id,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, OptionalExtension as _, QueryDsl as _};
                        let query = #table::table.select(__fullauth_columns()).filter(#table::id.eq(#private::Db(id)));
                        let row = #private::diesel_async::RunQueryDsl::first::<__FullAuthRow>(query, conn).await.optional()?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn find_by_email(
                        conn: &mut $connection,
                        email: &str,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, OptionalExtension as _, QueryDsl as _};
                        let query = #table::table.select(__fullauth_columns()).filter(#table::email.eq(#private::Db(email)));
                        let row = #private::diesel_async::RunQueryDsl::first::<__FullAuthRow>(query, conn).await.optional()?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn update_fields(
                        conn: &mut $connection,
                        id: &Self::Id,
                        patch: &Self::Patch,
                    ) -> #private::QueryResult<usize> {
                        #update_body
                    }

                    async fn update_password(
                        conn: &mut $connection,
                        id: &Self::Id,
                        expected: #private::ExpectedHash<'_>,
                        new_hash: &str,
                    ) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table.filter(#table::id.eq(#private::Db(id)));
                        let new_hash = #table::hashed_password.eq(#private::Db(::core::option::Option::Some(new_hash)));
                        match expected {
                            #private::ExpectedHash::Any => {
                                #private::diesel_async::RunQueryDsl::execute(#private::diesel::update(target).set(new_hash), conn).await
                            }
                            #private::ExpectedHash::Exactly(::core::option::Option::Some(current)) => {
                                let target = target.filter(#table::hashed_password.eq(#private::Db(::core::option::Option::Some(current))));
                                #private::diesel_async::RunQueryDsl::execute(#private::diesel::update(target).set(new_hash), conn).await
                            }
                            #private::ExpectedHash::Exactly(::core::option::Option::None) => {
                                let target = target.filter(#table::hashed_password.is_null());
                                #private::diesel_async::RunQueryDsl::execute(#private::diesel::update(target).set(new_hash), conn).await
                            }
                        }
                    }

                    async fn set_verified(conn: &mut $connection, id: &Self::Id, email: &str) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::id.eq(#private::Db(id)))
                            .filter(#table::email.eq(#private::Db(email)))
                            .filter(#table::is_verified.eq(false));
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::is_verified.eq(true)),
                            conn,
                        )
                        .await
                    }

                    async fn lock(conn: &mut $connection, id: &Self::Id) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table.filter(#table::id.eq(#private::Db(id)));
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::is_active.eq(#table::is_active)),
                            conn,
                        )
                        .await
                    }

                    async fn find_for_session<R: #krate::FullAuthRefreshToken>(
                        conn: &mut $connection,
                        id: &Self::Id,
                        family_id: #private::uuid::Uuid,
                        now: #private::time::OffsetDateTime,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, OptionalExtension as _, QueryDsl as _};
                        let query = #table::table
                            .select(__fullauth_columns())
                            .filter(#table::id.eq(#private::Db(id)))
                            .filter(#private::LiveSession::<R>::new(family_id, now));
                        let row = #private::diesel_async::RunQueryDsl::first::<__FullAuthRow>(query, conn).await.optional()?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn list(
                        conn: &mut $connection,
                        pattern: &str,
                        limit: i64,
                        offset: i64,
                    ) -> #private::QueryResult<::std::vec::Vec<Self>> {
                        use #private::diesel::{EscapeExpressionMethods as _, ExpressionMethods as _, QueryDsl as _, TextExpressionMethods as _};
                        let query = #table::table
                            .select(__fullauth_columns())
                            .filter(#table::email.like(pattern).escape('!'))
                            .order((#table::created_at.asc(), #table::id.asc()))
                            .limit(limit)
                            .offset(offset);
                        let rows = #private::diesel_async::RunQueryDsl::load::<__FullAuthRow>(query, conn).await?;
                        ::core::result::Result::Ok(rows.into_iter().map(__fullauth_from_row).collect())
                    }

                    async fn count(conn: &mut $connection, pattern: &str) -> #private::QueryResult<i64> {
                        use #private::diesel::{EscapeExpressionMethods as _, QueryDsl as _, TextExpressionMethods as _};
                        let query = #table::table
                            .filter(#table::email.like(pattern).escape('!'))
                            .count();
                        #private::diesel_async::RunQueryDsl::get_result::<i64>(query, conn).await
                    }

                    async fn set_active(conn: &mut $connection, id: &Self::Id, active: bool) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table.filter(#table::id.eq(#private::Db(id)));
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::update(target).set(#table::is_active.eq(active)),
                            conn,
                        )
                        .await
                    }

                    async fn delete(conn: &mut $connection, id: &Self::Id) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        #private::diesel_async::RunQueryDsl::execute(
                            #private::diesel::delete(#table::table.filter(#table::id.eq(#private::Db(id)))),
                            conn,
                        )
                        .await
                    }
                }
            };
        }

        #private::for_each_backend!(__fullauth_user_queries);

        impl #private::UserRoleQueries for #ident {
            fn role_store(
                store: &#private::DieselRoleStore<Self>,
            ) -> ::core::option::Option<&dyn #private::RoleStore<Self>> {
                // The Diesel role queries of this user's role models, if any: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{ProbeDieselRoles as _, ProbeNoDieselRoles as _};
                (&#private::Probe::<Self>::new()).diesel_roles(store)
            }
        }
    }
}
