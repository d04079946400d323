//! [`Error`]: what went wrong, in fullauth's terms. The HTTP layer turns it into an answer in one place
//! ([`crate::ApiError`]'s `From<Error>`); nothing here knows a status code.

use std::fmt;
use std::time::Duration;

use crate::config::ConfigError;
use crate::migrations::MigrationError;
use crate::password::HashError;
use crate::shared_state::StateError;
use crate::store::StoreError;
use crate::tokens::TokenError;

/// Everything that can go wrong when setting fullauth up or running one of its operations.
///
/// The first variants say why a request was refused; the others carry the failure of a component (the database,
/// the shared state, hashing, signing, a background task) with that component's own error as the source.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// An option is missing, malformed or out of range.
    Config(ConfigError),
    /// The credentials do not prove who the caller is: an unknown account or a wrong password, an inactive or
    /// locked account, an invalid, expired or revoked token, a mail link that was used or no longer fits the
    /// account. Deliberately one case, so that answers tell an attacker nothing.
    InvalidCredentials,
    /// The caller is known but lacks the role or permission the operation needs.
    Forbidden,
    /// A sensitive action asked for proof that the account's owner is present, and the proof failed.
    Reauthentication(ReauthFailure),
    /// The current password given with a password change is wrong.
    WrongCurrentPassword,
    /// A new password breaks the password policy; one sentence per broken rule.
    WeakPassword(Vec<String>),
    /// A role or permission name that can never be stored.
    InvalidName {
        /// `"role"` or `"permission"`.
        kind: &'static str,
        /// What is wrong with it, e.g. `must not be empty`.
        reason: &'static str,
    },
    /// Too many requests from one client in one rate-limit window.
    RateLimited {
        /// Requests allowed per window.
        limit: u64,
        /// Time until the window ends.
        retry_after: Duration,
    },
    /// A role operation on a user model that declares no role models.
    RolesNotDeclared,
    /// An OAuth sign-in, link or unlink was refused.
    OAuth(OAuthFailure),
    /// A passkey ceremony, or deleting a passkey, was refused.
    Passkey(PasskeyFailure),
    /// Enrolling in MFA, confirming or disabling it was refused. (A refused second factor at sign-in is
    /// [`Error::InvalidCredentials`], like every refused sign-in.)
    Mfa(MfaFailure),
    /// The application's claims hook failed, or gave claims that cannot be put in a token; the message says
    /// which. Nothing was issued.
    CustomClaims(String),
    /// Deleting or deactivating the user would leave no active superuser, and nobody could administer the system.
    LastSuperuser,
    /// A request was to be rate-limited by its client's address, but the server does not record peers: it was
    /// served without connection info, so every client would share one bucket (and one client could limit all
    /// of them out). Answered 500 until the server is started the way the message says.
    NoClientAddress,
    /// The store failed.
    Store(StoreError),
    /// The shared state failed.
    SharedState(StateError),
    /// Password hashing failed.
    Hashing(HashError),
    /// A token could not be issued.
    Token(TokenError),
    /// Migration folders could not be read or written. (Applying migrations is a store operation: its failure is
    /// [`Error::Store`], with the migration's error as the source.)
    Migration(MigrationError),
    /// A task that finishes an operation after its request ended panicked or was cancelled.
    Task(tokio::task::JoinError),
}

/// Why a proof of presence failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReauthFailure {
    /// The password given is not the account's.
    WrongPassword,
    /// No password was given (or the account has none) and the sign-in is older than
    /// `sign_in.reauth_max_age_seconds`.
    SignInTooOld,
}

/// Why an OAuth operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OAuthFailure {
    /// No provider of that name is configured.
    ProviderNotConfigured(String),
    /// The redirect URI is not in the provider's allow-list.
    InvalidRedirectUri,
    /// The callback could not sign in or link anyone; the reason is for logs only, the answer is the same for
    /// every reason.
    Failed(String),
    /// The identity is linked to another user.
    IdentityOwned,
    /// The user has linked another identity of this provider already.
    ProviderAlreadyLinked,
    /// The user has no link to this provider.
    AccountNotFound,
    /// The link is the user's only way to sign in. The answer names the ways to add another that this
    /// deployment offers: a password, and a passkey when passkeys are on.
    OnlySignInMethod {
        /// Whether passkeys are on, so that adding one is a way out.
        passkeys_available: bool,
    },
    /// The user model declares no OAuth-account model, or no providers are configured.
    NotEnabled,
}

/// Why a passkey operation was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PasskeyFailure {
    /// Passkeys are off (no `passkey.rp_id`), or the user model declares no passkey model.
    NotEnabled,
    /// The `challenge_key` names no open registration of the caller: unknown, expired, used, or another user's.
    ChallengeInvalid,
    /// The registration credential failed a check or is registered already; the reason is for logs only.
    RegistrationFailed(String),
    /// The sign-in failed; the reason is for logs only, the answer is the same for every reason.
    SignInFailed(String),
    /// The user has no passkey with this id.
    NotFound,
    /// The passkey is the user's only way to sign in.
    OnlySignInMethod,
}

