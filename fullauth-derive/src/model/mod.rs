//! Model: the derive's picture of a struct (the IR the expanders read), built from the parsed input. Each part
//! keeps the spans [`crate::check`] reports on; what cannot be modelled at all (no mixin, a field type without a
//! column type) is reported here.

mod field_type;

pub use field_type::{FieldType, SUPPORTED, Scalar};

use proc_macro2::Span;
use quote::format_ident;

use crate::ctxt::Ctxt;
use crate::kind::Kind;
use crate::parse::{DefaultLit, FieldAttrs, ParsedField, ParsedStruct};

/// A derived struct.
pub struct Model {
    pub kind: Kind,
    pub ident: syn::Ident,
    pub vis: syn::Visibility,
    pub table: syn::Ident,
    pub krate: syn::Path,
    pub user: Option<syn::Type>,
    pub role: Option<syn::Type>,
    pub permission: Option<syn::Type>,
    pub mixin: Mixin,
    /// Further fields marked `#[fullauth(mixin)]`: there must be exactly one.
    pub extra_mixins: Vec<Span>,
    pub fields: Vec<CustomField>,
}

/// The embedded mixin field.
pub struct Mixin {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub id: IdType,
    /// Other fullauth attributes written on the mixin field, which takes none.
    pub other_attrs: Vec<Span>,
}

/// The user-id type a mixin is declared with (`UserMixin` = `UserMixin<Uuid>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    Uuid,
    I64,
    String,
}

/// One of the application's own fields.
pub struct CustomField {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub field_type: FieldType,
    pub column: String,
    pub max_length: Option<u32>,
    pub default: Option<DefaultLit>,
    pub readonly: bool,
    pub hidden: bool,
    pub spans: FieldSpans,
}

/// Where each attribute of a custom field was written.
pub struct FieldSpans {
    pub column: Span,
    pub max_length: Option<Span>,
    pub default: Option<Span>,
    pub readonly: Option<Span>,
    pub hidden: Option<Span>,
}

impl CustomField {
    /// Whether clients may send it (register and `PATCH /me`).
    pub fn client_writable(&self) -> bool {
        !self.readonly && !self.hidden
    }
}

impl Model {
    /// Models a parsed struct; `None` (with the error recorded) when it has no mixin field.
    pub fn from_parsed(ctxt: &Ctxt, parsed: ParsedStruct, kind: Kind) -> Option<Model> {
        let ParsedStruct {
            ident,
            vis,
            container,
            fields: parsed_fields,
        } = parsed;
        let (table_name, table_span) = match &container.table {
            Some(table) => (table.value.clone(), table.span),
            None => (default_table_name(&ident), ident.span()),
        };
        let mut mixin: Option<Mixin> = None;
        let mut extra_mixins = Vec::new();
        let mut fields = Vec::new();
        for field in parsed_fields {
            if let Some(span) = field.attrs.mixin {
                if mixin.is_some() {
                    extra_mixins.push(span);
                } else {
                    mixin = Some(mixin_of(ctxt, kind, field));
                }
            } else if let Some(custom) = custom_field(ctxt, field) {
                fields.push(custom);
            }
        }
        let Some(mixin) = mixin else {
            ctxt.error_spanned_by(
                &ident,
                format!(
                    "`{ident}` has no `#[fullauth(mixin)]` field; add `{}`",
                    kind.mixin_example()
                ),
            );
            return None;
        };
        Some(Model {
            kind,
            ident,
            vis,
            table: syn::Ident::new(&table_name, table_span),
            krate: container
                .krate
                .unwrap_or_else(|| syn::parse_quote!(::fullauth)),
            user: container.user,
            role: container.role,
            permission: container.permission,
            mixin,
            extra_mixins,
            fields,
        })
    }
}

