use std::fmt;

/// A storage failure.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoreError {
    /// The database cannot be reached or is overloaded (no connection in time, connection lost, locked).
    /// Requests answer 503 and recover by themselves when the database is back.
    Unavailable(String),
    /// The database refused a statement for another reason: a bug or a schema that does not match the models
    /// (run the migrations).
    Database(String),
}

impl StoreError {
    /// The error of a role operation on a store that keeps no roles.
    pub(crate) fn roles_unsupported() -> Self {
        StoreError::Database(
            "this store keeps no roles: declare the role models of the user, or use a store that supports them"
                .to_owned(),
        )
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(reason) => write!(f, "database unavailable: {reason}"),
            StoreError::Database(reason) => write!(f, "database error: {reason}"),
        }
    }
}

impl std::error::Error for StoreError {}
