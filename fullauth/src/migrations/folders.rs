//! Migration folders in diesel-cli's layout: `<version>_<name>/up.sql` and `down.sql`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{
    DeclaredTable, FullAuthMigrations, MigrationError, SchemaState, SqlMigration,
    additive_migrations, timestamp_version,
};
use crate::schema::Dialect;

/// The migrations of a folder, and the state of the fullauth tables at its end.
#[derive(Debug, Clone, Default)]
pub struct MigrationFolder {
    /// Every migration in the folder, fullauth's and the application's, oldest first.
    pub migrations: FullAuthMigrations,
    /// The fullauth tables after the last migration, from the snapshots fullauth writes into its own.
    pub state: SchemaState,
}

/// The version diesel-cli reads from a folder name: what precedes the first `_`, without dashes.
fn version_of(folder: &str) -> Option<(String, String)> {
    let (version, name) = folder.split_once('_')?;
    let version: String = version.chars().filter(|c| *c != '-').collect();
    (!version.is_empty() && version.chars().all(|c| c.is_ascii_digit()))
        .then(|| (version, name.to_owned()))
}

/// Reads a migrations folder; a missing folder is an empty one.
pub fn read_folder(path: &Path) -> io::Result<MigrationFolder> {
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Ok(MigrationFolder::default());
        }
        Err(error) => return Err(error),
    };
    let mut migrations = Vec::new();
    for entry in entries {
        let entry = entry?;
        let folder_name = entry.file_name().to_string_lossy().into_owned();
        let up_path = entry.path().join("up.sql");
        if !entry.file_type()?.is_dir() || !up_path.is_file() {
            continue;
        }
        let Some((version, name)) = version_of(&folder_name) else {
            continue;
        };
        let up = fs::read_to_string(&up_path)?;
        let down = fs::read_to_string(entry.path().join("down.sql")).unwrap_or_default();
        migrations.push(SqlMigration::new(version, name, up, down));
    }
    let migrations = FullAuthMigrations::new(migrations);
    let mut state = SchemaState::empty();
    for migration in migrations.migrations() {
        // Each fullauth migration records the tables it touched; later ones override earlier ones.
        if let Some(snapshot) = SchemaState::from_snapshot(migration.up_sql()) {
            state.merge(snapshot);
        }
        state.follow_index_statements(migration.up_sql());
    }
    Ok(MigrationFolder { migrations, state })
}

/// Writes the migrations that take the folder's fullauth tables to the declared ones, and returns the folders
/// written (none when the folder is up to date). Only adds: see [`additive_migrations`].
pub fn write_folder(
    path: &Path,
    dialect: Dialect,
    declared: &[DeclaredTable],
    now: time::OffsetDateTime,
) -> Result<Vec<PathBuf>, MigrationError> {
    let folder = read_folder(path).map_err(|error| io_error(path, error))?;
    let mut version = timestamp_version(now);
    if let Some(last) = folder.migrations.migrations().last()
        && last.version() >= version.as_str()
    {
        // Never go back in time, even with a clock behind the folder's newest migration.
        let bumped: u128 = last.version().parse::<u128>().unwrap_or(0) + 1;
        version = format!("{bumped:014}");
    }
    let migrations = additive_migrations(dialect, declared, &folder.state, &version)
        .map_err(|error| MigrationError::new(format!("writing {}", path.display()), error))?;
    let mut written = Vec::new();
    for migration in migrations {
        let touched: Vec<_> = declared
            .iter()
            .filter(|table| migration.touches(&table.schema.name))
            .map(|table| table.schema.clone())
            .collect();
        let directory = path.join(migration.to_string());
        fs::create_dir_all(&directory).map_err(|error| io_error(&directory, error))?;
        // A migration that only adds indexes changes no table's columns: it has no snapshot to record.
        let snapshot = if touched.is_empty() {
            String::new()
        } else {
            SchemaState::of(touched).snapshot_comment()
        };
        let up = format!("{snapshot}{}", migration.up_sql());
        fs::write(directory.join("up.sql"), up).map_err(|error| io_error(&directory, error))?;
        fs::write(directory.join("down.sql"), migration.down_sql())
            .map_err(|error| io_error(&directory, error))?;
        written.push(directory);
    }
    Ok(written)
}

fn io_error(path: &Path, error: io::Error) -> MigrationError {
    MigrationError::new(path.display().to_string(), error)
}

impl FullAuthMigrations {
    /// Every migration of a diesel-cli migrations folder, to run with [`crate::DieselAdapter::migrate_from`].
    pub fn from_dir(path: impl AsRef<Path>) -> Result<Self, MigrationError> {
        let path = path.as_ref();
        read_folder(path)
            .map(|folder| folder.migrations)
            .map_err(|error| io_error(path, error))
    }
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[test]
    fn reads_versions_like_diesel_cli() {
        assert_eq!(
            version_of("2024-01-02-030405_create_posts"),
            Some(("20240102030405".into(), "create_posts".into()))
        );
        assert_eq!(
            version_of("00000000000100_fullauth_create_users"),
            Some(("00000000000100".into(), "fullauth_create_users".into()))
        );
        assert_eq!(version_of("notes"), None);
        assert_eq!(version_of("v1_initial"), None);
    }
}
