//! The gate every sign-in passes once the user proved who they are, whatever the way: a password, an OAuth
//! provider, a passkey, or the second factor itself. It either opens the session or, for a user with MFA on,
//! hands out the `mfa_token` that `POST /mfa/verify` exchanges for one.

use super::FullAuth;
use super::sessions::ClientInfo;
use super::token_pair::TokenPair;
use crate::error::Error;
use crate::events::AuthEvent;
use crate::model::{FullAuthUser, now};
use crate::tokens::{AccessGrants, TokenType};

/// How a sign-in proved who the user is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Proof<'a> {
    /// The password, checked against this hash: the session opens only while it is still the account's.
    Password { verified_hash: Option<&'a str> },
    /// An OAuth provider vouched for a linked identity.
    #[cfg_attr(not(feature = "oauth"), allow(dead_code))]
    Provider,
    /// A passkey's assertion, with or without the authenticator's user-verification flag.
    #[cfg_attr(not(feature = "passkey"), allow(dead_code))]
    Passkey {
        /// Whether the authenticator verified the user (PIN, biometrics).
        #[cfg_attr(not(feature = "mfa"), allow(dead_code))]
        user_verified: bool,
    },
    /// A first factor and then the second: the code of a sign-in that waited for it, bound to this hash.
    #[cfg_attr(not(feature = "mfa"), allow(dead_code))]
    BothFactors { verified_hash: Option<&'a str> },
}

impl Proof<'_> {
    /// The password hash the session must still find on the account, if the proof was checked against one.
    fn verified_hash(&self) -> Option<&str> {
        match self {
            Proof::Password { verified_hash } | Proof::BothFactors { verified_hash } => {
                *verified_hash
            }
            Proof::Provider | Proof::Passkey { .. } => None,
        }
    }
}

/// How a sign-in that proved the user's identity ends.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignIn {
    /// A session is open: the tokens of the `LoginResponse`.
    Session(TokenPair),
    /// The user has MFA on: no session exists yet. The token, short-lived and single-use, is exchanged with a
    /// code from the user's authenticator (or a recovery code) at `POST /mfa/verify` ([`FullAuth::mfa_verify`]).
    MfaRequired {
        /// The `mfa_token` of the `202` answer.
        mfa_token: String,
    },
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignIn::Session(tokens) => f.debug_tuple("Session").field(tokens).finish(),
            SignIn::MfaRequired { mfa_token } => f
                .debug_struct("MfaRequired")
                .field("mfa_token", &crate::tokens::Redacted(mfa_token))
                .finish(),
        }
    }
}

/// [`SignIn`] with what the access token grants, so that the answer can show the user's roles without reading
/// them again.
pub(crate) enum Passed {
    Session(TokenPair, AccessGrants),
    MfaRequired(String),
}

impl From<Passed> for SignIn {
    fn from(passed: Passed) -> Self {
        match passed {
            Passed::Session(tokens, _) => SignIn::Session(tokens),
            Passed::MfaRequired(mfa_token) => SignIn::MfaRequired { mfa_token },
        }
    }
}

impl<U: FullAuthUser> FullAuth<U> {
    /// Lets a user who proved their identity in: asks for the second factor when they have MFA on and `proof`
    /// is not both factors already; otherwise opens the session and announces the sign-in.
    ///
    /// The one function every way of signing in calls, so that none of them skips the second factor.
    pub(crate) async fn pass_sign_in_gate(
        &self,
        user: &U,
        client: &ClientInfo,
        proof: Proof<'_>,
    ) -> Result<Passed, Error> {
        if let Some(mfa_token) = self.second_factor_pending(user, &proof).await? {
            return Ok(Passed::MfaRequired(mfa_token));
        }
        let (tokens, grants) = self
            .start_session_granting(user, client, proof.verified_hash())
            .await?;
        self.inner
            .events
            .emit(AuthEvent::AfterLogin { user: user.clone() });
        Ok(Passed::Session(tokens, grants))
    }

    /// The `mfa_token` of a sign-in of `user` that waits for its second factor: short-lived, and bound to the
    /// account's address and password hash as they are now.
    pub(crate) fn issue_mfa_token(&self, user: &U) -> Result<String, Error> {
        let issued = self.inner.tokens.issue_mail_token(
            TokenType::MfaPending,
            user.id().to_string(),
            self.inner.config.mfa.pending_lifetime(),
            self.state_fingerprint(user, TokenType::MfaPending),
            now(),
        )?;
        Ok(issued.token)
    }

    /// Without the `mfa` feature, no sign-in waits for a second factor.
    #[cfg(not(feature = "mfa"))]
    async fn second_factor_pending(&self, _: &U, _: &Proof<'_>) -> Result<Option<String>, Error> {
        Ok(None)
    }
}
