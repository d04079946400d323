//! Check: the rules a model must meet before anything is generated, each in a function of its own that says
//! why. Every problem is recorded on its own span, so one compile shows them all.

use crate::ctxt::Ctxt;
use crate::kind::Kind;
use crate::model::{CustomField, Model, Scalar};
use crate::parse::DefaultLit;

/// Names `diesel::table!` itself defines inside the table module.
const TABLE_MODULE_ITEMS: &[&str] = &[
    "table",
    "star",
    "all_columns",
    "columns",
    "dsl",
    "is_nullable",
];

/// Body keys of the user routes that a custom field must not shadow.
const USER_BODY_KEYS: &[&str] = &[
    "password",
    "roles",
    "refresh_tokens",
    "current_password",
    "new_password",
];

/// Diesel's tuples hold at most this many columns (its `32-column-tables` feature).
const MAX_COLUMNS: usize = 32;

/// Runs every check on `model`.
pub fn model(ctxt: &Ctxt, model: &Model) {
    check_table_name(ctxt, model);
    check_mixin(ctxt, model);
    for field in &model.fields {
        check_field_name(ctxt, model.kind, field);
        check_max_length(ctxt, field);
        check_default(ctxt, field);
        check_needs_default(ctxt, model.kind, field);
    }
    check_columns(ctxt, model);
    check_references(ctxt, model);
}

/// The table name goes into `diesel::table!` and into migrations as written.
fn check_table_name(ctxt: &Ctxt, model: &Model) {
    let name = model.table.to_string();
    if !is_sql_identifier(&name) {
        ctxt.syn_error(syn::Error::new(
            model.table.span(),
            format!("`{name}` is not a valid table name: use lower-case letters, digits and `_`, starting with a letter or `_`"),
        ));
    }
}

/// Exactly one mixin, of the mixin's own type (the expansion reads its columns by name), with no other attribute.
fn check_mixin(ctxt: &Ctxt, model: &Model) {
    for span in &model.mixin.other_attrs {
        ctxt.syn_error(syn::Error::new(
            *span,
            "the mixin field takes no other fullauth attribute",
        ));
    }
    for span in &model.extra_mixins {
        ctxt.syn_error(syn::Error::new(
            *span,
            "a model has exactly one `#[fullauth(mixin)]` field; remove this one",
        ));
    }
    let kind = model.kind;
    let expected = kind.mixin_type();
    let named = match &model.mixin.ty {
        syn::Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == expected),
        _ => false,
    };
    if !named {
        ctxt.error_spanned_by(
            &model.mixin.ty,
            format!(
                "the `#[fullauth(mixin)]` field of a `{}` must have type `{expected}`, e.g. `{}`",
                kind.derive_name(),
                kind.mixin_example()
            ),
        );
    }
}

/// A field's column and name must not collide with the mixin's columns, Diesel's table module, or the JSON keys
/// of fullauth's routes.
fn check_field_name(ctxt: &Ctxt, kind: Kind, field: &CustomField) {
    let column = &field.column;
    if !is_sql_identifier(column) {
        ctxt.syn_error(syn::Error::new(
            field.spans.column,
            format!(
                "`{column}` is not a valid column name: use lower-case letters, digits and `_`"
            ),
        ));
    }
    if kind.mixin_columns().contains(&column.as_str()) {
        ctxt.syn_error(syn::Error::new(
            field.spans.column,
            format!("`{column}` is already a column of the mixin; rename the field or give it `#[fullauth(column = \"...\")]`"),
        ));
    }
    let name = field.ident.to_string();
    if TABLE_MODULE_ITEMS.contains(&name.as_str()) {
        ctxt.error_spanned_by(
            &field.ident,
            format!("a field cannot be called `{name}` (Diesel's table module uses that name); rename it and keep the column with `#[fullauth(column = \"{name}\")]`"),
        );
    }
    if kind == Kind::User
        && (USER_BODY_KEYS.contains(&name.as_str())
            || kind.mixin_columns().contains(&name.as_str()))
    {
        ctxt.error_spanned_by(
            &field.ident,
            format!("a custom user field cannot be called `{name}`: fullauth's routes use that JSON key; rename the field"),
        );
    }
}

/// `max_length` becomes `VARCHAR(n)` and a length check on input: text only.
fn check_max_length(ctxt: &Ctxt, field: &CustomField) {
    if let Some(span) = field.spans.max_length
        && field.field_type.scalar != Scalar::String
    {
        ctxt.syn_error(syn::Error::new(
            span,
            "`max_length` applies to `String` fields only",
        ));
    }
}

