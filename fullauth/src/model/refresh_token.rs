use std::fmt;

use time::OffsetDateTime;

use super::id::UserId;
use super::user::FullAuthUser;
use crate::schema::{Column, ColumnType, TableSchema};

/// The columns of one refresh token, embedded as `#[fullauth(mixin)]` in your refresh-token struct.
///
/// The token itself is never stored: only the SHA-256 digest of the JWT. A *family* is one sign-in session; each
/// rotation adds a row to the family and marks the previous one used. A token is live while it is neither used
/// nor revoked nor expired; presenting a *used* token again is a replay, and ends the whole family.
#[derive(Clone, PartialEq)]
pub struct RefreshTokenMixin<Id = uuid::Uuid> {
    /// Primary key.
    pub id: uuid::Uuid,
    /// The owning user.
    pub user_id: Id,
    /// Lower-case hex SHA-256 of the token.
    pub token_digest: String,
    /// The session this token belongs to.
    pub family_id: uuid::Uuid,
    /// After this instant the token is refused.
    pub expires_at: OffsetDateTime,
    /// Issue time.
    pub created_at: OffsetDateTime,
    /// When the token was exchanged for its successor; `None` while unused.
    pub used_at: Option<OffsetDateTime>,
    /// When the token was revoked (sign-out, password change, replay); `None` unless revoked.
    pub revoked_at: Option<OffsetDateTime>,
    /// `User-Agent` of the client that signed in.
    pub user_agent: Option<String>,
    /// Address of the client that signed in.
    pub ip_address: Option<String>,
}

impl<Id: UserId> RefreshTokenMixin<Id> {
    /// Longest stored `User-Agent`, in characters; longer ones are cut.
    pub const USER_AGENT_MAX_LENGTH: usize = 512;
    /// Longest stored client address.
    pub const IP_ADDRESS_MAX_LENGTH: usize = 45;

    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        vec![
            Column::new("id", ColumnType::Uuid),
            Column::new("user_id", Id::COLUMN_TYPE),
            Column::new(
                "token_digest",
                ColumnType::Text {
                    max_length: Some(64),
                },
            ),
            Column::new("family_id", ColumnType::Uuid),
            Column::new("expires_at", ColumnType::Timestamp),
            Column::new("created_at", ColumnType::Timestamp),
            Column::new("used_at", ColumnType::Timestamp).nullable(),
            Column::new("revoked_at", ColumnType::Timestamp).nullable(),
            Column::new(
                "user_agent",
                ColumnType::Text {
                    max_length: Some(Self::USER_AGENT_MAX_LENGTH as u32),
                },
            )
            .nullable(),
            Column::new(
                "ip_address",
                ColumnType::Text {
                    max_length: Some(Self::IP_ADDRESS_MAX_LENGTH as u32),
                },
            )
            .nullable(),
        ]
    }

    /// Adds the mixin's indexes and foreign key to `table`.
    #[doc(hidden)]
    pub fn constraints(table: TableSchema, users_table: &'static str) -> TableSchema {
        table
            .index(&["token_digest"], true)
            // The session check of every authenticated request looks for the family's one live token: with the
            // used and revoked marks and the expiry in the index, it never visits the family's spent tokens
            // (one per refresh), and the index alone answers it.
            .named_index(
                "family_live_idx",
                &["family_id", "used_at", "revoked_at", "expires_at"],
                false,
            )
            .index(&["user_id"], false)
            .foreign_key_cascade("user_id", users_table, "id")
    }

    /// Whether the token can still be exchanged at `now`.
    pub fn is_live(&self, now: OffsetDateTime) -> bool {
        self.used_at.is_none() && self.revoked_at.is_none() && self.expires_at > now
    }
}

impl<Id: fmt::Debug> fmt::Debug for RefreshTokenMixin<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshTokenMixin")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("family_id", &self.family_id)
            .field("expires_at", &self.expires_at)
            .field("created_at", &self.created_at)
            .field("used_at", &self.used_at)
            .field("revoked_at", &self.revoked_at)
            .field("user_agent", &self.user_agent)
            .field("ip_address", &self.ip_address)
            .finish_non_exhaustive()
    }
}

/// A refresh-token model: implemented by `#[derive(FullAuthRefreshToken)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth refresh-token model",
    label = "expected a struct with `#[derive(FullAuthRefreshToken)]`",
    note = "add `#[derive(FullAuthRefreshToken)]` and a `#[fullauth(mixin)] token: RefreshTokenMixin` field to `{Self}`"
)]
pub trait FullAuthRefreshToken: Clone + fmt::Debug + Send + Sync + Sized + 'static {
    /// The user model the tokens belong to.
    type User: FullAuthUser;

    /// The table name.
    const TABLE_NAME: &'static str;

    /// The embedded mixin.
    fn token(&self) -> &RefreshTokenMixin<<Self::User as FullAuthUser>::Id>;

    /// A row for a freshly issued token; custom fields take their defaults.
    fn from_mixin(token: RefreshTokenMixin<<Self::User as FullAuthUser>::Id>) -> Self;

    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}
