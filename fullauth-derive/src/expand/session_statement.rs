//! The statement `#[derive(FullAuthUser)]` reads the user behind an access token with: the SQL names of the
//! user's columns, from which fullauth writes the statement's text once, and the statement for one request.

use proc_macro2::TokenStream;
use quote::quote;

use super::columns::private;
use crate::model::Model;

/// `__FULLAUTH_COLUMN_NAMES` (in the order of `__FullAuthColumns`) and `__fullauth_session_statement`, which
/// binds a request's values into fullauth's `SessionStatement`.
pub fn session_statement(model: &Model) -> TokenStream {
    let private = private(model);
    let krate = &model.krate;
    let ident = &model.ident;
    let table = &model.table;
    let custom_idents = model.fields.iter().map(|field| &field.ident);
    quote! {
        // The SQL names of the columns of `__FullAuthColumns`, in the same order.
        const __FULLAUTH_COLUMN_NAMES: &[&str] = &[
            <#table::id as #private::diesel::Column>::NAME,
            <#table::email as #private::diesel::Column>::NAME,
            <#table::hashed_password as #private::diesel::Column>::NAME,
            <#table::is_active as #private::diesel::Column>::NAME,
            <#table::is_verified as #private::diesel::Column>::NAME,
            <#table::is_superuser as #private::diesel::Column>::NAME,
            <#table::created_at as #private::diesel::Column>::NAME,
            #(<#table::#custom_idents as #private::diesel::Column>::NAME,)*
        ];

        // The user behind an access token, with the extra columns `C`: see `SessionStatement`.
        fn __fullauth_session_statement<R: #krate::FullAuthRefreshToken, C, Row>(
            id: &<#ident as #private::FullAuthUser>::Id,
            family_id: #private::uuid::Uuid,
            now: #private::time::OffsetDateTime,
        ) -> #private::SessionStatement<
            #ident,
            R,
            C,
            Row,
            <#private::Db<<#ident as #private::FullAuthUser>::Id> as #private::diesel::expression::AsExpression<
                <#table::id as #private::diesel::Expression>::SqlType,
            >>::Expression,
        > {
            let id = #private::diesel::expression::AsExpression::<
                <#table::id as #private::diesel::Expression>::SqlType,
            >::as_expression(#private::Db(::core::clone::Clone::clone(id)));
            #private::SessionStatement::new(__FULLAUTH_COLUMN_NAMES, id, family_id, now)
        }
    }
}
