//! fullauth deployed for production: `cargo run -p production`.
//!
//! Environment: `BIND_ADDR` (default `127.0.0.1:8000`), `DATABASE_URL` (default `sqlite://production.db`;
//! `postgres://` and `mysql://` URLs work too) and every `FULLAUTH_*` option, e.g. `FULLAUTH_SECRET_KEY`.
//! Mails (email verification, password reset) are printed, or sent over SMTP when `FULLAUTH_SMTP_URL` is set
//! (with `FULLAUTH_FRONTEND_URL`, where the links in them lead). With `FULLAUTH_SUPERUSER_EMAIL` and
//! `FULLAUTH_SUPERUSER_PASSWORD`, it creates that superuser at start (once; an existing account is never promoted).
//! With `FULLAUTH_REDIS_URL`, revocations, lockout and rate-limit counters live in Redis, shared by every instance;
//! `FULLAUTH_SECURITY_HEADERS=true` adds the security headers layer, `FULLAUTH_GLOBAL_RATE_LIMIT=<per minute>` the
//! global rate-limit layer, `FULLAUTH_CSRF_ENABLED=true` the CSRF layer, `FULLAUTH_CORS_ORIGINS=<origins>` the CORS
//! layer for front ends on other origins; `FULLAUTH_COOKIE_TRANSPORT=true` carries the tokens in cookies.

use fullauth::{DieselAdapter, FullAuth, FullAuthConfig, SuperuserOutcome};

use production::models::{RefreshToken, User};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let bind_addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8000".to_owned());
    let database_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://production.db".to_owned());

    let adapter = DieselAdapter::connect(&database_url)
        .await?
        .user::<User>()
        .refresh_tokens::<RefreshToken>();
    let fullauth = FullAuth::builder()
        .adapter(adapter)
        .config(FullAuthConfig::from_env()?)
        .build()?;
    fullauth.migrate().await?;
    create_superuser(&fullauth).await?;
    if fullauth.config().shared_state.redis_url.is_some() {
        tracing::info!("shared state in Redis (FULLAUTH_REDIS_URL)");
    }
    if fullauth.config().mail.smtp_url.is_some() {
        tracing::info!("mails are delivered over SMTP (FULLAUTH_SMTP_URL)");
    }

    let mut app = production::app(fullauth.clone());
    if env_flag("FULLAUTH_CSRF_ENABLED")? {
        app = app.layer(fullauth.csrf());
    } else if fullauth.config().cookies.transport {
        tracing::warn!(
            "FULLAUTH_COOKIE_TRANSPORT is on without FULLAUTH_CSRF_ENABLED: browsers signed in by cookie are \
             protected only by SameSite"
        );
    }
    if let Some(per_minute) = env_count("FULLAUTH_GLOBAL_RATE_LIMIT")? {
        app = app.layer(fullauth.global_rate_limit(per_minute, std::time::Duration::from_secs(60)));
    }
    if env_flag("FULLAUTH_SECURITY_HEADERS")? {
        app = app.layer(fullauth::middleware::SecurityHeadersLayer::new());
    }
    if !fullauth.config().cors.origins.is_empty() {
        // Outermost: preflights are answered before anything counts or checks them.
        app = app.layer(fullauth.cors());
    }

    fullauth::serve(bind_addr, app).await?;
    Ok(())
}

/// A boolean variable of this example's own: `true`/`false`/`1`/`0`, false when unset.
fn env_flag(name: &str) -> Result<bool, Box<dyn std::error::Error>> {
    match std::env::var(name) {
        Err(_) => Ok(false),
        Ok(value) => match value.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" | "" => Ok(false),
            _ => Err(format!("{name} must be true, false, 1 or 0, not {value:?}").into()),
        },
    }
}

/// A positive count of this example's own, `None` when unset.
fn env_count(name: &str) -> Result<Option<u64>, Box<dyn std::error::Error>> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(value) => match value.trim().parse::<u64>() {
            Ok(count) if count > 0 => Ok(Some(count)),
            _ => Err(format!("{name} must be a whole number above zero, not {value:?}").into()),
        },
    }
}

/// Creates the superuser named by `FULLAUTH_SUPERUSER_EMAIL` and `FULLAUTH_SUPERUSER_PASSWORD`, when set.
async fn create_superuser(fullauth: &FullAuth<User>) -> Result<(), Box<dyn std::error::Error>> {
    let email = std::env::var("FULLAUTH_SUPERUSER_EMAIL").ok();
    let password = std::env::var("FULLAUTH_SUPERUSER_PASSWORD").ok();
    let (email, password) = match (email, password) {
        (None, None) => return Ok(()),
        (Some(email), Some(password)) => (email, password),
        (Some(_), None) => {
            return Err(
                "FULLAUTH_SUPERUSER_EMAIL is set without FULLAUTH_SUPERUSER_PASSWORD".into(),
            );
        }
        (None, Some(_)) => {
            return Err(
                "FULLAUTH_SUPERUSER_PASSWORD is set without FULLAUTH_SUPERUSER_EMAIL".into(),
            );
        }
    };
    match fullauth.create_superuser(&email, &password).await? {
        SuperuserOutcome::Created(user) => {
            tracing::info!(email = %user.auth.email, "superuser created")
        }
        SuperuserOutcome::AlreadyExists(user) => {
            tracing::info!(email = %user.auth.email, "superuser already exists")
        }
    }
    Ok(())
}
