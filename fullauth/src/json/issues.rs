use serde::Serialize;
use serde_json::{Map, Value};

/// One element of a location path: a key or an index.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Location {
    /// An object key.
    Key(String),
    /// An array index or a character offset.
    Index(usize),
}

impl From<&str> for Location {
    fn from(key: &str) -> Self {
        Location::Key(key.to_owned())
    }
}

/// One validation problem, serialized exactly as pydantic reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(as = ValidationError)
)]
pub struct Issue {
    /// Machine-readable kind, e.g. `missing`, `string_type`, `string_too_long`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Path to the offending value, e.g. `["body", "password"]`.
    #[cfg_attr(feature = "openapi", schema(inline))]
    pub loc: Vec<Location>,
    /// Human-readable message.
    pub msg: String,
    /// The offending input.
    #[cfg_attr(feature = "openapi", schema(value_type = Value))]
    pub input: Box<Value>,
    /// Parameters of the failed constraint.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub ctx: Option<Box<Map<String, Value>>>,
}

impl Issue {
    /// An issue without context.
    pub fn new(
        kind: &'static str,
        loc: Vec<Location>,
        msg: impl Into<String>,
        input: Value,
    ) -> Self {
        Self {
            kind,
            loc,
            msg: msg.into(),
            input: Box::new(input),
            ctx: None,
        }
    }

    /// Adds one context entry.
    #[must_use]
    pub fn with_ctx(mut self, key: &str, value: Value) -> Self {
        self.ctx
            .get_or_insert_with(Default::default)
            .insert(key.to_owned(), value);
        self
    }

    /// `Field required` at `loc`.
    pub fn missing(loc: Vec<Location>, input: Value) -> Self {
        Self::new("missing", loc, "Field required", input)
    }
}

/// Problems collected while reading a body; a non-empty set becomes a 422.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Issues(Vec<Issue>);

impl Issues {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, issue: Issue) {
        self.0.push(issue);
    }

    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order found.
    pub fn as_slice(&self) -> &[Issue] {
        &self.0
    }

    /// `Ok(value)` when there were no problems.
    pub fn into_result<T>(self, value: T) -> Result<T, Issues> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Issue> for Issues {
    fn from(issue: Issue) -> Self {
        Self(vec![issue])
    }
}
