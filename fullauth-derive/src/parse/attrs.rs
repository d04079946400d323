//! Reading `#[fullauth(...)]` attributes into plain values that keep their spans.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;

use crate::ctxt::Ctxt;

/// A value and the tokens it came from.
#[derive(Clone)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A literal given to `default = ...`.
#[derive(Clone)]
pub enum DefaultLit {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

/// Container attributes.
#[derive(Default)]
pub struct ContainerAttrs {
    pub table: Option<Spanned<String>>,
    pub krate: Option<syn::Path>,
    pub user: Option<syn::Type>,
    pub role: Option<syn::Type>,
    pub permission: Option<syn::Type>,
}

/// Field attributes.
#[derive(Default)]
pub struct FieldAttrs {
    pub mixin: Option<Span>,
    pub max_length: Option<Spanned<u32>>,
    pub default: Option<Spanned<DefaultLit>>,
    pub readonly: Option<Span>,
    pub hidden: Option<Span>,
    pub column: Option<Spanned<String>>,
}

/// How each key is written, for error messages.
fn example(key: &str) -> &'static str {
    match key {
        "table" => "#[fullauth(table = \"users\")]",
        "crate" => "#[fullauth(crate = \"fullauth\")]",
        "user" => "#[fullauth(user = User)]",
        "role" => "#[fullauth(role = Role)]",
        "permission" => "#[fullauth(permission = Permission)]",
        "mixin" => "#[fullauth(mixin)]",
        "max_length" => "#[fullauth(max_length = 100)]",
        "default" => "#[fullauth(default = \"\")]",
        "readonly" => "#[fullauth(readonly)]",
        "hidden" => "#[fullauth(hidden)]",
        "column" => "#[fullauth(column = \"display_name\")]",
        _ => "#[fullauth(...)]",
    }
}

