//! OAuth accounts: the link between a user and their identity at an OAuth or OpenID Connect provider, kept by
//! [`crate::store::OAuthAccountStore`]; see [`HasOAuthAccounts`].

use std::fmt;

use time::OffsetDateTime;

use super::id::UserId;
use super::user::FullAuthUser;
use crate::schema::{Column, ColumnType, TableSchema};

use crate::config::MAX_PROVIDER_NAME_LENGTH as MAX_PROVIDER_LENGTH;

/// Longest user id at a provider, in characters.
pub(crate) const MAX_PROVIDER_USER_ID_LENGTH: usize = 255;
/// Longest provider email kept, in characters (RFC 5321's limit for a whole address).
pub(crate) const MAX_PROVIDER_EMAIL_LENGTH: usize = 320;

/// The columns of one link between a user and a provider identity, embedded as `#[fullauth(mixin)]` in your
/// OAuth-account struct.
///
/// An identity is `(provider, provider_user_id)`: it belongs to one user at most, and a user links each
/// provider once. The provider's tokens are kept only when the application asks for them, and then only
/// encrypted: `access_token` and `refresh_token` hold ciphertext, and `Debug` never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthAccountMixin<Id = uuid::Uuid> {
    /// Primary key.
    pub id: uuid::Uuid,
    /// The user this identity signs in.
    pub user_id: Id,
    /// The provider's name as configured, e.g. `google`.
    pub provider: String,
    /// The user's stable id at the provider (`sub` for OpenID Connect).
    pub provider_user_id: String,
    /// The email the provider reported at the last sign-in, if any.
    pub provider_email: Option<String>,
    /// The provider's access token, encrypted; `None` unless the application keeps provider tokens.
    pub access_token: Option<String>,
    /// The provider's refresh token, encrypted; `None` unless kept and issued.
    pub refresh_token: Option<String>,
    /// When the provider's access token expires, when known.
    pub expires_at: Option<OffsetDateTime>,
    /// When the identity was linked.
    pub created_at: OffsetDateTime,
    /// When the provider data above was last refreshed (at each sign-in through the provider).
    pub updated_at: OffsetDateTime,
}

impl<Id: UserId> OAuthAccountMixin<Id> {
    /// The mixin's columns, in table order.
    #[doc(hidden)]
    pub fn columns() -> Vec<Column> {
        let text = |max: usize| ColumnType::Text {
            max_length: Some(max as u32),
        };
        vec![
            Column::new("id", ColumnType::Uuid),
            Column::new("user_id", Id::COLUMN_TYPE),
            Column::new("provider", text(MAX_PROVIDER_LENGTH)),
            Column::new("provider_user_id", text(MAX_PROVIDER_USER_ID_LENGTH)),
            Column::new("provider_email", text(MAX_PROVIDER_EMAIL_LENGTH)).nullable(),
            Column::new("access_token", ColumnType::Text { max_length: None }).nullable(),
            Column::new("refresh_token", ColumnType::Text { max_length: None }).nullable(),
            Column::new("expires_at", ColumnType::Timestamp).nullable(),
            Column::new("created_at", ColumnType::Timestamp),
            Column::new("updated_at", ColumnType::Timestamp),
        ]
    }

    /// One identity per row, one link per provider and user (which also indexes the user side), and links
    /// deleted with their user.
    #[doc(hidden)]
    pub fn constraints(table: TableSchema, users_table: &'static str) -> TableSchema {
        table
            .named_index("identity_key", &["provider", "provider_user_id"], true)
            .named_index("user_provider_key", &["user_id", "provider"], true)
            .foreign_key_cascade("user_id", users_table, "id")
    }
}

impl<Id: fmt::Debug> fmt::Debug for OAuthAccountMixin<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kept = |token: &Option<String>| token.as_ref().map(|_| "<encrypted>");
        f.debug_struct("OAuthAccountMixin")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("provider", &self.provider)
            .field("provider_user_id", &self.provider_user_id)
            .field("provider_email", &self.provider_email)
            .field("access_token", &kept(&self.access_token))
            .field("refresh_token", &kept(&self.refresh_token))
            .field("expires_at", &self.expires_at)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// An OAuth-account model: implemented by `#[derive(FullAuthOAuthAccount)]`, never by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a fullauth OAuth-account model",
    label = "expected a struct with `#[derive(FullAuthOAuthAccount)]`"
)]
pub trait FullAuthOAuthAccount: fmt::Debug + Send + Sync + Sized + 'static {
    /// The user model the identities sign in.
    type User: FullAuthUser;
    /// The table name.
    const TABLE_NAME: &'static str;
    /// The embedded mixin.
    fn account(&self) -> &OAuthAccountMixin<<Self::User as FullAuthUser>::Id>;
    /// The table, as migrations create it.
    fn table_schema() -> TableSchema;
}

/// A user model with OAuth accounts: implemented for the user by `#[derive(FullAuthOAuthAccount)]`, which is how
/// a store learns that it keeps OAuth accounts for that user.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no OAuth-account model",
    label = "OAuth accounts are not declared for `{Self}`",
    note = "declare one: `#[derive(FullAuthOAuthAccount)] #[fullauth(user = {Self})] struct OAuthAccount {{ \
            #[fullauth(mixin)] account: fullauth::OAuthAccountMixin }}`"
)]
pub trait HasOAuthAccounts: FullAuthUser {
    /// The OAuth-account model.
    type OAuthAccount: FullAuthOAuthAccount<User = Self>;
}

#[cfg(test)]
mod tests {
    use super::OAuthAccountMixin;

    #[test]
    fn debug_output_hides_the_provider_tokens() {
        let now = time::OffsetDateTime::UNIX_EPOCH;
        let account = OAuthAccountMixin {
            id: uuid::Uuid::nil(),
            user_id: 7_i64,
            provider: "google".into(),
            provider_user_id: "1234".into(),
            provider_email: Some("ada@example.com".into()),
            access_token: Some("ciphertext-of-the-access-token".into()),
            refresh_token: Some("ciphertext-of-the-refresh-token".into()),
            expires_at: None,
            created_at: now,
            updated_at: now,
        };
        let debug = format!("{account:?}");
        assert!(
            debug.contains("google") && debug.contains("<encrypted>"),
            "{debug}"
        );
        assert!(!debug.contains("ciphertext"), "{debug}");
    }
}
