//! The SQL the migrations run, per database: a change to the generated schema shows up as a reviewable diff.

#![allow(clippy::unwrap_used)]

use fullauth::migrations::{FullAuthMigrations, SchemaState, additive_migrations};
use fullauth::schema::Dialect;
use fullauth::{DieselAdapter, FullAuthRefreshToken, FullAuthUser, RefreshTokenMixin, UserMixin};

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

/// A user keyed by database-assigned integers.
#[derive(FullAuthUser, Clone, Debug)]
#[fullauth(table = "members")]
pub struct Member {
    #[fullauth(mixin)]
    pub auth: UserMixin<i64>,
}

/// Its refresh tokens.
#[derive(FullAuthRefreshToken, Clone, Debug)]
#[fullauth(table = "member_tokens", user = Member)]
pub struct MemberToken {
    #[fullauth(mixin)]
    pub token: RefreshTokenMixin<i64>,
}

/// Roles of members, with a field of the application's own.
#[derive(fullauth::FullAuthRole, Debug)]
#[fullauth(table = "roles")]
pub struct Role {
    #[fullauth(mixin)]
    pub role: fullauth::RoleMixin,
    #[fullauth(max_length = 200, default = "")]
    pub description: String,
}

/// Permissions of roles.
#[derive(fullauth::FullAuthPermission, Debug)]
#[fullauth(table = "permissions")]
pub struct Permission {
    #[fullauth(mixin)]
    pub permission: fullauth::PermissionMixin,
}

/// Which member has which role: keyed on both, deleted with either.
#[derive(fullauth::FullAuthUserRole, Debug)]
#[fullauth(table = "member_roles", user = Member, role = Role)]
pub struct MemberRole {
    #[fullauth(mixin)]
    pub link: fullauth::UserRoleMixin<i64>,
}

/// Which role grants which permission.
#[derive(fullauth::FullAuthRolePermission, Debug)]
#[fullauth(table = "role_permissions", role = Role, permission = Permission)]
pub struct RolePermission {
    #[fullauth(mixin)]
    pub link: fullauth::RolePermissionMixin,
    pub granted_by: Option<String>,
}

/// The identities members sign in with at OAuth providers, with a field of the application's own.
#[derive(fullauth::FullAuthOAuthAccount, Debug)]
#[fullauth(table = "member_oauth_accounts", user = Member)]
pub struct MemberOAuthAccount {
    #[fullauth(mixin)]
    pub account: fullauth::OAuthAccountMixin<i64>,
    #[fullauth(max_length = 500)]
    pub avatar_url: Option<String>,
}

/// The passkeys members sign in with, with a field of the application's own.
#[derive(fullauth::FullAuthPasskey, Debug)]
#[fullauth(table = "member_passkeys", user = Member)]
pub struct MemberPasskey {
    #[fullauth(mixin)]
    pub passkey: fullauth::PasskeyMixin<i64>,
    #[fullauth(max_length = 36)]
    pub aaguid: Option<String>,
}

/// The members' second factors.
#[derive(fullauth::FullAuthMfa, Debug)]
#[fullauth(table = "member_mfa", user = Member)]
pub struct MemberMfa {
    #[fullauth(mixin)]
    pub mfa: fullauth::MfaMixin<i64>,
}

fn render(migrations: &[fullauth::migrations::SqlMigration]) -> String {
    migrations
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

/// The migrations that add the fields `age` and `last_seen_at` to a database created before they existed, and
/// create the refresh-token table it never had.
fn additive(dialect: Dialect) -> String {
    let declared = DieselAdapter::<User, RefreshToken>::declared_tables();
    let mut users = declared[0].schema.clone();
    users
        .columns
        .retain(|column| column.name != "age" && column.name != "last_seen_at");
    let existing = SchemaState::of([users]);
    render(&additive_migrations(dialect, &declared, &existing, "20261126120000").unwrap())
}

/// Members have role models, an OAuth-account model, a passkey model and an MFA model: their tables follow the user and token
/// tables.
fn integer_ids(dialect: Dialect) -> String {
    render(
        FullAuthMigrations::create_tables(
            dialect,
            &DieselAdapter::<Member, MemberToken>::declared_tables(),
        )
        .migrations(),
    )
}

#[test]
fn additive_migrations_per_database() {
    insta::assert_snapshot!("additive_sqlite", additive(Dialect::Sqlite));
    insta::assert_snapshot!("additive_postgres", additive(Dialect::Postgres));
    insta::assert_snapshot!("additive_mysql", additive(Dialect::Mysql));
}

#[test]
fn database_assigned_ids_per_database() {
    insta::assert_snapshot!("integer_ids_sqlite", integer_ids(Dialect::Sqlite));
    insta::assert_snapshot!("integer_ids_postgres", integer_ids(Dialect::Postgres));
    insta::assert_snapshot!("integer_ids_mysql", integer_ids(Dialect::Mysql));
}

fn migrations(dialect: Dialect) -> String {
    let migrations = FullAuthMigrations::create_tables(
        dialect,
        &DieselAdapter::<User, RefreshToken>::declared_tables(),
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
