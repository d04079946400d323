//! The derive's model of a struct: parsed once from syn, checked, then read by the expanders.

use proc_macro2::Span;
use quote::format_ident;

use crate::attr::{ContainerAttrs, DefaultLit, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::types::{FieldType, SUPPORTED, Scalar};

/// Which derive is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    RefreshToken,
    Role,
    Permission,
    UserRole,
    RolePermission,
}

impl Kind {
    pub fn derive_name(self) -> &'static str {
        match self {
            Kind::User => "FullAuthUser",
            Kind::RefreshToken => "FullAuthRefreshToken",
            Kind::Role => "FullAuthRole",
            Kind::Permission => "FullAuthPermission",
            Kind::UserRole => "FullAuthUserRole",
            Kind::RolePermission => "FullAuthRolePermission",
        }
    }

    /// What the derived struct is, in prose.
    fn noun(self) -> &'static str {
        match self {
            Kind::User => "a user model",
            Kind::RefreshToken => "a refresh-token model",
            Kind::Role => "a role model",
            Kind::Permission => "a permission model",
            Kind::UserRole => "a user-role link model",
            Kind::RolePermission => "a role-permission link model",
        }
    }

    /// The type the mixin field must have.
    fn mixin_type(self) -> &'static str {
        match self {
            Kind::User => "UserMixin",
            Kind::RefreshToken => "RefreshTokenMixin",
            Kind::Role => "RoleMixin",
            Kind::Permission => "PermissionMixin",
            Kind::UserRole => "UserRoleMixin",
            Kind::RolePermission => "RolePermissionMixin",
        }
    }

    fn mixin_example(self) -> &'static str {
        match self {
            Kind::User => "#[fullauth(mixin)] pub auth: fullauth::UserMixin",
            Kind::RefreshToken => "#[fullauth(mixin)] pub token: fullauth::RefreshTokenMixin",
            Kind::Role => "#[fullauth(mixin)] pub role: fullauth::RoleMixin",
            Kind::Permission => "#[fullauth(mixin)] pub permission: fullauth::PermissionMixin",
            Kind::UserRole => "#[fullauth(mixin)] pub link: fullauth::UserRoleMixin",
            Kind::RolePermission => "#[fullauth(mixin)] pub link: fullauth::RolePermissionMixin",
        }
    }

    /// The container attributes naming other models, with an example of each, that this derive requires.
    fn required_references(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::User | Kind::Role | Kind::Permission => &[],
            Kind::RefreshToken => &[("user", "user = User")],
            Kind::UserRole => &[("user", "user = User"), ("role", "role = Role")],
            Kind::RolePermission => &[
                ("role", "role = Role"),
                ("permission", "permission = Permission"),
            ],
        }
    }

    /// Whether the mixin takes the user's id type as its argument.
    fn mixin_has_user_id(self) -> bool {
        matches!(self, Kind::User | Kind::RefreshToken | Kind::UserRole)
    }

    /// Columns the mixin already has.
    pub fn mixin_columns(self) -> &'static [&'static str] {
        match self {
            Kind::User => &[
                "id",
                "email",
                "hashed_password",
                "is_active",
                "is_verified",
                "is_superuser",
                "created_at",
            ],
            Kind::RefreshToken => &[
                "id",
                "user_id",
                "token_digest",
                "family_id",
                "expires_at",
                "created_at",
                "used_at",
                "revoked_at",
                "user_agent",
                "ip_address",
            ],
            Kind::Role | Kind::Permission => &["id", "name", "created_at"],
            Kind::UserRole => &["user_id", "role_id", "created_at"],
            Kind::RolePermission => &["role_id", "permission_id", "created_at"],
        }
    }

    fn container_keys(self) -> &'static [&'static str] {
        match self {
            Kind::User | Kind::Role | Kind::Permission => &["table", "crate"],
            Kind::RefreshToken => &["table", "user", "crate"],
            Kind::UserRole => &["table", "user", "role", "crate"],
            Kind::RolePermission => &["table", "role", "permission", "crate"],
        }
    }

    fn field_keys(self) -> &'static [&'static str] {
        match self {
            Kind::User => &[
                "mixin",
                "max_length",
                "default",
                "readonly",
                "hidden",
                "column",
            ],
            Kind::RefreshToken => &["mixin", "default", "column"],
            _ => &["mixin", "max_length", "default", "column"],
        }
    }
}

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

