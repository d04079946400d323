//! `cargo run -p quickstart`: `BIND_ADDR`, `DATABASE_URL` (SQLite by default) and `FULLAUTH_*` are read.

use fullauth::prelude::*;
use quickstart::{RefreshToken, User};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt().init();
    let database = std::env::var("DATABASE_URL").unwrap_or("sqlite://quickstart.db".into());
    let adapter = DieselAdapter::connect(&database).await?.user::<User>();
    let config = FullAuthConfig::from_env()?;
    let fullauth = FullAuth::new(adapter.refresh_tokens::<RefreshToken>(), config)?;
    fullauth.migrate().await?;
    let address = std::env::var("BIND_ADDR").unwrap_or("127.0.0.1:8000".into());
    Ok(fullauth::serve(address, quickstart::app(fullauth)).await?)
}