fn malformed(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Error {
    meta.error(format!(
        "malformed `{key}` attribute: the correct format looks like `{}`",
        example(key)
    ))
}

fn key_of(meta: &ParseNestedMeta<'_>) -> String {
    {
        let path = &meta.path;
        path.get_ident().map_or_else(
            || quote::quote!(#path).to_string().replace(' ', ""),
            ToString::to_string,
        )
    }
}

fn unknown(meta: &ParseNestedMeta<'_>, allowed: &[&str], place: &str) -> syn::Error {
    let list = allowed
        .iter()
        .map(|key| format!("`{key}`"))
        .collect::<Vec<_>>()
        .join(", ");
    meta.error(format!(
        "unknown fullauth attribute `{}` on {place}; expected one of: {list}",
        key_of(meta)
    ))
}

fn set_once<T>(ctxt: &Ctxt, slot: &mut Option<T>, value: T, meta: &ParseNestedMeta<'_>, key: &str) {
    if slot.is_some() {
        ctxt.syn_error(meta.error(format!("duplicate `{key}` attribute")));
    } else {
        *slot = Some(value);
    }
}

fn string_value(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Spanned<String>> {
    let value = meta.value().map_err(|_| malformed(meta, key))?;
    let literal: syn::LitStr = value.parse().map_err(|_| malformed(meta, key))?;
    Ok(Spanned {
        value: literal.value(),
        span: literal.span(),
    })
}

fn flag(meta: &ParseNestedMeta<'_>, key: &str) -> syn::Result<Span> {
    if meta.input.peek(syn::Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(malformed(meta, key));
    }
    Ok(meta.path.span())
}

fn fullauth_attrs(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("fullauth"))
}

impl ContainerAttrs {
    /// Parses the container attributes, accepting only the keys in `allowed`.
    pub fn parse(ctxt: &Ctxt, attrs: &[syn::Attribute], allowed: &[&str]) -> Self {
        let mut parsed = ContainerAttrs::default();
        for attr in fullauth_attrs(attrs) {
            let outcome = attr.parse_nested_meta(|meta| {
                let key = key_of(&meta);
                if !allowed.contains(&key.as_str()) {
                    return Err(unknown(&meta, allowed, "a struct"));
                }
                match key.as_str() {
                    "table" => {
                        let table = string_value(&meta, "table")?;
                        set_once(ctxt, &mut parsed.table, table, &meta, "table");
                    }
                    "crate" => {
                        let path = string_value(&meta, "crate")?;
                        let path: syn::Path = syn::parse_str(&path.value).map_err(|_| {
                            syn::Error::new(
                                path.span,
                                "`crate` must name a path, like \"fullauth\"",
                            )
                        })?;
                        set_once(ctxt, &mut parsed.krate, path, &meta, "crate");
                    }
                    "user" | "role" | "permission" => {
                        let value = meta.value().map_err(|_| malformed(&meta, &key))?;
                        let ty: syn::Type = value.parse().map_err(|_| malformed(&meta, &key))?;
                        let slot = match key.as_str() {
                            "user" => &mut parsed.user,
                            "role" => &mut parsed.role,
                            _ => &mut parsed.permission,
                        };
                        set_once(ctxt, slot, ty, &meta, &key);
                    }
                    _ => return Err(unknown(&meta, allowed, "a struct")),
                }
                Ok(())
            });
            if let Err(error) = outcome {
                ctxt.syn_error(error);
            }
        }
        parsed
    }
}

fn default_value(meta: &ParseNestedMeta<'_>) -> syn::Result<Spanned<DefaultLit>> {
    let value = meta.value().map_err(|_| malformed(meta, "default"))?;
    let expr: syn::Expr = value.parse().map_err(|_| malformed(meta, "default"))?;
    let (negative, literal) = match &expr {
        syn::Expr::Lit(literal) => (false, &literal.lit),
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match &**expr {
            syn::Expr::Lit(literal) => (true, &literal.lit),
            _ => return Err(malformed(meta, "default")),
        },
        _ => {
            return Err(syn::Error::new(
                expr.span(),
                "`default` takes a literal: a string, a number or a boolean, e.g. `#[fullauth(default = \"\")]`",
            ));
        }
    };
    // The literal's own span, also after a minus sign: a span cannot cover two tokens here.
    let span = literal.span();
    let sign: i32 = if negative { -1 } else { 1 };
    let value = match literal {
        syn::Lit::Str(text) if !negative => DefaultLit::Str(text.value()),
        syn::Lit::Int(number) => DefaultLit::Int(i64::from(sign) * number.base10_parse::<i64>()?),
        syn::Lit::Float(number) => {
            DefaultLit::Float(f64::from(sign) * number.base10_parse::<f64>()?)
        }
        syn::Lit::Bool(flag) if !negative => DefaultLit::Bool(flag.value),
        _ => return Err(malformed(meta, "default")),
    };
    Ok(Spanned { value, span })
}

impl FieldAttrs {
    /// Parses the attributes of one field, accepting only the keys in `allowed`.
    pub fn parse(ctxt: &Ctxt, attrs: &[syn::Attribute], allowed: &[&str]) -> Self {
        let mut parsed = FieldAttrs::default();
        for attr in fullauth_attrs(attrs) {
            let outcome = attr.parse_nested_meta(|meta| {
                let key = key_of(&meta);
                if !allowed.contains(&key.as_str()) {
                    return Err(unknown(&meta, allowed, "a field"));
                }
                match key.as_str() {
                    "mixin" => {
                        let span = flag(&meta, "mixin")?;
                        set_once(ctxt, &mut parsed.mixin, span, &meta, "mixin");
                    }
                    "readonly" => {
                        let span = flag(&meta, "readonly")?;
                        set_once(ctxt, &mut parsed.readonly, span, &meta, "readonly");
                    }
                    "hidden" => {
                        let span = flag(&meta, "hidden")?;
                        set_once(ctxt, &mut parsed.hidden, span, &meta, "hidden");
                    }
                    "max_length" => {
                        let value = meta.value().map_err(|_| malformed(&meta, "max_length"))?;
                        let literal: syn::LitInt =
                            value.parse().map_err(|_| malformed(&meta, "max_length"))?;
                        let length = literal
                            .base10_parse::<u32>()
                            .ok()
                            .filter(|length| (1..=65_535).contains(length))
                            .ok_or_else(|| {
                                syn::Error::new(
                                    literal.span(),
                                    "`max_length` must be between 1 and 65535",
                                )
                            })?;
                        let length = Spanned {
                            value: length,
                            span: literal.span(),
                        };
                        set_once(ctxt, &mut parsed.max_length, length, &meta, "max_length");
                    }
                    "default" => {
                        let value = default_value(&meta)?;
                        set_once(ctxt, &mut parsed.default, value, &meta, "default");
                    }
                    "column" => {
                        let column = string_value(&meta, "column")?;
                        set_once(ctxt, &mut parsed.column, column, &meta, "column");
                    }
                    _ => return Err(unknown(&meta, allowed, "a field")),
                }
                Ok(())
            });
            if let Err(error) = outcome {
                ctxt.syn_error(error);
            }
        }
        parsed
    }
}
