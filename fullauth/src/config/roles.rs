//! Roles: where the role and permission guards read a user's roles.

use super::env_reader::EnvReader;
use super::setting::{ConfigError, Setting};

const ROLE_CHECK: Setting = Setting::new("roles.check", "ROLE_CHECK");

/// How the role and permission guards decide.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct RoleConfig {
    /// Where role and permission guards read a user's roles: the database (default: a removed role stops working
    /// at the next request) or the access token (no query, but stale for up to one token lifetime)
    /// (`FULLAUTH_ROLE_CHECK`).
    pub check: RoleCheck,
}

impl RoleConfig {
    pub(super) fn read(&mut self, env: &EnvReader) -> Result<(), ConfigError> {
        env.parse(ROLE_CHECK, &mut self.check)
    }
}

/// Where role and permission guards read a user's roles.
///
/// | | `Database` (default) | `Token` |
/// |---|---|---|
/// | a removed role, permission or superuser flag | refused at the next request | still passes until the access token expires (`tokens.access_token_expire_minutes`) |
/// | a deactivated or deleted user, a signed-out session | refused | refused (revocations are in the shared state) |
/// | cost per guarded request | two indexed queries | none: the token's signed `roles`, `permissions` and `is_superuser` claims |
///
/// `Token` suits many instances under heavy load that can live with that delay; access tokens then carry the
/// permissions and the superuser flag too. Tokens issued before switching to `Token` lack them, so their guards
/// refuse (403) until the client refreshes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RoleCheck {
    /// Guards load the user and their roles from the database on every request.
    #[default]
    Database,
    /// Guards trust the roles and permissions signed into the access token when it was issued.
    Token,
}

impl RoleCheck {
    /// The name used in `FULLAUTH_ROLE_CHECK`.
    pub fn name(self) -> &'static str {
        match self {
            RoleCheck::Database => "database",
            RoleCheck::Token => "token",
        }
    }
}

impl std::str::FromStr for RoleCheck {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.trim().to_ascii_lowercase().as_str() {
            "database" => Ok(RoleCheck::Database),
            "token" => Ok(RoleCheck::Token),
            other => Err(format!(
                "`{other}` is not a role check: use `database` or `token`"
            )),
        }
    }
}
