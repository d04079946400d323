use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::store::StoreError;

/// Whether the error is a unique-constraint violation.
pub(crate) fn is_unique_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Classifies a Diesel error: lost connections, lock timeouts and serialization failures are transient (503),
/// anything else is a database error.
pub(crate) fn store_error(error: DieselError) -> StoreError {
    match &error {
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand
            | DatabaseErrorKind::SerializationFailure,
            _,
        ) => StoreError::Unavailable(error.to_string()),
        DieselError::DatabaseError(_, info) if is_transient_message(info.message()) => {
            StoreError::Unavailable(error.to_string())
        }
        DieselError::BrokenTransactionManager => StoreError::Unavailable(error.to_string()),
        _ => StoreError::Database(error.to_string()),
    }
}

fn is_transient_message(message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    [
        "database is locked",
        "database is busy",
        "connection",
        "terminating",
        "timeout",
        "deadlock",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}

/// Classifies a pool error: every pool failure means no connection, so it is transient.
pub(crate) fn pool_error(error: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(error.to_string())
}
