use std::fmt;

/// The error a store's backend reported, kept whole (a Diesel error, a pool error, a store's own error type).
pub type StoreErrorSource = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A storage failure, with the backend's own error as its [`source`](std::error::Error::source).
#[derive(Debug)]
#[non_exhaustive]
pub enum StoreError {
    /// The database cannot be reached or is overloaded (no connection in time, connection lost, locked).
    /// Requests answer 503 and recover by themselves when the database is back.
    Unavailable(StoreErrorSource),
    /// The database refused a statement for another reason: a bug or a schema that does not match the models
    /// (run the migrations).
    Database(StoreErrorSource),
}

impl StoreError {
    /// A transient failure: the database cannot be reached now.
    pub fn unavailable(source: impl Into<StoreErrorSource>) -> Self {
        StoreError::Unavailable(source.into())
    }

    /// A failure that retrying will not mend.
    pub fn database(source: impl Into<StoreErrorSource>) -> Self {
        StoreError::Database(source.into())
    }

    /// Whether the database was unreachable or overloaded, rather than refusing the statement.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }

    /// The backend's own error.
    pub fn backend_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        match self {
            StoreError::Unavailable(source) | StoreError::Database(source) => source.as_ref(),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Unavailable(source) => write!(f, "database unavailable: {source}"),
            StoreError::Database(source) => write!(f, "database error: {source}"),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.backend_error())
    }
}
