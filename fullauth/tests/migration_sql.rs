//! The SQL the migrations run, per database: a change to the generated schema shows up as a reviewable diff.

use fullauth::schema::Dialect;
use fullauth::{
    FullAuthMigrations, FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin,
};

#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "users")]
pub struct User {
    #[fullauth(mixin)]
    pub auth: UserMixin,
    #[fullauth(max_length = 100, default = "")]
    pub display_name: String,
    #[fullauth(default = 0)]
    pub age: i32,
    pub bio: Option<String>,
    #[fullauth(default = true, column = "wants_mail")]
    pub newsletter: bool,
    pub score: Option<f64>,
    pub last_seen_at: Option<time::OffsetDateTime>,
}

#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "refresh_tokens", user = User)]
pub struct RefreshToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin,
}

fn migrations(dialect: Dialect) -> String {
    let migrations = FullAuthMigrations::for_models(
        dialect,
        &User::table_schema(),
        &RefreshToken::table_schema(),
    );
    migrations
        .migrations()
        .iter()
        .map(|migration| {
            format!(
                "-- {migration} (up)\n{}-- {migration} (down)\n{}",
                migration.up_sql(),
                migration.down_sql()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn sqlite_migrations() {
    insta::assert_snapshot!(migrations(Dialect::Sqlite));
}

#[test]
fn postgres_migrations() {
    insta::assert_snapshot!(migrations(Dialect::Postgres));
}

#[test]
fn mysql_migrations() {
    insta::assert_snapshot!(migrations(Dialect::Mysql));
}
