//! Runs a scenario on both servers in lockstep and lists every way their answers differ that the table of
//! deliberate differences does not explain.

use std::collections::BTreeSet;

use crate::observation::Observation;
use crate::scenario::{Side, Step};
use crate::servers::Pair;

/// One thing a scenario does.
pub enum Action {
    /// A request, compared.
    Send(Step),
    /// Keeps the token of the last `kind` mail to `email` in `variable`, on each side.
    Mail {
        email: &'static str,
        kind: &'static str,
        variable: &'static str,
    },
    /// Makes a user a superuser, on each side.
    Superuser(&'static str),
    /// Keeps what each side's authenticator answers to the options kept in `options` in `variable`.
    Authenticator {
        options: &'static str,
        variable: &'static str,
    },
    /// Signs in at the OpenID provider as `account` from the authorization URL kept in `url`, keeping the code
    /// and state it sends back in `code` and `state`, on each side.
    Consent {
        url: &'static str,
        account: &'static str,
    },
    /// Keeps the current TOTP code of the secret in the first variable in the second, on each side.
    Totp {
        secret: &'static str,
        variable: &'static str,
    },
}

impl From<Step> for Action {
    fn from(step: Step) -> Action {
        Action::Send(step)
    }
}

/// Keeps the token of the last `kind` mail (`verify` or `reset`) to `email` in `variable`.
pub fn mail(email: &'static str, kind: &'static str, variable: &'static str) -> Action {
    Action::Mail {
        email,
        kind,
        variable,
    }
}

/// Keeps what each side's passkey answers to the options kept in `options` (by a step's `save_body`) in
/// `variable`, for a `"{json:variable}"` of a later body.
pub fn authenticator(options: &'static str, variable: &'static str) -> Action {
    Action::Authenticator { options, variable }
}

/// Consents at the OpenID provider as `account`, from the authorization URL kept in `url`; the code and state
/// are kept in `code` and `state`.
pub fn consent(url: &'static str, account: &'static str) -> Action {
    Action::Consent { url, account }
}

/// Keeps the current TOTP code of the secret kept in `secret` in `variable`.
pub fn totp(secret: &'static str, variable: &'static str) -> Action {
    Action::Totp { secret, variable }
}

/// Makes the user with `email` a superuser.
pub fn superuser(email: &'static str) -> Action {
    Action::Superuser(email)
}

/// The ids of the deliberate differences: the first column of the table in COMPATIBILITY.md.
pub fn documented_differences() -> BTreeSet<String> {
    let table = include_str!("../../COMPATIBILITY.md");
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`'))
        .map(|(id, _)| id.to_owned())
        .collect()
}

/// What is wrong with two answers to `step`, if anything.
fn judge(
    step: &Step,
    python: &Observation,
    rust: &Observation,
    documented: &BTreeSet<String>,
) -> Option<String> {
    let name = &step.name;
    let Some(difference) = step.differs else {
        return (python != rust).then(|| {
            format!(
                "{name:?}: the answers differ\n  fastapi-fullauth: {python:?}\n  fullauth:         {rust:?}"
            )
        });
    };
    let id = difference.id;
    if !documented.contains(id) {
        return Some(format!(
            "{name:?} is marked as showing the difference `{id}`, which COMPATIBILITY.md does not list"
        ));
    }
    if python == rust {
        return Some(format!(
            "{name:?} is marked as showing the difference `{id}`, but both answered {rust:?}"
        ));
    }
    let (python_rest, rust_rest) = (python.without(difference.at), rust.without(difference.at));
    (!difference.at.is_empty() && python_rest != rust_rest).then(|| {
        format!(
            "{name:?}: the answers differ beyond `{id}` at {:?}\n  fastapi-fullauth: {python_rest:?}\n  fullauth:         \
             {rust_rest:?}",
            difference.at
        )
    })
}

/// Runs `actions` on both servers of `pair`; panics with every unexplained difference, every step marked as
/// differing that no longer does, and every mark that names no row of the table.
pub async fn compare(pair: &Pair, actions: Vec<Action>) {
    let documented = documented_differences();
    let mut python = Side::new("fastapi-fullauth", &pair.python.base);
    let mut rust = Side::new("fullauth", &pair.rust.base);
    let mut problems = Vec::new();
    for action in actions {
        match action {
            Action::Send(step) => {
                let python_answer = python.send(&step).await;
                let rust_answer = rust.send(&step).await;
                if let Some(problem) = judge(&step, &python_answer, &rust_answer, &documented) {
                    problems.push(problem);
                }
            }
            Action::Mail {
                email,
                kind,
                variable,
            } => {
                python.take_mail(email, kind, variable).await;
                rust.take_mail(email, kind, variable).await;
            }
            Action::Superuser(email) => {
                python.make_superuser(email).await;
                rust.make_superuser(email).await;
            }
            Action::Authenticator { options, variable } => {
                python.authenticate(options, variable);
                rust.authenticate(options, variable);
            }
            Action::Consent { url, account } => {
                let provider = pair
                    .oidc
                    .as_ref()
                    .expect("the pair was started with a provider");
                python.consent(provider, url, account).await;
                rust.consent(provider, url, account).await;
            }
            Action::Totp { secret, variable } => {
                python.totp(secret, variable).await;
                rust.totp(secret, variable).await;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} difference(s) from fastapi-fullauth:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}
