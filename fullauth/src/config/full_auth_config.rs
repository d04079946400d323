//! [`FullAuthConfig`]: every option, one group per concern.

use super::cookies::CookieConfig;
use super::cross_origin::{CorsConfig, CsrfConfig};
use super::lockout::LockoutConfig;
use super::mail::MailConfig;
use super::mfa::MfaConfig;
use super::oauth::OAuthConfig;
use super::passkey::PasskeyConfig;
use super::passwords::PasswordConfig;
use super::proxies::ProxyConfig;
use super::rate_limits::RateLimitConfig;
use super::roles::RoleConfig;
use super::routes::RouteConfig;
use super::secret::SecretKey;
use super::setting::ConfigError;
use super::shared_state::SharedStateConfig;
use super::sign_in::SignInConfig;
use super::tokens::TokenConfig;

/// Every option fullauth reads, grouped by concern. The options keep fastapi-fullauth's names; each can be set
/// from the environment as `FULLAUTH_` + that name in upper case (see [`FullAuthConfig::from_env`]), and each
/// field's documentation names its variable.
///
/// ```
/// let mut config = fullauth::FullAuthConfig::with_secret("a secret of at least thirty-two bytes")?;
/// config.tokens.access_token_expire_minutes = 15;   // FULLAUTH_ACCESS_TOKEN_EXPIRE_MINUTES
/// config.cookies.transport = true;                  // FULLAUTH_COOKIE_TRANSPORT
/// config.validate()?;
/// # Ok::<(), fullauth::ConfigError>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct FullAuthConfig {
    /// HMAC key for tokens, at least 32 bytes. `None` generates a random key at start (tokens then die with the
    /// process) and logs a warning (`FULLAUTH_SECRET_KEY`).
    pub secret_key: Option<SecretKey>,
    /// Signing, lifetimes and rotation of tokens.
    pub tokens: TokenConfig,
    /// The password policy and hashing.
    pub passwords: PasswordConfig,
    /// Signing in, registering and proving presence.
    pub sign_in: SignInConfig,
    /// Account lockout after wrong passwords.
    pub lockout: LockoutConfig,
    /// Per-route rate limits.
    pub rate_limits: RateLimitConfig,
    /// Proxies whose headers tell the client's address.
    pub proxies: ProxyConfig,
    /// Where the routers are mounted, and body sizes.
    pub routes: RouteConfig,
    /// Verification and password-reset mails.
    pub mail: MailConfig,
    /// Where role and permission guards read roles.
    pub roles: RoleConfig,
    /// The state shared by every instance.
    pub shared_state: SharedStateConfig,
    /// Cookie transport and cookie attributes.
    pub cookies: CookieConfig,
    /// The CSRF layer.
    pub csrf: CsrfConfig,
    /// The CORS layer.
    pub cors: CorsConfig,
    /// Sign-in through OAuth and OpenID Connect providers.
    pub oauth: OAuthConfig,
    /// Sign-in with passkeys (WebAuthn).
    pub passkey: PasskeyConfig,
    /// Multi-factor authentication with TOTP codes.
    pub mfa: MfaConfig,
}

impl FullAuthConfig {
    /// The defaults, with a secret key.
    pub fn with_secret(secret: impl Into<Vec<u8>>) -> Result<Self, ConfigError> {
        Ok(Self {
            secret_key: Some(SecretKey::new(secret)?),
            ..Self::default()
        })
    }

    /// Checks that the options fit together; [`crate::FullAuth::builder`] calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.tokens.validate()?;
        self.passwords.validate()?;
        self.sign_in.validate()?;
        self.lockout.validate()?;
        self.rate_limits.validate()?;
        self.proxies.validate()?;
        self.routes.validate()?;
        self.mail.validate()?;
        self.cookies.validate()?;
        self.csrf.validate()?;
        self.cors.validate()?;
        self.oauth.validate()?;
        self.passkey.validate()?;
        self.mfa.validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_values_that_cannot_be_represented() {
        for change in [
            (|c: &mut FullAuthConfig| c.tokens.access_token_expire_minutes = u64::MAX)
                as fn(&mut FullAuthConfig),
            |c| c.tokens.refresh_token_expire_days = 100_000,
            |c| c.tokens.jwt_leeway_seconds = u64::MAX,
            |c| c.sign_in.reauth_max_age_seconds = u64::MAX,
            |c| c.passwords.hash_cost.iterations = 1,
        ] {
            let mut config = FullAuthConfig::default();
            change(&mut config);
            assert!(config.validate().is_err(), "{config:?}");
        }
        assert!(FullAuthConfig::default().validate().is_ok());
    }

    #[test]
    fn errors_name_the_option_in_code_and_the_variable_in_the_environment() {
        let mut config = FullAuthConfig::default();
        config.cookies.host_prefix = true;
        config.cookies.secure = false;
        let error = config.validate().unwrap_err();
        assert_eq!(error.option(), "cookies.host_prefix");
        assert_eq!(
            error.in_environment().option(),
            "FULLAUTH_COOKIE_HOST_PREFIX"
        );
    }
}
