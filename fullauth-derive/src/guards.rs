//! `fullauth::roles!` and `fullauth::permissions!`: the requirement types of the role guards.
//!
//! ```text
//! fullauth::roles! {
//!     crate = my_app::fullauth; // optional: where fullauth is, when it is re-exported
//!     for User;
//!     /// Runs the site.
//!     pub Admin = "admin";
//!     pub Staff = "admin" | "editor";
//! }
//! ```

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{Token, punctuated::Punctuated};

/// Longest role or permission name, in characters (as the runtime's `MAX_NAME_LENGTH`).
const MAX_NAME_LENGTH: usize = 100;

/// Roles or permissions.
#[derive(Clone, Copy)]
pub enum GuardKind {
    Role,
    Permission,
}

impl GuardKind {
    fn noun(self) -> &'static str {
        match self {
            GuardKind::Role => "role",
            GuardKind::Permission => "permission",
        }
    }

    fn macro_name(self) -> &'static str {
        match self {
            GuardKind::Role => "roles",
            GuardKind::Permission => "permissions",
        }
    }
}

/// The whole input: where fullauth is (optional), the user model, then the declarations.
struct Declarations {
    krate: syn::Path,
    user: syn::Type,
    items: Vec<Declaration>,
}

/// `/// docs` `pub Name = "a" | "b";`
struct Declaration {
    attrs: Vec<syn::Attribute>,
    vis: syn::Visibility,
    ident: syn::Ident,
    names: Punctuated<syn::LitStr, Token![|]>,
}

impl Parse for Declarations {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        // `crate = path::to::fullauth;` for a crate that re-exports fullauth under another path.
        let krate = if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            let path = input.call(syn::Path::parse_mod_style)?;
            input.parse::<Token![;]>()?;
            path
        } else {
            syn::parse_quote!(::fullauth)
        };
        if !input.peek(Token![for]) {
            return Err(input.error(
                "start with the user model whose roles are checked, e.g. `for User;` (after \
                 `crate = path::to::fullauth;` when fullauth is re-exported)",
            ));
        }
        input.parse::<Token![for]>()?;
        let user: syn::Type = input.parse()?;
        input.parse::<Token![;]>()?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(Declarations { krate, user, items })
    }
}

impl Parse for Declaration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let vis: syn::Visibility = input.parse()?;
        let ident: syn::Ident = input.parse()?;
        if !input.peek(Token![=]) {
            return Err(input.error(format!(
                "expected `= \"name\"` after `{ident}`, e.g. `pub {ident} = \"admin\";` or `pub {ident} = \"admin\" | \"editor\";`"
            )));
        }
        input.parse::<Token![=]>()?;
        let names = Punctuated::parse_separated_nonempty(input)?;
        input.parse::<Token![;]>()?;
        Ok(Declaration {
            attrs,
            vis,
            ident,
            names,
        })
    }
}

/// Why a name could never be assigned, if it could not (the runtime's rules).
fn name_problem(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        Some("must not be empty")
    } else if name.chars().count() > MAX_NAME_LENGTH {
        Some("must be at most 100 characters long")
    } else if name.trim() != name {
        Some("must not start or end with whitespace")
    } else if name.chars().any(|c| c.is_control() || is_invisible(c)) {
        Some("must not contain control or invisible characters")
    } else {
        None
    }
}

/// Characters that print as nothing (the runtime's list).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

/// Expands `roles!` or `permissions!`.
pub fn expand(input: TokenStream, kind: GuardKind) -> TokenStream {
    let declarations: Declarations = match syn::parse2(input) {
        Ok(declarations) => declarations,
        Err(error) => return error.to_compile_error(),
    };
    let mut errors = Vec::new();
    for item in &declarations.items {
        let mut seen: Vec<String> = Vec::new();
        for name in &item.names {
            let value = name.value();
            if let Some(problem) = name_problem(&value) {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("a {} name {problem}", kind.noun()),
                ));
            }
            if seen.contains(&value) {
                errors.push(syn::Error::new(
                    name.span(),
                    format!("`{value}` is listed twice in `{}`; remove one", item.ident),
                ));
            }
            seen.push(value);
        }
    }
    if !errors.is_empty() {
        return errors.iter().map(syn::Error::to_compile_error).collect();
    }
    let user = &declarations.user;
    let krate = &declarations.krate;
    let (trait_ident, const_ident) = match kind {
        GuardKind::Role => (format_ident!("RoleRequirement"), format_ident!("ROLES")),
        GuardKind::Permission => (
            format_ident!("PermissionRequirement"),
            format_ident!("PERMISSIONS"),
        ),
    };
    let items = declarations.items.iter().map(|item| {
        let Declaration {
            attrs,
            vis,
            ident,
            names,
        } = item;
        let names = names.iter();
        // The error for a user model without role models lands on the user type.
        let user_binding = quote_spanned!(user.span()=> type User = #user;);
        let default_doc = format!(
            "Any of the {} {} (see `fullauth::{}!`).",
            kind.noun(),
            item.names
                .iter()
                .map(|name| format!("`{}`", name.value()))
                .collect::<Vec<_>>()
                .join(", "),
            kind.macro_name()
        );
        let doc = attrs
            .iter()
            .all(|attr| !attr.path().is_ident("doc"))
            .then(|| quote!(#[doc = #default_doc]));
        quote! {
            #(#attrs)*
            #doc
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash, ::core::default::Default)]
            #vis struct #ident;

            impl #krate::#trait_ident for #ident {
                #user_binding
                const #const_ident: &'static [&'static str] = &[#(#names),*];
            }
        }
    });
    quote!(#(#items)*)
}
