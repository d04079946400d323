//! fastapi-fullauth's settings configure fullauth too: every field of its `FullAuthConfig`, written as the
//! `FULLAUTH_*` variable it reads and with the value its own validation settles on, is read by fullauth, and
//! together they make a valid fullauth configuration, with lists in either of the two forms both libraries read.

use std::collections::BTreeMap;
use std::process::Command;

use fullauth::FullAuthConfig;
use fullauth_tests::example_server::TempDir;
use serde_json::Value;

/// Builds fastapi-fullauth's configuration with every optional setting given (so that none is left out as
/// `None`) and prints each field as `FULLAUTH_<NAME>`: booleans as `true`/`false`, lists and the rate-limit
/// buckets as JSON.
const DUMP_SETTINGS: &str = r#"
import dataclasses, json
from fastapi_fullauth.config import FullAuthConfig

config = FullAuthConfig(
    SECRET_KEY="a-secret-key-of-more-than-32-characters",
    JWT_ISSUER="https://auth.example.com",
    JWT_AUDIENCE="example-app",
    REDIS_URL="redis://127.0.0.1:6379/0",
    ORIGINS=["http://localhost:8000"],
    PASSKEY_RP_ID="localhost",
    PASSKEY_RP_NAME="Example",
    MFA_ISSUER="Example",
)
variables = {}
for name in type(config).model_fields:
    value = getattr(config, name)
    if dataclasses.is_dataclass(value):
        value = dataclasses.asdict(value)
    assert value is not None, name
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (list, dict)):
        text = json.dumps(value)
    else:
        text = str(value)
    variables["FULLAUTH_" + name] = text
print(json.dumps(variables))
"#;

/// The variables, or `None` when there is no Python library to ask (the skip is reported).
fn python_settings() -> Option<BTreeMap<String, String>> {
    let python = fullauth_tests::python::interpreter()?;
    // Run away from any `.env` file, which pydantic-settings would read, and from this process's variables.
    let folder = TempDir::new("python-settings");
    let mut command = Command::new(python);
    command
        .current_dir(folder.path())
        .args(["-c", DUMP_SETTINGS]);
    for (name, _) in std::env::vars() {
        if name.starts_with("FULLAUTH_") {
            command.env_remove(name);
        }
    }
    let output = command.output().expect("the Python interpreter runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).expect("a JSON object of variables"))
}

/// `variables` with every JSON list written as comma-separated values instead.
fn with_comma_separated_lists(variables: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    variables
        .iter()
        .map(|(name, value)| {
            let value = match serde_json::from_str::<Value>(value) {
                Ok(Value::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().expect("a list of strings").to_owned())
                    .collect::<Vec<_>>()
                    .join(","),
                _ => value.clone(),
            };
            (name.clone(), value)
        })
        .collect()
}

pub fn every_setting_is_read() {
    let Some(variables) = python_settings() else {
        return;
    };
    // The settings the wire-compatibility promise names, and the size of the whole set: a dump that lost
    // fields would prove nothing.
    for named in [
        "PASSWORD_MIN_LENGTH",
        "PASSWORD_MAX_LENGTH",
        "PASSWORD_HASH_ALGORITHM",
        "LOGIN_FIELD",
        "PREVENT_LOGIN_TIMING_ATTACKS",
        "REAUTH_MAX_AGE_SECONDS",
        "MAX_LOGIN_ATTEMPTS",
        "LOCKOUT_DURATION_MINUTES",
        "EMAIL_VERIFY_EXPIRE_MINUTES",
        "PASSWORD_RESET_EXPIRE_MINUTES",
        "AUTH_RATE_LIMITS",
        "ROUTER_TAGS",
    ] {
        assert!(
            variables.contains_key(&format!("FULLAUTH_{named}")),
            "{variables:?}"
        );
    }
    assert!(variables.len() >= 48, "{variables:?}");

    for variables in [variables.clone(), with_comma_separated_lists(&variables)] {
        let unread = FullAuthConfig::unread_variables(variables.clone());
        assert!(
            unread.is_empty(),
            "fastapi-fullauth settings fullauth does not read: {unread:?}"
        );
        let config = FullAuthConfig::from_vars(variables.clone()).unwrap_or_else(|error| {
            panic!("fastapi-fullauth's settings are not a valid fullauth configuration: {error}\n{variables:#?}")
        });
        assert_eq!(config.routes.router_tags, ["Auth"]);
        assert_eq!(config.passkey.origins, ["http://localhost:8000"]);
        assert_eq!(
            config.tokens.jwt_issuer.as_deref(),
            Some("https://auth.example.com")
        );
    }
}
