//! `cargo run -p roles`: the role models' tables are created at start, and each role gets its permissions.

use fullauth::prelude::*;
use roles::{ROLE_PERMISSIONS, RefreshToken, User};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().init();
    let database = std::env::var("DATABASE_URL").unwrap_or("sqlite://roles.db".into());
    let adapter = DieselAdapter::connect(&database).await?.user::<User>();
    let config = FullAuthConfig::from_env()?;
    let fullauth = FullAuth::new(adapter.refresh_tokens::<RefreshToken>(), config)?;
    fullauth.migrate().await?;
    for (role, permission) in ROLE_PERMISSIONS {
        fullauth.assign_permission(role, permission).await?;
    }
    let address = std::env::var("BIND_ADDR").unwrap_or("127.0.0.1:8000".into());
    Ok(fullauth::serve(address, roles::app(fullauth)).await?)
}
