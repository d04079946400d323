//! `cargo run -p quickstart --bin migrations -- migrations write migrations/sqlite --backend sqlite`, and
//! `... migrations check --dir migrations/sqlite --database-url sqlite://quickstart.db`: the fullauth migrations
//! command for the quickstart's structs.

use quickstart::models::{RefreshToken, User};

fn main() -> std::process::ExitCode {
    fullauth::cli::main::<User, RefreshToken>()
}
