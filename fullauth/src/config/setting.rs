//! [`Setting`]: where an option lives and which variable sets it; [`ConfigError`]: an option that is wrong.

use std::fmt;

/// Prefix of every environment variable fullauth reads.
pub const ENV_PREFIX: &str = "FULLAUTH_";

/// One option: its path in [`super::FullAuthConfig`] and its environment variable (without [`ENV_PREFIX`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Setting {
    /// E.g. `tokens.access_token_expire_minutes`.
    pub(crate) field: &'static str,
    /// E.g. `ACCESS_TOKEN_EXPIRE_MINUTES`.
    pub(crate) variable: &'static str,
}

impl Setting {
    pub(crate) const fn new(field: &'static str, variable: &'static str) -> Self {
        Self { field, variable }
    }

    /// The refusal of this option's value.
    pub(crate) fn invalid(self, reason: &str) -> ConfigError {
        ConfigError {
            option: self.field.to_owned(),
            variable: Some(self.variable),
            reason: reason.to_owned(),
        }
    }
}

/// A configuration value that is missing, malformed or out of range; the message names the option: its path in
/// [`super::FullAuthConfig`], or its environment variable when it was read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    option: String,
    variable: Option<&'static str>,
    reason: String,
}

impl ConfigError {
    /// The refusal of something that is not one of the options (a model, a URL handed to a constructor).
    pub(crate) fn invalid(option: &str, reason: &str) -> Self {
        Self {
            option: option.to_owned(),
            variable: None,
            reason: reason.to_owned(),
        }
    }

    /// The option or environment variable at fault.
    pub fn option(&self) -> &str {
        &self.option
    }

    /// Why it is refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The same refusal, naming the environment variable the value came from.
    pub(crate) fn in_environment(self) -> Self {
        match self.variable {
            Some(variable) => Self {
                option: format!("{ENV_PREFIX}{variable}"),
                ..self
            },
            None => self,
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration: {} {}", self.option, self.reason)
    }
}

impl std::error::Error for ConfigError {}
