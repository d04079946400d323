//! How Diesel's and the pool's errors become [`StoreError`]s: kept whole, sorted into transient and not.

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
/// Whether a failed transaction failed on a unique index: a concurrent transaction inserted the same key first.
pub(crate) fn lost_a_race(error: &StoreError) -> bool {
    error
        .backend_error()
        .downcast_ref::<DieselError>()
        .is_some_and(is_unique_violation)
}

pub(crate) fn store_error(error: DieselError) -> StoreError {
    let transient = match &error {
        DieselError::DatabaseError(
            DatabaseErrorKind::ClosedConnection
            | DatabaseErrorKind::UnableToSendCommand
            | DatabaseErrorKind::SerializationFailure,
            _,
        )
        | DieselError::BrokenTransactionManager => true,
        DieselError::DatabaseError(_, info) => is_transient_message(info.message()),
        _ => false,
    };
    if transient {
        StoreError::unavailable(error)
    } else {
        StoreError::database(error)
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
pub(crate) fn pool_error(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::unavailable(error)
}

/// Whether a transaction that failed this way may simply run again: the database gave up on it (a deadlock
/// between concurrent writers, a serialization failure, a busy SQLite file) rather than refusing it.
pub(crate) fn is_retryable(error: &StoreError) -> bool {
    if !error.is_unavailable() {
        return false;
    }
    let message = error.backend_error().to_string().to_ascii_lowercase();
    [
        "deadlock",
        "serializ",
        "database is locked",
        "lock wait timeout",
    ]
    .iter()
    .any(|needle| message.contains(needle))
}
