//! The custom fields of a user model as clients see them in JSON.

use crate::schema::{ColumnType, DefaultValue};

/// One of a user model's own fields, as it appears in the user JSON and in the bodies of `POST /register` and
/// `PATCH /me`: what the OpenAPI document says about it. The derive lists them in declaration order
/// ([`crate::FullAuthUser::json_fields`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct JsonField {
    /// The JSON key: the Rust field's name (the column may be named otherwise).
    pub name: &'static str,
    /// Its type; `Text` carries the declared `max_length`.
    pub column_type: ColumnType,
    /// Whether `null` is a value (an `Option` field).
    pub nullable: bool,
    /// The value a new user gets when the register body leaves the field out; `None` with no default, when a
    /// non-optional field is required.
    pub default: Option<DefaultValue>,
    /// Marked `readonly`: in the user JSON, never accepted from clients.
    pub readonly: bool,
    /// Marked `hidden`: neither shown to nor accepted from clients.
    pub hidden: bool,
}

impl JsonField {
    /// A field as the derive declares it.
    #[doc(hidden)]
    pub fn declared(
        name: &'static str,
        column_type: ColumnType,
        nullable: bool,
        default: Option<DefaultValue>,
        readonly: bool,
        hidden: bool,
    ) -> Self {
        JsonField {
            name,
            column_type,
            nullable,
            default,
            readonly,
            hidden,
        }
    }

    /// Whether clients may send it: in the bodies of `POST /register` and `PATCH /me`.
    pub fn client_writable(&self) -> bool {
        !self.readonly && !self.hidden
    }

    /// Whether `POST /register` needs it: a writable field with neither a default nor `Option`.
    pub fn required_at_registration(&self) -> bool {
        self.client_writable() && self.default.is_none() && !self.nullable
    }
}