/// A derived struct.
pub struct Model {
    pub ident: syn::Ident,
    pub vis: syn::Visibility,
    pub table: syn::Ident,
    pub krate: syn::Path,
    pub user: Option<syn::Type>,
    pub role: Option<syn::Type>,
    pub permission: Option<syn::Type>,
    pub mixin: Mixin,
    pub fields: Vec<CustomField>,
}

/// The embedded mixin field.
pub struct Mixin {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    pub id: IdType,
}

/// The user-id type a mixin is declared with (`UserMixin` = `UserMixin<Uuid>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdType {
    Uuid,
    I64,
    String,
}

/// The mixin field must be written with the mixin's own type name: the expansion reads its columns by name.
fn check_mixin_type(ctxt: &Ctxt, kind: Kind, ty: &syn::Type) {
    let expected = kind.mixin_type();
    let named = match ty {
        syn::Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == expected),
        _ => false,
    };
    if !named {
        ctxt.error_spanned_by(
            ty,
            format!(
                "the `#[fullauth(mixin)]` field of a `{}` must have type `{expected}`, e.g. `{}`",
                kind.derive_name(),
                kind.mixin_example()
            ),
        );
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
}

impl CustomField {
    /// Whether clients may send it (register and `PATCH /me`).
    pub fn client_writable(&self) -> bool {
        !self.readonly && !self.hidden
    }
}

impl Model {
    /// Reads and checks a struct; every problem is recorded in `ctxt` on its own span.
    pub fn from_input(ctxt: &Ctxt, input: &syn::DeriveInput, kind: Kind) -> Option<Model> {
        let container = ContainerAttrs::parse(ctxt, &input.attrs, kind.container_keys());
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

        let table_name = container
            .table
            .as_ref()
            .map_or_else(|| default_table_name(&input.ident), |t| t.value.clone());
        let table_span = container
            .table
            .as_ref()
            .map_or(input.ident.span(), |t| t.span);
        if !is_sql_identifier(&table_name) {
            ctxt.syn_error(syn::Error::new(
                table_span,
                format!("`{table_name}` is not a valid table name: use lower-case letters, digits and `_`, starting with a letter or `_`"),
            ));
        }

        let mut mixin: Option<Mixin> = None;
        let mut fields = Vec::new();
        for field in &named.named {
            let Some(ident) = field.ident.clone() else {
                continue;
            };
            let attrs = FieldAttrs::parse(ctxt, &field.attrs, kind.field_keys());
            if let Some(span) = attrs.mixin {
                check_mixin_attrs(ctxt, &attrs);
                if mixin.is_some() {
                    ctxt.syn_error(syn::Error::new(
                        span,
                        "a model has exactly one `#[fullauth(mixin)]` field; remove this one",
                    ));
                } else {
                    check_mixin_type(ctxt, kind, &field.ty);
                    let id = if kind.mixin_has_user_id() {
                        mixin_id_type(ctxt, &field.ty)
                    } else {
                        IdType::Uuid
                    };
                    mixin = Some(Mixin {
                        ident,
                        ty: field.ty.clone(),
                        id,
                    });
                }
                continue;
            }
            if let Some(custom) = custom_field(ctxt, kind, ident, &field.ty, attrs) {
                fields.push(custom);
            }
        }

        let Some(mixin) = mixin else {
            ctxt.error_spanned_by(
                &input.ident,
                format!(
                    "`{}` has no `#[fullauth(mixin)]` field; add `{}`",
                    input.ident,
                    kind.mixin_example()
                ),
            );
            return None;
        };
        check_columns(ctxt, kind, &fields);
        for (key, example) in kind.required_references() {
            let given = match *key {
                "user" => container.user.is_some(),
                "role" => container.role.is_some(),
                _ => container.permission.is_some(),
            };
            if !given {
                ctxt.error_spanned_by(
                    &input.ident,
                    format!(
                        "{} must name its {key} model: add `#[fullauth({example})]` to the struct",
                        kind.noun()
                    ),
                );
            }
        }

        Some(Model {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            table: syn::Ident::new(&table_name, table_span),
            krate: container
                .krate
                .unwrap_or_else(|| syn::parse_quote!(::fullauth)),
            user: container.user,
            role: container.role,
            permission: container.permission,
            mixin,
            fields,
        })
    }
}

fn check_mixin_attrs(ctxt: &Ctxt, attrs: &FieldAttrs) {
    let others = [
        attrs.max_length.as_ref().map(|a| a.span),
        attrs.default.as_ref().map(|a| a.span),
        attrs.readonly,
        attrs.hidden,
        attrs.column.as_ref().map(|a| a.span),
    ];
    for span in others.into_iter().flatten() {
        ctxt.syn_error(syn::Error::new(
            span,
            "the mixin field takes no other fullauth attribute",
        ));
    }
}