/// A default is written into the column's `DEFAULT` and used for absent input, so it must fit the field.
fn check_default(ctxt: &Ctxt, field: &CustomField) {
    let (Some(default), Some(span)) = (&field.default, field.spans.default) else {
        return;
    };
    let scalar = field.field_type.scalar;
    let fits = match default {
        DefaultLit::Str(text) => {
            if let Some(max) = field.max_length
                && text.chars().count() > max as usize
            {
                ctxt.syn_error(syn::Error::new(
                    span,
                    format!("the default is longer than `max_length = {max}`"),
                ));
            }
            scalar == Scalar::String
        }
        DefaultLit::Int(number) => match scalar {
            Scalar::I16 => i16::try_from(*number).is_ok(),
            Scalar::I32 => i32::try_from(*number).is_ok(),
            Scalar::I64 | Scalar::F32 | Scalar::F64 => true,
            _ => false,
        },
        // `1e39` does not fit an `f32`, nor `1e999` an `f64`: neither has an infinity SQL could write.
        DefaultLit::Float(number) => match scalar {
            Scalar::F32 => (*number as f32).is_finite(),
            Scalar::F64 => number.is_finite(),
            _ => false,
        },
        DefaultLit::Bool(_) => scalar == Scalar::Bool,
    };
    if !fits {
        let expected = match scalar {
            Scalar::String => "a string literal, e.g. `default = \"\"`".to_owned(),
            Scalar::Bool => "`true` or `false`".to_owned(),
            s if s.is_integer() => "an integer literal in the field type's range".to_owned(),
            s if s.is_float() => "a number literal in the field type's range".to_owned(),
            _ => "nothing: UUID and timestamp fields have no literal default; make the field an `Option`".to_owned(),
        };
        ctxt.syn_error(syn::Error::new(
            span,
            format!("this default does not fit the field's type; expected {expected}"),
        ));
    }
}

/// Rows that fullauth writes itself, and user fields clients cannot set, need a value to start with.
fn check_needs_default(ctxt: &Ctxt, kind: Kind, field: &CustomField) {
    let needs_default = match kind {
        Kind::User => field.spans.readonly.or(field.spans.hidden),
        _ => Some(field.ident.span()),
    };
    if let Some(span) = needs_default
        && field.default.is_none()
        && !field.field_type.nullable
    {
        let why = match kind {
            Kind::User => "clients cannot set this field, so it needs a value to start with",
            Kind::RefreshToken => {
                "fullauth creates refresh-token rows itself, so every extra field needs a value to start with"
            }
            _ => {
                "fullauth creates these rows itself, so every extra field needs a value to start with"
            }
        };
        ctxt.syn_error(syn::Error::new(
            span,
            format!("{why}: add `default = ...` or make it an `Option`"),
        ));
    }
}

/// Each column once, and no more than a Diesel table can hold.
fn check_columns(ctxt: &Ctxt, model: &Model) {
    let fields = &model.fields;
    for (index, field) in fields.iter().enumerate() {
        if fields[..index]
            .iter()
            .any(|other| other.column == field.column)
        {
            ctxt.error_spanned_by(
                &field.ident,
                format!("two fields use the column `{}`", field.column),
            );
        }
    }
    let mixin_columns = model.kind.mixin_columns().len();
    if mixin_columns + fields.len() > MAX_COLUMNS
        && let Some(field) = fields.get(MAX_COLUMNS - mixin_columns)
    {
        ctxt.error_spanned_by(
            &field.ident,
            format!(
                "too many fields: a fullauth table holds at most {MAX_COLUMNS} columns, {mixin_columns} of them the mixin's"
            ),
        );
    }
}

/// Link and token models name the models they point at.
fn check_references(ctxt: &Ctxt, model: &Model) {
    for (key, example) in model.kind.required_references() {
        let given = match *key {
            "user" => model.user.is_some(),
            "role" => model.role.is_some(),
            _ => model.permission.is_some(),
        };
        if !given {
            ctxt.error_spanned_by(
                &model.ident,
                format!(
                    "{} must name its {key} model: add `#[fullauth({example})]` to the struct",
                    model.kind.noun()
                ),
            );
        }
    }
}

fn is_sql_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
}
