//! The Rust types a model field may have, and their column types.

/// A column type fullauth knows how to store, read from JSON and write back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Bool,
    I16,
    I32,
    I64,
    F32,
    F64,
    Uuid,
    Timestamp,
}

impl Scalar {
    /// Recognizes a type by the last segment of its path (`String`, `std::string::String`, `uuid::Uuid`, ...).
    fn from_path(path: &syn::TypePath) -> Option<Self> {
        if path.qself.is_some() {
            return None;
        }
        let last = path.path.segments.last()?;
        if !last.arguments.is_none() {
            return None;
        }
        Some(match last.ident.to_string().as_str() {
            "String" => Scalar::String,
            "bool" => Scalar::Bool,
            "i16" => Scalar::I16,
            "i32" => Scalar::I32,
            "i64" => Scalar::I64,
            "f32" => Scalar::F32,
            "f64" => Scalar::F64,
            "Uuid" => Scalar::Uuid,
            "OffsetDateTime" => Scalar::Timestamp,
            _ => return None,
        })
    }

    /// The name of the `fullauth::schema::ColumnType` variant.
    pub fn column_type(self) -> &'static str {
        match self {
            Scalar::String => "Text",
            Scalar::Bool => "Bool",
            Scalar::I16 => "SmallInt",
            Scalar::I32 => "Integer",
            Scalar::I64 => "BigInt",
            Scalar::F32 => "Float",
            Scalar::F64 => "Double",
            Scalar::Uuid => "Uuid",
            Scalar::Timestamp => "Timestamp",
        }
    }

    /// Whether the type is an integer.
    pub fn is_integer(self) -> bool {
        matches!(self, Scalar::I16 | Scalar::I32 | Scalar::I64)
    }

    /// Whether the type is a float.
    pub fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }
}

/// A field's type: a scalar, possibly optional (nullable column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldType {
    pub scalar: Scalar,
    pub nullable: bool,
}

/// What the derive accepts, for error messages.
pub const SUPPORTED: &str = "String, bool, i16, i32, i64, f32, f64, uuid::Uuid, time::OffsetDateTime, or an Option of one of them";

impl FieldType {
    /// Recognizes `T` or `Option<T>` for a supported scalar `T`.
    pub fn from_type(ty: &syn::Type) -> Option<Self> {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        if let Some(scalar) = Scalar::from_path(path) {
            return Some(FieldType {
                scalar,
                nullable: false,
            });
        }
        let last = path.path.segments.last()?;
        if last.ident != "Option" || path.qself.is_some() {
            return None;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            return None;
        };
        if arguments.args.len() != 1 {
            return None;
        }
        let syn::GenericArgument::Type(syn::Type::Path(inner)) = arguments.args.first()? else {
            return None;
        };
        Scalar::from_path(inner).map(|scalar| FieldType {
            scalar,
            nullable: true,
        })
    }
}
