//! Parse: the derive input as syn gives it, with the `#[fullauth(...)]` attributes read, nothing interpreted yet.
//! What is not a struct fullauth can derive for (generics, no named fields) and unknown or malformed attributes
//! are reported here.

mod attrs;

pub use attrs::{ContainerAttrs, DefaultLit, FieldAttrs};

use crate::ctxt::Ctxt;
use crate::kind::Kind;

/// A struct with named fields, its attributes read.
pub struct ParsedStruct {
    pub ident: syn::Ident,
    pub vis: syn::Visibility,
    pub container: ContainerAttrs,
    pub fields: Vec<ParsedField>,
}

/// One field, its attributes read.
pub struct ParsedField {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub attrs: FieldAttrs,
}

impl ParsedStruct {
    /// Reads `input`, accepting the attribute keys of `kind`; `None` (with the error recorded) when it is not a
    /// struct with named fields.
    pub fn from_syn(ctxt: &Ctxt, input: &syn::DeriveInput, kind: Kind) -> Option<Self> {
        let container = ContainerAttrs::parse(ctxt, &input.attrs, kind.container_keys());
        // The generated table module and impls name the struct without parameters.
        if !input.generics.params.is_empty() {
            ctxt.error_spanned_by(
                &input.generics,
                format!(
                    "`{}` cannot be derived for a generic struct; remove the type parameters",
                    kind.derive_name()
                ),
            );
        }
        let syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) = &input.data
        else {
            ctxt.error_spanned_by(
                &input.ident,
                format!(
                    "`{}` can only be derived for a struct with named fields",
                    kind.derive_name()
                ),
            );
            return None;
        };
        let fields = named
            .named
            .iter()
            .filter_map(|field| {
                Some(ParsedField {
                    ident: field.ident.clone()?,
                    ty: field.ty.clone(),
                    attrs: FieldAttrs::parse(ctxt, &field.attrs, kind.field_keys()),
                })
            })
            .collect();
        Some(Self {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            container,
            fields,
        })
    }
}
