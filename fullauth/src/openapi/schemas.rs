//! The shapes several operations share, as named components: the refusals, the user, the tokens.

use utoipa::openapi::schema::ObjectBuilder;

use super::schema_kit::{
    Shape, array, boolean, component, constant, formatted, integer, nullable, number, object,
    one_of, schema_of, string,
};
use crate::flows::TokenPair;
use crate::json::Issue;
use crate::model::{FullAuthUser, JsonField, UserId};
use crate::routes::LoginResponse;
use crate::schema::{ColumnType, DefaultValue};

/// Every component the routers' descriptions name; `roles` when the user JSON carries the role names,
/// `password` the schema of a new password.
pub(crate) fn components<U: FullAuthUser>(
    roles: bool,
    password: Shape,
) -> Vec<(&'static str, Shape)> {
    let fields = U::json_fields();
    let mut components = shared_components();
    components.extend([
        ("User", user::<U>(&fields, roles)),
        ("PublicUser", user::<U>(&fields, false)),
        ("UserRegistration", registration(&fields, password)),
        ("UserUpdate", update(&fields)),
        ("TokenPair", schema_of::<TokenPair>()),
        ("LoginResponse", schema_of::<LoginResponse<U>>()),
        (
            "MfaRequired",
            object([
                ("mfa_required", constant(true).into(), true),
                ("mfa_token", string().into(), true),
            ])
            .into(),
        ),
    ]);
    components
}

/// The refusals every operation may give: a message, or pydantic's list of problems.
pub(crate) fn shared_components() -> Vec<(&'static str, Shape)> {
    vec![
        ("Detail", object([("detail", string().into(), true)]).into()),
        ("ValidationError", validation_error()),
        (
            "HTTPValidationError",
            object([(
                "detail",
                one_of([string().into(), array(component("ValidationError"))]),
                true,
            )])
            .into(),
        ),
    ]
}

/// pydantic's description of one problem with a request.
fn validation_error() -> Shape {
    schema_of::<Issue>()
}

/// The public user JSON: the mixin's fields, every field not hidden, and the role names when `roles` (fullauth's
/// routes add them when the model has role models; `PublicUser` is the JSON without them).
fn user<U: FullAuthUser>(fields: &[JsonField], roles: bool) -> Shape {
    let mixin = [
        ("id", id_schema::<U::Id>(), true),
        ("email", string().into(), true),
        ("is_active", boolean().into(), true),
        ("is_verified", boolean().into(), true),
        ("is_superuser", boolean().into(), true),
    ];
    let custom = fields
        .iter()
        .filter(|field| !field.hidden)
        .map(|field| (field.name, field_schema(field, field.readonly), true));
    let roles = roles.then(|| ("roles", array(string()), true));
    object(mixin.into_iter().chain(custom).chain(roles)).into()
}

/// The body of `POST /register`: the address, the password and the writable fields.
fn registration(fields: &[JsonField], password: Shape) -> Shape {
    let own = [
        ("email", formatted("idn-email").into(), true),
        ("password", password, true),
    ];
    let custom = fields
        .iter()
        .filter(|field| field.client_writable())
        .map(|field| {
            (
                field.name,
                field_schema(field, false),
                field.required_at_registration(),
            )
        });
    object(own.into_iter().chain(custom)).into()
}

/// The body of `PATCH /me`: any of the writable fields.
fn update(fields: &[JsonField]) -> Shape {
    let custom = fields
        .iter()
        .filter(|field| field.client_writable())
        .map(|field| (field.name, field_schema(field, false), false));
    object(custom).min_properties(Some(1)).into()
}

/// The JSON schema of a custom field.
fn field_schema(field: &JsonField, read_only: bool) -> Shape {
    let schema = scalar(&field.column_type).default(field.default.as_ref().map(default_json));
    let schema = if read_only {
        schema.read_only(true)
    } else {
        schema
    };
    if field.nullable {
        nullable(schema)
    } else {
        schema.into()
    }
}

/// How an id appears in JSON: a UUID string, an integer or a string.
pub(crate) fn id_schema<Id: UserId>() -> Shape {
    scalar(&Id::COLUMN_TYPE).into()
}

fn scalar(column_type: &ColumnType) -> ObjectBuilder {
    match column_type {
        ColumnType::Uuid => formatted("uuid"),
        ColumnType::Text { max_length } => {
            string().max_length(max_length.map(|length| length as usize))
        }
        ColumnType::Bool => boolean(),
        ColumnType::SmallInt => integer("int16")
            .minimum(Some(i16::MIN))
            .maximum(Some(i16::MAX)),
        ColumnType::Integer => integer("int32")
            .minimum(Some(i32::MIN))
            .maximum(Some(i32::MAX)),
        ColumnType::BigInt => integer("int64"),
        ColumnType::Float | ColumnType::Double => number(),
        ColumnType::Timestamp => formatted("date-time"),
    }
}

fn default_json(default: &DefaultValue) -> serde_json::Value {
    match default {
        DefaultValue::Text(text) => serde_json::Value::String(text.to_string()),
        DefaultValue::Integer(number) => serde_json::Value::from(*number),
        DefaultValue::Float(number) => serde_json::Value::from(*number),
        DefaultValue::Bool(flag) => serde_json::Value::Bool(*flag),
    }
}
