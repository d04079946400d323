//! The accounts: [`UserStore`] and the values of its operations.

use time::OffsetDateTime;

use super::future::StoreFuture;
use crate::model::FullAuthUser;

/// Persistence of accounts.
///
/// Operations that change a password, deactivate or delete an account also end the user's sessions, in the same
/// transaction: no token issued before can outlive them.
pub trait UserStore<U: FullAuthUser>: Send + Sync + 'static {
    /// Inserts a user unless the email is taken.
    fn insert_user<'a>(&'a self, user: &'a U) -> StoreFuture<'a, InsertUser<U::Id>>;

    /// The user with this id.
    fn user_by_id<'a>(&'a self, id: &'a U::Id) -> StoreFuture<'a, Option<U>>;

    /// The user with this normalized email.
    fn user_by_email<'a>(&'a self, email: &'a str) -> StoreFuture<'a, Option<U>>;

    /// Applies a profile patch and returns the updated user (`None` when the user does not exist).
    fn update_user<'a>(&'a self, id: &'a U::Id, patch: &'a U::Patch) -> StoreFuture<'a, Option<U>>;

    /// Replaces the password hash only if it still is `current` (a transparent rehash must never undo a
    /// concurrent password change). Returns whether it was replaced.
    fn replace_password_hash<'a>(
        &'a self,
        id: &'a U::Id,
        current: &'a str,
        new: &'a str,
    ) -> StoreFuture<'a, bool>;

    /// Sets a new password hash (if the current one is as `expected`) and revokes every refresh token of the
    /// user, in one transaction. Returns the families that were live, so their access tokens can be revoked too;
    /// `None` when the user does not exist or the hash was not as expected (then nothing changed).
    fn change_password<'a>(
        &'a self,
        id: &'a U::Id,
        expected: ExpectedHash<'a>,
        new_hash: &'a str,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Option<Vec<uuid::Uuid>>>;

    /// Marks the user's email verified, if it is still `email` and not verified yet. Returns whether it did:
    /// of concurrent confirmations, one does.
    fn mark_email_verified<'a>(&'a self, id: &'a U::Id, email: &'a str) -> StoreFuture<'a, bool>;

    /// Deletes the user and everything that hangs off it, in one transaction. Returns the families that were
    /// live. Refused ([`Removal::LastSuperuser`]) when the user is the last active superuser, atomically: of two
    /// concurrent removals of the last two, one is refused.
    fn delete_user<'a>(&'a self, id: &'a U::Id, now: OffsetDateTime) -> StoreFuture<'a, Removal>;

    /// A page of users, oldest first (ties by id), with the number of users matching the filter.
    fn list_users<'a>(&'a self, query: &'a UserQuery) -> StoreFuture<'a, UserPage<U>>;

    /// Activates or deactivates a user, in one transaction with the user's row locked; deactivating revokes every
    /// refresh token of the user. Returns the sessions that were live (empty when activating). Deactivating the
    /// last active superuser is refused, atomically, as in [`Self::delete_user`].
    fn set_active<'a>(
        &'a self,
        id: &'a U::Id,
        active: bool,
        now: OffsetDateTime,
    ) -> StoreFuture<'a, Removal>;
}

/// What a change that may take a user away (deleting or deactivating it) did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Removal {
    /// Done; these sessions were live and are now ended.
    Done(Vec<uuid::Uuid>),
    /// No such user.
    NotFound,
    /// Refused: the user is the last active superuser, and nobody could administer the system without them.
    LastSuperuser,
}

/// Result of inserting a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsertUser<Id> {
    /// The row was written, with this id (assigned by the database for database-generated ids).
    Inserted {
        /// The new user's id.
        id: Id,
    },
    /// Another user already has this (normalized) email; nothing was written.
    EmailTaken,
}

/// Which stored password hash a password change may replace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedHash<'a> {
    /// Whatever it is.
    Any,
    /// Only this one (`None`: only when there is no password): a change racing another one, or a reset link
    /// used after the password changed, then changes nothing.
    Exactly(Option<&'a str>),
}

/// Which users to list, and which page of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserQuery {
    /// Only users whose (normalized) email contains this text, taken literally (`%` and `_` match themselves).
    pub email_contains: Option<String>,
    /// The most users to return.
    pub limit: u32,
    /// How many matching users to skip.
    pub offset: u64,
}

impl UserQuery {
    /// The filter as a `LIKE` pattern with `!` as its escape character: `%` when there is no filter.
    pub fn like_pattern(&self) -> String {
        let mut pattern = String::from("%");
        for c in self.email_contains.as_deref().unwrap_or("").chars() {
            if matches!(c, '%' | '_' | '!') {
                pattern.push('!');
            }
            pattern.push(c);
        }
        if pattern.len() > 1 {
            pattern.push('%');
        }
        pattern
    }

    /// Whether an email passes the filter.
    pub fn matches(&self, email: &str) -> bool {
        self.email_contains
            .as_deref()
            .is_none_or(|needle| email.contains(needle))
    }
}

/// One page of users.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPage<U> {
    /// The users of the page, oldest first.
    pub users: Vec<U>,
    /// How many users match the filter in all.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::UserQuery;

    fn query(filter: Option<&str>) -> UserQuery {
        UserQuery {
            email_contains: filter.map(str::to_owned),
            limit: 10,
            offset: 0,
        }
    }

    #[test]
    fn filters_become_escaped_patterns() {
        assert_eq!(query(None).like_pattern(), "%");
        assert_eq!(query(Some("ada")).like_pattern(), "%ada%");
        assert_eq!(query(Some("a_b%c!d")).like_pattern(), "%a!_b!%c!!d%");
    }

    #[test]
    fn filters_match_literally() {
        assert!(query(None).matches("x@example.com"));
        assert!(query(Some("_x")).matches("a_x@example.com"));
        assert!(!query(Some("_x")).matches("ax@example.com"));
    }
}
