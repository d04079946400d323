//! The Diesel queries of `#[derive(FullAuthUser)]`, once per compiled backend, and the lookup of the user's role
//! store.

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::{id_type, private};
use super::session_statement::session_statement;
use crate::model::{IdType, Model};

pub fn queries(model: &Model) -> TokenStream {
    let private = private(model);
    let krate = &model.krate;
    let ident = &model.ident;
    let table = &model.table;
    let mixin = &model.mixin.ident;
    let id_type = id_type(model);
    let session_statement = session_statement(model);
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

        type __FullAuthColumns = (
            #table::id, #table::email, #table::hashed_password, #table::is_active, #table::is_verified,
            #table::is_superuser, #table::created_at, #(#table::#custom_idents,)*
        );

        #session_statement

        fn __fullauth_columns() -> __FullAuthColumns {
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

                    // Lookups by a unique key read with `get_result`, not `first`: `first` adds `LIMIT ?` with a
                    // bound value, and a bound LIMIT makes SQLite re-prepare the cached statement every time.
                    async fn find_by_id(
                        conn: &mut $connection,
                        id: &Self::Id,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let query = #table::table.select(__fullauth_columns()).filter(#table::id.eq(#private::Db(::core::clone::Clone::clone(id))));
                        let row = #private::read_optional_row!($backend, conn, query, __FullAuthRow)?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn find_by_email(
                        conn: &mut $connection,
                        email: &str,
                    ) -> #private::QueryResult<::core::option::Option<Self>> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let query = #table::table.select(__fullauth_columns()).filter(#table::email.eq(#private::Db(::std::borrow::ToOwned::to_owned(email))));
                        let row = #private::read_optional_row!($backend, conn, query, __FullAuthRow)?;
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

                    async fn lock_active_superusers(conn: &mut $connection) -> #private::QueryResult<usize> {
                        use #private::diesel::{ExpressionMethods as _, QueryDsl as _};
                        let target = #table::table
                            .filter(#table::is_superuser.eq(true))
                            .filter(#table::is_active.eq(true));
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
                        let query = __fullauth_session_statement::<
                            R,
                            #private::NoRoles,
                            <__FullAuthColumns as #private::diesel::Expression>::SqlType,
                        >(id, family_id, now);
                        let row = #private::read_optional_row!($backend, conn, query, __FullAuthRow)?;
                        ::core::result::Result::Ok(row.map(__fullauth_from_row))
                    }

                    async fn find_for_session_with_roles<
                        R: #krate::FullAuthRefreshToken,
                        L: #krate::FullAuthUserRole<User = Self>,
                    >(
                        conn: &mut $connection,
                        id: &Self::Id,
                        family_id: #private::uuid::Uuid,
                        now: #private::time::OffsetDateTime,
                    ) -> #private::QueryResult<::core::option::Option<(Self, ::std::vec::Vec<::std::string::String>)>> {
                        let query = __fullauth_session_statement::<
                            R,
                            #private::WithRoles<L>,
                            (
                                <__FullAuthColumns as #private::diesel::Expression>::SqlType,
                                #private::diesel::sql_types::Nullable<#private::diesel::sql_types::Text>,
                            ),
                        >(id, family_id, now);
                        let row = #private::read_optional_row!(
                            $backend,
                            conn,
                            query,
                            (__FullAuthRow, ::core::option::Option<::std::string::String>)
                        )?;
                        match row {
                            ::core::option::Option::None => ::core::result::Result::Ok(::core::option::Option::None),
                            ::core::option::Option::Some((row, roles)) => {
                                let roles = #private::RoleNamesOfRow::<L>::decode(roles)?;
                                ::core::result::Result::Ok(::core::option::Option::Some((__fullauth_from_row(row), roles)))
                            }
                        }
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

            fn user_for_session<'a, R: #private::DieselRefreshToken<User = Self>>(
                pools: &'a #private::Pools,
                id: &'a <Self as #krate::FullAuthUser>::Id,
                family_id: #private::uuid::Uuid,
                now: #private::time::OffsetDateTime,
                with_roles: bool,
            ) -> #private::StoreFuture<'a, ::core::option::Option<#private::SessionUser<Self>>> {
                // One statement for the user and, when they have role models, their roles: see `session_query.rs`.
                #[allow(unused_imports)]
                use #private::{ProbeSessionWithRoles as _, ProbeSessionWithoutRoles as _};
                (&#private::Probe::<Self>::new()).diesel_session_user::<R>(pools, id, family_id, now, with_roles)
            }
        }

        impl #private::UserOAuthAccountQueries for #ident {
            fn oauth_account_store(
                store: &#private::DieselOAuthAccountStore<Self>,
            ) -> ::core::option::Option<&dyn #private::OAuthAccountStore<Self>> {
                // The Diesel OAuth-account queries, if an OAuth-account model names this user: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{ProbeDieselOAuthAccounts as _, ProbeNoDieselOAuthAccounts as _};
                (&#private::Probe::<Self>::new()).diesel_oauth_accounts(store)
            }
        }

        impl #private::UserPasskeyQueries for #ident {
            fn passkey_store(
                store: &#private::DieselPasskeyStore<Self>,
            ) -> ::core::option::Option<&dyn #private::PasskeyStore<Self>> {
                // The Diesel passkey queries, if a passkey model names this user: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{ProbeDieselPasskeys as _, ProbeNoDieselPasskeys as _};
                (&#private::Probe::<Self>::new()).diesel_passkeys(store)
            }
        }

        impl #private::UserMfaQueries for #ident {
            fn mfa_store(
                store: &#private::DieselMfaStore<Self>,
            ) -> ::core::option::Option<&dyn #private::MfaStore<Self>> {
                // The Diesel MFA queries, if an MFA model names this user: see `DeclaredModels`.
                #[allow(unused_imports)]
                use #private::{ProbeDieselMfa as _, ProbeNoDieselMfa as _};
                (&#private::Probe::<Self>::new()).diesel_mfa(store)
            }
        }
    }
}
