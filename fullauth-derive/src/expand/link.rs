//! `#[derive(FullAuthUserRole)]` and `#[derive(FullAuthRolePermission)]`: the link tables of roles.
//!
//! Besides the table and the model trait, each implements the binding trait on the model it attaches to
//! (`HasRoles` on the user, `HasPermissions` on the role): that is how declaring the models turns roles on.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::columns::{id_rust_type, id_sql_type, private, schema_column, table_macro_keyed};
use crate::kind::Kind;
use crate::model::Model;

/// Entry point of `FullAuthUserRole`.
pub fn derive_user_role(input: TokenStream) -> TokenStream {
    super::run(input, Kind::UserRole, expand_user_role)
}

/// Entry point of `FullAuthRolePermission`.
pub fn derive_role_permission(input: TokenStream) -> TokenStream {
    super::run(input, Kind::RolePermission, expand_role_permission)
}

/// `const _: () = assert_x::<T>();` with the error on `T`.
fn assert_model(model: &Model, check: &str, ty: &syn::Type) -> TokenStream {
    let private = private(model);
    let check = syn::Ident::new(check, proc_macro2::Span::call_site());
    let call = quote_spanned!(ty.span()=> #private::#check::<#ty>());
    quote!(const _: () = #call;)
}

fn expand_user_role(model: &Model) -> TokenStream {
    let (Some(user), Some(role)) = (&model.user, &model.role) else {
        return TokenStream::new();
    };
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let user_id_sql = id_sql_type(model);
    let table = table_macro_keyed(
        model,
        quote!(user_id, role_id),
        quote! {
            user_id -> #user_id_sql,
            role_id -> #krate::sql_types::Uuid,
            created_at -> #krate::sql_types::UtcTimestamp,
        },
    );
    let user_check = assert_model(model, "assert_user_model", user);
    let role_check = assert_model(model, "assert_role_model", role);
    let mixin_id = id_rust_type(model);
    let mixin_ty = &model.mixin.ty;
    let user_id = quote!(<#user as #krate::FullAuthUser>::Id);
    let id_check =
        quote_spanned!(mixin_ty.span()=> #private::assert_same_user_id::<#mixin_id, #user_id>());
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            #user_check
            #role_check
            const _: () = #id_check;

            impl #krate::FullAuthUserRole for #ident {
                type User = #user;
                type Role = #role;

                const TABLE_NAME: &'static str = #table_name;

                fn link(&self) -> &#private::UserRoleMixin<#user_id> {
                    &self.#mixin
                }

                fn table_schema() -> #private::TableSchema {
                    let table = #private::TableSchema::with_composite_key(#table_name, &["user_id", "role_id"])
                        .with_columns(#private::UserRoleMixin::<#user_id>::columns())
                        #(.column(#schema_columns))*;
                    #private::UserRoleMixin::<#user_id>::constraints(
                        table,
                        <#user as #krate::FullAuthUser>::TABLE_NAME,
                        <#role as #krate::FullAuthRole>::TABLE_NAME,
                    )
                }
            }

            impl #krate::HasRoles for #user {
                type Role = #role;
                type UserRole = #ident;
            }
        };
    }
}

fn expand_role_permission(model: &Model) -> TokenStream {
    let (Some(role), Some(permission)) = (&model.role, &model.permission) else {
        return TokenStream::new();
    };
    let krate = &model.krate;
    let private = private(model);
    let ident = &model.ident;
    let mixin = &model.mixin.ident;
    let table_name = model.table.to_string();
    let table = table_macro_keyed(
        model,
        quote!(role_id, permission_id),
        quote! {
            role_id -> #krate::sql_types::Uuid,
            permission_id -> #krate::sql_types::Uuid,
            created_at -> #krate::sql_types::UtcTimestamp,
        },
    );
    let role_check = assert_model(model, "assert_role_model", role);
    let permission_check = assert_model(model, "assert_permission_model", permission);
    let schema_columns = model.fields.iter().map(|field| schema_column(model, field));
    quote! {
        #table
        #[allow(non_local_definitions, clippy::all)]
        const _: () = {
            #role_check
            #permission_check

            impl #krate::FullAuthRolePermission for #ident {
                type Role = #role;
                type Permission = #permission;

                const TABLE_NAME: &'static str = #table_name;

                fn link(&self) -> &#private::RolePermissionMixin {
                    &self.#mixin
                }

                fn table_schema() -> #private::TableSchema {
                    let table = #private::TableSchema::with_composite_key(#table_name, &["role_id", "permission_id"])
                        .with_columns(#private::RolePermissionMixin::columns())
                        #(.column(#schema_columns))*;
                    #private::RolePermissionMixin::constraints(
                        table,
                        <#role as #krate::FullAuthRole>::TABLE_NAME,
                        <#permission as #krate::FullAuthPermission>::TABLE_NAME,
                    )
                }
            }

            impl #krate::HasPermissions for #role {
                type Permission = #permission;
                type RolePermission = #ident;
            }
        };
    }
}