/// Why an MFA operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MfaFailure {
    /// MFA is off (no `mfa.issuer`, or `mfa.enabled` false), or the user model declares no MFA model.
    NotEnabled,
    /// An enrolment was asked for while MFA is on already.
    AlreadyEnabled,
    /// A confirmation was sent while MFA is on already.
    AlreadyConfirmed,
    /// A confirmation was sent without an enrolment waiting for it.
    NotEnrolled,
    /// The confirming code is not the enrolment secret's current one (or was used already).
    InvalidCode,
}

impl Error {
    #[cfg(feature = "passkey")]
    pub(crate) fn passkey_registration_failed(reason: &impl fmt::Display) -> Self {
        Error::Passkey(PasskeyFailure::RegistrationFailed(reason.to_string()))
    }

    #[cfg(feature = "passkey")]
    pub(crate) fn passkey_sign_in_failed(reason: &impl fmt::Display) -> Self {
        Error::Passkey(PasskeyFailure::SignInFailed(reason.to_string()))
    }

    #[cfg(feature = "oauth")]
    pub(crate) fn oauth_failed(reason: impl fmt::Display) -> Self {
        Error::OAuth(OAuthFailure::Failed(reason.to_string()))
    }

    pub(crate) fn config(option: &str, reason: &str) -> Self {
        Error::Config(ConfigError::invalid(option, reason))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config(error) => error.fmt(f),
            Error::InvalidCredentials => f.write_str("invalid credentials"),
            Error::Forbidden => f.write_str("not enough permissions"),
            Error::Reauthentication(ReauthFailure::WrongPassword) => {
                f.write_str("re-authentication failed: wrong password")
            }
            Error::Reauthentication(ReauthFailure::SignInTooOld) => {
                f.write_str("re-authentication required: the sign-in is too old")
            }
            Error::WrongCurrentPassword => f.write_str("the current password is incorrect"),
            Error::WeakPassword(rules) => write!(f, "weak password: {}", rules.join("; ")),
            Error::InvalidName { kind, reason } => write!(f, "the {kind} name {reason}"),
            Error::RateLimited { limit, retry_after } => write!(
                f,
                "rate limit of {limit} requests reached; retry in {}s",
                retry_after.as_secs()
            ),
            Error::NoClientAddress => f.write_str(
                "the client's address is unknown, so rate limits cannot tell clients apart: serve the app with \
                 `fullauth::serve(address, app)` or `axum::serve(listener, \
                 app.into_make_service_with_connect_info::<std::net::SocketAddr>())`, or turn rate limits off \
                 (FULLAUTH_AUTH_RATE_LIMIT_ENABLED=false)",
            ),
            Error::LastSuperuser => f.write_str(
                "the last active superuser cannot be deleted or deactivated: make another user a superuser first",
            ),
            Error::RolesNotDeclared => f.write_str(
                "a role operation was called, but the user model declares no role models (FullAuthRole, \
                 FullAuthPermission, FullAuthUserRole, FullAuthRolePermission)",
            ),
            Error::OAuth(failure) => write!(f, "OAuth refused: {failure:?}"),
            Error::Passkey(failure) => write!(f, "passkey operation refused: {failure:?}"),
            Error::Mfa(failure) => write!(f, "MFA operation refused: {failure:?}"),
            Error::CustomClaims(message) => f.write_str(message),
            Error::Store(error) => error.fmt(f),
            Error::SharedState(error) => error.fmt(f),
            Error::Hashing(error) => error.fmt(f),
            Error::Token(error) => write!(f, "issuing a token failed: {error}"),
            Error::Migration(error) => error.fmt(f),
            Error::Task(error) => write!(f, "a detached task failed: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Config(error) => Some(error),
            Error::Store(error) => Some(error),
            Error::SharedState(error) => Some(error),
            Error::Hashing(error) => Some(error),
            Error::Token(error) => Some(error),
            Error::Migration(error) => Some(error),
            Error::Task(error) => Some(error),
            Error::InvalidCredentials
            | Error::Forbidden
            | Error::Reauthentication(_)
            | Error::WrongCurrentPassword
            | Error::WeakPassword(_)
            | Error::InvalidName { .. }
            | Error::RateLimited { .. }
            | Error::RolesNotDeclared
            | Error::OAuth(_)
            | Error::Passkey(_)
            | Error::Mfa(_)
            | Error::CustomClaims(_)
            | Error::LastSuperuser
            | Error::NoClientAddress => None,
        }
    }
}

macro_rules! from_component {
    ($($source:ty => $variant:ident),* $(,)?) => {
        $(
            impl From<$source> for Error {
                fn from(error: $source) -> Self {
                    Error::$variant(error)
                }
            }
        )*
    };
}

from_component!(
    ConfigError => Config,
    StoreError => Store,
    StateError => SharedState,
    HashError => Hashing,
    TokenError => Token,
    MigrationError => Migration,
    tokio::task::JoinError => Task,
);
