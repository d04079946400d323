//! The command line of the application's own binary (only the application's crate knows its structs): the
//! `migrations` commands, and fastapi-fullauth's `secret` and `check`.
//!
//! ```no_run
//! // src/bin/migrations.rs
//! # #[derive(Clone, Debug, fullauth::FullAuthUser)] struct User { #[fullauth(mixin)] auth: fullauth::UserMixin }
//! # #[derive(Clone, Debug, fullauth::FullAuthRefreshToken)] #[fullauth(user = User)]
//! # struct RefreshToken { #[fullauth(mixin)] token: fullauth::RefreshTokenMixin }
//! fn main() -> std::process::ExitCode {
//!     fullauth::cli::main::<User, RefreshToken>()
//! }
//! ```
//!
//! ```text
//! cargo run --bin migrations -- migrations write migrations --backend postgres
//! cargo run --bin migrations -- migrations check --dir migrations --database-url postgres://localhost/app
//! ```
//!
//! ```text
//! cargo run --bin migrations -- secret     # a new FULLAUTH_SECRET_KEY
//! cargo run --bin migrations -- check      # the FULLAUTH_* configuration, then the database at $DATABASE_URL
//! ```
//!
//! `write` adds diesel-cli migration folders (`<version>_<name>/up.sql`, `down.sql`) for what the structs have and
//! the folder does not: the tables at first, then a migration adding the columns of new fields. `check` compares
//! the structs with the folder and with the database and names every difference; it exits with 1 when there is
//! one, so it can guard a deployment. `check` reads the configuration as the application would
//! (`FullAuthConfig::from_env`, keys included) and compares the structs with the database; it exits with 1 when
//! either has a problem. It also names every `FULLAUTH_*` variable that no setting reads, a misspelt name most
//! often, without failing for it: the application may read some of its own. Exit code 2 means the command itself failed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::DieselAdapter;
use crate::adapter::{DieselRefreshToken, DieselUser};
use crate::migrations::{compare, read_folder, write_folder};
use crate::schema::Dialect;

const USAGE: &str = "usage:
  secret
      print a new random secret key for FULLAUTH_SECRET_KEY
  check [--database-url <url>]
      check the FULLAUTH_* configuration, then the database (the URL defaults to $DATABASE_URL) against the
      structs; exit 1 if either has a problem
  migrations write <dir> --backend <sqlite|postgres|mysql>
      add migration folders for what the structs have and <dir> has not
  migrations check [--dir <dir>] [--database-url <url>]
      name every difference between the structs and <dir> and/or the database
      (the database URL defaults to $DATABASE_URL); exit 1 if there is one";

/// Runs the command named by the process arguments, printing to the standard streams.
pub fn main<U: DieselUser, R: DieselRefreshToken<User = U>>() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start a runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    runtime.block_on(run::<U, R>(&args, &mut out, &mut err))
}

/// Runs a command given its arguments (without the program name), writing its report to `out` and its errors
/// to `err`: 0 when all is in order, 1 when `check` found differences, 2 when the command failed.
pub async fn run<U: DieselUser, R: DieselRefreshToken<User = U>>(
    args: &[String],
    out: &mut impl Write,
    err: &mut impl Write,
) -> ExitCode {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (migrations, args) = match args.split_first() {
        Some((&"migrations", rest)) => (true, rest),
        _ => (false, &args[..]),
    };
    let outcome = match args.split_first() {
        Some((&"secret", [])) if !migrations => {
            let _ = writeln!(out, "{}", new_secret());
            Ok(ExitCode::SUCCESS)
        }
        Some((&"check", rest)) if !migrations => check_deployment::<U, R>(rest, out).await,
        Some((&"write", rest)) => write::<U, R>(rest, out),
        Some((&"check", rest)) => check::<U, R>(rest, out).await,
        Some((&("help" | "--help" | "-h"), _)) => {
            let _ = writeln!(out, "{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => Err(format!("unknown command\n{USAGE}")),
    };
    outcome.unwrap_or_else(|message| {
        let _ = writeln!(err, "error: {message}");
        ExitCode::from(2)
    })
}

/// The value following `--name`, if the flag is present.
fn flag<'a>(args: &[&'a str], name: &str) -> Result<Option<&'a str>, String> {
    match args.iter().position(|arg| *arg == name) {
        None => Ok(None),
        Some(index) => args
            .get(index + 1)
            .copied()
            .map(Some)
            .ok_or_else(|| format!("{name} needs a value\n{USAGE}")),
    }
}