fn mixin_of(ctxt: &Ctxt, kind: Kind, field: ParsedField) -> Mixin {
    let FieldAttrs {
        max_length,
        default,
        readonly,
        hidden,
        column,
        ..
    } = field.attrs;
    let other_attrs = [
        max_length.map(|a| a.span),
        default.map(|a| a.span),
        readonly,
        hidden,
        column.map(|a| a.span),
    ]
    .into_iter()
    .flatten()
    .collect();
    let id = if kind.mixin_has_user_id() {
        mixin_id_type(ctxt, &field.ty)
    } else {
        IdType::Uuid
    };
    Mixin {
        ident: field.ident,
        ty: field.ty,
        id,
        other_attrs,
    }
}

/// Reads the id type argument of a mixin type, syntactically: the table module must name the id's SQL type
/// by an absolute path, because the struct may live where the table module cannot see its imports.
fn mixin_id_type(ctxt: &Ctxt, ty: &syn::Type) -> IdType {
    let syn::Type::Path(path) = ty else {
        return IdType::Uuid;
    };
    let Some(last) = path.path.segments.last() else {
        return IdType::Uuid;
    };
    match &last.arguments {
        syn::PathArguments::None => IdType::Uuid,
        syn::PathArguments::AngleBracketed(arguments) => {
            let argument = arguments.args.first();
            let named = |name: &str| match argument {
                Some(syn::GenericArgument::Type(syn::Type::Path(id))) => {
                    id.qself.is_none()
                        && id
                            .path
                            .segments
                            .last()
                            .is_some_and(|segment| segment.ident == name)
                }
                _ => false,
            };
            if arguments.args.len() != 1 {
                ctxt.error_spanned_by(
                    arguments,
                    "a mixin takes one type argument, the user id type",
                );
                IdType::Uuid
            } else if named("Uuid") {
                IdType::Uuid
            } else if named("i64") {
                IdType::I64
            } else if named("String") {
                IdType::String
            } else {
                ctxt.error_spanned_by(
                    arguments,
                    "user ids are `Uuid` (the default), `i64` (assigned by the database) or `String`",
                );
                IdType::Uuid
            }
        }
        syn::PathArguments::Parenthesized(arguments) => {
            ctxt.error_spanned_by(arguments, "a mixin type takes no parenthesized arguments");
            IdType::Uuid
        }
    }
}

/// A custom field; `None` (with the error recorded) when its type has no column type.
fn custom_field(ctxt: &Ctxt, field: ParsedField) -> Option<CustomField> {
    let ParsedField { ident, ty, attrs } = field;
    let Some(field_type) = FieldType::from_type(&ty) else {
        ctxt.error_spanned_by(
            &ty,
            format!(
                "fullauth cannot store a field of type `{}` in a column; use one of: {SUPPORTED}",
                quote::quote!(#ty).to_string().replace(' ', "")
            ),
        );
        return None;
    };
    let (column, column_span) = match attrs.column {
        Some(column) => (column.value, column.span),
        None => (ident.to_string(), ident.span()),
    };
    Some(CustomField {
        spans: FieldSpans {
            column: column_span,
            max_length: attrs.max_length.as_ref().map(|m| m.span),
            default: attrs.default.as_ref().map(|d| d.span),
            readonly: attrs.readonly,
            hidden: attrs.hidden,
        },
        ident,
        ty,
        field_type,
        column,
        max_length: attrs.max_length.map(|m| m.value),
        default: attrs.default.map(|d| d.value),
        readonly: attrs.readonly.is_some(),
        hidden: attrs.hidden.is_some(),
    })
}

/// `RefreshToken` -> `refresh_tokens`.
fn default_table_name(ident: &syn::Ident) -> String {
    let mut name = String::new();
    for (index, c) in ident.to_string().chars().enumerate() {
        if c.is_uppercase() {
            if index > 0 {
                name.push('_');
            }
            name.extend(c.to_lowercase());
        } else {
            name.push(c);
        }
    }
    name.push('s');
    name
}

/// The name of the generated patch type: `UserPatch` for `User`.
pub fn patch_ident(model: &Model) -> syn::Ident {
    format_ident!("{}Patch", model.ident)
}
