use std::fmt;

use time::OffsetDateTime;

use super::clock::now;
use super::declared::DeclaredModels;
use super::id::UserId;
use super::json_field::JsonField;
use crate::json::{Issues, JsonObject};
use crate::schema::{Column, ColumnType, DefaultValue, TableSchema};

/// The columns fullauth keeps for every user. Embed it in your user struct as `#[fullauth(mixin)]`.
///
/// `hashed_password` is `None` for accounts that sign in without a password (OAuth, passkeys). Its `Debug` output
/// never shows the hash.
#[derive(Clone, PartialEq)]
pub struct UserMixin<Id = uuid::Uuid> {
    /// Primary key.
    pub id: Id,
    /// Normalized (trimmed, lower-cased) email address, unique.
    pub email: String,
    /// Argon2id PHC string, or `None` for a password-less account.
    pub hashed_password: Option<String>,
    /// Inactive users cannot sign in and their tokens stop working.
    pub is_active: bool,
    /// Whether the email address was proven.
    pub is_verified: bool,
    /// Superusers pass every permission check.
    pub is_superuser: bool,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

impl<Id: UserId> UserMixin<Id> {
    /// An active, unverified, password-less user with a fresh id (a placeholder when the database assigns
    /// ids); the email is normalized.
    pub fn new(email: &str) -> Self {
        Self {
            id: Id::generate(),
            email: crate::email_address::normalize(email),
            hashed_password: None,
            is_active: true,
            is_verified: false,
            is_superuser: false,
            created_at: now(),
        }
    }

    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        vec![
            Column::new("id", Id::COLUMN_TYPE).generated(Id::DATABASE_GENERATED),
            Column::new(
                "email",
                ColumnType::Text {
                    max_length: Some(crate::email_address::MAX_LENGTH as u32),
                },
            ),
            Column::new("hashed_password", ColumnType::Text { max_length: None }).nullable(),
            Column::new("is_active", ColumnType::Bool).default(DefaultValue::Bool(true)),
            Column::new("is_verified", ColumnType::Bool).default(DefaultValue::Bool(false)),
            Column::new("is_superuser", ColumnType::Bool).default(DefaultValue::Bool(false)),
            Column::new("created_at", ColumnType::Timestamp),
        ]
    }
}

impl<Id: fmt::Debug> fmt::Debug for UserMixin<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserMixin")
            .field("id", &self.id)
            .field("email", &self.email)
            .field(
                "hashed_password",
                &self.hashed_password.as_ref().map(|_| "<redacted>"),
            )
            .field("is_active", &self.is_active)
            .field("is_verified", &self.is_verified)
            .field("is_superuser", &self.is_superuser)
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// A user model: implemented by `#[derive(FullAuthUser)]`, never by hand.
///
/// The accessors reach the embedded [`UserMixin`]; the hidden items are the derive's glue.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth user model",
    label = "expected a struct with `#[derive(FullAuthUser)]`",
    note = "add `#[derive(FullAuthUser)]` and a `#[fullauth(mixin)] auth: UserMixin` field to `{Self}`"
)]
pub trait FullAuthUser: Clone + fmt::Debug + Send + Sync + Sized + 'static {
    /// The primary-key type.
    type Id: UserId;
    /// The partial update accepted by `PATCH /me`: one `Option` per updatable custom field.
    type Patch: Clone + fmt::Debug + Default + Send + Sync + 'static;

    /// The table name.
    const TABLE_NAME: &'static str;

    /// The embedded mixin.
    fn auth(&self) -> &UserMixin<Self::Id>;
    /// The embedded mixin, mutably.
    fn auth_mut(&mut self) -> &mut UserMixin<Self::Id>;

    /// Primary key.
    fn id(&self) -> &Self::Id {
        &self.auth().id
    }
    /// Normalized email address.
    fn email(&self) -> &str {
        &self.auth().email
    }
    /// Whether the user may sign in.
    fn is_active(&self) -> bool {
        self.auth().is_active
    }
    /// Whether the email address was proven.
    fn is_verified(&self) -> bool {
        self.auth().is_verified
    }
    /// Whether the user passes every permission check.
    fn is_superuser(&self) -> bool {
        self.auth().is_superuser
    }

    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;

    /// The application's own fields as clients see them in JSON, in declaration order (hidden ones included,
    /// marked so).
    fn json_fields() -> Vec<JsonField>;

    /// Writes the public custom fields into a JSON map, in declaration order.
    #[doc(hidden)]
    fn serialize_custom_fields<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error>;

    /// Builds a user from a register body: custom fields from `input`, defaults for the rest.
    #[doc(hidden)]
    fn from_input(
        auth: UserMixin<Self::Id>,
        input: &JsonObject,
        issues: &mut Issues,
    ) -> Option<Self>;

    /// Names of the custom fields `PATCH /me` accepts.
    #[doc(hidden)]
    const UPDATABLE_FIELDS: &'static [&'static str];
    /// Names of the custom fields clients may read but never write.
    #[doc(hidden)]
    const READ_ONLY_FIELDS: &'static [&'static str];

    /// Parses the updatable fields present in `input` (wrong JSON types become issues at `["body", field]`).
    #[doc(hidden)]
    fn patch_from_input(input: &JsonObject, issues: &mut Issues) -> Self::Patch;

    /// Checks the constraints (`max_length`, non-null) of the updatable fields present in `input`, as they
    /// apply once merged (issues at `[field]`).
    #[doc(hidden)]
    fn check_patch(input: &JsonObject, issues: &mut Issues);

    /// Whether the patch changes nothing.
    #[doc(hidden)]
    fn patch_is_empty(patch: &Self::Patch) -> bool;

    /// Applies a patch to the struct (what an in-memory store does instead of an `UPDATE`).
    fn apply_patch(&mut self, patch: &Self::Patch);

    /// The other models the application declared for this user (role models), found by the derive.
    #[doc(hidden)]
    fn declared_models() -> DeclaredModels;
}
