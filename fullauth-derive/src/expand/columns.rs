//! Column-level pieces shared by every model: SQL types, default values and schema entries of custom fields.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::{CustomField, FieldType, IdType, Model, Scalar};
use crate::parse::DefaultLit;

/// The Diesel SQL type of a custom field, for `table!`.
pub fn sql_type(model: &Model, field_type: FieldType) -> TokenStream {
    let krate = &model.krate;
    let types = quote!(#krate::__private::diesel::sql_types);
    let base = match field_type.scalar {
        Scalar::String => quote!(#types::Text),
        Scalar::Bool => quote!(#types::Bool),
        Scalar::I16 => quote!(#types::SmallInt),
        Scalar::I32 => quote!(#types::Integer),
        Scalar::I64 => quote!(#types::BigInt),
        Scalar::F32 => quote!(#types::Float),
        Scalar::F64 => quote!(#types::Double),
        Scalar::Uuid => quote!(#krate::sql_types::Uuid),
        Scalar::Timestamp => quote!(#krate::sql_types::UtcTimestamp),
    };
    if field_type.nullable {
        quote!(#types::Nullable<#base>)
    } else {
        base
    }
}

/// The SQL type of the id column (or of a column pointing at a user), by absolute path.
pub fn id_sql_type(model: &Model) -> TokenStream {
    let krate = &model.krate;
    let types = quote!(#krate::__private::diesel::sql_types);
    match model.mixin.id {
        IdType::Uuid => quote!(#krate::sql_types::Uuid),
        IdType::I64 => quote!(#types::BigInt),
        IdType::String => quote!(#types::Text),
    }
}

/// The Rust type of the id column (or of a column pointing at a user), by absolute path.
pub fn id_rust_type(model: &Model) -> TokenStream {
    let private = private(model);
    match model.mixin.id {
        IdType::Uuid => quote!(#private::uuid::Uuid),
        IdType::I64 => quote!(i64),
        IdType::String => quote!(::std::string::String),
    }
}

/// The `diesel::table!` of a model keyed on `id`: the mixin's column lines, then one per custom field.
pub fn table_macro(model: &Model, mixin_columns: TokenStream) -> TokenStream {
    table_macro_keyed(model, quote!(id), mixin_columns)
}

/// The `diesel::table!` of a model keyed on `primary_key` (one column, or several separated by commas).
pub fn table_macro_keyed(
    model: &Model,
    primary_key: TokenStream,
    mixin_columns: TokenStream,
) -> TokenStream {
    let private = private(model);
    let table = &model.table;
    let custom = model.fields.iter().map(|field| table_column(model, field));
    let doc = format!(
        "The `{table}` table of [`{}`], as Diesel sees it.",
        model.ident
    );
    quote! {
        #private::diesel::table! {
            #[doc = #doc]
            #table (#primary_key) {
                #mixin_columns
                #(#custom)*
            }
        }
    }
}

/// The `table!` line of a custom field, with `sql_name` when the column is renamed.
fn table_column(model: &Model, field: &CustomField) -> TokenStream {
    let ident = &field.ident;
    let ty = sql_type(model, field.field_type);
    if *ident == field.column {
        quote!(#ident -> #ty,)
    } else {
        let column = &field.column;
        quote!(#[sql_name = #column] #ident -> #ty,)
    }
}

/// The default as a Rust expression of the field's scalar type. Ranges were checked when parsing, so the
/// narrowing casts are exact.
fn literal_value(default: &DefaultLit, scalar: Scalar) -> TokenStream {
    let literal = match (default, scalar) {
        (DefaultLit::Str(text), _) => return quote!(::std::string::String::from(#text)),
        (DefaultLit::Bool(flag), _) => return quote!(#flag),
        (DefaultLit::Int(number), Scalar::I16) => Literal::i16_suffixed(*number as i16),
        (DefaultLit::Int(number), Scalar::I32) => Literal::i32_suffixed(*number as i32),
        (DefaultLit::Int(number), Scalar::F32) => Literal::f32_suffixed(*number as f32),
        (DefaultLit::Int(number), Scalar::F64) => Literal::f64_suffixed(*number as f64),
        (DefaultLit::Int(number), _) => Literal::i64_suffixed(*number),
        (DefaultLit::Float(number), Scalar::F32) => Literal::f32_suffixed(*number as f32),
        (DefaultLit::Float(number), _) => Literal::f64_suffixed(*number),
    };
    quote!(#literal)
}

/// The field's starting value as a Rust expression: its `default`, `None` for an option, or nothing.
pub fn default_expr(field: &CustomField) -> Option<TokenStream> {
    match (&field.default, field.field_type.nullable) {
        (Some(default), false) => Some(literal_value(default, field.field_type.scalar)),
        (Some(default), true) => {
            let value = literal_value(default, field.field_type.scalar);
            Some(quote!(::core::option::Option::Some(#value)))
        }
        (None, true) => Some(quote!(::core::option::Option::None)),
        (None, false) => None,
    }
}

/// The declared rules of a field, as a `FieldRules` value.
pub fn rules(model: &Model, field: &CustomField) -> TokenStream {
    let private = private(model);
    let max_length = match field.max_length {
        Some(length) => {
            let length = length as usize;
            quote!(::core::option::Option::Some(#length))
        }
        None => quote!(::core::option::Option::None),
    };
    quote!(#private::FieldRules { max_length: #max_length })
}

/// The schema entry of a custom field.
pub fn schema_column(model: &Model, field: &CustomField) -> TokenStream {
    let private = private(model);
    let column = &field.column;
    let ty = column_type(model, field);
    let nullable = field.field_type.nullable.then(|| quote!(.nullable()));
    let default = default_value(model, field).map(|value| quote!(.default(#value)));
    quote!(#private::Column::new(#column, #ty) #nullable #default)
}

/// The field as clients see it in JSON, a `JsonField` value.
pub fn json_field(model: &Model, field: &CustomField) -> TokenStream {
    let private = private(model);
    let name = field.ident.to_string();
    let ty = column_type(model, field);
    let nullable = field.field_type.nullable;
    let default = match default_value(model, field) {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    };
    let (readonly, hidden) = (field.readonly, field.hidden);
    quote!(#private::JsonField::declared(#name, #ty, #nullable, #default, #readonly, #hidden))
}

/// The `ColumnType` of a custom field.
fn column_type(model: &Model, field: &CustomField) -> TokenStream {
    let private = private(model);
    match field.field_type.scalar {
        Scalar::String => {
            let max = match field.max_length {
                Some(length) => quote!(::core::option::Option::Some(#length)),
                None => quote!(::core::option::Option::None),
            };
            quote!(#private::ColumnType::Text { max_length: #max })
        }
        scalar => {
            let variant = syn::Ident::new(scalar.column_type(), proc_macro2::Span::call_site());
            quote!(#private::ColumnType::#variant)
        }
    }
}

/// The declared default of a custom field, a `DefaultValue` value.
fn default_value(model: &Model, field: &CustomField) -> Option<TokenStream> {
    let private = private(model);
    field.default.as_ref().map(|default| match default {
        DefaultLit::Str(text) => {
            quote!(#private::DefaultValue::Text(::std::borrow::Cow::Borrowed(#text)))
        }
        DefaultLit::Int(number) => quote!(#private::DefaultValue::Integer(#number)),
        DefaultLit::Float(number) => quote!(#private::DefaultValue::Float(#number)),
        DefaultLit::Bool(flag) => quote!(#private::DefaultValue::Bool(#flag)),
    })
}

/// `path::to::fullauth::__private`.
pub fn private(model: &Model) -> TokenStream {
    let krate = &model.krate;
    quote!(#krate::__private)
}

/// `<Mixin as UserMixinType>::Id`, spanned on the mixin's type so a wrong mixin type is reported there.
pub fn id_type(model: &Model) -> TokenStream {
    let private = private(model);
    let mixin_ty = &model.mixin.ty;
    quote_spanned!(mixin_ty.span()=> <#mixin_ty as #private::UserMixinType>::Id)
}
