//! Snapshots of the pretty-printed expansion: a change to the generated code shows up as a reviewable diff.

use proc_macro2::TokenStream;
use quote::quote;

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses as Rust items");
    prettyplease::unparse(&file)
}

#[test]
fn user_with_custom_fields() {
    let input = quote! {
        #[fullauth(table = "users")]
        pub struct User {
            #[fullauth(mixin)]
            pub auth: UserMixin,
            #[fullauth(max_length = 100, default = "")]
            pub display_name: String,
            #[fullauth(default = -1)]
            pub score: i16,
            pub nickname: Option<String>,
            #[fullauth(readonly, default = "free")]
            pub plan: String,
            #[fullauth(hidden, default = false, column = "flagged")]
            pub is_flagged: bool,
        }
    };
    insta::assert_snapshot!(pretty(super::user::derive(input)));
}

#[test]
fn user_without_custom_fields_and_default_table() {
    let input = quote! {
        pub(crate) struct Account {
            #[fullauth(mixin)]
            auth: fullauth::UserMixin,
        }
    };
    insta::assert_snapshot!(pretty(super::user::derive(input)));
}

#[test]
fn user_with_database_assigned_ids() {
    let input = quote! {
        pub struct Member {
            #[fullauth(mixin)]
            pub auth: UserMixin<i64>,
        }
    };
    insta::assert_snapshot!(pretty(super::user::derive(input)));
}

#[test]
fn refresh_token_with_a_custom_field() {
    let input = quote! {
        #[fullauth(table = "refresh_tokens", user = crate::User, crate = "my_auth")]
        pub struct RefreshToken {
            #[fullauth(mixin)]
            pub token: RefreshTokenMixin,
            #[fullauth(default = "web")]
            pub client: String,
        }
    };
    insta::assert_snapshot!(pretty(super::refresh_token::derive(input)));
}

#[test]
fn every_error_is_reported_at_once() {
    let input = quote! {
        #[fullauth(tabel = "users")]
        pub struct User {
            #[fullauth(mixin)]
            pub auth: UserMixin,
            #[fullauth(mixin)]
            pub again: UserMixin,
            pub tags: Vec<String>,
            #[fullauth(readonly)]
            pub plan: String,
        }
    };
    let output = super::user::derive(input).to_string();
    assert_eq!(output.matches("compile_error").count(), 4, "{output}");
    assert!(output.contains(
        "unknown fullauth attribute `tabel` on a struct; expected one of: `table`, `crate`"
    ));
    assert!(output.contains("exactly one `#[fullauth(mixin)]` field"));
    assert!(output.contains("cannot store a field of type `Vec<String>`"));
    assert!(output.contains("add `default = ...` or make it an `Option`"));
}

#[test]
fn role_with_a_description() {
    let input = quote! {
        #[fullauth(table = "roles")]
        pub struct Role {
            #[fullauth(mixin)]
            pub role: RoleMixin,
            #[fullauth(max_length = 200, default = "")]
            pub description: String,
        }
    };
    insta::assert_snapshot!(pretty(super::named::derive_role(input)));
}

#[test]
fn permission_with_the_default_table() {
    let input = quote! {
        pub struct Permission {
            #[fullauth(mixin)]
            pub permission: PermissionMixin,
        }
    };
    insta::assert_snapshot!(pretty(super::named::derive_permission(input)));
}

#[test]
fn user_role_link_with_integer_user_ids() {
    let input = quote! {
        #[fullauth(table = "member_roles", user = Member, role = Role)]
        pub struct MemberRole {
            #[fullauth(mixin)]
            pub link: UserRoleMixin<i64>,
        }
    };
    insta::assert_snapshot!(pretty(super::link::derive_user_role(input)));
}

#[test]
fn role_permission_link_with_a_custom_field() {
    let input = quote! {
        #[fullauth(role = Role, permission = Permission)]
        pub struct RolePermission {
            #[fullauth(mixin)]
            pub link: RolePermissionMixin,
            pub granted_by: Option<String>,
        }
    };
    insta::assert_snapshot!(pretty(super::link::derive_role_permission(input)));
}

#[test]
fn a_link_names_the_models_it_links() {
    let input = quote! {
        pub struct UserRole {
            #[fullauth(mixin)]
            pub link: UserRoleMixin,
        }
    };
    let output = super::link::derive_user_role(input).to_string();
    assert!(
        output.contains("a user-role link model must name its user model"),
        "{output}"
    );
    assert!(
        output.contains("a user-role link model must name its role model"),
        "{output}"
    );
}

#[test]
fn role_guard_names_are_checked() {
    let input = quote! {
        for User;
        pub Admin = "admin";
        pub Broken = "" | " padded" | "twice" | "twice";
    };
    let output = crate::guards::expand(input, crate::guards::GuardKind::Role).to_string();
    assert_eq!(output.matches("compile_error").count(), 3, "{output}");
    assert!(output.contains("a role name must not be empty"));
    assert!(output.contains("must not start or end with whitespace"));
    assert!(output.contains("`twice` is listed twice in `Broken`"));
}

#[test]
fn role_guards_expand_to_unit_structs() {
    let input = quote! {
        for crate::User;
        /// Runs the site.
        pub Admin = "admin";
        pub(crate) Staff = "admin" | "editor";
    };
    insta::assert_snapshot!(pretty(crate::guards::expand(
        input,
        crate::guards::GuardKind::Role
    )));
}
