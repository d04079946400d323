//! Configuration: every option in code, grouped by concern, and each one from a `FULLAUTH_*` environment
//! variable ([`FullAuthConfig::from_env`]).
//!
//! Each group has a file that holds its options, their defaults, their environment variables and their checks:
//! adding an option touches that file alone (and the README's table).

mod cookies;
mod cross_origin;
mod env;
mod env_reader;
mod full_auth_config;
mod lockout;
mod mail;
mod mfa;
mod network;
mod oauth;
#[cfg(test)]
mod oauth_from_env;
mod oauth_provider;
mod origin;
mod passkey;
mod passwords;
mod proxies;
mod rate_limits;
mod roles;
mod routes;
mod secret;
mod setting;
mod shared_state;
mod sign_in;
mod tokens;
mod unread_variables;

pub use cookies::{CookieConfig, SameSite};
pub use cross_origin::{CorsConfig, CsrfConfig};
pub use full_auth_config::FullAuthConfig;
pub use lockout::LockoutConfig;
pub use mail::{MailConfig, SmtpUrl};
pub use mfa::MfaConfig;
pub use network::{InvalidNetwork, IpNetwork};
pub use oauth::OAuthConfig;
pub use oauth_provider::{
    ClientSecret, MAX_PROVIDER_NAME_LENGTH, OAuthProviderConfig, ProviderKind, is_safe_endpoint,
};
pub(crate) use origin::{
    is_loopback_host, normalized_origin, origin_of_url, origin_or_panic, same_origin,
};
pub use passkey::PasskeyConfig;
pub use passwords::{PasswordConfig, PasswordHashCost};
pub use proxies::ProxyConfig;
pub use rate_limits::RateLimitConfig;
pub use roles::{RoleCheck, RoleConfig};
pub use routes::RouteConfig;
pub use secret::SecretKey;
pub use setting::ConfigError;
pub(crate) use setting::Setting;
pub use shared_state::{RedisUrl, SharedStateConfig};
pub use sign_in::SignInConfig;
pub use tokens::{JwtAlgorithm, PrivateKeyPem, TokenConfig};
pub(crate) use tokens::{PRIVATE_KEY, PRIVATE_KEY_FILE, RETIRED_KEY_FILES};
