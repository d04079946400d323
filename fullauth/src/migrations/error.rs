use std::fmt;

/// Migrations could not be read, written, applied, or compared with the database; the source is the error of the
/// file system, Diesel's harness or the database, kept whole.
#[derive(Debug)]
pub struct MigrationError {
    /// What was being done, e.g. `applying the migrations on Postgres` or the folder being read.
    action: String,
    source: Box<dyn std::error::Error + Send + Sync + 'static>,
}

impl MigrationError {
    pub(crate) fn new(
        action: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self {
            action: action.into(),
            source: source.into(),
        }
    }
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "migrations: {}: {}", self.action, self.source)
    }
}

impl std::error::Error for MigrationError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}
