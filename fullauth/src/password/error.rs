use std::fmt;

/// Why a password could not be hashed or checked; the source is argon2's or the operating system's error.
#[derive(Debug)]
#[non_exhaustive]
pub enum HashError {
    /// The cost parameters are not a valid Argon2 parameter set.
    Parameters(argon2::Error),
    /// Argon2 refused to hash.
    Hashing(argon2::password_hash::Error),
    /// The hasher was shut down.
    Closed,
    /// A hashing thread could not be started.
    Spawn(std::io::Error),
    /// The hashing job failed without an answer (it panicked; the thread goes on).
    WorkerFailed,
}

impl fmt::Display for HashError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HashError::Parameters(error) => write!(f, "invalid Argon2 parameters: {error}"),
            HashError::Hashing(error) => write!(f, "password hashing failed: {error}"),
            HashError::Closed => f.write_str("the password hasher is closed"),
            HashError::Spawn(error) => {
                write!(f, "could not start a password hashing thread: {error}")
            }
            HashError::WorkerFailed => {
                f.write_str("the password hashing job failed without an answer")
            }
        }
    }
}

impl std::error::Error for HashError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HashError::Parameters(error) => Some(error),
            HashError::Hashing(error) => Some(error),
            HashError::Spawn(error) => Some(error),
            HashError::Closed | HashError::WorkerFailed => None,
        }
    }
}
