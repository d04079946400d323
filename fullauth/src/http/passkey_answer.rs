//! The answers to refused passkey operations, in the Python library's words.

use axum::http::StatusCode;

use crate::error::PasskeyFailure;

/// The status and `detail` of a refused passkey operation. Every failed sign-in answers the same 401, whatever
/// failed; the reason goes to the audit log.
pub(super) fn passkey_answer(failure: PasskeyFailure) -> (StatusCode, &'static str) {
    match failure {
        PasskeyFailure::NotEnabled => (StatusCode::NOT_FOUND, "Passkeys are not enabled"),
        PasskeyFailure::ChallengeInvalid => {
            (StatusCode::BAD_REQUEST, "Challenge expired or invalid")
        }
        PasskeyFailure::RegistrationFailed(reason) => {
            tracing::info!(target: "fullauth::audit", %reason, "passkey registration refused");
            (StatusCode::BAD_REQUEST, "Passkey registration failed")
        }
        PasskeyFailure::SignInFailed(reason) => {
            tracing::info!(target: "fullauth::audit", %reason, "passkey sign-in refused");
            (StatusCode::UNAUTHORIZED, "Passkey authentication failed")
        }
        PasskeyFailure::NotFound => (StatusCode::NOT_FOUND, "Passkey not found"),
        PasskeyFailure::OnlySignInMethod => (
            StatusCode::BAD_REQUEST,
            "Cannot remove your only sign-in method. Set a password or add a passkey first.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sign_in_failure_answers_the_same() {
        for reason in ["unknown credential", "the signature counter went backwards"] {
            assert_eq!(
                passkey_answer(PasskeyFailure::SignInFailed(reason.into())),
                (StatusCode::UNAUTHORIZED, "Passkey authentication failed")
            );
        }
        assert_eq!(
            passkey_answer(PasskeyFailure::RegistrationFailed("bad origin".into())),
            (StatusCode::BAD_REQUEST, "Passkey registration failed")
        );
    }
}
