//! Short constructors for the JSON schemas the document is written with, over utoipa's builders.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    ArrayBuilder, ObjectBuilder, OneOfBuilder, Ref, Schema, SchemaFormat, SchemaType, Type,
};

/// A schema, or a reference to one of the document's components.
pub(crate) type Shape = RefOr<Schema>;

/// A JSON string.
pub(crate) fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// A JSON string of the given `format` (`uuid`, `date-time`, `email`, `uri`).
pub(crate) fn formatted(format: &str) -> ObjectBuilder {
    string().format(Some(SchemaFormat::Custom(format.to_owned())))
}

/// A JSON integer; `format` is `int16`, `int32` or `int64`.
pub(crate) fn integer(format: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::Custom(format.to_owned())))
}

/// A JSON number.
pub(crate) fn number() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Number)
}

/// `true` or `false`.
pub(crate) fn boolean() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::Boolean)
}

/// The one constant `value`.
pub(crate) fn constant(value: impl Into<serde_json::Value>) -> ObjectBuilder {
    let value = value.into();
    let kind = match &value {
        serde_json::Value::Bool(_) => Type::Boolean,
        serde_json::Value::Number(number) if number.is_f64() => Type::Number,
        serde_json::Value::Number(_) => Type::Integer,
        _ => Type::String,
    };
    ObjectBuilder::new()
        .schema_type(kind)
        .enum_values(Some([value]))
}

/// A JSON array of `items`.
pub(crate) fn array(items: impl Into<Shape>) -> Shape {
    ArrayBuilder::new().items(items.into()).into()
}

/// `schema`, or `null`: `null` joins the schema's types (a schema of any type already admits it).
pub(crate) fn nullable(schema: ObjectBuilder) -> Shape {
    let built = schema.build();
    let kind = match &built.schema_type {
        SchemaType::Type(kind) => vec![kind.clone(), Type::Null],
        SchemaType::Array(kinds) => kinds.iter().cloned().chain([Type::Null]).collect(),
        SchemaType::AnyValue => return Schema::Object(built).into(),
    };
    let mut built = built;
    built.schema_type = SchemaType::Array(kind);
    Schema::Object(built).into()
}

/// The schema utoipa derives from `T`, a type a route serializes its answer from.
pub(crate) fn schema_of<T: utoipa::PartialSchema>() -> Shape {
    T::schema()
}

/// A reference to the component schema `name`.
pub(crate) fn component(name: &str) -> Shape {
    Ref::from_schema_name(name).into()
}

/// Whichever of `shapes` matches.
pub(crate) fn one_of(shapes: impl IntoIterator<Item = Shape>) -> Shape {
    shapes
        .into_iter()
        .fold(OneOfBuilder::new(), |builder, shape| builder.item(shape))
        .into()
}

/// A JSON object with these properties (`(name, schema, required)`); other keys are allowed.
pub(crate) fn object<'a>(
    properties: impl IntoIterator<Item = (&'a str, Shape, bool)>,
) -> ObjectBuilder {
    properties.into_iter().fold(
        ObjectBuilder::new().schema_type(Type::Object),
        |builder, (name, schema, required)| {
            let builder = builder.property(name, schema);
            if required {
                builder.required(name)
            } else {
                builder
            }
        },
    )
}

/// `{"detail": "<message>"}`, the body of most refusals.
pub(crate) fn detail_body() -> Shape {
    component("Detail")
}