fn custom_field(
    ctxt: &Ctxt,
    kind: Kind,
    ident: syn::Ident,
    ty: &syn::Type,
    attrs: FieldAttrs,
) -> Option<CustomField> {
    let Some(field_type) = FieldType::from_type(ty) else {
        ctxt.error_spanned_by(
            ty,
            format!(
                "fullauth cannot store a field of type `{}` in a column; use one of: {SUPPORTED}",
                quote::quote!(#ty).to_string().replace(' ', "")
            ),
        );
        return None;
    };
    let column = attrs
        .column
        .as_ref()
        .map_or_else(|| ident.to_string(), |c| c.value.clone());
    let column_span = attrs.column.as_ref().map_or(ident.span(), |c| c.span);
    let name = ident.to_string();
    if !is_sql_identifier(&column) {
        ctxt.syn_error(syn::Error::new(
            column_span,
            format!(
                "`{column}` is not a valid column name: use lower-case letters, digits and `_`"
            ),
        ));
    }
    if kind.mixin_columns().contains(&column.as_str()) {
        ctxt.syn_error(syn::Error::new(
            column_span,
            format!("`{column}` is already a column of the mixin; rename the field or give it `#[fullauth(column = \"...\")]`"),
        ));
    }
    if TABLE_MODULE_ITEMS.contains(&name.as_str()) {
        ctxt.error_spanned_by(
            &ident,
            format!("a field cannot be called `{name}` (Diesel's table module uses that name); rename it and keep the column with `#[fullauth(column = \"{name}\")]`"),
        );
    }
    if kind == Kind::User
        && (USER_BODY_KEYS.contains(&name.as_str())
            || kind.mixin_columns().contains(&name.as_str()))
    {
        ctxt.error_spanned_by(
            &ident,
            format!("a custom user field cannot be called `{name}`: fullauth's routes use that JSON key; rename the field"),
        );
    }
    if let Some(max_length) = &attrs.max_length
        && field_type.scalar != Scalar::String
    {
        ctxt.syn_error(syn::Error::new(
            max_length.span,
            "`max_length` applies to `String` fields only",
        ));
    }
    if let Some(default) = &attrs.default {
        check_default(
            ctxt,
            field_type,
            &default.value,
            default.span,
            attrs.max_length.as_ref().map(|m| m.value),
        );
    }
    let needs_default = match kind {
        Kind::User => attrs.readonly.or(attrs.hidden),
        _ => Some(ident.span()),
    };
    if let Some(span) = needs_default
        && attrs.default.is_none()
        && !field_type.nullable
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
    Some(CustomField {
        ident,
        ty: ty.clone(),
        field_type,
        column,
        max_length: attrs.max_length.map(|m| m.value),
        default: attrs.default.map(|d| d.value),
        readonly: attrs.readonly.is_some(),
        hidden: attrs.hidden.is_some(),
    })
}

fn check_default(
    ctxt: &Ctxt,
    field_type: FieldType,
    default: &DefaultLit,
    span: Span,
    max_length: Option<u32>,
) {
    let scalar = field_type.scalar;
    let fits = match default {
        DefaultLit::Str(text) => {
            if let Some(max) = max_length
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
        DefaultLit::Float(_) => scalar.is_float(),
        DefaultLit::Bool(_) => scalar == Scalar::Bool,
    };
    if !fits {
        let expected = match scalar {
            Scalar::String => "a string literal, e.g. `default = \"\"`".to_owned(),
            Scalar::Bool => "`true` or `false`".to_owned(),
            s if s.is_integer() => "an integer literal in the field type's range".to_owned(),
            s if s.is_float() => "a number literal".to_owned(),
            _ => "nothing: UUID and timestamp fields have no literal default; make the field an `Option`".to_owned(),
        };
        ctxt.syn_error(syn::Error::new(
            span,
            format!("this default does not fit the field's type; expected {expected}"),
        ));
    }
}

fn check_columns(ctxt: &Ctxt, kind: Kind, fields: &[CustomField]) {
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
    let total = kind.mixin_columns().len() + fields.len();
    if total > MAX_COLUMNS
        && let Some(field) = fields.get(MAX_COLUMNS - kind.mixin_columns().len())
    {
        ctxt.error_spanned_by(
            &field.ident,
            format!(
                "too many fields: a fullauth table holds at most {MAX_COLUMNS} columns, {} of them the mixin's",
                kind.mixin_columns().len()
            ),
        );
    }
}

fn is_sql_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 63
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
