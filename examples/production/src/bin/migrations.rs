//! `cargo run -p production --bin migrations -- migrations write migrations/sqlite --backend sqlite`, and
//! `... migrations check --dir migrations/sqlite --database-url sqlite://production.db`: the fullauth migrations
//! command for the production example's structs.

use production::models::{RefreshToken, User};

fn main() -> std::process::ExitCode {
    fullauth::cli::main::<User, RefreshToken>()
}
