//! [`EnvReader`]: the `FULLAUTH_*` variables, read option by option.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;

use super::setting::{ConfigError, ENV_PREFIX, Setting};

/// The `FULLAUTH_*` variables, read option by option into the groups of [`FullAuthConfig`]; it remembers which
/// variables the settings asked for, so that the ones nothing reads can be named. Every setting asks for its
/// variable whatever the other variables hold (only the OAuth providers' variables are found by prefix).
pub(crate) struct EnvReader {
    vars: HashMap<String, String>,
    asked_for: RefCell<BTreeSet<String>>,
}

impl EnvReader {
    pub(crate) fn new(vars: impl Iterator<Item = (String, String)>) -> Self {
        Self {
            vars: vars.collect(),
            asked_for: RefCell::default(),
        }
    }

    /// The raw value of a setting's variable, when it is set.
    pub(crate) fn value(&self, setting: Setting) -> Option<&str> {
        let name = format!("{ENV_PREFIX}{}", setting.variable);
        let value = self.vars.get(&name).map(String::as_str);
        self.asked_for.borrow_mut().insert(name);
        value
    }

    /// Every variable a setting asked for, prefix included, whether it was set or not.
    pub(crate) fn asked_for(self) -> BTreeSet<String> {
        self.asked_for.into_inner()
    }

    /// Every variable whose name starts with `prefix`, as (the rest of the name, value), in name order.
    pub(crate) fn with_prefix<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        let mut matching: Vec<(&str, &str)> = self
            .vars
            .iter()
            .filter_map(|(name, value)| Some((name.strip_prefix(prefix)?, value.as_str())))
            .collect();
        matching.sort_unstable();
        matching.into_iter()
    }

    /// A value of a type that parses from text.
    pub(crate) fn parse<T: FromStr>(
        &self,
        setting: Setting,
        target: &mut T,
    ) -> Result<(), ConfigError>
    where
        T::Err: fmt::Display,
    {
        if let Some(value) = self.value(setting) {
            *target = parse_value(setting, value)?;
        }
        Ok(())
    }

    /// A value that is `None` unless the variable is set.
    pub(crate) fn optional<T: FromStr>(
        &self,
        setting: Setting,
        target: &mut Option<T>,
    ) -> Result<(), ConfigError>
    where
        T::Err: fmt::Display,
    {
        if let Some(value) = self.value(setting) {
            *target = Some(parse_value(setting, value)?);
        }
        Ok(())
    }

    /// `true`/`false`/`1`/`0` in any case.
    pub(crate) fn flag(&self, setting: Setting, target: &mut bool) -> Result<(), ConfigError> {
        if let Some(value) = self.value(setting) {
            // The words pydantic reads as booleans, so that fastapi-fullauth's settings read the same here.
            *target = match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" | "t" | "y" => true,
                "false" | "0" | "no" | "off" | "f" | "n" => false,
                _ => {
                    return Err(setting
                        .invalid(&format!(
                            "= {value:?}: expected true or false (or 1/0, yes/no, on/off)"
                        ))
                        .in_environment());
                }
            };
        }
        Ok(())
    }

    /// A fastapi-fullauth switch for something fullauth always does: `true` is accepted, `false` refused with
    /// `why`, rather than ignored.
    pub(crate) fn always_on(&self, setting: Setting, why: &str) -> Result<(), ConfigError> {
        let mut on = true;
        self.flag(setting, &mut on)?;
        if on {
            Ok(())
        } else {
            Err(setting
                .invalid(&format!(
                    "= false, but fullauth cannot turn this off: {why}"
                ))
                .in_environment())
        }
    }

    /// A JSON array of strings, or comma-separated values; blanks dropped.
    pub(crate) fn list(
        &self,
        setting: Setting,
        target: &mut Vec<String>,
    ) -> Result<(), ConfigError> {
        let Some(value) = self.value(setting) else {
            return Ok(());
        };
        let trimmed = value.trim();
        *target = if trimmed.starts_with('[') {
            serde_json::from_str::<Vec<String>>(trimmed).map_err(|error| {
                setting
                    .invalid(&format!("is not a JSON list of strings: {error}"))
                    .in_environment()
            })?
        } else {
            trimmed
                .split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Ok(())
    }

    /// Text, trimmed.
    pub(crate) fn text(&self, setting: Setting, target: &mut String) {
        if let Some(value) = self.value(setting) {
            value.trim().clone_into(target);
        }
    }

    /// Text, trimmed; an empty value unsets the option.
    pub(crate) fn optional_text(&self, setting: Setting, target: &mut Option<String>) {
        if let Some(value) = self.value(setting) {
            let value = value.trim();
            *target = (!value.is_empty()).then(|| value.to_owned());
        }
    }
}

fn parse_value<T: FromStr>(setting: Setting, value: &str) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    value.trim().parse().map_err(|error| {
        setting
            .invalid(&format!("= {value:?}: {error}"))
            .in_environment()
    })
}
