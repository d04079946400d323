//! The state of an open ceremony, kept server-side between its begin and complete routes, and the
//! `challenge_key` that names it.

use serde::{Deserialize, Serialize};
use webauthn_rs_core::proto::{AuthenticationState, RegistrationState};

/// Which ceremony a `challenge_key` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ceremony {
    /// Adding a passkey to a signed-in user.
    Registration,
    /// Signing in with a passkey.
    SignIn,
}

impl Ceremony {
    fn prefix(self) -> &'static str {
        match self {
            Ceremony::Registration => "passkey:reg:",
            Ceremony::SignIn => "passkey:auth:",
        }
    }

    /// A new, unguessable `challenge_key` for this ceremony: its prefix and 128 random bits in hex.
    pub fn new_key(self) -> String {
        format!("{}{}", self.prefix(), crate::random::hex(16))
    }

    /// The key in the shared state of the ceremony a client's `challenge_key` names, or `None` when it cannot
    /// name one of this kind (another kind's key, or no key fullauth makes).
    pub fn state_key(self, challenge_key: &str) -> Option<String> {
        let random = challenge_key.strip_prefix(self.prefix())?;
        let well_formed = random.len() == 32
            && random
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte));
        well_formed.then(|| format!("fullauth:passkey:{challenge_key}"))
    }
}

/// An open registration: whose it is, and webauthn-rs's state.
#[derive(Debug, Serialize, Deserialize)]
pub struct OpenRegistration {
    /// The user id, as text, of the user who began it.
    pub user: String,
    /// The ceremony's state.
    pub state: RegistrationState,
}

/// An open sign-in: the user the email named, if any, and webauthn-rs's state.
#[derive(Debug, Serialize, Deserialize)]
pub struct OpenSignIn {
    /// The user id, as text, of the user whose passkeys the options listed; `None` for any passkey.
    pub user: Option<String>,
    /// The ceremony's state.
    pub state: AuthenticationState,
}

#[cfg(test)]
mod tests {
    use super::Ceremony;

    #[test]
    fn keys_name_one_kind_of_ceremony() {
        let key = Ceremony::Registration.new_key();
        assert!(key.starts_with("passkey:reg:") && key.len() == 44, "{key}");
        assert_eq!(
            Ceremony::Registration.state_key(&key),
            Some(format!("fullauth:passkey:{key}"))
        );
        assert_eq!(Ceremony::SignIn.state_key(&key), None);
        for foreign in [
            "",
            "passkey:reg:",
            "passkey:reg:0123456789ABCDEF0123456789abcdef",
            "passkey:reg:0123456789abcdef0123456789abcdef0",
            "fullauth:revoked:jti:x",
        ] {
            assert_eq!(Ceremony::Registration.state_key(foreign), None, "{foreign}");
        }
        assert_ne!(Ceremony::SignIn.new_key(), Ceremony::SignIn.new_key());
    }
}