fn write<U: DieselUser, R: DieselRefreshToken<User = U>>(
    args: &[&str],
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let Some(dir) = args.first().filter(|arg| !arg.starts_with("--")) else {
        return Err(format!("write needs a folder\n{USAGE}"));
    };
    let dialect = match flag(args, "--backend")? {
        Some("sqlite") => Dialect::Sqlite,
        Some("postgres" | "postgresql") => Dialect::Postgres,
        Some("mysql" | "mariadb") => Dialect::Mysql,
        Some(other) => {
            return Err(format!(
                "unknown backend `{other}`: use sqlite, postgres or mysql"
            ));
        }
        None => return Err(format!("write needs --backend\n{USAGE}")),
    };
    let declared = DieselAdapter::<U, R>::declared_tables();
    let written = write_folder(&PathBuf::from(dir), dialect, &declared, crate::model::now())
        .map_err(|e| e.to_string())?;
    if written.is_empty() {
        let _ = writeln!(
            out,
            "{dir} is up to date with the structs: nothing to write"
        );
    }
    for folder in written {
        let _ = writeln!(out, "wrote {}", folder.display());
    }
    Ok(ExitCode::SUCCESS)
}

async fn check<U: DieselUser, R: DieselRefreshToken<User = U>>(
    args: &[&str],
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let dir = flag(args, "--dir")?;
    let environment_url = std::env::var("DATABASE_URL").ok();
    let url = flag(args, "--database-url")?.or(if dir.is_none() {
        environment_url.as_deref()
    } else {
        None
    });
    if dir.is_none() && url.is_none() {
        return Err(format!(
            "check needs --dir, --database-url or $DATABASE_URL\n{USAGE}"
        ));
    }
    let declared = DieselAdapter::<U, R>::declared_tables();
    let mut differences = 0;
    if let Some(dir) = dir {
        let folder = read_folder(&PathBuf::from(dir)).map_err(|error| format!("{dir}: {error}"))?;
        for difference in compare(&declared, &folder.state) {
            differences += 1;
            let _ = writeln!(out, "folder {dir}: {difference}");
        }
    }
    if let Some(url) = url {
        let adapter = DieselAdapter::connect(url)
            .await
            .map_err(|error| error.to_string())?
            .user::<U>()
            .refresh_tokens::<R>();
        let state = adapter
            .schema_state()
            .await
            .map_err(|error| error.to_string())?;
        for difference in compare(&declared, &state) {
            differences += 1;
            let _ = writeln!(out, "database: {difference}");
        }
    }
    if differences == 0 {
        let _ = writeln!(
            out,
            "no differences: the structs and what was checked agree"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        let _ = writeln!(out, "{differences} difference(s)");
        Ok(ExitCode::from(1))
    }
}

/// A new secret key: 64 random bytes, URL-safe base64 (86 characters).
fn new_secret() -> String {
    use base64::Engine as _;
    let mut bytes = [0_u8; 64];
    crate::random::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// fastapi-fullauth's `check`: the configuration from the environment, as the application reads it, then the
/// database against the structs.
async fn check_deployment<U: DieselUser, R: DieselRefreshToken<User = U>>(
    args: &[&str],
    out: &mut impl Write,
) -> Result<ExitCode, String> {
    let mut problems = 0;
    match crate::FullAuthConfig::from_env().and_then(|config| {
        let secret = config
            .secret_key
            .clone()
            .unwrap_or_else(crate::config::SecretKey::generate);
        crate::tokens::TokenCodec::new(&config, &secret).map(|_| config)
    }) {
        Ok(config) if config.secret_key.is_none() => {
            problems += 1;
            let _ = writeln!(
                out,
                "configuration: FULLAUTH_SECRET_KEY is not set: tokens would not survive a restart (make one with \
                 `secret`)"
            );
        }
        Ok(_) => {
            let _ = writeln!(out, "configuration: ok");
        }
        Err(error) => {
            problems += 1;
            let _ = writeln!(out, "configuration: {error}");
        }
    }
    let names = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .map(|name| (name, String::new()));
    for name in crate::FullAuthConfig::unread_variables(names) {
        let _ = writeln!(
            out,
            "configuration: note: {name} is set, but no fullauth setting reads it (misspelt? if the application \
             reads it itself, all is well)"
        );
    }
    let environment_url = std::env::var("DATABASE_URL").ok();
    match flag(args, "--database-url")?.or(environment_url.as_deref()) {
        Some(url) => {
            let mut report = Vec::new();
            let code = check::<U, R>(&["--database-url", url], &mut report).await;
            let report = String::from_utf8_lossy(&report);
            match code {
                Ok(code) if code == ExitCode::SUCCESS => {
                    let _ = writeln!(out, "database: ok");
                }
                Ok(_) => {
                    problems += 1;
                    let _ = write!(out, "{report}");
                }
                Err(error) => {
                    problems += 1;
                    let _ = writeln!(out, "database: {error}");
                }
            }
        }
        None => {
            let _ = writeln!(
                out,
                "database: not checked (no --database-url, no $DATABASE_URL)"
            );
        }
    }
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
