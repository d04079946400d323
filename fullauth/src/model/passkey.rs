//! Passkeys: the WebAuthn credentials a user signs in with, kept by [`crate::store::PasskeyStore`]; see
//! [`HasPasskeys`].

use std::fmt;

use time::OffsetDateTime;

use super::id::UserId;
use super::user::FullAuthUser;
use crate::schema::{Column, ColumnType, DefaultValue, TableSchema};

/// Longest credential id, in characters of its base64url text: 1023 bytes, the WebAuthn limit.
pub(crate) const MAX_CREDENTIAL_ID_LENGTH: usize = 1364;
/// Longest device name, in characters.
pub const MAX_DEVICE_NAME_LENGTH: usize = 200;
/// Longest list of transports, in characters of its text.
pub(crate) const MAX_TRANSPORTS_LENGTH: usize = 255;

/// The columns of one passkey, embedded as `#[fullauth(mixin)]` in your passkey struct.
///
/// A credential id belongs to one user at most: the unique key is `credential_digest`, the SHA-256 of the raw
/// credential id, so ids up to WebAuthn's 1023 bytes fit every database's index limits. `credential` holds what
/// verifying later sign-ins needs (the public key, its algorithm, the signature counter and flags), as JSON;
/// `Debug` leaves it out.
#[derive(Clone, PartialEq, Eq)]
pub struct PasskeyMixin<Id = uuid::Uuid> {
    /// Primary key; the `id` of the passkey routes.
    pub id: uuid::Uuid,
    /// The owner.
    pub user_id: Id,
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// Lower-case hex SHA-256 of the raw credential id: the unique key.
    pub credential_digest: String,
    /// The verifying credential, as JSON.
    pub credential: String,
    /// The last signature counter the authenticator reported (0 for authenticators that keep none).
    pub sign_count: i64,
    /// The name the user gave the passkey; empty when none was given.
    pub device_name: String,
    /// How the authenticator can be reached (`usb`, `nfc`, `ble`, `smart-card`, `internal`, `hybrid`),
    /// comma-separated.
    pub transports: String,
    /// Whether the credential is backed up (synced), as of its last use.
    pub backed_up: bool,
    /// When the passkey was registered.
    pub created_at: OffsetDateTime,
    /// When the passkey last signed in.
    pub last_used_at: Option<OffsetDateTime>,
}

impl<Id: UserId> PasskeyMixin<Id> {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        let text = |max: usize| ColumnType::Text {
            max_length: Some(max as u32),
        };
        vec![
            Column::new("id", ColumnType::Uuid),
            Column::new("user_id", Id::COLUMN_TYPE),
            Column::new("credential_id", text(MAX_CREDENTIAL_ID_LENGTH)),
            Column::new("credential_digest", text(64)),
            Column::new("credential", ColumnType::Text { max_length: None }),
            Column::new("sign_count", ColumnType::BigInt),
            Column::new("device_name", text(MAX_DEVICE_NAME_LENGTH))
                .default(DefaultValue::Text("".into())),
            Column::new("transports", text(MAX_TRANSPORTS_LENGTH)),
            Column::new("backed_up", ColumnType::Bool).default(DefaultValue::Bool(false)),
            Column::new("created_at", ColumnType::Timestamp),
            Column::new("last_used_at", ColumnType::Timestamp).nullable(),
        ]
    }

    /// One owner per credential, the user side indexed, and passkeys deleted with their user.
    #[doc(hidden)]
    pub fn constraints(table: TableSchema, users_table: &'static str) -> TableSchema {
        table
            .named_index("credential_key", &["credential_digest"], true)
            .named_index("user_key", &["user_id"], false)
            .foreign_key_cascade("user_id", users_table, "id")
    }
}

impl<Id: fmt::Debug> fmt::Debug for PasskeyMixin<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasskeyMixin")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("credential_id", &self.credential_id)
            .field("sign_count", &self.sign_count)
            .field("device_name", &self.device_name)
            .field("transports", &self.transports)
            .field("backed_up", &self.backed_up)
            .field("created_at", &self.created_at)
            .field("last_used_at", &self.last_used_at)
            .finish_non_exhaustive()
    }
}

/// A passkey model: implemented by `#[derive(FullAuthPasskey)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth passkey model",
    label = "expected a struct with `#[derive(FullAuthPasskey)]`"
)]
pub trait FullAuthPasskey: fmt::Debug + Send + Sync + Sized + 'static {
    /// The user model the passkeys sign in.
    type User: FullAuthUser;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn passkey(&self) -> &PasskeyMixin<<Self::User as FullAuthUser>::Id>;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// A user model with passkeys: implemented for the user by `#[derive(FullAuthPasskey)]`, which is how a store
/// learns that it keeps passkeys for that user.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no passkey model",
    label = "passkeys are not declared for `{Self}`",
    note = "declare one: `#[derive(FullAuthPasskey)] #[fullauth(user = {Self})] struct Passkey {{ \
            #[fullauth(mixin)] passkey: fullauth::PasskeyMixin }}`"
)]
pub trait HasPasskeys: FullAuthUser {
    /// The passkey model.
    type Passkey: FullAuthPasskey<User = Self>;
}

#[cfg(test)]
mod tests {
    use super::PasskeyMixin;

    #[test]
    fn debug_output_leaves_the_credential_out() {
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let passkey = PasskeyMixin {
            id: uuid::Uuid::nil(),
            user_id: 7_i64,
            credential_id: "AAEC".into(),
            credential_digest: "digest".into(),
            credential: "{\"cred\":\"public-key-material\"}".into(),
            sign_count: 3,
            device_name: "laptop".into(),
            transports: "internal".into(),
            backed_up: true,
            created_at: now,
            last_used_at: None,
        };
        let debug = format!("{passkey:?}");
        assert!(
            debug.contains("laptop") && debug.contains("AAEC"),
            "{debug}"
        );
        assert!(!debug.contains("public-key-material"), "{debug}");
    }
}
