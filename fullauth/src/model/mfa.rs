//! TOTP multi-factor authentication: a user's authenticator-app secret and recovery codes, kept by
//! [`crate::store::MfaStore`]; see [`HasMfa`].

use std::fmt;

use time::OffsetDateTime;

use super::id::UserId;
use super::user::FullAuthUser;
use crate::schema::{Column, ColumnType, DefaultValue, TableSchema};

/// The columns of one user's second factor, embedded as `#[fullauth(mixin)]` in your MFA struct.
///
/// One row per user. A row without `confirmed_at` is an enrolment waiting for its first code; MFA is on once it
/// is confirmed. `secret` holds the TOTP secret sealed under a key derived from the secret key, and
/// `recovery_codes` the SHA-256 digests of the unused recovery codes, comma-separated: neither is usable as read
/// from the database, and `Debug` shows neither.
#[derive(Clone, PartialEq, Eq)]
pub struct MfaMixin<Id = uuid::Uuid> {
    /// Primary key.
    pub id: uuid::Uuid,
    /// The user; unique.
    pub user_id: Id,
    /// The TOTP secret, sealed.
    pub secret: String,
    /// When the first code turned MFA on; `None` while the enrolment waits for it.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The last accepted time step (Unix time / 30 s): a code of this step or an earlier one is not accepted again.
    pub last_counter: i64,
    /// Lower-case hex SHA-256 digests of the unused recovery codes, comma-separated.
    pub recovery_codes: String,
    /// When the enrolment started.
    pub created_at: OffsetDateTime,
}

impl<Id> MfaMixin<Id> {
    /// Whether MFA is on: the enrolment was confirmed.
    pub fn is_enabled(&self) -> bool {
        self.confirmed_at.is_some()
    }

    /// How many recovery codes are left.
    pub fn recovery_codes_remaining(&self) -> usize {
        self.recovery_codes
            .split(',')
            .filter(|digest| !digest.is_empty())
            .count()
    }

    /// The recovery codes without the one with this digest, or `None` when it is not among them.
    pub(crate) fn recovery_codes_without(&self, digest: &str) -> Option<String> {
        let digests: Vec<&str> = self
            .recovery_codes
            .split(',')
            .filter(|code| !code.is_empty())
            .collect();
        if !digests.contains(&digest) {
            return None;
        }
        let rest: Vec<&str> = digests.into_iter().filter(|code| *code != digest).collect();
        Some(rest.join(","))
    }
}

impl<Id: UserId> MfaMixin<Id> {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        vec![
            Column::new("id", ColumnType::Uuid),
            Column::new("user_id", Id::COLUMN_TYPE),
            Column::new("secret", ColumnType::Text { max_length: None }),
            Column::new("confirmed_at", ColumnType::Timestamp).nullable(),
            Column::new("last_counter", ColumnType::BigInt).default(DefaultValue::Integer(0)),
            Column::new("recovery_codes", ColumnType::Text { max_length: None }),
            Column::new("created_at", ColumnType::Timestamp),
        ]
    }

    /// One row per user, deleted with the user.
    #[doc(hidden)]
    pub fn constraints(table: TableSchema, users_table: &'static str) -> TableSchema {
        table
            .named_index("user_key", &["user_id"], true)
            .foreign_key_cascade("user_id", users_table, "id")
    }
}

impl<Id: fmt::Debug> fmt::Debug for MfaMixin<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MfaMixin")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("confirmed_at", &self.confirmed_at)
            .field("last_counter", &self.last_counter)
            .field("recovery_codes_remaining", &self.recovery_codes_remaining())
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// An MFA model: implemented by `#[derive(FullAuthMfa)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth MFA model",
    label = "expected a struct with `#[derive(FullAuthMfa)]`"
)]
pub trait FullAuthMfa: fmt::Debug + Send + Sync + Sized + 'static {
    /// The user model whose second factor this is.
    type User: FullAuthUser;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn mfa(&self) -> &MfaMixin<<Self::User as FullAuthUser>::Id>;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// A user model with MFA: implemented for the user by `#[derive(FullAuthMfa)]`, which is how a store learns that
/// it keeps second factors for that user.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no MFA model",
    label = "MFA is not declared for `{Self}`",
    note = "declare one: `#[derive(FullAuthMfa)] #[fullauth(user = {Self})] struct Mfa {{ \
            #[fullauth(mixin)] mfa: fullauth::MfaMixin }}`"
)]
pub trait HasMfa: FullAuthUser {
    /// The MFA model.
    type Mfa: FullAuthMfa<User = Self>;
}

#[cfg(test)]
mod tests {
    use super::MfaMixin;

    #[test]
    fn debug_output_leaves_the_secret_and_codes_out() {
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let mfa = MfaMixin {
            id: uuid::Uuid::nil(),
            user_id: 7_i64,
            secret: "v1.sealed-secret".into(),
            confirmed_at: Some(now),
            last_counter: 3,
            recovery_codes: "digest-one,digest-two".into(),
            created_at: now,
        };
        let debug = format!("{mfa:?}");
        assert!(debug.contains("recovery_codes_remaining: 2"), "{debug}");
        assert!(
            !debug.contains("sealed-secret") && !debug.contains("digest-one"),
            "{debug}"
        );
        assert!(mfa.is_enabled());
        assert_eq!(
            mfa.recovery_codes_without("digest-one").as_deref(),
            Some("digest-two")
        );
        assert_eq!(mfa.recovery_codes_without("digest"), None);
    }
}
