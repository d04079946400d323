//! [`PasskeyError`]: why a ceremony was refused.

use webauthn_rs_core::error::WebauthnError;

/// Why a passkey ceremony was refused. Every case answers the client the same way (registration 400, sign-in
/// 401); the case is for the server's logs.
#[derive(Debug)]
#[non_exhaustive]
pub enum PasskeyError {
    /// The credential the client sent is not WebAuthn JSON of the expected ceremony.
    Malformed(serde_json::Error),
    /// The signature counter did not move forward: the authenticator may have been cloned.
    CounterRegressed,
    /// WebAuthn's checks refused the ceremony: origin, RP id, challenge, flags, signature or encoding.
    Refused(WebauthnError),
    /// The stored credential cannot be read back.
    StoredCredential(serde_json::Error),
}

impl std::fmt::Display for PasskeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PasskeyError::Malformed(error) => write!(f, "malformed credential: {error}"),
            PasskeyError::CounterRegressed => {
                f.write_str("the signature counter went backwards (a cloned authenticator?)")
            }
            PasskeyError::Refused(error) => write!(f, "refused by WebAuthn checks: {error}"),
            PasskeyError::StoredCredential(error) => {
                write!(f, "the stored credential cannot be read: {error}")
            }
        }
    }
}

impl std::error::Error for PasskeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PasskeyError::Malformed(error) | PasskeyError::StoredCredential(error) => Some(error),
            PasskeyError::Refused(error) => Some(error),
            PasskeyError::CounterRegressed => None,
        }
    }
}

impl From<WebauthnError> for PasskeyError {
    fn from(error: WebauthnError) -> Self {
        match error {
            WebauthnError::CredentialPossibleCompromise => PasskeyError::CounterRegressed,
            other => PasskeyError::Refused(other),
        }
    }
}
