use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What a token is for. Decoding checks it, so a refresh token never passes as an access token; each purpose is
/// also signed with its own derived key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TokenType {
    /// Authenticates API requests.
    Access,
    /// Exchanged for a new token pair at `POST /refresh`.
    Refresh,
    /// Sent by mail to confirm an email address; bound to that address.
    EmailVerification,
    /// Sent by mail to set a new password; dies when the password (or the address) changes.
    PasswordReset,
    /// The `state` of an OAuth sign-in or link started at a provider; bound to the client that started it.
    OAuthState,
    /// The `mfa_token` of a sign-in that waits for its second factor; dies when the password changes.
    MfaPending,
}

impl TokenType {
    /// Every purpose, each signed with its own key.
    pub const ALL: [TokenType; 6] = [
        TokenType::Access,
        TokenType::Refresh,
        TokenType::EmailVerification,
        TokenType::PasswordReset,
        TokenType::OAuthState,
        TokenType::MfaPending,
    ];
}

impl TokenType {
    /// The value of the `type` claim.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Access => "access",
            TokenType::Refresh => "refresh",
            TokenType::EmailVerification => "email_verification",
            TokenType::PasswordReset => "password_reset",
            TokenType::OAuthState => "oauth_state",
            TokenType::MfaPending => "mfa_pending",
        }
    }
}

/// The claims of a fullauth JWT, as fastapi-fullauth writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id, as a string.
    pub sub: String,
    /// Expiry, seconds since the epoch.
    pub exp: i64,
    /// Issue time, seconds since the epoch.
    pub iat: i64,
    /// Unique token id (32 hex characters).
    pub jti: String,
    /// Purpose of the token.
    #[serde(rename = "type")]
    pub token_type: TokenType,
    /// Role names of the user at issue time (access tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// Permission names the user held through their roles at issue time (access tokens, when guards read the
    /// token: `roles.check = token`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Vec<String>>,
    /// Whether the user was a superuser at issue time (access tokens, when guards read the token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_superuser: Option<bool>,
    /// Application-defined claims (access tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Map<String, Value>>,
    /// The session (refresh-token family) the token belongs to: 32 hexadecimal digits, as fastapi-fullauth writes
    /// it (a hyphenated UUID is read too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_id: Option<String>,
    /// When the user last proved their identity (password, passkey, provider), seconds since the epoch.
    #[serde(default)]
    pub auth_time: i64,
    /// Not before, seconds since the epoch. fullauth never sets it; a token issued elsewhere with the secret may,
    /// and is refused until then (beyond the leeway).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    /// Issuer, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Audience, when configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
    /// Mail tokens: a keyed fingerprint of the account state the token was issued for (the address of a
    /// verification token; the address and password hash of a reset token). The token works only while the
    /// account still has that state, and reveals nothing of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fp: Option<String>,
    /// OAuth state: the redirect URI the sign-in started with, which the code exchange must repeat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_uri: Option<String>,
}

impl Claims {
    /// The family id parsed as a UUID.
    pub fn family(&self) -> Option<uuid::Uuid> {
        self.family_id
            .as_deref()
            .and_then(|id| uuid::Uuid::try_parse(id).ok())
    }
}
